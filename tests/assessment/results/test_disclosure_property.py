"""Property: no figure that leaves Samenspel rests on fewer answers than its threshold allows.

Hypothesis builds random rounds (thresholds, respondents who skip, answer "don't know",
leave importance or working-on-it open, sectors of any size, sometimes an earlier round,
sometimes a round that is read, reopened and gets a few newcomers), renders every output
for every role that may see it (the results page and its chart JSON for the facilitator,
a member and the round's public link; the CSV; the coordinator's page and CSV; the admin's
quality page), and checks every figure in them against counts the test makes itself from
the raw answers, without the app's code: each figure must rest on at least its threshold.

An output that shows numbers belongs here: add it to OUTPUTS below (see CONTRIBUTING.md).
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field, replace
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from assessment.comparison.summaries import refresh_summaries
from assessment.models import Answer, DimensionSummary, Item, Response, Round
from assessment.results import release
from assessment.results.aggregate import round_results, store_scores
from assessment.results.retention import expire_answers

SECTORS = ["childcare", "school", "youth_care", ""]
JSON_SCRIPT = re.compile(r'<script id="([^"]+)" type="application/json">(.*?)</script>', re.S)
TOLERANCE = 0.006  # two decimals in the CSV


@dataclass(frozen=True)
class Person:
    sector: str
    # Per dimension index: how this person answers it.
    #   "skip": nothing, "dk": don't know everywhere, "some": half or fewer of its statements,
    #   "all": every statement.
    habits: tuple[str, ...]
    seed: int
    importance_rate: float
    wants_rate: float


@dataclass
class Answers:
    """What one person answered, per item id: (state, dont_know, importance, wants)."""

    sector: str
    items: dict[int, tuple[int | None, bool, int | None, bool | None]] = field(default_factory=dict)


people = st.builds(
    Person,
    sector=st.sampled_from(SECTORS),
    habits=st.lists(
        st.sampled_from(["all", "all", "all", "some", "dk", "skip"]), min_size=13, max_size=13
    ).map(tuple),
    seed=st.integers(0, 10**6),
    importance_rate=st.sampled_from([0.0, 0.3, 1.0]),
    wants_rate=st.sampled_from([0.0, 0.5, 1.0]),
)


@dataclass(frozen=True)
class Scenario:
    means: int
    extra_for_spreads: int
    first: tuple[Person, ...]
    newcomers: tuple[Person, ...]  # after a reopening; empty: the round is read once
    earlier: tuple[Person, ...]  # an earlier round of the same team (a trend), maybe empty
    # Bias towards the interesting cases: newcomers who answer everything (so a release can
    # happen) and a team of two sectors (so breakdowns can be shown).
    complete_newcomers: bool
    two_sectors: bool


scenarios = st.builds(
    Scenario,
    means=st.integers(3, 5),
    extra_for_spreads=st.integers(0, 3),
    first=st.lists(people, min_size=0, max_size=11).map(tuple),
    newcomers=st.lists(people, min_size=0, max_size=8).map(tuple),
    earlier=st.one_of(st.just(()), st.lists(people, min_size=3, max_size=6).map(tuple)),
    complete_newcomers=st.booleans(),
    two_sectors=st.booleans(),
)


def _complete(person: Person) -> Person:
    return Person(person.sector, ("all",) * 13, person.seed, 1.0, 1.0)


def _two_sectors(person: Person) -> Person:
    sector = "school" if person.seed % 2 else "childcare"
    return Person(sector, person.habits, person.seed, person.importance_rate, person.wants_rate)


def _answers(person: Person, dimensions: list[list[Item]]) -> Answers:
    import random

    rng = random.Random(person.seed)
    given = Answers(sector=person.sector)
    for habit, items in zip(person.habits, dimensions, strict=False):
        if habit == "skip":
            continue
        answered = items if habit in ("all", "dk") else items[: len(items) // 2 or 1][:-1]
        for item in answered:
            dont_know = habit == "dk"
            state = None if dont_know else rng.randint(1, 5)
            importance = rng.randint(1, 3) if rng.random() < person.importance_rate else None
            wants = rng.random() < 0.5 if rng.random() < person.wants_rate else None
            given.items[item.pk] = (state, dont_know, importance, wants)
    return given


def _submit(round: Round, given: Answers, moment) -> None:
    response = Response.objects.create(
        round=round, sector=given.sector, position="staff", submitted_at=moment, last_page=99
    )
    Answer.objects.bulk_create(
        Answer(
            response=response,
            item_id=item_id,
            state=state,
            dont_know=dont_know,
            importance=importance,
            wants_to_work=wants,
        )
        for item_id, (state, dont_know, importance, wants) in given.items.items()
    )
    store_scores(response=response)


# The oracle: counts made from the raw answers, without the app's code.


@dataclass
class Counts:
    responses: int
    dimension: dict[str, int]  # dimension key -> people with a dimension score
    dimension_mean: dict[str, float]
    state: dict[str, int]  # item key -> answers
    known: dict[str, int]  # item key -> answers or don't know
    importance: dict[str, int]
    wants: dict[str, int]
    sector: dict[str, int]
    sector_dimension: dict[tuple[str, str], int]
    values: dict[str, list[int]] = field(default_factory=dict)  # item key -> people per 1..5


def _count(group: list[Answers], dimensions: list[list[Item]]) -> Counts:
    counts = Counts(len(group), {}, {}, {}, {}, {}, {}, {}, {})
    for person in group:
        counts.sector[person.sector] = counts.sector.get(person.sector, 0) + 1
    for items in dimensions:
        key = items[0].dimension.key
        scores = []
        for person in group:
            values = [
                (6 - person.items[i.pk][0] if i.reverse_scored else person.items[i.pk][0])
                for i in items
                if i.pk in person.items and person.items[i.pk][0] is not None
            ]
            if values and len(values) * 2 >= len(items):
                scores.append(sum(values) / len(values))
                pair = (person.sector, key)
                counts.sector_dimension[pair] = counts.sector_dimension.get(pair, 0) + 1
        counts.dimension[key] = len(scores)
        if scores:
            counts.dimension_mean[key] = sum(scores) / len(scores)
        for item in items:
            answers = [p.items[item.pk] for p in group if item.pk in p.items]
            counts.state[item.key] = sum(1 for a in answers if a[0] is not None)
            counts.known[item.key] = sum(1 for a in answers if a[0] is not None or a[1])
            counts.importance[item.key] = sum(1 for a in answers if a[2] is not None)
            counts.wants[item.key] = sum(1 for a in answers if a[3] is not None)
            counts.values[item.key] = [sum(1 for a in answers if a[0] == v) for v in range(1, 6)]
    return counts


# Reading the outputs.


def _csv(response) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    # A text cell may carry a leading quote that keeps spreadsheets from running it.
    return [[cell[1:] if cell.startswith("'") else cell for cell in row] for row in rows]


def _sections(rows: list[list[str]]) -> dict[str, list[list[str]]]:
    """The results CSV by section, keyed by the first cell of each section's header."""
    sections: dict[str, list[list[str]]] = {"head": []}
    current = "head"
    fresh = False
    for row in rows:
        if not row:
            fresh = True
            continue
        if fresh:
            current = row[0] if row[0] != "Sector" else f"Sector {row[1]}"
            sections[current] = [row]
            fresh = False
            continue
        sections[current].append(row)
    return sections


