"""Writes that touch several models at once."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from teams.models import Invitation, Membership, Network, Team, User


class InvitationUnusable(Exception):
    """The invitation was used already, has expired, or belongs to someone else."""


@transaction.atomic
def create_team(
    *,
    network: Network,
    name: str,
    description: str,
    facilitator_email: str,
    invited_by: User,
    size: int | None = None,
) -> Invitation:
    """A new team in a network, with an invitation for its first facilitator."""
    team = Team.objects.create(network=network, name=name, description=description, size=size)
    return Invitation.objects.create(
        team=team,
        email=facilitator_email.lower(),
        role=Membership.Role.FACILITATOR,
        invited_by=invited_by,
    )


@transaction.atomic
def accept_invitation(
    *,
    invitation: Invitation,
    user: User | None = None,
    name: str = "",
    password: str = "",
) -> User:
    """Join the invitation's team: as the given (logged-in) user, or as a new account.

    The row lock makes the link single use, also when it is opened twice at once.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise InvitationUnusable
    if user is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=invitation.email, password=password, name=name
                )
        except IntegrityError:
            # The address got an account meanwhile (another invitation, a second tab).
            raise InvitationUnusable from None
    elif user.email.lower() != invitation.email.lower():
        raise InvitationUnusable
    membership, created = Membership.objects.get_or_create(
        user=user, team=invitation.team, defaults={"role": invitation.role}
    )
    if not created and invitation.role == Membership.Role.FACILITATOR:
        # An invitation as facilitator promotes a member; it never demotes anyone.
        membership.role = Membership.Role.FACILITATOR
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user
