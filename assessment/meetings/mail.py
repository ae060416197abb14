"""The summary of an ended team conversation, mailed to the team's facilitators."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from assessment.meetings import steps
from assessment.models import Meeting
from assessment.rounds.qr import qr_svg
from config.links import absolute_link
from teams.models import Membership

__all__ = ["qr_svg", "send_summary"]


def send_summary(meeting_id: int) -> None:
    """Mails what was chosen and agreed. Run after the meeting ended has committed."""
    meeting = Meeting.objects.select_related("round__team", "round__version").get(pk=meeting_id)
    team = meeting.round.team
    recipients = list(
        team.memberships.filter(role=Membership.Role.FACILITATOR)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if not recipients:
        return
    # Dutch, the product's language; the summary link shows it in either language.
    with override("nl"):
        screen = steps.screen(meeting)
        context = {
            "screen": screen,
            "meeting": meeting,
            "team": team,
            "agreed_today": meeting.actions.order_by("created", "pk"),
            "link": absolute_link(reverse("meeting_summary", args=[meeting.pk])),
        }
        send_mail(
            subject=_("Team conversation of %(team)s: what you agreed")
            % {"team": " ".join(team.name.split())},
            message=render_to_string("meetings/emails/summary.txt", context),
            from_email=None,
            recipient_list=recipients,
        )
