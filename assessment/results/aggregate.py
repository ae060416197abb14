"""A round's results: scores stored at submission, and the database's aggregates of them."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

from django.db.models import Count, F, Q, Sum

from assessment.bulk import insert_selected
from assessment.models import (
    Action,
    Answer,
    DimensionAnswer,
    DimensionScore,
    DimensionTotal,
    QuestionnaireVersion,
    Response,
    Round,
)
from assessment.questionnaire.structure import Structure, structure
from assessment.results import breakdowns, disclosure, release, scoring
from assessment.results.trends import Cell, DimensionTrend, Trend, team_trend


def _scale(shape: Structure) -> scoring.Scale:
    return scoring.Scale(state_max=shape.state_max, importance_max=shape.importance_max)


@dataclass(frozen=True)
class ItemShape:
    item_id: int
    dimension_id: int
    reverse: bool


def version_shape(version: QuestionnaireVersion) -> tuple[list[ItemShape], scoring.Scale]:
    shape = structure(version)
    items = [ItemShape(i.pk, i.dimension_id, i.reverse_scored) for i in shape.all_items]
    return items, _scale(shape)


def dimension_scores(
    answers: Mapping[int, int], items: Iterable[ItemShape], scale: scoring.Scale
) -> dict[int, float]:
    """One respondent's dimension scores, from their raw answers (item id -> 1..max)."""
    per_dimension: dict[int, list[int | None]] = defaultdict(list)
    for item in items:
        raw = answers.get(item.item_id)
        per_dimension[item.dimension_id].append(
            None
            if raw is None
            else scoring.scored(raw, reverse=item.reverse, scale_max=scale.state_max)
        )
    scores = {}
    for dimension_id, values in per_dimension.items():
        score = scoring.respondent_dimension_score(values, item_count=len(values))
        if score is not None:
            scores[dimension_id] = score
    return scores


def store_scores(*, response: Response) -> None:
    """Compute and store a submitted response's dimension scores, and its round's totals.

    Call inside the submitting transaction. The round's row is locked first, so two
    respondents submitting at once update the totals one after the other.
    """
    round = Round.objects.select_for_update().get(pk=response.round_id)
    items, scale = version_shape(response.round.version)
    answers: dict[int, int] = {
        item_id: state
        for item_id, state in response.answers.values_list("item_id", "state")
        if state is not None
    }
    DimensionScore.objects.bulk_create(
        DimensionScore(
            response=response, round_id=response.round_id, dimension_id=dimension_id, score=score
        )
        for dimension_id, score in dimension_scores(answers, items, scale).items()
    )
    # The coordinator's summaries follow in a task: the respondent does not wait for them.
    release.refresh(round, summaries_later=True)


def refresh_totals(round_ids: Iterable[int], *, summaries_later: bool = False) -> None:
    """Recount the rounds' per-dimension totals from the scores their figures rest on, and
    their summaries for the coordinator (now, or in a task after the commit)."""
    from assessment.comparison.summaries import refresh_summaries
    from assessment.comparison.tasks import refresh_summaries_after_commit

    round_ids = list(round_ids)
    DimensionTotal.objects.filter(round_id__in=round_ids).delete()
    # One INSERT … SELECT, not a read and a write: a submit's query budget.
    insert_selected(
        DimensionTotal,
        ["round", "dimension", "total", "squares", "n"],
        DimensionScore.objects.filter(Response.shown_filter("response__"), round_id__in=round_ids)
        .values("round_id", "dimension_id")
        .annotate(total=Sum("score"), squares=Sum(F("score") * F("score")), n=Count("id"))
        .order_by(),
    )
    (refresh_summaries_after_commit if summaries_later else refresh_summaries)(round_ids)


@dataclass(frozen=True)
class PlanRow:
    action: Action
    dimension: DimensionTrend | None
    before: Cell | None  # the dimension in the round the action was agreed after
    now: Cell | None
    direction: scoring.Direction | None


@dataclass(frozen=True)
class Mark:
    """The team's report mark for the collaboration, 1 to 10: the mean of those who gave one."""

    mean: float | None  # None: too few gave a mark
    n: int


def _mark(responses, policy: disclosure.Policy) -> Mark:
    figures = responses.aggregate(total=Sum("mark"), n=Count("mark"))
    mean = figures["total"] / figures["n"] if figures["n"] else None
    return Mark(mean=disclosure.mean_or_none(mean, figures["n"], policy), n=figures["n"])


