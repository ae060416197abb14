"""Facilitators start, share, follow, close and reopen measurement rounds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessment.invitations.panel import invitation_panel
from assessment.models import Round
from assessment.plans.services import delete_round, open_round
from assessment.questionnaire.structure import structure
from assessment.responding.duration import duration_text
from assessment.responding.limits import seconds_left
from assessment.responding.views import respondent_page
from assessment.results import release
from assessment.rounds import codes
from assessment.rounds.forms import CodeForm, HeadcountForm, RoundForm
from assessment.rounds.headcount import round_sector_rates
from assessment.rounds.qr import qr_svg
from config.links import absolute_link
from config.login_guard import client_ip
from teams.access import AuthenticatedHttpRequest, team_to_manage
from teams.models import User


def round_to_manage(user: User, round_id: int) -> Round:
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


def _code_page(request: HttpRequest) -> str:
    """The code page's address without the scheme, as people type it: "samenspel.nl/code"."""
    return absolute_link(reverse("enter_code"), request).split("://", 1)[-1].rstrip("/")


def invitation_text(round: Round, *, link: str, code_page: str) -> str:
    """A ready message for WhatsApp or e-mail: who, until when, how long, anonymous, where."""
    # The time is the round's own version's: a short form must not promise a quarter of an
    # hour, nor a long one less than it takes.
    text = _(
        "Hello all, how do we work together as %(team)s? Please fill in the Samenspel "
        "questionnaire. It takes %(duration)s and is anonymous: nobody sees who answered what."
    ) % {"team": round.team.name, "duration": duration_text(structure(round.version))}
    if round.closes_on:
        date = formats.date_format(round.closes_on, "j N Y")
        text += " " + _("You can fill it in up to and including %(date)s.") % {"date": date}
    return text + _where_to_answer(round, link=link, code_page=code_page)


def _where_to_answer(round: Round, *, link: str, code_page: str) -> str:
    """The end of both messages: the link, and the code for who has no link at hand."""
    code = _("No link at hand? Go to %(page)s and type the code %(code)s.") % {
        "page": code_page,
        "code": round.grouped_code,
    }
    return f"\n\n{link}\n\n{code}"


def reminder_text(round: Round, *, link: str, code_page: str) -> str:
    """A reminder for the team's own channels, for those who use the shared link."""
    text = _(
        "A reminder: have you filled in the Samenspel questionnaire of %(team)s yet? "
        "It takes %(duration)s and is anonymous. Already done? Thank you!"
    ) % {"team": round.team.name, "duration": duration_text(structure(round.version))}
    if round.closes_on:
        date = formats.date_format(round.closes_on, "j N Y")
        text += " " + _("It closes at the end of %(date)s.") % {"date": date}
    return text + _where_to_answer(round, link=link, code_page=code_page)


@login_required
def round_detail(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    round = round_to_manage(request.user, round_id)
    link = _link(request, round)
    code_page = _code_page(request)
    context = {
        "round": round,
        "team": round.team,
        "link": link,
        "qr": qr_svg(link, scale=5),
        "code_page": code_page,
        "invitation": invitation_text(round, link=link, code_page=code_page),
        "reminder": reminder_text(round, link=link, code_page=code_page),
        "may_close": round.may_close(round.completed_count),
        "can_present": not round.is_open and round.team.can_plan(request.user),
        "live_meeting": round.meetings.live().first(),
        "ended_meetings": round.meetings.filter(status="ended"),
        **invitation_panel(round),
        "sector_rates": round_sector_rates(round),
        "headcount_form": HeadcountForm(round=round),
    }
    return render(request, "rounds/detail.html", context)


@login_required
@require_POST
def round_headcount(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    """How many colleagues the facilitator expects per sector."""
    round = round_to_manage(request.user, round_id)
    form = HeadcountForm(request.POST, round=round)
    if form.is_valid():
        round.expected_per_sector = form.expected()
        round.save(update_fields=["expected_per_sector"])
        messages.success(request, _("The expected numbers are saved."))
    else:
        messages.error(request, _("Type whole numbers from 0 to 999."))
    return redirect(reverse("round_detail", args=[round.pk]) + "#progress-title")


@login_required
def round_poster(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    """A page to print for the staff room: the QR code, the link, the code and a few words."""
    round = round_to_manage(request.user, round_id)
    link = _link(request, round)
    context = {
        "round": round,
        "link": link,
        "qr": qr_svg(link, 10),
        "code_page": _code_page(request),
        "duration": duration_text(structure(round.version)),
    }
    return render(request, "rounds/poster.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def round_close(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    """Asks first (GET), closes on POST: closing stops unfinished answers being sent."""
    round = round_to_manage(request.user, round_id)
    if request.method == "GET":
        if not round.is_open:
            return redirect(round)
        unfinished = round.started_count - round.completed_count
        return render(
            request,
            "rounds/close.html",
            {"round": round, "team": round.team, "unfinished": unfinished},
        )
    if round.closed_at is None:
        release.close(round=round)
        messages.success(request, _("The round is closed. The link no longer accepts answers."))
    return redirect(round)


@login_required
@require_POST
def round_discussed(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    """The facilitator's tick that the team discussed the results; the checklist reads it."""
    round = round_to_manage(request.user, round_id)
    if round.is_open:
        raise Http404
    if round.discussed_at is None:
        Round.objects.filter(pk=round.pk).update(discussed_at=timezone.now())
        messages.success(request, _("Noted: the team discussed the results."))
    return redirect(round)


@respondent_page
@require_http_methods(["GET", "POST"])
def enter_code(request: HttpRequest) -> HttpResponse:
    """Type the round's short code; right and open: on to the round's start page."""
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "GET" or not form.is_valid():
        return render(request, "rounds/code.html", {"form": form})
    now = timezone.now()
    try:
        round = codes.look_up(
            client_ip(request) or "", form.cleaned_data["code"], codes.find, now=now
        )
    except codes.Blocked:
        return blocked(request, "rounds/code.html", {"form": form}, now=now)
    if round is None:
        form.add_error("code", _("This code is unknown. Check the letters and numbers."))
        return render(request, "rounds/code.html", {"form": form}, status=404)
    if not round.is_open:
        form.add_error("code", _("This questionnaire is closed. It no longer accepts answers."))
        return render(request, "rounds/code.html", {"form": form}, status=403)
    return redirect("respond_start", round.token)


def blocked(request: HttpRequest, template: str, context: dict, *, now) -> HttpResponse:
    """The code page, saying this network typed too many wrong codes, until the hour ends."""
    refused = render(request, template, {**context, "blocked": True}, status=429)
    refused["Retry-After"] = str(seconds_left(now))
    return refused


def meeting_guide(request: HttpRequest) -> HttpResponse:
    """How to discuss the results in a team meeting of 45 to 60 minutes."""
    return render(request, "rounds/meeting_guide.html")


@login_required
@require_POST
def round_reopen(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    round = round_to_manage(request.user, round_id)
    release.reopen(round=round)
    messages.success(request, _("The round is open again."))
    return redirect(round)


@login_required
def round_delete(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    """Deletes the round with every answer in it, after the facilitator confirms."""
    round = round_to_manage(request.user, round_id)
    if request.method == "POST":
        team = round.team
        delete_round(round)
        messages.success(request, _("The round and all its answers are deleted."))
        return redirect(team)
    return render(
        request,
        "rounds/delete.html",
        {"round": round, "team": round.team, "action_count": round.actions_started.count()},
    )
