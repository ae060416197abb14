"""What the round page shows of its personal invitations: counts, never who."""

from assessment.invitations.forms import InviteForm, RemindersForm
from assessment.models import Round
from assessment.models.outbox import OutgoingMail


def invitation_panel(round: Round, form: InviteForm | None = None) -> dict:
    """What the round page shows of its personal invitations."""
    refused = OutgoingMail.objects.filter(
        round_invitation__round=round, status=OutgoingMail.Status.BOUNCED
    )
    return {
        "invite_form": form or InviteForm(),
        "reminders_form": RemindersForm(round=round),
        "invitation_counts": round.invitations.counts(),
        "refused_addresses": sorted(set(refused.values_list("to", flat=True))),
    }
