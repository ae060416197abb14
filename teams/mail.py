from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from config.links import absolute_link
from teams.models import Invitation


def invitation_link(invitation: Invitation, request: HttpRequest | None = None) -> str:
    return absolute_link(invitation.get_absolute_url(), request)


def send_invitation(invitation: Invitation, request: HttpRequest | None = None) -> None:
    context = {"invitation": invitation, "link": invitation_link(invitation, request)}
    send_mail(
        # A subject is one line: a line break in a team name would make it a mail header.
        subject=_("Invitation to Samenspel for %(team)s")
        % {"team": " ".join(invitation.team.name.split())},
        message=render_to_string("teams/emails/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
