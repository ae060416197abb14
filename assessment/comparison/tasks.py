"""The summaries' task: the submit request only queues it (one row), a worker refreshes."""

from collections.abc import Iterable

from django.db import transaction
from django_tasks import task

from assessment.comparison.summaries import refresh_summaries


@task()
def refresh_round_summaries(round_ids: list[int]) -> None:
    refresh_summaries(round_ids)


def refresh_summaries_after_commit(round_ids: Iterable[int]) -> None:
    """Queue the refresh once the transaction that changed the rounds commits (a worker
    would otherwise read the totals before them)."""
    ids = sorted(set(round_ids))
    transaction.on_commit(lambda: refresh_round_summaries.enqueue(ids))
