from django.http import HttpRequest
from django.utils.translation import get_language

from assessment.models.outbox import OutgoingMail
from assessment.outbox.compose import queue_mail
from config.links import absolute_link
from teams.models import Invitation


def invitation_link(invitation: Invitation, request: HttpRequest | None = None) -> str:
    return absolute_link(invitation.get_absolute_url(), request)


def send_invitation(invitation: Invitation, request: HttpRequest | None = None) -> None:
    """Into the outbox, in the language of the one who invites: a worker sends it."""
    queue_mail(
        kind=OutgoingMail.Kind.ACCOUNT_INVITATION,
        to=[invitation.email],
        template="account_invitation",
        context={"invitation": invitation, "link": invitation_link(invitation, request)},
        language=get_language(),
    )
