"""The periodic run's part of the outbox: retries that are due, and mail no worker will
finish, go to new tasks. Handing a mail out twice is harmless: a task sends only a mail it
could claim (delivery.deliver)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from assessment.models.outbox import OutgoingMail
from assessment.outbox.compose import hand_to_workers

PER_RUN = 1000
Status = OutgoingMail.Status


def hand_out_again(now: datetime) -> int:
    """Retries whose time has come; mails waiting since long before (their task was lost);
    and mails whose worker died while sending. Such a row goes back to waiting: the mail
    server had not taken it, unless the worker died in the moment between the server's
    yes and the row's update, the one place a mail can arrive twice."""
    before = now - timedelta(seconds=settings.OUTBOX_ABANDONED_AFTER)
    dead = OutgoingMail.objects.filter(status=Status.SENDING, claimed_at__lte=before)
    revived = list(dead.values_list("pk", flat=True)[:PER_RUN])
    dead.filter(pk__in=revived).update(status=Status.WAITING, next_attempt_at=now)
    ids = list(
        OutgoingMail.objects.due(now)
        .filter(Q(attempts__gt=0) | Q(next_attempt_at__lte=before) | Q(pk__in=revived))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:PER_RUN]
    )
    hand_to_workers(ids)
    return len(ids)


def forget_finished_tasks(now: datetime) -> int:
    """The queue's rows of tasks that finished: their times and the mail id they carry
    are no longer needed (and the mail of a personal invitation is gone already)."""
    from django_tasks_db.models import DBTaskResult

    before = now - timedelta(seconds=settings.OUTBOX_ABANDONED_AFTER)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    return deleted


LOST = "assessment.outbox.revive.WorkerLost"


def end_lost_tasks(now: datetime) -> int:
    """Queue rows still "running" long after they started: their worker died (a task here
    takes seconds). They are marked failed, so admin does not show them running forever,
    and go with the other finished rows later; their mail was handed out again above."""
    from django_tasks_db.models import DBTaskResult

    before = now - timedelta(seconds=settings.OUTBOX_ABANDONED_AFTER)
    return (
        DBTaskResult.objects.running()
        .filter(started_at__lte=before)
        .update(
            status="FAILED",
            finished_at=now,
            exception_class_path=LOST,
            traceback="The worker stopped before this task finished.",
        )
    )
