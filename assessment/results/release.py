"""Which responses a round's figures rest on, so that reopening a round reveals nobody.

A round that closes and is read, then reopened, keeps its readers' figures (those of the
responses submitted up to `Round.released_until`) until the newcomers could be published on
their own (disclosure.release_allowed). `Round.shown_until` holds the outcome, so every
query, also over a thousand rounds, filters on it (Response.shown_filter).
"""

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from assessment.comparison.summaries import refresh_summaries
from assessment.models import Answer, DimensionAnswer, DimensionScore, Response, Round
from assessment.results import breakdowns, disclosure, kept


def newcomer_counts(round: Round) -> list[disclosure.FigureCount]:
    """Per figure the results could show, how many newcomers it rests on."""
    newcomers = Q(submitted_at__gt=round.released_until)
    responses = round.responses.filter(newcomers)
    policy = disclosure.Policy.of(round)
    submitted = round.responses.filter(submitted_at__isnull=False)
    counts = [disclosure.FigureCount("responses", responses.count())]
    # Only the groups the new figures would show matter: a group that stays hidden has no
    # figure to subtract from.
    groups: dict[str, set[str]] = {}
    for field in breakdowns.FIELDS:
        sizes = breakdowns.group_sizes(submitted, field)
        groups[field] = breakdowns.shown_groups(sizes, policy)
        for value, n in breakdowns.group_sizes(responses, field).items():
            if value in groups[field]:
                counts.append(disclosure.FigureCount(f"{field}:{value}", n, spread=True))
    spreads = policy.spread(submitted.count())  # spreads and breakdowns may be shown
    per_dimension = dict(
        DimensionScore.objects.filter(response__in=responses)
        .order_by()
        .values_list("dimension_id")
        .annotate(n=Count("id"))
        .values_list("dimension_id", "n")
    )
    for field, shown in groups.items():
        for value, dimension_id, n in (
            DimensionScore.objects.filter(
                response__in=responses, **{f"response__{field}__in": shown}
            )
            .order_by()
            .values_list(f"response__{field}", "dimension_id")
            .annotate(n=Count("id"))
        ):
            counts.append(disclosure.FigureCount(f"{field}:{value}:{dimension_id}", n, spread=True))
    for dimension_id, n in per_dimension.items():
        counts.append(disclosure.FigureCount(f"dimension:{dimension_id}", n))
        counts.append(disclosure.FigureCount(f"dimension:{dimension_id}:spread", n, spreads))
    options = {f"option_{value}": Count("id", filter=Q(state=value)) for value in range(1, 10)}
    for row in (
        Answer.objects.filter(response__in=responses)
        .order_by()
        .values("item_id")
        .annotate(
            state_n=Count("state"),
            known_n=Count(
                "id",
                filter=Q(state__isnull=False) | Q(dont_know=True) | Q(not_applicable=True),
            ),
            importance_n=Count("importance"),
            wants_n=Count("wants_to_work"),
            **options,
        )
    ):
        name = f"item:{row['item_id']}"
        counts += [
            disclosure.FigureCount(f"{name}:state", row["state_n"]),
            disclosure.FigureCount(f"{name}:known", row["known_n"]),
            disclosure.FigureCount(f"{name}:distribution", row["state_n"], spreads),
            disclosure.FigureCount(f"{name}:importance", row["importance_n"]),
            disclosure.FigureCount(f"{name}:wants", row["wants_n"]),
        ]
        # Two readings of a distribution differ by the newcomers' answers per option: each
        # must be none or enough (this also covers the grouped form).
        counts += [disclosure.FigureCount(f"{name}:{option}", row[option]) for option in options]
    for dimension_id, importance_n, wants_n in (
        DimensionAnswer.objects.filter(response__in=responses)
        .order_by()
        .values_list("dimension_id")
        .annotate(importance_n=Count("importance"), wants_n=Count("wants_to_work"))
        .values_list("dimension_id", "importance_n", "wants_n")
    ):
        counts += [
            disclosure.FigureCount(f"dimension:{dimension_id}:importance", importance_n),
            disclosure.FigureCount(f"dimension:{dimension_id}:wants", wants_n),
        ]
    counts.append(disclosure.FigureCount("mark", responses.filter(mark__isnull=False).count()))
    return counts


def shown_cutoff(round: Round):
    """The moment up to which submitted responses count (None: all of them)."""
    if round.released_until is None:
        return None
    allowed = disclosure.release_allowed(newcomer_counts(round), disclosure.Policy.of(round))
    return None if allowed else round.released_until


def refresh(round: Round, *, summaries_later: bool = False) -> None:
    """Decide again which responses count, and recount the totals the coordinator reads
    (their summaries now, or after the commit: see aggregate.refresh_totals).

    Call inside the transaction that changed the round's responses."""
    from assessment.results.aggregate import refresh_totals

    cutoff = shown_cutoff(round)
    if cutoff != round.shown_until:
        round.shown_until = cutoff
        Round.objects.filter(pk=round.pk).update(shown_until=cutoff)
    refresh_totals([round.pk], summaries_later=summaries_later)
    if not round.is_open:
        # An open round's page is never kept, nor in any trend: a submission moves nothing.
        kept.changed(round.team_id)


def figures_changed(round: Round) -> None:
    """The round ended, reopened or lost its answers: the coordinator's summary of it and
    every page kept of its team follow. Call in the transaction of that write."""
    refresh_summaries([round.pk])
    kept.changed(round.team_id)


@transaction.atomic
def close(*, round: Round) -> None:
    """Close an open round by hand: its link no longer accepts answers, its results show."""
    Round.objects.filter(pk=round.pk, closed_at=None).update(closed_at=timezone.now())
    figures_changed(round)


@transaction.atomic
def reopen(*, round: Round) -> None:
    """Open an ended round again. If its figures could be read, they stay as read until
    enough newcomers arrive (see the module)."""
    round = Round.objects.select_for_update().get(pk=round.pk)
    shown = round.responses.filter(Response.shown_filter()).count()
    if not round.is_open and disclosure.Policy.of(round).mean(shown):
        round.released_until = round.shown_until or timezone.now()
        round.shown_until = round.released_until
    round.closed_at = None
    if round.closes_on and round.closes_on < timezone.localdate():
        round.closes_on = None
    round.save(update_fields=["released_until", "shown_until", "closed_at", "closes_on"])
    figures_changed(round)  # open again: out of the comparison
