"""Facilitators start, share, follow, close and reopen measurement rounds."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment.models import Round
from assessment.plans.services import open_round
from assessment.results import release
from assessment.rounds.forms import RoundForm
from config.links import absolute_link
from teams.access import AuthenticatedHttpRequest, team_to_manage
from teams.models import User


def _round_to_manage(user: User, round_id: int) -> Round:
    round = get_object_or_404(
        Round.objects.visible_to(user)
        .select_related("team__network", "version__questionnaire")
        .with_counts(),
        pk=round_id,
    )
    if not round.team.can_manage(user):
        raise Http404
    return round


def _link(request: HttpRequest, round: Round) -> str:
    return absolute_link(round.respondent_path(), request)


def _qr_svg(link: str, scale: int) -> str:
    # segno writes a plain SVG of dark squares; no outside service sees the link.
    svg = segno.make(link, error="m").svg_inline(scale=scale, omitsize=True, title="QR")
    # Safe: segno builds it from our own link; no user input reaches it.
    return mark_safe(svg)


@login_required
def round_create(request: AuthenticatedHttpRequest, team_id: int) -> HttpResponse:
    team = team_to_manage(request.user, team_id)
    form = RoundForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        round = open_round(team=team, created_by=request.user, **form.cleaned_data)
        messages.success(request, _("The round is open. Share the link below with your team."))
        return redirect(round)
    return render(
        request,
        "rounds/create.html",
        {"team": team, "form": form, "open_actions": team.actions.open()},
    )


@login_required
def round_detail(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    round = _round_to_manage(request.user, round_id)
    link = _link(request, round)
    return render(
        request,
        "rounds/detail.html",
        {"round": round, "team": round.team, "link": link, "qr": _qr_svg(link, scale=5)},
    )


@login_required
def round_poster(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    """A page to print for the staff room: the QR code, the link and a few words."""
    round = _round_to_manage(request.user, round_id)
    link = _link(request, round)
    return render(
        request, "rounds/poster.html", {"round": round, "link": link, "qr": _qr_svg(link, 10)}
    )


@login_required
@require_POST
def round_close(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    round = _round_to_manage(request.user, round_id)
    if round.closed_at is None:
        Round.objects.filter(pk=round.pk).update(closed_at=timezone.now())
        messages.success(request, _("The round is closed. The link no longer accepts answers."))
    return redirect(round)


@login_required
@require_POST
def round_reopen(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    round = _round_to_manage(request.user, round_id)
    release.reopen(round=round)
    messages.success(request, _("The round is open again."))
    return redirect(round)


@login_required
def round_delete(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    """Deletes the round with every answer in it, after the facilitator confirms."""
    round = _round_to_manage(request.user, round_id)
    if request.method == "POST":
        team = round.team
        # One call: Django deletes the answers, scores, totals and plan of the round in
        # one transaction, so a failure leaves the round whole.
        round.delete()
        messages.success(request, _("The round and all its answers are deleted."))
        return redirect(team)
    return render(
        request,
        "rounds/delete.html",
        {"round": round, "team": round.team, "action_count": round.actions_started.count()},
    )
