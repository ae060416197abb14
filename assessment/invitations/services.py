"""Writes of personal invitations: sending them, and recording how far their person got."""

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse

from assessment.invitations import sealing
from assessment.invitations.addresses import Addresses
from assessment.models import Response, Round, RoundInvitation
from assessment.models.outbox import OutgoingMail
from assessment.outbox.compose import queue_mail
from assessment.questionnaire.structure import structure
from assessment.responding.duration import duration_text
from config.links import absolute_link

State = RoundInvitation.State


@dataclass(frozen=True)
class Invited:
    sent: tuple[str, ...]
    addresses: Addresses


@transaction.atomic
def invite(*, round: Round, addresses: Addresses, language: str) -> Invited:
    """An invitation and its mail for each valid address; the mails go once this commits.
    The secret lives on only in the mail's text, which the outbox erases once it is sent."""
    context = {"round": round, "duration": duration_text(structure(round.version))}
    for address in addresses.valid:
        secret = sealing.new_secret()
        invitation = RoundInvitation.objects.create(
            round=round, email=address, language=language, secret_hash=sealing.secret_hash(secret)
        )
        link = absolute_link(reverse("invitation_open", args=[secret]))
        queue_mail(
            kind=OutgoingMail.Kind.RESPONSE_INVITATION,
            to=[address],
            template="response_invitation",
            context={**context, "link": link},
            language=language,
            round_invitation=invitation,
        )
    return Invited(sent=addresses.valid, addresses=addresses)


@transaction.atomic
def start_response(*, invitation: RoundInvitation, secret: str) -> Response:
    """The invited person's response, new and sealed into their invitation."""
    locked = RoundInvitation.objects.select_for_update().get(pk=invitation.pk)
    token = locked.response_token(secret)
    existing = Response.objects.filter(round=locked.round_id, token=token).first()
    if existing is not None:  # two tabs pressed start at once: one response
        return existing
    response = Response.objects.create(round=invitation.round)
    locked.seal(secret, response.token)
    locked.state = State.STARTED
    locked.save(update_fields=["sealed_response", "state"])
    return response


def record_completed(*, round: Round, secret: str, response: Response) -> None:
    """After a submit: the invitation whose secret this browser holds, and whose seal opens
    to this very response, is completed. Anything else changes nothing."""
    invitation = RoundInvitation.objects.filter(
        round=round, secret_hash=sealing.secret_hash(secret)
    ).first()
    if invitation is not None and invitation.response_token(secret) == response.token:
        RoundInvitation.objects.filter(pk=invitation.pk).update(state=State.COMPLETED)
