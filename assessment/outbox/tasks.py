"""The outbox's task: run by a worker (`manage.py db_worker`), or at once in development
and tests when TASKS_BACKEND is the immediate backend."""

from django_tasks import task

from assessment.outbox import delivery


@task()
def deliver_mail(mail_id: int) -> str:
    return delivery.deliver(mail_id)
