from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessment.models import Installation, QuestionnaireVersion, Round, Source
from assessment.rounds.forms import ADVISED_THRESHOLD_SMALL_TEAM
from teams.expiry import INVITATION_GRACE


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


def privacy(request: HttpRequest) -> HttpResponse:
    """What Samenspel stores, why, for how long, and who sees it."""
    return render(
        request,
        "assessment/privacy.html",
        {
            "minimum_results": Round._meta.get_field("anonymity_threshold").default,
            "minimum_breakdown": Round._meta.get_field("breakdown_threshold").default,
            "lockout_failures": settings.AXES_FAILURE_LIMIT,
            "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            "session_hours": settings.SESSION_COOKIE_AGE // 3600,
            "starts_per_browser": settings.RESPONSES_PER_BROWSER_PER_HOUR,
            "starts_per_address": settings.RESPONSES_PER_ADDRESS_PER_HOUR,
            "advised_threshold": ADVISED_THRESHOLD_SMALL_TEAM,
            "retention_months": Installation.current().retention_months,
            "invitation_valid_days": settings.INVITATION_VALID_DAYS,
            "invitation_grace_days": INVITATION_GRACE.days,
        },
    )
