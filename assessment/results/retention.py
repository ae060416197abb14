"""After the installation's retention period, a round's answers go and its team results stay.

A round whose end (closed by hand, or its closing day) lies more than
`Installation.retention_months` months back loses its raw answers: every `Answer` and
`DimensionAnswer`, every respondent's `DimensionScore`, and the background each response
gave (sector, position, report mark). What stays is what the results were built from, as
far as the disclosure gate allowed it to be shown:

- per dimension, `DimensionTotal` (sum, sum of squares and n of the shown scores), and only
  for dimensions whose mean the gate allowed;
- per statement, a `StatementTotal` with the counts its figures rest on, only for statements
  whose state the gate allowed, and within it only the figures the gate allowed (importance,
  wanting to work on it, the answer distribution).

The response rows stay as empty shells (a submission moment, nothing answered), because the
number of completed responses is itself a shown figure and `Round.objects.qualifying()`
counts them. Trends, comparisons, the results page and its CSV then read the stored totals;
sector views, spreads by quartile and the report mark are no longer available.

Every round is claimed by setting `Round.answers_expired_at` with a conditional update in
the transaction that deletes its answers, so two periodic runs at once do it once.
"""

from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assessment.comparison.compare import months_before
from assessment.models import (
    Answer,
    DimensionAnswer,
    DimensionScore,
    DimensionTotal,
    Installation,
    Response,
    Round,
    StatementTotal,
)
from assessment.questionnaire.structure import structure
from assessment.results import disclosure, release, scoring


def retention_cutoff(now: datetime, months: int) -> date:
    """Rounds that ended before this day are past the retention period."""
    return months_before(timezone.localdate(now), months)


def expired_rounds(now: datetime):
    """Ended rounds whose end lies before the retention cutoff, answers not yet deleted.
    The same reading of "ended on" as the coordinator's period (comparison.compare)."""
    cutoff = retention_cutoff(now, Installation.current().retention_months)
    start = timezone.make_aware(datetime.combine(cutoff, time.min))
    return Round.objects.filter(answers_expired_at__isnull=True).filter(
        Q(closed_at__lt=start) | Q(closed_at__isnull=True, closes_on__lt=cutoff)
    )


def expire_answers(now: datetime) -> int:
    """Store the totals and delete the answers of every round past retention; how many."""
    done = 0
    for round_id in expired_rounds(now).values_list("pk", flat=True):
        done += _expire(round_id, now)
    return done


@transaction.atomic
def _expire(round_id: int, now: datetime) -> int:
    claimed = Round.objects.filter(pk=round_id, answers_expired_at__isnull=True).update(
        answers_expired_at=now
    )
    if not claimed:
        return 0  # another run took it
    round = Round.objects.select_related("version").get(pk=round_id)
    store_totals(round)
    Answer.objects.filter(response__round=round).delete()
    DimensionAnswer.objects.filter(response__round=round).delete()
    DimensionScore.objects.filter(round=round).delete()
    Response.objects.filter(round=round).update(sector="", position="", mark=None)
    release.figures_changed(round)  # the totals it keeps may be fewer
    return 1


def store_totals(round: Round) -> None:
    """Keep of the round's figures only what the gate allowed: see the module."""
    from assessment.results.aggregate import _scale, answer_counts

    policy = disclosure.Policy.of(round)
    shape = structure(round.version)
    counts = answer_counts(round, shape, _scale(shape))
    shown = round.responses.filter(Response.shown_filter()).count()
    if not policy.mean(shown):
        # Its results were never shown: nothing of it may be kept.
        DimensionTotal.objects.filter(round=round).delete()
        return
    low = [
        total.pk for total in DimensionTotal.objects.filter(round=round) if not policy.mean(total.n)
    ]
    DimensionTotal.objects.filter(pk__in=low).delete()
    StatementTotal.objects.filter(round=round).delete()
    StatementTotal.objects.bulk_create(
        _statement_total(round, item, policy)
        for item in counts.values()
        if policy.mean(item.state_n)
    )


def _statement_total(
    round: Round, counts: scoring.ItemCounts, policy: disclosure.Policy
) -> StatementTotal:
    importance = policy.mean(counts.importance_n)
    wants = policy.mean(counts.wants_n)
    answered = counts.state_n + counts.dont_know + counts.not_applicable
    known = policy.mean(answered)
    distribution = disclosure.distribution_or_none(counts.distribution, policy) is not None
    return StatementTotal(
        round=round,
        item_id=counts.item_id,
        state_sum=counts.state_sum,
        # The squares give the statement's variance, a spread.
        state_squares=counts.state_squares if policy.spread(counts.state_n) else 0,
        state_n=counts.state_n,
        dont_know=counts.dont_know if known else 0,
        not_applicable=counts.not_applicable if known else 0,
        importance_sum=counts.importance_sum if importance else 0,
        importance_n=counts.importance_n if importance else 0,
        wants_yes=counts.wants_yes if wants else 0,
        wants_n=counts.wants_n if wants else 0,
        distribution=list(counts.distribution) if distribution else [],
    )


def stored_counts(round: Round, scale: scoring.Scale) -> dict[int, scoring.ItemCounts]:
    """The statements' counts of a round whose answers were deleted, as stored."""
    return {
        total.item_id: scoring.ItemCounts(
            item_id=total.item_id,
            state_sum=total.state_sum,
            state_squares=total.state_squares,
            state_n=total.state_n,
            dont_know=total.dont_know,
            not_applicable=total.not_applicable,
            importance_sum=total.importance_sum,
            importance_n=total.importance_n,
            wants_yes=total.wants_yes,
            wants_n=total.wants_n,
            distribution=tuple(total.distribution) or (0,) * scale.state_max,
        )
        for total in StatementTotal.objects.filter(round=round)
    }
