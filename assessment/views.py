from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessment.models import QuestionnaireVersion, Source


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "assessment/home.html")


def about(request: HttpRequest) -> HttpResponse:
    """The evidence behind the questionnaire: its dimensions and the sources of each."""
    version = QuestionnaireVersion.objects.latest_published()
    dimensions = version.ordered_dimensions() if version else []
    sources = Source.objects.filter(dimensions__version=version).distinct() if version else []
    return render(
        request,
        "assessment/about.html",
        {"version": version, "dimensions": dimensions, "sources": sources},
    )
