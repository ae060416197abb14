"""A team's results over its rounds: dimension means per round and what changed.

Dimensions and statements are followed by their stable keys, so a trend continues across
questionnaire versions. Only closed rounds at or above their anonymity threshold count.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Sum

from assessment.models import (
    Answer,
    Dimension,
    DimensionScore,
    DimensionTotal,
    Response,
    Round,
    StatementTotal,
)
from assessment.results import disclosure, scoring


@dataclass(frozen=True)
class Cell:
    mean: float
    sd: float
    n: int


@dataclass(frozen=True)
class DimensionTrend:
    key: str
    name: str
    cells: list[Cell | None]  # one per round, oldest first
    direction: scoring.Direction | None  # last round against the one before

    @property
    def previous(self) -> Cell | None:
        return self.cells[-2] if len(self.cells) > 1 else None

    @property
    def current(self) -> Cell | None:
        return self.cells[-1] if self.cells else None


@dataclass(frozen=True)
class ItemChange:
    key: str
    text: str
    previous: float | None
    current: float | None
    status: str  # "new", "gone" or "both"
    reverse: bool = False  # reverse-scored in the round it is worded from


@dataclass(frozen=True)
class Trend:
    rounds: list[Round]
    dimensions: list[DimensionTrend]
    items: list[ItemChange]

    @property
    def has_history(self) -> bool:
        return len(self.rounds) > 1

    def previous_means(self) -> dict[str, float]:
        return {d.key: d.previous.mean for d in self.dimensions if d.previous}

    def direction_of(self, dimension_key: str) -> DimensionTrend | None:
        return next((d for d in self.dimensions if d.key == dimension_key), None)


def visible_rounds(team_id: int, *, upto: Round) -> list[Round]:
    """The team's closed rounds with enough responses, up to and including `upto`."""
    return list(
        Round.objects.qualifying()
        .filter(team_id=team_id, created__lte=upto.created)
        .select_related("version")
        .order_by("created", "pk")
    )


def team_trend(
    round: Round,
    *,
    dimension_names: dict[str, str],
    item_texts: dict[str, str],
    scale_max: int,
    reverse_keys: frozenset[str] = frozenset(),
) -> Trend:
    """The trend up to `round`; names and texts come from `round`'s own questionnaire version,
    as does which statements are reverse-scored (`reverse_keys`)."""
    rounds = visible_rounds(round.team_id, upto=round)
    if round not in rounds:
        return Trend(rounds=[], dimensions=[], items=[])
    if len(rounds) == 1:
        # No history yet: nothing to compare, so nothing more to ask the database.
        return Trend(rounds=rounds, dimensions=[], items=[])
    position = {r.pk: index for index, r in enumerate(rounds)}
    policy = {r.pk: disclosure.Policy.of(r) for r in rounds}
    cells: dict[str, list[Cell | None]] = defaultdict(lambda: [None] * len(rounds))
    keys = dict(
        Dimension.objects.filter(version__in={r.version_id for r in rounds}).values_list(
            "pk", "key"
        )
    )
    for row in _dimension_rows(rounds):
        round_id, n = row["round_id"], row["n"]
        if policy[round_id].mean(n):
            cells[keys[row["dimension_id"]]][position[round_id]] = Cell(
                mean=row["total"] / n, sd=scoring.sd_of(row["total"], row["squares"], n), n=n
            )
    dimensions = []
    for key, name in dimension_names.items():
        series = cells.get(key, [None] * len(rounds))
        now, before = series[-1], series[-2] if len(series) > 1 else None
        direction = (
            scoring.change((now.mean, now.sd, now.n), (before.mean, before.sd, before.n))
            if now and before
            else None
        )
        dimensions.append(DimensionTrend(key=key, name=name, cells=series, direction=direction))
    return Trend(
        rounds=rounds,
        dimensions=dimensions,
        items=_item_changes(rounds, item_texts, scale_max, reverse_keys) if len(rounds) > 1 else [],
    )


def _dimension_rows(rounds: list[Round]) -> list[dict]:
    """Per round and dimension the sum, squares and n of the shown scores: from the scores,
    or from the stored totals of rounds whose answers were deleted (results.retention)."""
    kept = [r for r in rounds if not r.answers_expired_at]
    expired = [r for r in rounds if r.answers_expired_at]
    rows = list(
        DimensionScore.objects.filter(Response.shown_filter("response__"), round__in=kept)
        .values("round_id", "dimension_id")
        .annotate(total=Sum("score"), squares=Sum(F("score") * F("score")), n=Count("id"))
        .order_by()
    )
    if expired:
        rows += [
            dict(row)
            for row in DimensionTotal.objects.filter(round__in=expired).values(
                "round_id", "dimension_id", "total", "squares", "n"
            )
        ]
    return rows


def _statement_rows(rounds: list[Round]) -> list[dict]:
    """Per round and statement the sum and n of the shown states, as _dimension_rows."""
    kept = [r for r in rounds if not r.answers_expired_at]
    expired = [r for r in rounds if r.answers_expired_at]
    rows = list(
        Answer.objects.filter(Response.shown_filter("response__"), response__round__in=kept)
        .values("response__round_id", "item__key", "item__reverse_scored", "item__text")
        .annotate(total=Sum("state"), n=Count("state"))
    )
    if expired:
        rows += [
            {
                "response__round_id": round_id,
                "item__key": key,
                "item__reverse_scored": reverse,
                "item__text": text,
                "total": total,
                "n": n,
            }
            for round_id, key, reverse, text, total, n in StatementTotal.objects.filter(
                round__in=expired
            ).values_list(
                "round_id",
                "item__key",
                "item__reverse_scored",
                "item__text",
                "state_sum",
                "state_n",
            )
        ]
    return rows


def _item_changes(
    rounds: list[Round], item_texts: dict[str, str], scale_max: int, reverse_keys: frozenset[str]
) -> list[ItemChange]:
    """Each statement's state in the last two rounds: carried over, new, or no longer asked."""
    previous, current = rounds[-2], rounds[-1]
    state: dict[tuple[int, str], float] = {}
    asked_before: dict[str, str] = {}  # key -> text, as worded in the previous round
    reversed_before: set[str] = set()
    for row in _statement_rows([previous, current]):
        round = current if row["response__round_id"] == current.pk else previous
        if round is previous:
            asked_before[row["item__key"]] = row["item__text"]
            if row["item__reverse_scored"]:
                reversed_before.add(row["item__key"])
        if disclosure.Policy.of(round).mean(row["n"]):
            state[(round.pk, row["item__key"])] = scoring.scored(
                row["total"] / row["n"], reverse=row["item__reverse_scored"], scale_max=scale_max
            )
    changes = [
        ItemChange(
            key=key,
            text=text,
            previous=state.get((previous.pk, key)),
            current=state.get((current.pk, key)),
            status="both" if key in asked_before else "new",
            reverse=key in reverse_keys,
        )
        for key, text in item_texts.items()
    ]
    changes += [
        ItemChange(
            key=key,
            text=asked_before[key],
            previous=state.get((previous.pk, key)),
            current=None,
            status="gone",
            reverse=key in reversed_before,
        )
        for key in sorted(asked_before.keys() - item_texts.keys())
    ]
    return changes