def _figures(response) -> dict[str, dict]:
    return {
        element_id: json.loads(payload)
        for element_id, payload in JSON_SCRIPT.findall(response.content.decode())
    }


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# The checks.


def _check_results_csv(rows, counts: Counts, policy: tuple[int, int]) -> dict[str, list[str]]:
    """Every figure in the results CSV against the oracle; returns the figures by name."""
    means, spreads = policy
    sections = _sections(rows)
    completed = int(sections["head"][1][1])
    assert completed == counts.responses
    shown: dict[str, list[str]] = {}
    if completed < means:
        assert "Dimension" not in sections and "Statement" not in sections
        return shown
    assert "Minimum" not in sum(rows, []) and "Maximum" not in sum(rows, [])
    for row in sections.get("Dimension", [])[1:]:
        key, mean, n = row[1], float(row[2]), int(row[3])
        assert n == counts.dimension[key] and n >= means
        assert abs(mean - counts.dimension_mean[key]) < TOLERANCE
        # Spread, the mean's interval and agreement; the band and whether it is uncertain
        # are always there.
        if any(row[4:10]) or any(row[12:14]) or row[11] == "no":
            assert n >= spreads, f"a spread of {key} on {n} answers"
        shown[f"dimension:{key}"] = row[2:]
    for row in sections.get("Statement", [])[1:]:
        key = row[1]
        state, dont_know, not_applicable = row[3], row[5], row[6]
        importance, want, priority = row[7], row[9], row[11]
        assert state and counts.state[key] >= means
        assert int(row[4]) == counts.state[key]
        if dont_know or not_applicable:
            assert counts.known[key] >= means
        if importance:
            assert counts.importance[key] >= means, f"importance of {key}"
        if want:
            assert counts.wants[key] >= means, f"want share of {key}"
        if priority:
            assert state and importance
        shown[f"item:{key}"] = [state, dont_know, importance, want, priority]
    sector_sections = [name for name in sections if name.startswith("Sector ")]
    shown_sizes = []
    for name in sector_sections:
        header, *lines = sections[name]
        size = int(header[3])
        shown_sizes.append(size)
        assert size >= spreads
        shown[name] = [line[1] for line in lines]
    if sector_sections:
        assert len(sector_sections) >= 2
        rest = completed - sum(shown_sizes)
        assert rest == 0 or rest >= spreads
    return shown