@dataclass(frozen=True)
class RoundResults:
    round: Round
    completed: int  # the responses the figures rest on
    visible: bool  # closed and at or above the anonymity threshold
    spreads_visible: bool  # at or above the breakdown threshold
    scale: scoring.Scale
    strength: float
    concern: float
    dimensions: list[scoring.DimensionResult]
    items: list[scoring.ItemResult]  # the statements whose state may be shown
    sectors: list[breakdowns.Group]
    trend: Trend | None = None
    mark: Mark | None = None  # the report mark, for versions that ask it
    per_dimension: bool = False  # importance and wanting to work on it asked per dimension
    separate_not_applicable: bool = False  # "does not apply" is an answer of its own
    # Statements many could not answer, also those whose state rests on too few answers.
    hard_to_answer: list[scoring.ItemResult] = field(default_factory=list)
    actions: tuple[Action, ...] = ()
    held_back: int = 0  # responses since a reopening that are not in the figures yet

    @cached_property
    def top_improvements(self) -> list[scoring.ItemResult]:
        return scoring.top_improvements(self.items, 10)

    @property
    def min_ranked_n(self) -> int:
        return scoring.MIN_RANKED_N

    @cached_property
    def strong_items(self) -> list[scoring.ItemResult]:
        return scoring.strengths(self.items, 5)

    @cached_property
    def strong_dimensions(self) -> list[scoring.DimensionResult]:
        return [d for d in self.dimensions if d.band == scoring.Band.STRENGTH]

    @cached_property
    def sector_rows(self) -> list[tuple[scoring.DimensionResult, list[float | None]]]:
        return [(d, [sector.means.get(d.key) for sector in self.sectors]) for d in self.dimensions]

    @cached_property
    def plan_rows(self) -> list[PlanRow]:
        """Each action in this round's plan, beside its dimension's change since it was agreed."""
        return [self._plan_row(action) for action in self.actions]

    def _plan_row(self, action: Action) -> "PlanRow":
        trend = self.trend.direction_of(action.dimension_key) if self.trend else None
        rounds = [r.pk for r in self.trend.rounds] if self.trend else []
        if trend is None or action.origin_id == self.round.pk or action.origin_id not in rounds:
            return PlanRow(action, trend, None, None, None)
        before, now = trend.cells[rounds.index(action.origin_id)], trend.current
        if before is None or now is None:
            return PlanRow(action, trend, before, now, None)
        direction = scoring.change((now.mean, now.sd, now.n), (before.mean, before.sd, before.n))
        return PlanRow(action, trend, before, now, direction)

    @property
    def missing(self) -> int:
        return max(disclosure.Policy.of(self.round).means - self.completed, 0)


def round_results(round: Round) -> RoundResults:
    """Everything the results page shows, each figure through the disclosure gate."""
    shown = Response.shown_filter()
    submitted = round.responses.filter(submitted_at__isnull=False)
    completed = submitted.filter(shown).count()
    version = round.version
    shape = structure(version)
    scale = _scale(shape)
    policy = disclosure.Policy.of(round)
    visible = not round.is_open and policy.mean(completed)
    results = RoundResults(
        round=round,
        completed=completed,
        visible=visible,
        spreads_visible=visible and policy.spread(completed),
        scale=scale,
        strength=float(version.strength_threshold),
        concern=float(version.concern_threshold),
        dimensions=[],
        items=[],
        sectors=[],
        per_dimension=shape.per_dimension,
        separate_not_applicable=shape.separate_not_applicable,
        actions=tuple(round.actions.select_related("origin").order_by("created", "pk")),
        held_back=submitted.count() - completed if round.shown_until else 0,
    )
    if not visible:
        return results
    dimensions = list(shape.dimensions)
    counts = _item_counts(round, shape, scale)
    items = _item_results(shape, counts, scale, policy)
    return replace(
        results,
        dimensions=_dimension_results(round, shape, counts, results, policy),
        items=[item for item in items if item.state is not None],
        hard_to_answer=scoring.hard_to_answer(items),
        mark=_mark(submitted.filter(shown), policy)
        if shape.asks_mark and not round.answers_expired_at
        else None,
        sectors=breakdowns.breakdown(
            round, "sector", dimension_keys={d.pk: d.key for d in dimensions}
        ),
        trend=team_trend(
            round,
            dimension_names={dimension.key: dimension.name for dimension in dimensions},
            item_texts={item.key: item.text for item in shape.all_items},
            scale_max=scale.state_max,
            reverse_keys=frozenset(item.key for item in shape.all_items if item.reverse_scored),
        ),
    )


def _dimension_results(
    round: Round,
    shape: Structure,
    counts: Mapping[int, scoring.ItemCounts],
    results: RoundResults,
    policy: disclosure.Policy,
) -> list[scoring.DimensionResult]:
    if round.answers_expired_at:
        return _stored_dimension_results(round, shape, counts, results, policy)
    scores: dict[int, list[float]] = defaultdict(list)
    for dimension_id, score in DimensionScore.objects.filter(
        Response.shown_filter("response__"), round=round
    ).values_list("dimension_id", "score"):
        scores[dimension_id].append(score)
    shown = (
        scoring.dimension_result(
            dimension.key,
            dimension.name,
            scores.get(dimension.pk, []),
            items=[counts[i.pk] for i in shape.items[dimension.pk] if i.pk in counts],
            strength=results.strength,
            concern=results.concern,
            scale=results.scale,
            policy=policy,
        )
        for dimension in shape.dimensions
    )
    return [result for result in shown if result is not None]


