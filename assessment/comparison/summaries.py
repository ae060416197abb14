"""Keeps the per-round summaries the coordinator's pages read (assessment/models/summaries.py).

`refresh_summaries` rewrites them from the round's dates, its shown responses and its
`DimensionTotal` rows, asking the disclosure gate for every figure it stores. It is called
wherever those change: the totals (results.aggregate.refresh_totals, on submit through a
task), closing, reopening, editing a round, retention. Idempotent: running it twice, or
late, stores the same.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from statistics import fmean
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from assessment.results import disclosure
from config.dates import quarter_key

# Enough rounds per pass that 10,000 rounds take a few passes, few enough for SQLite's
# limit on query parameters.
BATCH = 500


@dataclass(frozen=True)
class Figures:
    """What a round's summary may hold: only the means the gate allows."""

    disclosed: bool
    average: float | None
    pooled: tuple[float, float, int]  # total, squares, n of the allowed dimensions' scores
    means: dict[str, tuple[float, float, int]]  # key -> (mean, total, n)


def figures(
    policy: disclosure.Policy, shown: int, totals: Sequence[tuple[str, float, float, int]]
) -> Figures:
    """From the round's totals per dimension (key, total, squares, n): pure."""
    if not policy.mean(shown):
        return Figures(disclosed=False, average=None, pooled=(0.0, 0.0, 0), means={})
    means = {key: (total / n, total, n) for key, total, _sq, n in totals if policy.mean(n)}
    allowed = [(total, squares, n) for key, total, squares, n in totals if key in means]
    return Figures(
        disclosed=True,
        average=fmean(mean for mean, _total, _n in means.values()) if means else None,
        pooled=(
            sum(total for total, _sq, _n in allowed),
            sum(squares for _total, squares, _n in allowed),
            sum(n for _total, _sq, n in allowed),
        ),
        means=means,
    )


def ends_on(closed_at: datetime | None, closes_on: date | None) -> date | None:
    """The day the round ended or will end on its dates (config.dates.round_ended_on without
    `today`: whether that day is over is asked when reading)."""
    return timezone.localdate(closed_at) if closed_at is not None else closes_on


def refresh_summaries(round_ids: Iterable[int], *, models: Any = None) -> None:
    """Rewrite the summaries of these rounds. `models` is for the data migration (its
    historical models); by default the app's."""
    if models is None:
        from django.apps import apps as models
    ids = sorted(set(round_ids))
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            _refresh(ids[start : start + BATCH], models)


def _refresh(ids: list[int], apps: Any) -> None:
    from assessment.models.rounds import Response

    Round = apps.get_model("assessment", "Round")
    DimensionTotal = apps.get_model("assessment", "DimensionTotal")
    RoundSummary = apps.get_model("assessment", "RoundSummary")
    DimensionSummary = apps.get_model("assessment", "DimensionSummary")
    # Two writers of one round (a worker and a facilitator closing it) take turns.
    list(Round.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
    rounds = list(
        Round.objects.filter(pk__in=ids)
        .annotate(
            shown=Count("responses", filter=Response.shown_filter("responses__", round_prefix=""))
        )
        .only(
            "pk",
            "team_id",
            "created",
            "closed_at",
            "closes_on",
            "anonymity_threshold",
            "breakdown_threshold",
        )
        .order_by()
    )
    totals: dict[int, list[tuple[str, float, float, int]]] = {pk: [] for pk in ids}
    for round_id, key, total, squares, n in DimensionTotal.objects.filter(
        round_id__in=ids
    ).values_list("round_id", "dimension__key", "total", "squares", "n"):
        totals[round_id].append((key, total, squares, n))
    summaries, dimensions = [], []
    for round in rounds:
        result = figures(disclosure.Policy.of(round), round.shown, totals[round.pk])
        day = ends_on(round.closed_at, round.closes_on)
        summaries.append(
            RoundSummary(
                round_id=round.pk,
                team_id=round.team_id,
                created=round.created,
                closed=round.closed_at is not None,
                ends_on=day,
                quarter=quarter_key(day) if day else "",
                shown=round.shown,
                disclosed=result.disclosed,
                average=result.average,
                pooled_total=result.pooled[0],
                pooled_squares=result.pooled[1],
                pooled_n=result.pooled[2],
            )
        )
        dimensions += [
            DimensionSummary(summary_id=round.pk, key=key, mean=mean, total=total, n=n)
            for key, (mean, total, n) in result.means.items()
        ]
    # Deleted and made anew: a round whose figures shrink loses rows, and two writers at
    # once end with the same rows (this runs in one transaction per batch).
    RoundSummary.objects.filter(round_id__in=ids).delete()
    RoundSummary.objects.bulk_create(summaries, batch_size=BATCH)
    DimensionSummary.objects.bulk_create(dimensions, batch_size=2000)
