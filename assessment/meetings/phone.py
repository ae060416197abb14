"""The phones' side of a team conversation: no account, no name.

A phone joins by the meeting's code (typed, or in the QR code's link) and gets a random token
in a cookie; only a phone with that cookie votes. It follows the big screen by polling
`meeting_state`, which reads one indexed row; when the revision moved it fetches the step.
"""

import hmac

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from assessment.meetings import services, steps
from assessment.models import Meeting, MeetingPhone
from assessment.models.meetings import MEETING_CODE_LENGTH, VOTES_PER_PHONE
from assessment.rounds import codes
from assessment.rounds.forms import CodeForm
from assessment.rounds.views import blocked
from config.login_guard import client_ip

# A day: long enough for a meeting that pauses over lunch, short enough to be forgotten.
PHONE_COOKIE_AGE = 24 * 3600
POLL_SECONDS = 2


class MeetingCodeForm(CodeForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _(
            "The 6 letters and numbers on the big screen, for example K7M-X3Q."
        )


def _cookie(meeting: Meeting) -> str:
    return f"samenspel_meeting_{meeting.pk}"


def _find(typed: str) -> Meeting | None:
    code = codes.normalise(typed)
    if len(code) != MEETING_CODE_LENGTH:
        return None
    return Meeting.objects.select_related("round__team", "round__version").filter(code=code).first()


def _meeting(code: str) -> Meeting:
    meeting = _find(code)
    if meeting is None:
        raise Http404
    return meeting


def _phone(request: HttpRequest, meeting: Meeting) -> MeetingPhone | None:
    token = request.COOKIES.get(_cookie(meeting), "")
    return MeetingPhone.objects.filter(meeting=meeting, token=token).first() if token else None


@never_cache
def meeting_join(request: HttpRequest) -> HttpResponse:
    """Type the code shown on the big screen."""
    form = MeetingCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "GET" or not form.is_valid():
        return render(request, "meetings/join.html", {"form": form})
    now = timezone.now()
    try:
        meeting = codes.look_up(client_ip(request) or "", form.cleaned_data["code"], _find, now=now)
    except codes.Blocked:
        return blocked(request, "meetings/join.html", {"form": form}, now=now)
    if meeting is None:
        form.add_error("code", _("This code is unknown. Check the letters and numbers."))
        return render(request, "meetings/join.html", {"form": form}, status=404)
    return redirect("meeting_phone", meeting.code)


@require_GET
@never_cache
def meeting_phone(request: HttpRequest, code: str) -> HttpResponse:
    """The phone's page. The first visit with the code makes the phone a participant."""
    now = timezone.now()
    try:
        meeting = codes.look_up(client_ip(request) or "", code, _find, now=now)
    except codes.Blocked:
        return blocked(request, "meetings/join.html", {"form": MeetingCodeForm()}, now=now)
    if meeting is None:
        raise Http404
    phone = _phone(request, meeting)
    joins = phone is None and not meeting.is_ended
    if joins:
        phone = MeetingPhone.objects.create(meeting=meeting)
    response = render(request, "meetings/phone.html", _phone_context(meeting, phone))
    if joins and phone is not None:
        response.set_cookie(
            _cookie(meeting),
            phone.token,
            max_age=PHONE_COOKIE_AGE,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    return response


def _phone_context(meeting: Meeting, phone: MeetingPhone | None) -> dict:
    screen = steps.screen(meeting)
    mine = set(phone.votes.values_list("card", flat=True)) if phone else set()
    return {
        "screen": screen,
        "meeting": meeting,
        "phone": phone,
        "mine": mine,
        "votes_left": VOTES_PER_PHONE - len(mine),
        "votes_left_text": votes_left(VOTES_PER_PHONE - len(mine)),
        "poll_seconds": POLL_SECONDS,
        "follow_key": follow_key(meeting.code),
        "agreed_today": meeting.actions.order_by("created", "pk"),
    }


def follow_key(code: str) -> str:
    """What the phone's page adds to the addresses it polls. Only meeting_phone, which counts
    wrong codes, hands it out, so the poll (which does not count them: it runs every two
    seconds) cannot be used to guess codes. Checked without the database."""
    return signing.Signer(salt="samenspel.meeting.follow").signature(code)


def _follows(request: HttpRequest, code: str) -> bool:
    return hmac.compare_digest(request.GET.get("k", ""), follow_key(codes.normalise(code)))


@require_GET
@never_cache
def meeting_state(request: HttpRequest, code: str) -> JsonResponse:
    """What a phone polls every two seconds: one indexed row, two numbers."""
    if not _follows(request, code):
        raise Http404
    row = (
        Meeting.objects.filter(code=codes.normalise(code)).values_list("revision", "status").first()
    )
    if row is None:  # deleted with its round: over, as far as the phone is concerned
        return JsonResponse({"revision": 0, "status": "gone"})
    return JsonResponse({"revision": row[0], "status": row[1]})


def _step_html(request: HttpRequest, meeting: Meeting) -> str:
    """The step as a phone shows it. While the vote is open it is the phone's own (its votes,
    its form); otherwise every phone sees the same, kept per revision, so the fifteen phones
    that fetch it after a move cost one rendering."""
    if meeting.is_voting:
        context = _phone_context(meeting, _phone(request, meeting))
        return render_to_string("meetings/phone_step.html", context, request)
    return steps.kept(
        "phone-step",
        meeting,
        meeting.pk,
        meeting.revision,
        compute=lambda: render_to_string("meetings/phone_step.html", _phone_context(meeting, None)),
    )


@require_GET
@never_cache
def meeting_step(request: HttpRequest, code: str) -> HttpResponse:
    """The current step as the phone shows it: fetched when the revision moved."""
    if not _follows(request, code):
        raise Http404
    return HttpResponse(_step_html(request, _meeting(code)))


@require_POST
def meeting_cast(request: HttpRequest, code: str) -> HttpResponse:
    """A vote for a card, or one taken back. Only a phone that joined with the code votes.
    meeting.js gets the phone's votes back as JSON and presses the buttons itself: the
    fifteen phones of a meeting vote at the same moment, so the answer is kept small."""
    meeting = _meeting(code)
    phone = _phone(request, meeting)
    if phone is None:
        return HttpResponse(_("Join the conversation with its code first."), status=403)
    try:
        services.toggle_vote(meeting=meeting, phone=phone, card=request.POST.get("card", ""))
    except services.VoteRefused:
        status = 409  # the vote closed, or the votes are spent: meeting.js shows the step
    else:
        status = 200
    if request.headers.get("X-Requested-With") != "fetch":
        return redirect("meeting_phone", meeting.code)
    mine = sorted(phone.votes.values_list("card", flat=True))
    left = VOTES_PER_PHONE - len(mine)
    return JsonResponse({"mine": mine, "left": left, "text": votes_left(left)}, status=status)


def votes_left(n: int) -> str:
    return ngettext(
        "You have %(n)s vote left. Tap a point again to take your vote back.",
        "You have %(n)s votes left. Tap a point again to take your vote back.",
        n,
    ) % {"n": n}