def _check_sector_cells(sections_shown: dict, counts: Counts, labels: dict, spreads: int):
    """Per dimension, each shown sector's mean rests on enough people, and so do the others."""
    sectors = {label: value for value, label in labels.items()}
    names = [name for name in sections_shown if name.startswith("Sector ")]
    if not names:
        return
    keys = [key.split(":", 1)[1] for key in sections_shown if key.startswith("dimension:")]
    for index, key in enumerate(keys):
        visible = [sectors[name[len("Sector ") :]] for name in names if sections_shown[name][index]]
        for sector in visible:
            assert counts.sector_dimension.get((sector, key), 0) >= spreads
        if visible:
            rest = counts.dimension[key] - sum(
                counts.sector_dimension.get((sector, key), 0) for sector in visible
            )
            assert rest == 0 or rest >= spreads


def _check_page(response, counts: Counts, policy: tuple[int, int]) -> None:
    """The page's own HTML and chart JSON: no extremes, and a spread band only on enough."""
    means, spreads = policy
    assert response.status_code == 200
    content = response.content.decode()
    for word in ("Minimum", "Maximum", "lowest – highest"):
        assert word not in content
    figures = _figures(response)
    if counts.responses < means:
        assert not figures
        return
    keys = [key for key, n in counts.dimension.items() if n >= means]
    if not keys:
        assert "radar-figure" not in figures
        return
    radar = figures["radar-figure"]["data"]
    team = radar[-1]["r"]
    bands = [trace["r"] for trace in radar if trace.get("line", {}).get("width") == 0]
    assert len(team) == len(keys) + 1  # closed polygon: one axis per shown dimension
    for index, key in enumerate(keys):
        for band in bands:
            if abs(band[index] - team[index]) > 1e-9:
                assert counts.dimension[key] >= spreads, f"a spread band for {key}"


def _check_distributions(response, items, counts: Counts, policy) -> None:
    """Each share of an answer (or group of answers) in the chart JSON rests on `means`
    people or on none, and a distribution is left out only when that could not be had.
    `items` are the statements as the gate let them through (a kept page has no context)."""
    means, spreads = policy
    figures = _figures(response)
    for item in items:
        values = counts.values[item.key]
        groups = [sum(values[:2]), values[2], sum(values[3:])]
        fine = all(v == 0 or v >= means for v in values)
        coarse = all(g == 0 or g >= means for g in groups)
        if item.distribution is None:
            assert counts.state[item.key] < spreads or not (fine or coarse)
        else:
            assert counts.state[item.key] >= spreads
            assert fine if not item.distribution.grouped else coarse
    by_dimension: dict[str, list] = {}
    for item in items:
        if item.distribution:
            by_dimension.setdefault(item.dimension_name, []).append(item)
    names = [name for name in figures if name.startswith("distribution-")]
    charts = [figures[name] for name in sorted(names, key=lambda name: int(name.split("-")[1]))]
    assert len(charts) == len(by_dimension)
    for chart, shown in zip(charts, by_dimension.values(), strict=True):
        for trace in chart["data"]:
            for item, percent in zip(shown, trace["x"], strict=True):
                people = round(percent / 100 * counts.state[item.key])
                assert people == 0 or people >= means, f"{item.key}: {people} people alone"


def _check_trend(rows, earlier: Counts | None, means: int) -> None:
    sections = _sections(rows)
    if "Trend" not in sections:
        return
    assert earlier is not None and earlier.responses >= means
    for row in sections["Trend"][1:]:
        key, before = row[1], row[2]
        if before:
            assert earlier.dimension[key] >= means, f"the trend shows {key} on too few"
            assert abs(float(before) - earlier.dimension_mean[key]) < TOLERANCE


def _check_team_summary(latest, counts: Counts, means: int) -> None:
    """The team page's line on its latest round: numbers only when its results may show."""
    assert latest is not None and latest.round.title == "Now"
    if counts.responses >= means:
        assert latest.visible and latest.completed == counts.responses
        shown = sum(1 for n in counts.dimension.values() if n >= means)
        assert latest.strengths + latest.concerns <= shown
    else:
        assert not latest.visible
        assert (latest.completed, latest.strengths, latest.concerns) == (0, 0, 0)


def _closed(round: Round, at) -> None:
    """Closed at that moment, as closing does it: the round, then its summary."""
    Round.objects.filter(pk=round.pk).update(closed_at=at)
    refresh_summaries([round.pk])


def _check_compare_csv(rows, team_name: str, counts: Counts | None, means: int) -> None:
    header, *body = rows
    line = next(line for line in body if line[0] == team_name)
    keys_start = 9  # after team size, response rate, average and change
    if counts is None:
        assert all(cell == "" for cell in line[keys_start:])
        return
    assert int(line[4]) == counts.responses
    for cell, key in zip(line[keys_start:], counts.dimension, strict=True):
        if cell:
            assert counts.dimension[key] >= means, f"compare shows {key} on too few"
            assert abs(float(cell) - counts.dimension_mean[key]) < TOLERANCE


def _check_quality(report, counts: Counts | None, means: int) -> None:
    if counts is None:
        assert report.responses == 0
        return
    assert report.responses == counts.responses
    for dimension in report.dimensions:
        for item in dimension.quality.items:
            if item.stats.mean is not None:
                assert counts.state[item.key] >= means


