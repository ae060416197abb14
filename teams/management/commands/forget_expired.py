"""Removes what Samenspel no longer needs (teams/expiry.py). `manage.py periodic` does
this too, every few minutes; this command is the same on its own."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from teams.expiry import forget_expired


class Command(BaseCommand):
    help = (
        "Deletes expired sessions, old failed-login records, long-expired invitations "
        "and expired start counts."
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write(forget_expired(timezone.now()))
