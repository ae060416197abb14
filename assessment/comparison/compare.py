"""Teams side by side for coordinators: sorted, filtered, paged and aggregated in the database.

Only rounds that are ended and whose figures the disclosure gate allows count (the per-round
summaries, assessment/models/summaries.py, hold what the gate allowed and nothing more). A
team is shown with its latest such round in the chosen period. The number of queries does
not depend on the number of teams, and only the page's teams become Python objects: a
national coordinator compares 10,000 teams.
"""

import calendar
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice

from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, F, Max, OuterRef, Q, QuerySet, Subquery, Sum, Window
from django.db.models.functions import Lower, RowNumber
from django.utils import timezone
from django.utils.translation import get_language

from assessment.models import DimensionSummary, QuestionnaireVersion, RoundSummary
from assessment.results import scoring
from assessment.results.kept import kept_for
from config.dates import quarter_label
from teams.models import Network, Team

# A team that has not measured for this long is listed, so the coordinator can ask after it.
STALE_MONTHS = 6
PAGE_SIZE = 50
# The page names this many of the teams not measured, and counts the rest; the CSV all.
NOT_MEASURED_SHOWN = 50
# Teams read per query when the CSV writes them all.
CHUNK = 2000


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
class Scope:
    """The teams compared and the period their rounds ended in."""

    networks: list[Network]
    since: date | None = None
    until: date | None = None

    def teams(self) -> QuerySet:
        return Team.objects.filter(network__in=self.networks)

    def qualifying(self) -> QuerySet:
        """The summaries of the rounds in scope whose figures may be shown."""
        return (
            RoundSummary.objects.qualifying()
            .ended_between(self.since, self.until)
            .filter(team__network__in=self.networks)
        )

    def latest(self) -> QuerySet:
        """A team's (OuterRef "pk") qualifying rounds, latest first: the first is shown."""
        return (
            RoundSummary.objects.qualifying()
            .ended_between(self.since, self.until)
            .filter(team=OuterRef("pk"))
            .order_by("-created", "-round_id")
        )

    def current(self) -> QuerySet:
        """Teams in scope with the round each is shown with (`current_id`, None: none)."""
        return self.teams().annotate(current_id=Subquery(self.latest().values("round_id")[:1]))


@dataclass(frozen=True)
class Comparison:
    networks: list[Network]
    dimensions: list[Dimension]
    rows: list[TeamRow]  # the page's teams, sorted
    page: Page
    strength: float
    concern: float
    sort: str = "average"
    descending: bool = False
    period: tuple[date | None, date | None] = (None, None)  # the period applied
    measured_count: int = 0  # teams in scope with a qualifying round in the period
    # Per dimension the mean of the team means: every team weighs the same.
    network_average: dict[str, float] = field(default_factory=dict)
    # Per dimension how the team means spread (only dimensions with team means).
    spread: list[tuple[str, scoring.Summary]] = field(default_factory=list)
    # Per quarter (of the day the rounds ended, as "4e kwartaal 2025"), the mean of all
    # scores in the networks.
    over_time: list[tuple[str, dict[str, float]]] = field(default_factory=list)
    # Teams in scope that have not measured for STALE_MONTHS months, whatever the period:
    # the first NOT_MEASURED_SHOWN of them, and how many there are.
    not_measured: list[NotMeasured] = field(default_factory=list)
    not_measured_count: int = 0
    stale_since: date | None = None
    scope: Scope | None = None
    ordered: QuerySet | None = None  # every team in scope, sorted: for the CSV

    @property
    def measured(self) -> list[TeamRow]:
        """The page's teams that have results."""
        return [row for row in self.rows if row.round_id]

    @property
    def not_measured_rest(self) -> int:
        return self.not_measured_count - len(self.not_measured)

    def band(self, mean: float) -> scoring.Band:
        return scoring.band(mean, strength=self.strength, concern=self.concern)

    def all_rows(self) -> Iterator[TeamRow]:
        """Every team in scope, in the page's order, read in chunks (for the CSV)."""
        assert self.scope is not None and self.ordered is not None
        teams = self.ordered.iterator(chunk_size=CHUNK)
        while chunk := list(islice(teams, CHUNK)):
            yield from team_rows(self.scope, chunk)

    def all_not_measured(self) -> Iterator[NotMeasured]:
        assert self.scope is not None and self.stale_since is not None
        return _not_measured_rows(
            not_measured_teams(self.scope, self.stale_since).iterator(chunk_size=CHUNK)
        )


SORTS = ("average", "name")
TEAM_FIELDS = ("pk", "name", "size", "network__name")


