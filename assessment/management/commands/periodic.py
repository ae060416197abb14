"""What happens on its own: a timer runs this command every few minutes (the README has
a systemd timer and a cron line). Every step claims the rows it changes with a conditional
update, so two machines running it at once do each thing once."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from assessment.invitations.reminders import send_due_reminders
from assessment.outbox.revive import end_lost_tasks, forget_finished_tasks, hand_out_again
from assessment.results.retention import expire_answers
from assessment.rounds.schedule import close_ended_rounds
from teams.expiry import forget_expired


class Command(BaseCommand):
    help = (
        "Closes rounds whose closing day is over (mailing their facilitators), sends the "
        "reminders due, hands out mail to retry, deletes the answers of rounds past the "
        "retention period (keeping their team results), and deletes what expired."
    )

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        closed = close_ended_rounds(now)
        reminders = send_due_reminders(now)
        mails = hand_out_again(now)
        expired = expire_answers(now)
        self.stdout.write(
            f"rounds closed: {closed}, reminders: {reminders}, mails handed out again: {mails}, "
            f"rounds whose answers were deleted after the retention period: {expired}"
        )
        self.stdout.write(forget_expired(now))
        self.stdout.write(
            f"tasks whose worker was lost: {end_lost_tasks(now)}, "
            f"finished tasks deleted: {forget_finished_tasks(now)}"
        )