# Chart data and the QR code's drawing hold numbers that are no figures.
SCRIPTS = re.compile(r"<script\b.*?</script>|<svg\b.*?</svg>", re.S)
# What the pages show of a figure: one decimal ("3.4"), or a share ("42%").
SHOWN_FIGURE = re.compile(r"(?<![\d.])\d\.\d(?![\d])|\d+%")


def _shown_figures(html: str) -> set[str]:
    return set(SHOWN_FIGURE.findall(SCRIPTS.sub("", html)))


def _check_meeting(client: Client, round: Round, facilitator, results_page) -> None:
    """Every step of the team conversation, on the big screen and on a phone, shows only
    figures the results page shows (which the checks above hold to the oracle), and its
    radar is the results page's."""
    from assessment.meetings.phone import follow_key
    from assessment.meetings.services import start_meeting
    from assessment.models import Meeting

    meeting = start_meeting(round=round, results=round_results(round), started_by=facilitator)
    allowed = _shown_figures(results_page.content.decode())
    radar = _figures(results_page).get("radar-figure")
    phone = _english(Client())
    phone.get(reverse("meeting_phone", args=[meeting.code]))
    for position, step in enumerate(meeting.agenda):
        Meeting.objects.filter(pk=meeting.pk).update(position=position)
        for screen in (
            client.get(reverse("meeting_present", args=[meeting.pk])),
            phone.get(
                reverse("meeting_step", args=[meeting.code]) + "?k=" + follow_key(meeting.code)
            ),
        ):
            assert screen.status_code == 200
            extra = _shown_figures(screen.content.decode()) - allowed
            assert not extra, f"the conversation's {step} shows {extra}"
            if "radar-figure" in _figures(screen):
                assert _figures(screen)["radar-figure"] == radar


def _check_sector_rates(client: Client, round: Round, spreads: int) -> None:
    """The round page counts a sector apart only where it and the rest reach `spreads`."""
    from assessment.models import Response, Sector

    Round.objects.filter(pk=round.pk).update(
        expected_per_sector={value: 10 for value, _label in Sector.choices}
    )
    rates = client.get(reverse("round_detail", args=[round.pk])).context["sector_rates"]
    submitted = Response.objects.filter(round=round, submitted_at__isnull=False)
    true = {value: submitted.filter(sector=value).count() for value, _label in Sector.choices}
    shown = {rate.sector: rate.completed for rate in rates if rate.completed is not None}
    for sector, completed in shown.items():
        assert completed == true[sector] and completed >= spreads
    rest = submitted.count() - sum(shown.values())
    assert not shown or rest == 0 or rest >= spreads
    assert len(shown) != 1  # one sector beside the whole would be the whole again