def compare(
    networks: list[Network],
    *,
    since: date | None = None,
    until: date | None = None,
    sort: str = "average",
    descending: bool = False,
    page: str | int | None = 1,
) -> Comparison:
    version = QuestionnaireVersion.objects.latest_published()
    dimensions = (
        [Dimension(d.key, d.name) for d in version.dimensions.order_by("order", "pk")]
        if version
        else []
    )
    scope = Scope(networks, since, until)
    if sort not in SORTS and sort not in {d.key for d in dimensions}:
        sort, descending = "average", False
    ordered = sorted_teams(scope, sort, descending).values(*TEAM_FIELDS, "current_id")
    shown = Paginator(ordered, PAGE_SIZE).get_page(page)
    stale_since = months_before(timezone.localdate(), STALE_MONTHS)
    stale = not_measured_teams(scope, stale_since)
    network = network_figures(scope)
    names = {d.key: d.name for d in dimensions}
    return Comparison(
        networks=networks,
        dimensions=dimensions,
        rows=team_rows(scope, shown.object_list),
        page=shown,
        strength=float(version.strength_threshold) if version else 4.0,
        concern=float(version.concern_threshold) if version else 3.0,
        sort=sort,
        descending=descending,
        period=(since, until),
        measured_count=network.measured_count,
        network_average=network.average,
        spread=[(names[key], summary) for key, summary in network.spread.items() if key in names],
        over_time=network.over_time,
        not_measured=list(_not_measured_rows(stale[:NOT_MEASURED_SHOWN])),
        not_measured_count=stale.count(),
        stale_since=stale_since,
        scope=scope,
        ordered=ordered,
    )


def sorted_teams(scope: Scope, sort: str, descending: bool) -> QuerySet:
    """The teams in scope in the order of the page. By name: all teams alphabetically. By a
    number: teams without it come last; ties, and those without, by name."""
    teams = scope.current()
    if sort == "name":
        if descending:
            return teams.order_by(Lower("name").desc(), F("name").desc(), F("pk").desc())
        return teams.order_by(Lower("name"), "name", "pk")
    if sort == "average":
        value = Subquery(scope.latest().values("average")[:1])
    else:
        value = Subquery(
            DimensionSummary.objects.filter(summary_id=OuterRef("current_id"), key=sort).values(
                "mean"
            )[:1]
        )
    number = F("value").desc(nulls_last=True) if descending else F("value").asc(nulls_last=True)
    return teams.annotate(value=value).order_by(number, Lower("name"), "name", "pk")


def team_rows(scope: Scope, teams: Iterable[dict]) -> list[TeamRow]:
    """The rows of these teams (dicts of TEAM_FIELDS), in their order: two queries."""
    teams = list(teams)
    newest: dict[int, list[dict]] = defaultdict(list)
    for summary in (
        scope.qualifying()
        .filter(team_id__in=[team["pk"] for team in teams])
        .annotate(title=F("round__title"))
        .order_by("team_id", "-created", "-round_id")
        .values(
            "team_id",
            "round_id",
            "title",
            "ends_on",
            "shown",
            "average",
            "pooled_total",
            "pooled_squares",
            "pooled_n",
        )
    ):
        if len(newest[summary["team_id"]]) < 2:
            newest[summary["team_id"]].append(summary)
    means: dict[int, dict[str, float]] = defaultdict(dict)
    for round_id, key, mean in DimensionSummary.objects.filter(
        summary_id__in=[s["round_id"] for pair in newest.values() for s in pair]
    ).values_list("summary_id", "key", "mean"):
        means[round_id][key] = mean
    return [_row(team, newest.get(team["pk"], []), means) for team in teams]


def _row(team: dict, pair: list[dict], means: dict[int, dict[str, float]]) -> TeamRow:
    current = pair[0] if pair else None
    previous = pair[1] if len(pair) > 1 else None
    change = None
    if current and previous and None not in (current["average"], previous["average"]):
        change = scoring.change(_msn(current), _msn(previous))
    return TeamRow(
        team_id=team["pk"],
        name=team["name"],
        network=team["network__name"],
        size=team["size"],
        round_id=current["round_id"] if current else None,
        round_title=current["title"] if current else "",
        ended_on=current["ends_on"] if current else None,
        completed=current["shown"] if current else 0,
        means=means.get(current["round_id"], {}) if current else {},
        previous_means=means.get(previous["round_id"], {}) if previous else {},
        average=current["average"] if current else None,
        previous_average=previous["average"] if previous else None,
        direction=change,
    )


def _msn(summary: dict) -> tuple[float, float, int]:
    """(mean, sd, n) of a team's average for scoring.change: the standard deviation of all
    the round's dimension scores, over its respondents (scores of one person are related,
    so counting each score would overstate the certainty)."""
    sd = scoring.sd_of(summary["pooled_total"], summary["pooled_squares"], summary["pooled_n"])
    return summary["average"], sd, max(summary["shown"], 1)


@dataclass(frozen=True)
class NetworkFigures:
    """What the page shows of all the teams in scope together."""

    measured_count: int  # teams with a qualifying round in the period
    average: dict[str, float]  # key -> the mean of the team means
    spread: dict[str, scoring.Summary]  # key -> how the team means spread
    over_time: list[tuple[str, dict[str, float]]]  # quarter label -> key -> mean


