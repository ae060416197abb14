"""Reminders for personal invitations not yet completed, on the days the facilitator chose.

The server cannot make an invitation's link again (it keeps only its hash). So a colleague
who has not started gets a new link: nothing is sealed under the old one yet, and the old
link then says it was replaced. One who has started is asked to use the link of the
invitation: their answers are locked with it.
"""

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from assessment.invitations import sealing
from assessment.models import Round, RoundInvitation
from assessment.models.outbox import OutgoingMail
from assessment.outbox.compose import queue_mail
from config.links import absolute_link

MAX_REMINDERS = 3
State = RoundInvitation.State


def due_count(reminder_days: list[str], today: date) -> int:
    """How many reminders should have gone out by today."""
    return sum(1 for day in reminder_days[:MAX_REMINDERS] if date.fromisoformat(day) <= today)


def send_due_reminders(now: datetime) -> int:
    """The reminders due today, each once, from the morning on (not at midnight, when
    the first run of the day comes); the number queued by this run."""
    if timezone.localtime(now).hour < settings.REMINDER_HOUR:
        return 0
    today = timezone.localdate(now)
    rounds = Round.objects.filter(closed_at=None).exclude(reminder_days=[])
    sent = 0
    for round in rounds.select_related("team", "version"):
        if not round.accepts_answers:
            continue
        due = due_count(round.reminder_days, today)
        waiting = (
            round.invitations.exclude(state=State.COMPLETED)
            .exclude(mails__status=OutgoingMail.Status.BOUNCED)  # the address does not exist
            .filter(reminders_sent__lt=due)
        )
        for invitation_id in waiting.values_list("pk", flat=True):
            sent += _remind(invitation_id, due)
    return sent


@transaction.atomic
def _remind(invitation_id: int, due: int) -> int:
    invitation = (
        RoundInvitation.objects.select_for_update()
        .select_related("round__team")
        .filter(pk=invitation_id, reminders_sent__lt=due)
        .exclude(state=State.COMPLETED)
        .first()
    )
    if invitation is None:  # another machine reminded it, or it was just completed
        return 0
    link = ""
    if invitation.state == State.NOT_STARTED:
        secret = sealing.new_secret()
        invitation.secret_hash = sealing.secret_hash(secret)
        link = absolute_link(reverse("invitation_open", args=[secret]))
    invitation.reminders_sent = F("reminders_sent") + 1
    invitation.save(update_fields=["secret_hash", "reminders_sent"])
    queue_mail(
        kind=OutgoingMail.Kind.RESPONSE_REMINDER,
        to=[invitation.email],
        template="response_reminder",
        context={"round": invitation.round, "link": link},
        language=invitation.language,
        round_invitation=invitation,
    )
    return 1
