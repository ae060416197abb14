"""The action plan: facilitators record what the team agrees to do; the team reads it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import Action, Dimension, Round
from assessment.plans.forms import ActionForm
from assessment.plans.ideas import ideas
from assessment.plans.services import add_action, change_action
from teams.access import AuthenticatedHttpRequest
from teams.models import Team


def _plan_url(round: Round) -> str:
    return reverse("round_results", args=[round.pk]) + "#plan"


@login_required
def action_create(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    round = get_object_or_404(
        Round.objects.visible_to(request.user).select_related("team", "version"),
        pk=round_id,
    )
    if not round.team.can_plan(request.user):
        raise Http404
    initial = {"topic": request.GET.get("topic", ""), "text": request.GET.get("text", "")[:1000]}
    form = ActionForm(
        request.POST if request.method == "POST" else None, initial=initial, version=round.version
    )
    if request.method == "POST" and form.is_valid():
        add_action(
            round=round,
            created_by=request.user,
            text=form.cleaned_data["text"],
            owner=form.cleaned_data["owner"],
            due_date=form.cleaned_data["due_date"],
            status=form.cleaned_data["status"],
            **form.topic_fields(),
        )
        messages.success(request, _("The action is in the plan."))
        return redirect(_plan_url(round))

    chosen = form["topic"].value() or ""
    dimension_key = form.topics.get(chosen, ("", "", ""))[0]
    dimension = (
        Dimension.objects.filter(version=round.version, key=dimension_key).first()
        if dimension_key
        else None
    )
    return render(
        request,
        "plans/action_form.html",
        {
            "round": round,
            "team": round.team,
            "form": form,
            "dimension": dimension,
            "ideas": ideas(dimension.suggestion_list()) if dimension else [],
            "chosen": chosen,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def action_edit(request: AuthenticatedHttpRequest, action_id: int) -> HttpResponse:
    action = get_object_or_404(
        Action.objects.filter(team__in=Team.objects.visible_to(request.user)).select_related(
            "team", "origin__version"
        ),
        pk=action_id,
    )
    if not action.team.can_plan(request.user):
        raise Http404
    back_to = action.rounds.order_by("-created").first() or action.origin
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        instance=action,
        version=action.origin.version,
    )
    if request.method == "POST" and form.is_valid():
        change_action(form)
        messages.success(request, _("The action is saved."))
        return redirect(_plan_url(back_to))
    return render(
        request,
        "plans/action_form.html",
        {"round": back_to, "team": action.team, "form": form, "action": action},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def plan_print(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    """The action plan of a round on its own page, to print or save as PDF and hang up.

    Whoever may read the round's results may print its plan; it shows no figures."""
    round = get_object_or_404(
        Round.objects.visible_to(request.user).select_related("team"), pk=round_id
    )
    return render(
        request,
        "plans/print.html",
        {
            "round": round,
            "team": round.team,
            "actions": round.actions.select_related("origin").order_by("created", "pk"),
            "today": timezone.localdate(),
        },
    )
