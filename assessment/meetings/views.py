"""The presenter's side of a team conversation: the big screen and its controls.

Only the team's facilitators (and admins) present: agreeing adds actions to the plan. Every
control is a plain form, so a clicker, the arrow keys (meeting.js) and a mouse all work.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment.meetings import agenda, mail, services, steps
from assessment.models import Meeting, Round
from assessment.models.meetings import VOTES_PER_PHONE
from assessment.plans.forms import ActionForm
from assessment.plans.services import add_action
from assessment.results import figures
from assessment.results.aggregate import round_results
from config.links import absolute_link
from teams.access import AuthenticatedHttpRequest


def _round_to_present(request: AuthenticatedHttpRequest, round_id: int) -> Round:
    round = get_object_or_404(
        Round.objects.visible_to(request.user).select_related("team__network", "version"),
        pk=round_id,
    )
    if not round.team.can_plan(request.user):
        raise Http404
    return round


def _meeting_to_present(request: AuthenticatedHttpRequest, meeting_id: int) -> Meeting:
    meeting = get_object_or_404(
        Meeting.objects.select_related("round__team__network", "round__version"),
        pk=meeting_id,
        round__in=Round.objects.visible_to(request.user),
    )
    if not meeting.round.team.can_plan(request.user):
        raise Http404
    return meeting


@login_required
@require_POST
def meeting_start(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    """Opens the round's conversation, or resumes the one in progress."""
    round = _round_to_present(request, round_id)
    results = round_results(round)
    if not results.visible:
        messages.error(request, _("A team conversation needs the round's results first."))
        return redirect(round)
    meeting = services.start_meeting(round=round, results=results, started_by=request.user)
    return redirect(meeting)


