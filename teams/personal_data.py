"""What Samenspel holds about one account: to hand it over, and to erase it (GDPR art. 15 and 17).

Questionnaire answers are not here: respondents answer without an account, so no
answer can be traced to a person.
"""

from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from assessment.models import Action, Round
from config.login_guard import failed_logins
from teams.models import Invitation, User


def _when(value) -> str | None:
    return value.isoformat() if value else None


def personal_data(user: User) -> dict[str, Any]:
    email = user.email.lower()
    return {
        "account": {
            "email": user.email,
            "name": user.name,
            "active": user.is_active,
            "administrator": user.is_superuser,
            "joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "memberships": [
            {
                "team": m.team.name,
                "network": m.team.network.name,
                "role": m.role,
                "since": _when(m.created),
            }
            for m in user.memberships.select_related("team__network")
        ],
        "coordinates_networks": list(user.coordinated_networks.values_list("name", flat=True)),
        "invitations_to_this_address": [
            {
                "team": i.team.name,
                "role": i.role,
                "sent": _when(i.created),
                "accepted": _when(i.accepted_at),
            }
            for i in Invitation.objects.filter(email__iexact=email).select_related("team")
        ],
        "rounds_opened": [
            {"team": r.team.name, "title": r.title, "opened": _when(r.created)}
            for r in Round.objects.filter(created_by=user).select_related("team")
        ],
        "actions_written": [
            {"team": a.team.name, "text": a.text, "written": _when(a.created)}
            for a in Action.objects.filter(created_by=user).select_related("team")
        ],
        "failed_logins": [
            {"failures": a.failures_since_start, "since": _when(a.attempt_time)}
            for a in failed_logins(user.email)
        ],
    }


@transaction.atomic
def erase_user(*, user: User) -> None:
    """The account goes, and with it every trace of its address.

    Rounds, actions and invitations it made stay with their team, without its name.
    """
    email = user.email.lower()
    Invitation.objects.filter(email__iexact=email).delete()
    failed_logins(user.email).delete()
    # The admin's history keeps that an account was changed or deleted, not whose it was.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=f"#{user.pk}", change_message="")
    user.delete()