def _stored_dimension_results(
    round: Round,
    shape: Structure,
    counts: Mapping[int, scoring.ItemCounts],
    results: RoundResults,
    policy: disclosure.Policy,
) -> list[scoring.DimensionResult]:
    """The dimensions of a round whose answers were deleted, from the stored totals."""
    totals = {t.dimension_id: t for t in DimensionTotal.objects.filter(round=round)}
    shown = (
        scoring.stored_dimension_result(
            dimension.key,
            dimension.name,
            total=totals[dimension.pk].total,
            squares=totals[dimension.pk].squares,
            n=totals[dimension.pk].n,
            items=[counts[i.pk] for i in shape.items[dimension.pk] if i.pk in counts],
            strength=results.strength,
            concern=results.concern,
            scale=results.scale,
            policy=policy,
        )
        for dimension in shape.dimensions
        if dimension.pk in totals
    )
    return [result for result in shown if result is not None]


def _item_counts(
    round: Round, shape: Structure, scale: scoring.Scale
) -> dict[int, scoring.ItemCounts]:
    """Per statement what the shown responses answered: one grouped query, and one more for
    versions that ask importance and wanting to work on it per dimension. For a round whose
    answers were deleted, what was stored of them (results.retention)."""
    if round.answers_expired_at:
        from assessment.results.retention import stored_counts

        return stored_counts(round, scale)
    return answer_counts(round, shape, scale)


def answer_counts(
    round: Round, shape: Structure, scale: scoring.Scale
) -> dict[int, scoring.ItemCounts]:
    """Per statement what the shown responses answered, counted from the answers."""
    point_counts = {
        f"d{value}": Count("id", filter=Q(state=value)) for value in range(1, scale.state_max + 1)
    }
    rows = (
        Answer.objects.filter(Response.shown_filter("response__"), response__round=round)
        .values("item_id")
        .annotate(
            state_sum=Sum("state"),
            state_squares=Sum(F("state") * F("state")),
            state_n=Count("state"),
            dont_know_n=Count("id", filter=Q(dont_know=True)),
            not_applicable_n=Count("id", filter=Q(not_applicable=True)),
            importance_sum=Sum("importance"),
            importance_n=Count("importance"),
            wants_yes=Count("id", filter=Q(wants_to_work=True)),
            wants_n=Count("wants_to_work"),
            **point_counts,
        )
        .order_by()
    )
    counts = {
        row["item_id"]: scoring.ItemCounts(
            item_id=row["item_id"],
            state_sum=row["state_sum"] or 0,
            state_squares=row["state_squares"] or 0,
            state_n=row["state_n"],
            dont_know=row["dont_know_n"],
            not_applicable=row["not_applicable_n"],
            importance_sum=row["importance_sum"] or 0,
            importance_n=row["importance_n"],
            wants_yes=row["wants_yes"],
            wants_n=row["wants_n"],
            distribution=tuple(row[f"d{v}"] for v in range(1, scale.state_max + 1)),
        )
        for row in rows
    }
    if not shape.per_dimension:
        return counts
    per_dimension = _dimension_answer_counts(round)
    dimension_of = {item.pk: item.dimension_id for item in shape.all_items}
    return {
        item_id: _carrying(item_counts, per_dimension.get(dimension_of.get(item_id), NO_ANSWERS))
        for item_id, item_counts in counts.items()
    }


NO_ANSWERS = {"importance_sum": 0, "importance_n": 0, "wants_yes": 0, "wants_n": 0}


def _carrying(counts: scoring.ItemCounts, dimension: Mapping[str, int]) -> scoring.ItemCounts:
    """A statement's counts with its dimension's importance and wanting to work on it."""
    return replace(
        counts,
        importance_sum=dimension["importance_sum"],
        importance_n=dimension["importance_n"],
        wants_yes=dimension["wants_yes"],
        wants_n=dimension["wants_n"],
    )


def _dimension_answer_counts(round: Round) -> dict[int | None, dict[str, int]]:
    """Importance and wanting to work on it per dimension, as the statements carry them."""
    return {
        row.pop("dimension_id"): {key: value or 0 for key, value in row.items()}
        for row in DimensionAnswer.objects.filter(
            Response.shown_filter("response__"), response__round=round
        )
        .values("dimension_id")
        .annotate(
            importance_sum=Sum("importance"),
            importance_n=Count("importance"),
            wants_yes=Count("id", filter=Q(wants_to_work=True)),
            wants_n=Count("wants_to_work"),
        )
        .order_by()
    }


def _item_results(
    shape: Structure,
    counts: Mapping[int, scoring.ItemCounts],
    scale: scoring.Scale,
    policy: disclosure.Policy,
) -> list[scoring.ItemResult]:
    by_id = {dimension.pk: dimension for dimension in shape.dimensions}
    results = []
    for item in shape.all_items:
        item_counts = counts.get(item.pk)
        if item_counts is None:
            continue
        dimension = by_id[item.dimension_id]
        result = scoring.item_result(
            item_counts,
            key=item.key,
            text=item.text,
            dimension_key=dimension.key,
            dimension_name=dimension.name,
            reverse=item.reverse_scored,
            scale=scale,
            policy=policy,
        )
        results.append(result)
    return results
