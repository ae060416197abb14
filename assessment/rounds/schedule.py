"""Rounds that close on their own: at the end of their closing day a round counts as ended
(RoundQuerySet.ended, Round.is_open); the periodic run then records it as closed and mails
the team's facilitators that the results are there, once, whichever machine runs it."""

from datetime import datetime, time

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessment.models import Round
from assessment.models.outbox import OutgoingMail
from assessment.outbox.compose import queue_mail
from assessment.results import release
from assessment.results.aggregate import round_results
from config.links import absolute_link
from teams.models import Membership

# Enough for any night; the rest waits for the next run, minutes later.
PER_RUN = 500


def close_ended_rounds(now: datetime) -> int:
    """Closes the rounds whose closing day is over; the number closed by this run."""
    today = timezone.localdate(now)
    due = Round.objects.filter(closed_at=None, closes_on__lt=today).order_by("closes_on", "pk")
    closed = 0
    for round_id in due.values_list("pk", flat=True)[:PER_RUN]:
        closed += _close(round_id)
    return closed


@transaction.atomic
def _close(round_id: int) -> int:
    round = Round.objects.select_related("team", "version").get(pk=round_id)
    if round.closes_on is None:
        return 0
    end_of_day = timezone.make_aware(datetime.combine(round.closes_on, time.max))
    # The update is the claim: of two machines running at once, one closes and mails.
    if not Round.objects.filter(pk=round.pk, closed_at=None).update(closed_at=end_of_day):
        return 0
    round.closed_at = end_of_day
    release.figures_changed(round)
    facilitators = round.team.memberships.filter(role=Membership.Role.FACILITATOR).exclude(
        user__email=""
    )
    queue_mail(
        kind=OutgoingMail.Kind.ROUND_CLOSED,
        to=facilitators.values_list("user__email", flat=True),
        template="round_closed",
        context={
            "round": round,
            "visible": round_results(round).visible,
            "link": absolute_link(reverse("round_detail", args=[round.pk])),
            "results_link": absolute_link(reverse("round_results", args=[round.pk])),
            # The conversation starts with a button on the round's page (a POST).
            "meeting_link": absolute_link(reverse("round_detail", args=[round.pk]))
            + "#team-conversation",
        },
        language="nl",
    )
    return 1
