"""What Samenspel no longer needs, deleted by the periodic run (and `forget_expired`).

Expired sessions, failed-login records older than the lockout period, invitations that
expired unused a month ago, and the round links' start counts past their hour (also
deleted at every start; this catches those of a quiet site).
"""

from datetime import datetime, timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session

from assessment.responding.limits import delete_expired
from teams.models import Invitation

INVITATION_GRACE = timedelta(days=30)


def forget_expired(now: datetime) -> str:
    """Deletes it all; says how many of each."""
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    attempts, _ = AccessAttempt.objects.filter(
        attempt_time__lt=now - settings.AXES_COOLOFF_TIME
    ).delete()
    invitations, _ = Invitation.objects.filter(
        accepted_at__isnull=True, expires_at__lt=now - INVITATION_GRACE
    ).delete()
    counts = delete_expired(now)
    return (
        f"Deleted {sessions} sessions, {attempts} failed-login records, "
        f"{invitations} expired invitations and {counts} start counts."
    )
