"""A facilitator invites colleagues personally to a round, and sees how many finished:
counts, never who."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessment.invitations import services
from assessment.invitations.addresses import read_addresses
from assessment.invitations.forms import InviteForm, RemindersForm
from assessment.rounds.views import round_to_manage
from teams.access import AuthenticatedHttpRequest
from teams.models import Membership


@login_required
@require_POST
def round_invite(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    round = round_to_manage(request.user, round_id)
    back = redirect(reverse("round_detail", args=[round.pk]) + "#invitations")
    form = InviteForm(request.POST)
    if not round.is_open or not form.is_valid():
        reasons = [str(error) for error in form.non_field_errors()]
        messages.error(request, " ".join(reasons) or _("Nothing was sent."))
        return back
    text = form.cleaned_data["addresses"]
    if form.cleaned_data["members"]:
        members = round.team.memberships.exclude(user__email="").filter(role=Membership.Role.MEMBER)
        text += "\n" + "\n".join(members.values_list("user__email", flat=True))
    already = set(round.invitations.values_list("email", flat=True))
    addresses = read_addresses(text, already=already)
    invited = services.invite(
        round=round, addresses=addresses, language=form.cleaned_data["language"]
    )
    _report(request, invited)
    return back


@login_required
@require_POST
def round_reminders(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    """The days on which the invited who have not finished get a reminder."""
    round = round_to_manage(request.user, round_id)
    form = RemindersForm(request.POST, round=round)
    if not round.is_open or not form.is_valid():
        reasons = [str(error) for error in form.non_field_errors()]
        messages.error(request, " ".join(reasons) or _("The reminders were not changed."))
    else:
        round.reminder_days = form.cleaned_data["days"]
        round.save(update_fields=["reminder_days"])
        messages.success(request, _("The reminders are planned."))
    return redirect(reverse("round_detail", args=[round.pk]) + "#reminders")


def _report(request: AuthenticatedHttpRequest, invited: services.Invited) -> None:
    if invited.sent:
        count = len(invited.sent)
        messages.success(
            request,
            ngettext(
                "%(count)d personal invitation is on its way.",
                "%(count)d personal invitations are on their way.",
                count,
            )
            % {"count": count},
        )
    if invited.addresses.malformed:
        messages.error(
            request,
            _("Not sent, not an e-mail address: %(list)s")
            % {"list": ", ".join(invited.addresses.malformed)},
        )
    if invited.addresses.duplicates:
        messages.warning(
            request,
            _("Not sent again, already invited or named twice: %(list)s")
            % {"list": ", ".join(invited.addresses.duplicates)},
        )