OUTPUTS = (
    "results page (facilitator, member, public link) and its chart JSON",
    "results CSV",
    "coordinator page and CSV",
    "admin quality page",
    "team page summary (latest measurement)",
    "team conversation: the big screen and the phone, every step (_check_meeting)",
    "round page: completed per sector, of the expected (_check_sector_rates)",
    "results page, CSV, trend and coordinator CSV of a round past retention (stored totals)",
)


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=int(__import__("os").environ.get("DISCLOSURE_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario=scenarios)
def test_no_output_shows_a_figure_on_fewer_answers_than_allowed(
    scenario, team, questionnaire, facilitator, member, coordinator, admin, login
):
    with transaction.atomic():
        _run(scenario, team, questionnaire, facilitator, member, coordinator, admin, login)
        transaction.set_rollback(True)


def _run(scenario, team, questionnaire, facilitator, member, coordinator, admin, login):
    if scenario.complete_newcomers:
        scenario = replace(scenario, newcomers=tuple(map(_complete, scenario.newcomers)))
    if scenario.two_sectors:
        scenario = replace(
            scenario,
            first=tuple(map(_two_sectors, scenario.first)),
            newcomers=tuple(map(_two_sectors, scenario.newcomers)),
        )
    means = scenario.means
    spreads = means + scenario.extra_for_spreads
    policy = (means, spreads)
    dimensions = [
        list(d.items.order_by("order", "pk").select_related("dimension"))
        for d in questionnaire.dimensions.order_by("order", "pk")
    ]
    start = timezone.now() - timedelta(days=30)
    if scenario.earlier:
        earlier = Round.objects.create(
            team=team,
            version=questionnaire,
            title="Earlier",
            anonymity_threshold=means,
            breakdown_threshold=spreads,
        )
        Round.objects.filter(pk=earlier.pk).update(created=start - timedelta(days=100))
        for person in scenario.earlier:
            _submit(earlier, _answers(person, dimensions), start - timedelta(days=90))
        _closed(earlier, start - timedelta(days=80))
    round = Round.objects.create(
        team=team,
        version=questionnaire,
        title="Now",
        anonymity_threshold=means,
        breakdown_threshold=spreads,
    )
    first = [_answers(person, dimensions) for person in scenario.first]
    for answers in first:
        _submit(round, answers, start)
    _closed(round, timezone.now())
    facilitator_client = _english(login(facilitator))
    csv_url = reverse("round_results_csv", args=[round.pk])
    read = _check_results_csv(
        _csv(facilitator_client.get(csv_url)), _count(first, dimensions), policy
    )

    everyone = first
    if scenario.newcomers:
        release.reopen(round=Round.objects.get(pk=round.pk))
        newcomers = [_answers(person, dimensions) for person in scenario.newcomers]
        for answers in newcomers:
            _submit(round, answers, timezone.now() + timedelta(minutes=5))
        _closed(round, timezone.now() + timedelta(minutes=9))
        everyone = first + newcomers
    round = Round.objects.get(pk=round.pk)

    rows = _csv(facilitator_client.get(csv_url))
    completed = int(_sections(rows)["head"][1][1])
    # The figures rest either on what was read before, or on everyone.
    basis = first if completed == len(first) and scenario.newcomers else everyone
    counts = _count(basis, dimensions)
    shown = _check_results_csv(rows, counts, policy)
    event(f"visible: {counts.responses >= means}")
    if scenario.newcomers and read:
        event(f"read, reopened, newcomers {'added' if basis is everyone else 'held back'}")
    event(f"sectors shown: {any(name.startswith('Sector ') for name in shown)}")
    labels = {"childcare": "Childcare", "school": "Primary school", "youth_care": "Youth care"}
    _check_sector_cells(shown, counts, labels, spreads)
    if basis is everyone and scenario.newcomers and read:
        # Nothing read before may be subtracted from a new figure to reveal few newcomers.
        delta = _count(everyone[len(first) :], dimensions)
        for name, values in shown.items():
            if name in read and read[name] != values and name.startswith("dimension:"):
                assert delta.dimension[name.split(":", 1)[1]] in (0,) or (
                    delta.dimension[name.split(":", 1)[1]] >= means
                )
            if name in read and read[name] != values and name.startswith("item:"):
                key = name.split(":", 1)[1]
                for part, threshold in (
                    (delta.state, means),
                    (delta.importance, means),
                    (delta.wants, means),
                ):
                    assert part[key] == 0 or part[key] >= threshold, f"{name} moved on few"

    earlier_counts = (
        _count([_answers(p, dimensions) for p in scenario.earlier], dimensions)
        if scenario.earlier
        else None
    )
    _check_trend(rows, earlier_counts, means)

    pages = [
        facilitator_client.get(reverse("round_results", args=[round.pk])),
        _english(login(member)).get(reverse("round_results", args=[round.pk])),
        _english(Client()).get(reverse("results_public", args=[round.token])),
        _english(login(admin)).get(reverse("round_results", args=[round.pk])),
    ]
    items = round_results(round).items
    for page in pages:
        _check_page(page, counts, policy)
        if counts.responses >= means:
            _check_distributions(page, items, counts, policy)

    if counts.responses >= means:
        _check_meeting(facilitator_client, round, facilitator, pages[0])

    team_page = facilitator_client.get(reverse("team_detail", args=[team.pk]))
    _check_team_summary(team_page.context["standing"].latest, counts, means)

    visible = counts.responses >= means
    coordinator_client = _english(login(coordinator))
    assert coordinator_client.get(reverse("compare_teams")).status_code == 200
    compare_rows = _csv(coordinator_client.get(reverse("compare_csv")))
    # The coordinator sees the team's latest round with results: this one, or the earlier.
    latest = counts if visible else None
    if latest is None and earlier_counts and earlier_counts.responses >= means:
        latest = earlier_counts
    _check_compare_csv(compare_rows, team.name, latest, means)
    # What the coordinator's pages read: a stored mean only on enough answers.
    for round_id, n in DimensionSummary.objects.values_list("summary_id", "n"):
        assert n >= means or round_id != round.pk, "a summary keeps a mean on too few"

    quality_url = reverse("admin:version_quality", args=[questionnaire.pk])
    report = _english(login(admin)).get(quality_url).context["report"]
    earlier_people = [_answers(p, dimensions) for p in scenario.earlier]
    pooled = (earlier_people if len(earlier_people) >= means else []) + (basis if visible else [])
    _check_quality(report, _count(pooled, dimensions) if pooled else None, means)
    _check_sector_rates(facilitator_client, round, spreads)

    # Past the retention period the answers go: what was stored of them shows the same
    # figures, and only what the gate allows.
    _closed(round, timezone.now() - timedelta(days=3 * 366))
    expire_answers(timezone.now())
    expired_items = round_results(Round.objects.get(pk=round.pk)).items
    expired_rows = _csv(facilitator_client.get(csv_url))
    assert _check_results_csv(expired_rows, counts, policy).keys() <= shown.keys()
    _check_trend(expired_rows, earlier_counts, means)
    for page in (
        facilitator_client.get(reverse("round_results", args=[round.pk])),
        _english(Client()).get(reverse("results_public", args=[round.token])),
    ):
        _check_page(page, counts, policy)
        if visible:
            _check_distributions(page, expired_items, counts, policy)
    _check_compare_csv(
        _csv(coordinator_client.get(reverse("compare_csv"))), team.name, latest, means
    )


# The quality report on its own: several rounds, only those the gate allows, every figure.


@dataclass(frozen=True)
class QualityRound:
    means: int
    extra_for_spreads: int
    # "closed": read; "open": still running; "reopened": closed again with newcomers that
    # were not released (Round.shown_until holds them back).
    status: str
    people: tuple[int, ...]  # a seed per respondent
    newcomers: tuple[int, ...]
    unsubmitted: int


quality_rounds = st.lists(
    st.builds(
        QualityRound,
        means=st.integers(3, 5),
        extra_for_spreads=st.integers(0, 3),
        status=st.sampled_from(["closed", "closed", "open", "reopened"]),
        people=st.lists(st.integers(0, 10**6), max_size=12).map(tuple),
        newcomers=st.lists(st.integers(0, 10**6), min_size=1, max_size=4).map(tuple),
        unsubmitted=st.integers(0, 2),
    ),
    min_size=1,
    max_size=4,
)

NO_ANSWER = ("dk", "na", "skip")


def _quality_answers(seed: int, items: list[Item]) -> dict[int, int | str]:
    """Per item id: a state, "dk", "na" or "skip"; some people skip or stop often."""
    import random

    rng = random.Random(seed)
    gaps = rng.choice([0.0, 0.0, 0.1, 0.4])
    return {
        item.pk: rng.choice(NO_ANSWER) if rng.random() < gaps else rng.randint(1, 5)
        for item in items
    }


def _quality_submit(round: Round, given: dict[int, int | str], moment, *, submitted=True):
    response = Response.objects.create(
        round=round, position="staff", submitted_at=moment if submitted else None, last_page=99
    )
    Answer.objects.bulk_create(
        Answer(
            response=response,
            item_id=item_id,
            state=value if isinstance(value, int) else None,
            dont_know=value == "dk",
            not_applicable=value == "na",
        )
        for item_id, value in given.items()
        if value != "skip"
    )


def _quality_oracle_alpha(rows: list[list[int]]) -> float | None:
    import statistics

    if len(rows) < 3 or len(rows[0]) < 2:
        return None
    k = len(rows[0])
    total = statistics.variance([sum(row) for row in rows])
    if total == 0:
        return None
    items = sum(statistics.variance(column) for column in zip(*rows, strict=True))
    return k / (k - 1) * (1 - items / total)


def _check_quality_report(report, pool: list[dict[int, int | str]], dimensions, policy):
    """Every figure of the report against the raw answers of the rounds the gate allows."""
    assert report.responses == len(pool)
    if policy is None:
        assert all(not d.quality.items and d.quality.alpha is None for d in report.dimensions)
        return
    means, spreads = policy
    for dimension, items in zip(report.dimensions, dimensions, strict=True):
        figures = dimension.quality

        def scored(value, item):
            return 6 - value if item.reverse_scored else value

        complete = [
            [scored(person[i.pk], i) for i in items]
            for person in pool
            if all(isinstance(person[i.pk], int) for i in items)
        ]
        assert figures.n_complete == len(complete) and figures.n_responses == len(pool)
        expected = _quality_oracle_alpha(complete)
        if figures.alpha is not None:
            assert len(complete) >= spreads, f"alpha of {figures.key} on {len(complete)}"
            assert abs(figures.alpha - expected) < 1e-9
            assert figures.interval.lower <= figures.alpha <= figures.interval.upper
        else:
            assert expected is None or len(complete) < spreads
            assert figures.interval is None
        for item, shown in zip(items, figures.items, strict=True):
            answers = [person[item.pk] for person in pool]
            states = [scored(a, item) for a in answers if isinstance(a, int)]
            stats = shown.stats
            if stats.mean is not None:
                assert len(states) >= means, f"mean of {item.key} on {len(states)}"
                assert abs(stats.mean - sum(states) / len(states)) < 1e-9
            else:
                assert len(states) < means
            for share, kind in (
                (stats.dont_know_share, "dk"),
                (stats.not_applicable_share, "na"),
                (stats.skipped_share, "skip"),
            ):
                if share is not None:
                    assert len(pool) >= means
                    assert abs(share - answers.count(kind) / len(pool)) < 1e-9
            for share, end in ((stats.floor_share, 1), (stats.ceiling_share, 5)):
                if share is not None:
                    at_end = states.count(end)
                    assert len(states) >= spreads and (at_end == 0 or at_end >= means)
                    assert abs(share - at_end / len(states)) < 1e-9
            if shown.item_total is not None:
                assert len(complete) >= spreads


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=int(__import__("os").environ.get("DISCLOSURE_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rounds=quality_rounds)
def test_the_quality_report_shows_no_figure_on_fewer_answers_than_its_rounds_allow(
    rounds, team, questionnaire, admin, login
):
    with transaction.atomic():
        _run_quality(rounds, team, questionnaire, admin, login)
        transaction.set_rollback(True)


def _run_quality(rounds, team, questionnaire, admin, login):
    dimensions = [
        list(d.items.order_by("order", "pk"))
        for d in questionnaire.dimensions.order_by("order", "pk")
    ]
    items = [item for group in dimensions for item in group]
    read = timezone.now() - timedelta(days=2)
    pool: list[dict[int, int | str]] = []
    policies = []
    for index, spec in enumerate(rounds):
        means = spec.means
        round = Round.objects.create(
            team=team,
            version=questionnaire,
            title=f"Round {index}",
            anonymity_threshold=means,
            breakdown_threshold=means + spec.extra_for_spreads,
        )
        people = [_quality_answers(seed, items) for seed in spec.people]
        for answers in people:
            _quality_submit(round, answers, read - timedelta(hours=1))
        for seed in range(spec.unsubmitted):
            _quality_submit(round, _quality_answers(seed, items), None, submitted=False)
        if spec.status == "reopened":
            for seed in spec.newcomers:
                _quality_submit(round, _quality_answers(seed, items), read + timedelta(hours=1))
            Round.objects.filter(pk=round.pk).update(shown_until=read)
        if spec.status != "open":
            _closed(round, timezone.now())
            # The oracle's own reading of the gate: an ended round with enough shown responses.
            if len(people) >= means:
                pool += people
                policies.append((means, means + spec.extra_for_spreads))
    event(f"rounds that count: {len(policies)} of {len(rounds)}")

    response = _english(login(admin)).get(reverse("admin:version_quality", args=[questionnaire.pk]))

    report = response.context["report"]
    assert report.rounds == len(policies)
    policy = (max(p[0] for p in policies), max(p[1] for p in policies)) if policies else None
    _check_quality_report(report, pool, dimensions, policy)
    shown_alphas = sum(1 for d in report.dimensions if d.quality.alpha is not None)
    event(f"alphas shown: {'some' if shown_alphas else 'none'}")
    assert response.content.decode().count("α ") == shown_alphas


# A version that asks importance and wanting to work on it once per dimension, "does not
# apply" apart from "don't know", and a report mark (the conftest's questionnaire_v2), read
# once and maybe reopened for newcomers.


@dataclass(frozen=True)
class PerDimensionPerson:
    states: tuple[str, ...]  # per statement: "1".."5", "dk", "na" or "skip"
    importance: tuple[int | None, ...]  # per dimension, 1..4 or none
    wants: tuple[bool | None, ...]
    mark: int | None


def _per_dimension_people(statements: int, dimensions: int):
    return st.builds(
        PerDimensionPerson,
        states=st.lists(
            st.sampled_from(["1", "2", "3", "4", "5", "2", "4", "dk", "na", "skip"]),
            min_size=statements,
            max_size=statements,
        ).map(tuple),
        importance=st.lists(
            st.one_of(st.none(), st.integers(1, 4)), min_size=dimensions, max_size=dimensions
        ).map(tuple),
        wants=st.lists(
            st.one_of(st.none(), st.booleans()), min_size=dimensions, max_size=dimensions
        ).map(tuple),
        mark=st.one_of(st.none(), st.integers(1, 10)),
    )


per_dimension_rounds = st.tuples(
    st.integers(3, 5),  # means
    st.integers(0, 3),  # extra for spreads
    st.lists(_per_dimension_people(7, 3), min_size=0, max_size=10),
    st.lists(_per_dimension_people(7, 3), min_size=0, max_size=6),  # newcomers
)


def _submit_per_dimension(round: Round, person: PerDimensionPerson, moment) -> None:
    from assessment.models import DimensionAnswer

    items = list(Item.objects.filter(dimension__version=round.version).order_by("key"))
    dimensions = list(round.version.dimensions.order_by("order"))
    response = Response.objects.create(
        round=round, position="staff", submitted_at=moment, last_page=99, mark=person.mark
    )
    Answer.objects.bulk_create(
        Answer(
            response=response,
            item=item,
            state=int(state) if state.isdigit() else None,
            dont_know=state == "dk",
            not_applicable=state == "na",
        )
        for item, state in zip(items, person.states, strict=True)
        if state != "skip"
    )
    DimensionAnswer.objects.bulk_create(
        DimensionAnswer(response=response, dimension=d, importance=imp, wants_to_work=want)
        for d, imp, want in zip(dimensions, person.importance, person.wants, strict=True)
        if imp is not None or want is not None
    )
    store_scores(response=response)


def _per_dimension_counts(group: list[PerDimensionPerson], round: Round) -> dict[str, int]:
    """The oracle: per figure, how many answers it rests on, from the raw answers."""
    items = list(Item.objects.filter(dimension__version=round.version).order_by("key"))
    order = {d.pk: i for i, d in enumerate(round.version.dimensions.order_by("order"))}
    counts = {"mark": sum(1 for p in group if p.mark is not None)}
    for index, item in enumerate(items):
        states = [p.states[index] for p in group]
        position = order[item.dimension_id]
        counts[f"{item.key}:state"] = sum(1 for s in states if s.isdigit())
        counts[f"{item.key}:known"] = sum(1 for s in states if s != "skip")
        counts[f"{item.key}:importance"] = sum(
            1 for p in group if p.importance[position] is not None
        )
        counts[f"{item.key}:wants"] = sum(1 for p in group if p.wants[position] is not None)
    for dimension in round.version.dimensions.all():
        keys = [i.key for i in items if i.dimension_id == dimension.pk]
        indexes = [items.index(i) for i in items if i.dimension_id == dimension.pk]
        counts[dimension.key] = sum(
            1
            for p in group
            if 2 * sum(p.states[i].isdigit() for i in indexes) >= len(keys)
            and any(p.states[i].isdigit() for i in indexes)
        )
    return counts


def _check_per_dimension_csv(rows, counts: dict[str, int], policy: tuple[int, int]) -> None:
    means, spreads = policy
    sections = _sections(rows)
    completed = int(sections["head"][1][1])
    if completed < means:
        assert "Dimension" not in sections and "Report mark (1 to 10)" not in sum(rows, [])
        return
    (mark,) = [row for row in sections["head"] if row[0] == "Report mark (1 to 10)"]
    assert int(mark[2]) == counts["mark"]
    if mark[1]:
        assert counts["mark"] >= means, "a mark on too few"
    for row in sections["Dimension"][1:]:
        key, n = row[1], int(row[3])
        assert n == counts[key] >= means
        # Spread, interval, agreement and a certain band only from the spreads threshold.
        if any(row[4:10]) or any(row[12:14]) or row[11] == "no":
            assert n >= spreads, f"a spread of {key} on {n} answers"
    for row in sections["Statement"][1:]:
        key = row[1]
        assert row[3] and counts[f"{key}:state"] >= means
        if row[5] or row[6]:
            assert counts[f"{key}:known"] >= means, f"don't know / does not apply of {key}"
        if row[7]:
            assert counts[f"{key}:importance"] >= means, f"importance of {key}"
        if row[9]:
            assert counts[f"{key}:wants"] >= means, f"want share of {key}"


def _check_per_dimension_page(response, counts: dict[str, int], means: int) -> None:
    assert response.status_code == 200
    results = response.context["results"]
    if not results.visible:
        assert 'id="summary-mark"' not in response.content.decode()
        return
    assert (results.mark.mean is not None) == (counts["mark"] >= means)
    for item in results.hard_to_answer:
        assert counts[f"{item.key}:known"] >= means
    for item in results.top_improvements:
        assert counts[f"{item.key}:state"] >= 5 and counts[f"{item.key}:importance"] >= 5


OUTPUTS += (
    "results page and CSV of a version asking per dimension, with the mark and 'does not "
    "apply' (test_no_figure_of_a_per_dimension_version_shows_on_fewer_answers_than_allowed)",
)


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=int(__import__("os").environ.get("DISCLOSURE_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=per_dimension_rounds)
def test_no_figure_of_a_per_dimension_version_shows_on_fewer_answers_than_allowed(
    drawn, team, questionnaire_v2, facilitator, login
):
    means, extra, first, newcomers = drawn
    policy = (means, means + extra)
    with transaction.atomic():
        round = Round.objects.create(
            team=team,
            version=questionnaire_v2,
            title="Now",
            anonymity_threshold=means,
            breakdown_threshold=means + extra,
        )
        start = timezone.now() - timedelta(days=3)
        for person in first:
            _submit_per_dimension(round, person, start)
        _closed(round, timezone.now())
        client = _english(login(facilitator))
        csv_url = reverse("round_results_csv", args=[round.pk])
        _check_per_dimension_csv(
            _csv(client.get(csv_url)), _per_dimension_counts(first, round), policy
        )
        everyone = list(first)
        if newcomers:
            release.reopen(round=Round.objects.get(pk=round.pk))
            for person in newcomers:
                _submit_per_dimension(round, person, timezone.now() + timedelta(minutes=5))
            _closed(round, timezone.now() + timedelta(minutes=9))
            everyone += newcomers
        rows = _csv(client.get(csv_url))
        completed = int(_sections(rows)["head"][1][1])
        basis = first if newcomers and completed == len(first) else everyone
        event(f"newcomers {'held back' if basis is first and newcomers else 'counted'}")
        counts = _per_dimension_counts(basis, round)
        _check_per_dimension_csv(rows, counts, policy)
        if basis is everyone and newcomers and len(first) >= means:
            # Released newcomers carry every figure on enough answers of their own.
            delta = _per_dimension_counts(list(newcomers), round)
            for name in (
                "mark",
                *(f"{k}:importance" for k in ("visie.1", "rollen.1", "effecten.1")),
            ):
                assert delta[name] == 0 or delta[name] >= means, f"{name} moved on few"
        page = client.get(reverse("round_results", args=[round.pk]))
        _check_per_dimension_page(page, counts, means)
        transaction.set_rollback(True)