@login_required
def meeting_present(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_to_present(request, meeting_id)
    if meeting.is_ended:
        return redirect("meeting_summary", meeting.pk)
    results = steps.meeting_results(meeting)
    screen = steps.screen(meeting, results)
    join_url = absolute_link(reverse("meeting_phone", args=[meeting.code]), request)
    context = {
        "screen": screen,
        "figures": figures.for_results(results) if screen.kind == agenda.OVERVIEW else {},
        "votes_per_phone": VOTES_PER_PHONE,
        "meeting": meeting,
        "round": meeting.round,
        "join_url": join_url,
        "join_page": absolute_link(reverse("meeting_join"), request),
        "qr": steps.kept("qr", meeting, join_url, compute=lambda: mail.qr_svg(join_url, scale=6)),
        "steps": steps.step_titles(screen),
        "phones": meeting.phones.count(),
        "votes_cast": meeting.votes.count(),
        "action_form": _action_form(screen),
        "agreed_today": meeting.actions.order_by("created", "pk"),
    }
    return render(request, "meetings/present.html", context)


def _action_form(screen: steps.Screen, data=None) -> ActionForm | None:
    if screen.kind != agenda.AGREE:
        return None
    return ActionForm(data, version=screen.meeting.round.version, prefix="action")


@login_required
@require_POST
def meeting_move(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """On to another step: "next", "previous", or a step's place in the agenda."""
    meeting = _meeting_to_present(request, meeting_id)
    if meeting.is_ended:  # a stale screen: an ended meeting stays ended
        return redirect("meeting_summary", meeting.pk)
    to = request.POST.get("to", "next")
    last = max(len(meeting.agenda) - 1, 0)
    offsets = {"next": 1, "previous": -1}
    if to in offsets:
        position = meeting.position + offsets[to]
    elif to.isdigit():
        position = int(to)
    else:
        raise Http404
    meeting.changed(position=max(0, min(last, position)), status=Meeting.Status.ACTIVE)
    return redirect(meeting)


@login_required
@require_POST
def meeting_agenda(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """Moves a step up or down, or skips it (leaves it out of the agenda)."""
    meeting = _meeting_to_present(request, meeting_id)
    if meeting.is_ended:  # a stale screen: an ended meeting stays ended
        return redirect("meeting_summary", meeting.pk)
    step, what = request.POST.get("step", ""), request.POST.get("what", "")
    if step not in meeting.agenda or what not in ("up", "down", "skip"):
        raise Http404
    current = meeting.step
    if what == "skip":
        if len(meeting.agenda) == 1:
            return redirect(meeting)
        steps_left = [s for s in meeting.agenda if s != step]
    else:
        steps_left = agenda.moved(meeting.agenda, step, -1 if what == "up" else 1)
    # The screen stays on the step it showed (or the one after a skipped step).
    position = steps_left.index(current) if current in steps_left else meeting.position
    meeting.changed(agenda=steps_left, position=min(position, len(steps_left) - 1))
    return redirect(reverse("meeting_present", args=[meeting.pk]) + "#agenda")


@login_required
@require_POST
def meeting_vote(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """Opens the vote, or closes it: only then does the screen show the tally."""
    meeting = _meeting_to_present(request, meeting_id)
    if meeting.is_ended:  # a stale screen: an ended meeting stays ended
        return redirect("meeting_summary", meeting.pk)
    wanted = {"open": Meeting.Vote.OPEN, "close": Meeting.Vote.CLOSED}.get(
        request.POST.get("what", "")
    )
    if wanted is None:
        raise Http404
    meeting.changed(vote=wanted)
    return redirect(meeting)


@login_required
@require_POST
def meeting_action(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """An action typed on the big screen goes straight into the team's plan."""
    meeting = _meeting_to_present(request, meeting_id)
    if meeting.is_ended:  # a stale screen: an ended meeting stays ended
        return redirect("meeting_summary", meeting.pk)
    screen = steps.screen(meeting)
    form = _action_form(screen, request.POST)
    if form is None:
        raise Http404
    if not form.is_valid():
        messages.error(
            request,
            _("The action was not added: %(errors)s")
            % {"errors": " ".join(str(e) for errors in form.errors.values() for e in errors)},
        )
        return redirect(meeting)
    with transaction.atomic():
        add_action(
            round=meeting.round,
            created_by=request.user,
            meeting=meeting,
            text=form.cleaned_data["text"],
            owner=form.cleaned_data["owner"],
            due_date=form.cleaned_data["due_date"],
            status=form.cleaned_data["status"],
            **form.topic_fields(),
        )
        meeting.changed()
    messages.success(request, _("The action is in the plan."))
    return redirect(meeting)


@login_required
@require_POST
def meeting_status(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """Pause (the state is kept), resume, or end: an ended meeting shows only its summary,
    and its summary is mailed to the team's facilitators."""
    meeting = _meeting_to_present(request, meeting_id)
    what = request.POST.get("what", "")
    if what == "end" and not meeting.is_ended:
        with transaction.atomic():
            meeting.end()
            # A conversation held is the team's tick on "we have discussed the results".
            Round.objects.filter(pk=meeting.round_id, discussed_at=None).update(
                discussed_at=meeting.ended_at
            )
            mail.send_summary(meeting.pk)  # through the outbox, once this commits
        return redirect("meeting_summary", meeting.pk)
    if what not in ("pause", "resume") or meeting.is_ended:
        raise Http404
    paused = what == "pause"
    meeting.changed(status=Meeting.Status.PAUSED if paused else Meeting.Status.ACTIVE)
    if paused:
        messages.info(request, _("The conversation is paused. Resume it from the round page."))
        return redirect(meeting.round)
    return redirect(meeting)


@login_required
def meeting_summary(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_to_present(request, meeting_id)
    screen = steps.screen(meeting)
    context = {
        "screen": screen,
        "meeting": meeting,
        "round": meeting.round,
        "team": meeting.round.team,
    }
    context["agreed_today"] = meeting.actions.order_by("created", "pk")
    return render(request, "meetings/summary.html", context)
