"""Teams side by side for coordinators: every number aggregated in the database.

Only rounds that are closed and meet their anonymity threshold count (Round.objects.qualifying),
and every mean passes the disclosure gate. A team is shown with
its latest such round in the chosen period. The number of queries does not depend on the
number of teams.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from statistics import fmean

from django.db.models import Q, QuerySet
from django.utils import timezone

from assessment.models import Dimension as DimensionModel
from assessment.models import DimensionTotal, QuestionnaireVersion, Round
from assessment.results import disclosure, scoring
from config.dates import quarter_key, quarter_label, round_ended_on
from teams.models import Network, Team

# A team that has not measured for this long is listed, so the coordinator can ask after it.
STALE_MONTHS = 6


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def qualifying_rounds(*, since: date | None = None, until: date | None = None) -> QuerySet:
    """Ended rounds with enough responses; `since` and `until` select by the day they ended
    (closed by hand, or their closing date). Plain comparisons, no date functions: on SQLite
    those run in Python for every row."""
    rounds = Round.objects.qualifying()
    if since:
        rounds = rounds.filter(
            Q(closed_at__gte=_start_of(since)) | Q(closed_at__isnull=True, closes_on__gte=since)
        )
    if until:
        rounds = rounds.filter(
            Q(closed_at__lt=_start_of(until + timedelta(days=1)))
            | Q(closed_at__isnull=True, closes_on__lte=until)
        )
    return rounds


def ended_on(round: Round) -> date | None:
    """The day an ended round ended (config/dates.py): the date the page shows for it."""
    return round_ended_on(round.closed_at, round.closes_on, timezone.localdate())


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier; 31 August - 6 months: end of February."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class NotMeasured:
    """A team without a qualifying round that ended in the last STALE_MONTHS months."""

    team_id: int
    name: str
    network: str
    last_ended: date | None  # the day its latest qualifying round ended; None: never


def not_measured(
    teams: list[tuple[int, str, int | None, str]], last_ended: dict[int, date], *, since: date
) -> list[NotMeasured]:
    """Teams (pk, name, size, network) whose latest qualifying round ended before `since`,
    or that never had one: never-measured first, then the longest ago, then by name."""
    rows = [
        NotMeasured(team_id, name, network, last_ended.get(team_id))
        for team_id, name, _size, network in teams
        if team_id not in last_ended or last_ended[team_id] < since
    ]
    return sorted(
        rows, key=lambda r: (r.last_ended is not None, r.last_ended or date.min, r.name.lower())
    )


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
    direction: scoring.Direction | None = None  # the average against the previous round

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
    period: tuple[date | None, date | None] = (None, None)  # the period applied
    # Per quarter (of the day the rounds ended, as "4e kwartaal 2025"), the mean of all
    # scores in the networks.
    over_time: list[tuple[str, dict[str, float]]] = field(default_factory=list)
    # Teams in scope that have not measured for STALE_MONTHS months, whatever the period.
    not_measured: list[NotMeasured] = field(default_factory=list)
    stale_since: date | None = None

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
    # Plain tuples: a thousand model instances would cost more than the query.
    teams = list(
        Team.objects.filter(network__in=networks)
        .order_by("name", "pk")
        .values_list("pk", "name", "size", "network__name")
    )
    # Every qualifying round in scope, newest first per team, in one query; the latest two
    # of each team are picked from it (rounds, not answers: a few per team).
    eligible = list(
        qualifying_rounds(since=since, until=until)
        .filter(team__network__in=networks)
        .only(
            "pk",
            "team_id",
            "title",
            "created",
            "closed_at",
            "closes_on",
            "anonymity_threshold",
            "breakdown_threshold",
        )
        .order_by("team_id", "-created", "-pk")
    )
    newest: dict[int, list[Round]] = defaultdict(list)
    for round in eligible:
        if len(newest[round.team_id]) < 2:
            newest[round.team_id].append(round)
    rounds = {round.pk: round for pair in newest.values() for round in pair}
    round_ids = set(rounds)
    # One aggregate per (round, dimension) over every qualifying round serves both the
    # teams' latest rounds and the network over time.
    keys = dict(DimensionModel.objects.values_list("pk", "key"))
    means: dict[int, dict[str, float]] = defaultdict(dict)
    # Per round, all its scores together: the spread that judges a team's change.
    pooled: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    policy = {round.pk: disclosure.Policy.of(round) for round in eligible}
    quarter_of = {round.pk: quarter_key(ended_on(round) or date.min) for round in eligible}
    sums: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0]))
    for round_id, dimension_id, total, squares, n in DimensionTotal.objects.filter(
        round_id__in=list(quarter_of)
    ).values_list("round_id", "dimension_id", "total", "squares", "n"):
        if not policy[round_id].mean(n):
            continue
        key = keys[dimension_id]
        if round_id in round_ids:
            means[round_id][key] = total / n
            cells = pooled[round_id]
            cells[0] += total
            cells[1] += squares
            cells[2] += n
        cell = sums[quarter_of[round_id]][key]
        cell[0] += total
        cell[1] += n
    over_time = [
        (quarter_label(quarter), {key: total / n for key, (total, n) in cells.items()})
        for quarter, cells in sorted(sums.items())
    ]
    # One query for every team, independent of the period chosen: the day each team's
    # latest qualifying round ended.
    stale_since = months_before(timezone.localdate(), STALE_MONTHS)
    last_ended: dict[int, date] = {}
    for team_id, closed_at, closes_on in (
        Round.objects.qualifying()
        .filter(team__network__in=networks)
        .values_list("team_id", "closed_at", "closes_on")
    ):
        day = round_ended_on(closed_at, closes_on, timezone.localdate())
        if day and (team_id not in last_ended or day > last_ended[team_id]):
            last_ended[team_id] = day

    def average(values: dict[str, float]) -> float | None:
        return fmean(values.values()) if values else None

    rows = []
    for team_id, team_name, team_size, network_name in teams:
        pair = newest.get(team_id, [])
        current = pair[0] if pair else None
        previous = pair[1] if len(pair) > 1 else None
        current_means = means.get(current.pk, {}) if current else {}
        previous_means = means.get(previous.pk, {}) if previous else {}
        change = None
        if current and previous and current_means and previous_means:
            change = scoring.change(
                _msn(fmean(current_means.values()), pooled[current.pk], _completed(current)),
                _msn(fmean(previous_means.values()), pooled[previous.pk], _completed(previous)),
            )
        rows.append(
            TeamRow(
                team_id=team_id,
                name=team_name,
                network=network_name,
                size=team_size,
                round_id=current.pk if current else None,
                round_title=current.title if current else "",
                ended_on=ended_on(current) if current else None,
                completed=_completed(current) if current else 0,
                means=current_means,
                previous_means=previous_means,
                average=average(current_means),
                previous_average=average(previous_means),
                direction=change,
            )
        )
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
        over_time=over_time,
        not_measured=not_measured(teams, last_ended, since=stale_since),
        stale_since=stale_since,
    )


def _completed(round: Round) -> int:
    """The shown responses, as Round.objects.qualifying() counted them."""
    return getattr(round, "completed", 0)


def _msn(mean: float, pooled: list[float], respondents: int) -> tuple[float, float, int]:
    """(mean, sd, n) of a team's average for scoring.change: the standard deviation of all
    the round's dimension scores, over its respondents (scores of one person are related,
    so counting each score would overstate the certainty)."""
    total, squares, n = pooled
    return mean, scoring.sd_of(total, squares, int(n)), max(respondents, 1)


def _sort_key(sort: str, descending: bool):
    """By name: all teams alphabetically. By a number: teams without results come last."""
    sign = -1 if descending else 1

    def key(row: TeamRow):
        if sort == "name":
            return (False, 0, row.name.lower())
        value = row.average if sort == "average" else row.means.get(sort)
        return (value is None, sign * value if value is not None else 0, row.name.lower())

    return key
