"""The summary of an ended team conversation, mailed to the team's facilitators."""

from django.urls import reverse
from django.utils.translation import override

from assessment.meetings import steps
from assessment.models import Meeting
from assessment.models.outbox import OutgoingMail
from assessment.outbox.compose import queue_mail
from assessment.rounds.qr import qr_svg
from config.links import absolute_link
from teams.models import Membership

__all__ = ["qr_svg", "send_summary"]


def send_summary(meeting_id: int) -> None:
    """Puts what was chosen and agreed in the outbox, for the team's facilitators."""
    meeting = Meeting.objects.select_related("round__team", "round__version").get(pk=meeting_id)
    team = meeting.round.team
    recipients = (
        team.memberships.filter(role=Membership.Role.FACILITATOR)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    # Dutch, the product's language; the summary link shows it in either language.
    with override("nl"):
        context = {
            "screen": steps.screen(meeting),
            "meeting": meeting,
            "team": team,
            "agreed_today": list(meeting.actions.order_by("created", "pk")),
            "link": absolute_link(reverse("meeting_summary", args=[meeting.pk])),
        }
    queue_mail(
        kind=OutgoingMail.Kind.MEETING_SUMMARY,
        to=recipients,
        template="meeting_summary",
        context=context,
        language="nl",
    )