def network_figures(scope: Scope) -> NetworkFigures:
    """The figures across every team in scope: reading the summaries of 10,000 teams takes
    most of a second, so they are kept (results.kept) until the summary of an ended round in
    scope is written again or one ends or reopens, a team joins or leaves the scope, or the
    day changes (a round whose closing day is over counts from then on). Two small queries
    tell. Responses submitted to open rounds, all day long across the country, change none
    of it: only ended rounds are compared."""
    written = (
        RoundSummary.objects.ended()
        .filter(team__network__in=scope.networks)
        .aggregate(n=Count("pk"), last=Max("refreshed"))
    )
    teams = scope.teams().aggregate(n=Count("pk"), ids=Sum("pk"), last=Max("pk"))
    return kept_for(
        "network-figures",
        sorted(network.pk for network in scope.networks),
        scope.since,
        scope.until,
        timezone.localdate(),
        get_language(),
        written,
        teams,
        compute=lambda: _network_figures(scope),
    )


def _network_figures(scope: Scope) -> NetworkFigures:
    average, spread = across_teams(scope)
    return NetworkFigures(
        measured_count=scope.qualifying().aggregate(n=Count("team", distinct=True))["n"],
        average=average,
        spread=spread,
        over_time=over_time(scope),
    )


def across_teams(scope: Scope) -> tuple[dict[str, float], dict[str, scoring.Summary]]:
    """Per dimension the mean of the teams' means, and their spread (scoring.summarise),
    from the database: one aggregate and the few ordered values the quartiles need."""
    shown = DimensionSummary.objects.filter(summary_id__in=scope.current().values("current_id"))
    stats = {
        row["key"]: row
        for row in shown.values("key")
        .annotate(
            n=Count("pk"),
            average=Avg("mean"),
            total=Sum("mean"),
            squares=Sum(F("mean") * F("mean")),
        )
        .order_by()
    }
    count = F("count")
    # 1-based positions: the extremes and the two values each quartile lies between.
    wanted = Q(position=1) | Q(position=count)
    for quarter in (1, 2, 3):
        below = (count - 1) * quarter / 4
        wanted |= Q(position=below + 1) | Q(position=below + 2)
    at: dict[str, dict[int, float]] = defaultdict(dict)
    for key, position, mean in (
        shown.annotate(
            position=Window(RowNumber(), partition_by=[F("key")], order_by=[F("mean"), F("pk")]),
            count=Window(Count("pk"), partition_by=[F("key")]),
        )
        .filter(wanted)
        .values_list("key", "position", "mean")
    ):
        at[key][position - 1] = mean
    spread = {
        key: scoring.summary_at(
            n=row["n"],
            mean=row["average"],
            sd=scoring.sd_of(row["total"], row["squares"], row["n"]),
            at=at[key],
        )
        for key, row in stats.items()
    }
    return {key: row["average"] for key, row in stats.items()}, spread


def over_time(scope: Scope) -> list[tuple[str, dict[str, float]]]:
    """Per quarter the rounds in scope ended in, the mean of all their allowed scores."""
    sums: dict[str, dict[str, float]] = defaultdict(dict)
    for quarter, key, total, n in (
        DimensionSummary.objects.filter(summary_id__in=scope.qualifying().values("round_id"))
        .values_list("summary__quarter", "key")
        .annotate(total=Sum("total"), n=Sum("n"))
        .values_list("summary__quarter", "key", "total", "n")
        .order_by()
    ):
        sums[quarter][key] = total / n
    return [(quarter_label(quarter), means) for quarter, means in sorted(sums.items())]


def not_measured_teams(scope: Scope, since: date) -> QuerySet:
    """Teams in scope whose latest qualifying round (in any period) ended before `since`,
    or that never had one: never-measured first, then the longest ago, then by name."""
    ended = Q(summaries__closed=True) | Q(summaries__ends_on__lt=timezone.localdate())
    return (
        scope.teams()
        .annotate(last=Max("summaries__ends_on", filter=ended & Q(summaries__disclosed=True)))
        .filter(Q(last__isnull=True) | Q(last__lt=since))
        .order_by(F("last").asc(nulls_first=True), Lower("name"), "name", "pk")
        .values_list("pk", "name", "network__name", "last")
    )


def _not_measured_rows(rows: Iterable[tuple[int, str, str, date | None]]) -> Iterator[NotMeasured]:
    return (NotMeasured(pk, name, network, last) for pk, name, network, last in rows)


def chosen_rows(scope: Scope, team_ids: list[int]) -> list[TeamRow]:
    """The rows of these teams, in this order, where in scope and with results."""
    teams = {
        team["pk"]: team for team in scope.current().filter(pk__in=team_ids).values(*TEAM_FIELDS)
    }
    rows = {row.team_id: row for row in team_rows(scope, teams.values())}
    return [rows[pk] for pk in team_ids if pk in rows and rows[pk].round_id]
