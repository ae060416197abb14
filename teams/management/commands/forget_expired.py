"""Run once a day (cron or a systemd timer): removes what Samenspel no longer needs.

Expired sessions, failed-login records older than the lockout period, and
invitations that expired unused a month ago.
"""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.utils import timezone

from teams.models import Invitation

INVITATION_GRACE = timedelta(days=30)


class Command(BaseCommand):
    help = "Deletes expired sessions, old failed-login records and long-expired invitations."

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
        attempts, _ = AccessAttempt.objects.filter(
            attempt_time__lt=now - settings.AXES_COOLOFF_TIME
        ).delete()
        invitations, _ = Invitation.objects.filter(
            accepted_at__isnull=True, expires_at__lt=now - INVITATION_GRACE
        ).delete()
        self.stdout.write(
            f"Deleted {sessions} sessions, {attempts} failed-login records "
            f"and {invitations} expired invitations."
        )
