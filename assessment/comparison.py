"""Teams side by side for coordinators: every number aggregated in the database.

Only rounds that are closed and meet their anonymity threshold count. A team is shown with
its latest such round in the chosen period. The number of queries does not depend on the
number of teams.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from statistics import fmean

from django.db.models import Avg, Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate, TruncQuarter

from assessment import scoring
from assessment.models import Dimension as DimensionModel
from assessment.models import DimensionScore, QuestionnaireVersion, Round
from teams.models import Network, Team


def qualifying_rounds(*, since: date | None = None, until: date | None = None) -> QuerySet:
    rounds = (
        Round.objects.ended()
        .annotate(
            ended_on=Coalesce(TruncDate("closed_at"), "closes_on"),
            completed=Count("responses", filter=Q(responses__submitted_at__isnull=False)),
        )
        .filter(completed__gte=F("anonymity_threshold"))
    )
    if since:
        rounds = rounds.filter(ended_on__gte=since)
    if until:
        rounds = rounds.filter(ended_on__lte=until)
    return rounds


@dataclass(frozen=True)
class Dimension:
    key: str
    name: str


@dataclass(frozen=True)
class TeamRow:
    team_id: int
    name: str
    network: str
    size: int | None
    round_id: int | None
    round_title: str
    ended_on: date | None
    completed: int
    means: dict[str, float]  # dimension key -> mean
    previous_means: dict[str, float]
    average: float | None
    previous_average: float | None

    @property
    def response_rate(self) -> float | None:
        return self.completed / self.size if self.size and self.round_id else None


@dataclass(frozen=True)
class Comparison:
    networks: list[Network]
    dimensions: list[Dimension]
    rows: list[TeamRow]  # every team in scope, sorted
    strength: float
    concern: float
    sort: str = "average"
    descending: bool = False
    period: tuple[date | None, date | None] = field(default=(None, None))
    # Per quarter (by the rounds' start), the mean of all scores in the networks.
    over_time: list[tuple[str, dict[str, float]]] = field(default_factory=list)

    @cached_property
    def measured(self) -> list[TeamRow]:
        return [row for row in self.rows if row.round_id]

    @cached_property
    def network_average(self) -> dict[str, float]:
        """Per dimension the mean of the team means: every team weighs the same."""
        result = {}
        for dimension in self.dimensions:
            values = [r.means[dimension.key] for r in self.measured if dimension.key in r.means]
            if values:
                result[dimension.key] = fmean(values)
        return result

    def band(self, mean: float) -> scoring.Band:
        return scoring.band(mean, strength=self.strength, concern=self.concern)


SORTS = ("average", "name")


def compare(
    networks: list[Network],
    *,
    since: date | None = None,
    until: date | None = None,
    sort: str = "average",
    descending: bool = False,
) -> Comparison:
    version = QuestionnaireVersion.objects.latest_published()
    dimensions = (
        [Dimension(d.key, d.name) for d in version.dimensions.order_by("order", "pk")]
        if version
        else []
    )
    eligible = qualifying_rounds(since=since, until=until)
    latest = eligible.filter(team=OuterRef("pk")).order_by("-created", "-pk")
    teams = list(
        Team.objects.filter(network__in=networks)
        .select_related("network")
        .annotate(
            latest_round=Subquery(latest.values("pk")[:1]),
            previous_round=Subquery(latest.values("pk")[1:2]),
        )
        .order_by("name", "pk")
    )
    round_ids = {t.latest_round for t in teams if t.latest_round} | {
        t.previous_round for t in teams if t.previous_round
    }
    rounds = {
        r.pk: r
        for r in Round.objects.filter(pk__in=round_ids)
        .annotate(completed=Count("responses", filter=Q(responses__submitted_at__isnull=False)))
        .annotate(ended_on=Coalesce(TruncDate("closed_at"), "closes_on"))
        .only("pk", "title", "closed_at", "closes_on")
    }
    means: dict[int, dict[str, float]] = defaultdict(dict)
    keys = dict(DimensionModel.objects.values_list("pk", "key"))
    for round_id, dimension_id, mean in (
        DimensionScore.objects.filter(round_id__in=round_ids)
        .values_list("round_id", "dimension_id")
        .annotate(mean=Avg("score"))
        .values_list("round_id", "dimension_id", "mean")
        .order_by()
    ):
        means[round_id][keys[dimension_id]] = mean

    def average(values: dict[str, float]) -> float | None:
        return fmean(values.values()) if values else None

    rows = []
    for team in teams:
        current = rounds.get(team.latest_round)
        current_means = means.get(team.latest_round, {})
        previous_means = means.get(team.previous_round, {})
        rows.append(
            TeamRow(
                team_id=team.pk,
                name=team.name,
                network=team.network.name,
                size=team.size,
                round_id=current.pk if current else None,
                round_title=current.title if current else "",
                ended_on=current.ended_on if current else None,
                completed=current.completed if current else 0,
                means=current_means,
                previous_means=previous_means,
                average=average(current_means),
                previous_average=average(previous_means),
            )
        )
    over_time: dict[str, dict[str, float]] = defaultdict(dict)
    for quarter, dimension_id, mean in (
        DimensionScore.objects.filter(
            round__in=eligible.filter(team__network__in=networks).values("pk")
        )
        .annotate(quarter=TruncQuarter("round__created"))
        .values_list("quarter", "dimension_id")
        .annotate(mean=Avg("score"))
        .values_list("quarter", "dimension_id", "mean")
        .order_by("quarter")
    ):
        label = f"{quarter:%Y}-Q{(quarter.month - 1) // 3 + 1}"
        over_time[label][keys[dimension_id]] = mean

    if sort not in SORTS and sort not in {d.key for d in dimensions}:
        sort, descending = "average", False
    rows.sort(key=_sort_key(sort, descending))
    if sort == "name" and descending:
        rows.reverse()
    return Comparison(
        networks=networks,
        dimensions=dimensions,
        rows=rows,
        strength=float(version.strength_threshold) if version else 4.0,
        concern=float(version.concern_threshold) if version else 3.0,
        sort=sort,
        descending=descending,
        period=(since, until),
        over_time=list(over_time.items()),
    )


def _sort_key(sort: str, descending: bool):
    """By name: all teams alphabetically. By a number: teams without results come last."""
    sign = -1 if descending else 1

    def key(row: TeamRow):
        if sort == "name":
            return (False, 0, row.name.lower())
        value = row.average if sort == "average" else row.means.get(sort)
        return (value is None, sign * value if value is not None else 0, row.name.lower())

    return key
