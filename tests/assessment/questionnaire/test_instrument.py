"""The quality report of a version (assessment/questionnaire/instrument.py) and its admin page:
complete responses per dimension, the Feldt interval, three kinds of no answer, and only the
rounds the disclosure gate allows."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from assessment.models import Answer, Item, QuestionnaireVersion, Response, Round
from assessment.questionnaire import quality
from assessment.questionnaire.instrument import version_quality
from assessment.questionnaire.publishing import create_draft, publish
from assessment.questionnaire.structure import structure

DK, NA, BLANK = "dk", "na", "blank"  # BLANK: an answer row without a state (only importance)


def _url(version: QuestionnaireVersion) -> str:
    return reverse("admin:version_quality", args=[version.pk])


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _dimensions(version: QuestionnaireVersion) -> list[list[Item]]:
    shape = structure(version)
    return [list(shape.items[dimension.pk]) for dimension in shape.dimensions]


def _closed_round(team, version, title="Najaar 2026", **thresholds) -> Round:
    return Round.objects.create(
        team=team, version=version, title=title, closed_at=timezone.now(), **thresholds
    )


def _respond(round: Round, rows: list[dict[Item, object]], *, submitted=True, moment=None):
    """One response per row; a statement missing from a row was skipped."""
    moment = moment or timezone.now() - timedelta(days=1)
    responses = Response.objects.bulk_create(
        [
            Response(round=round, last_page=99, submitted_at=moment if submitted else None)
            for _ in rows
        ]
    )
    Answer.objects.bulk_create(
        Answer(
            response=response,
            item=item,
            state=value if isinstance(value, int) else None,
            dont_know=value == DK,
            not_applicable=value == NA,
            importance=2 if value == BLANK else None,
        )
        for response, row in zip(responses, rows, strict=True)
        for item, value in row.items()
    )


def _everything(version, level) -> dict[Item, object]:
    return {item: level for items in _dimensions(version) for item in items}


def _levels(count: int) -> list[int]:
    return [j % 5 + 1 for j in range(count)]


@pytest.fixture
def separating(questionnaire) -> QuestionnaireVersion:
    """A published version that offers "not applicable" apart from "don't know"."""
    draft = create_draft(source=questionnaire)
    QuestionnaireVersion.objects.filter(pk=draft.pk).update(separate_not_applicable=True)
    publish(version=QuestionnaireVersion.objects.get(pk=draft.pk))
    return QuestionnaireVersion.objects.get(pk=draft.pk)


# Complete responses per dimension


def test_each_dimension_counts_the_responses_that_answered_all_its_statements(
    team, questionnaire, admin, login
):
    round = _closed_round(team, questionnaire)
    first, second, *_ = _dimensions(questionnaire)
    rows = [_everything(questionnaire, level) for level in _levels(40)]
    for row in rows[:15]:
        row[first[0]] = DK  # 15 cannot judge one statement of the first dimension
    for row in rows[:3]:
        del row[second[1]]  # 3 skipped one of the second
    _respond(round, rows)

    response = login(admin).get(_url(questionnaire))

    report = response.context["report"]
    assert report.responses == 40
    complete = [dimension.quality.n_complete for dimension in report.dimensions]
    assert complete[:3] == [25, 37, 40]
    assert set(complete[2:]) == {40}
    assert [d.quality.key for d in report.too_few_dimensions] == [report.dimensions[0].quality.key]
    content = response.content.decode()
    warning = re.search(r'<p class="errornote" id="quality-too-few">(.*?)</p>', content, re.S)
    assert warning and re.search(r"\b1\b", warning.group(1)) and "30" in warning.group(1)
    table = re.search(r'<table id="quality-dimensions">(.*?)</table>', content, re.S).group(1)
    first_row = table.split("<tr>")[2]  # the first dimension, after the header
    assert "<td>25</td>" in first_row


def test_no_warning_when_every_dimension_has_thirty_complete_responses(
    team, questionnaire, admin, login
):
    round = _closed_round(team, questionnaire)
    _respond(round, [_everything(questionnaire, level) for level in _levels(30)])

    response = login(admin).get(_url(questionnaire))

    assert not response.context["report"].too_few
    assert 'id="quality-too-few"' not in response.content.decode()


# The Feldt interval


def _interval_table(version):
    """40 people; item 4 of every dimension is answered a little at random."""
    rows = []
    for j in range(40):
        level = j % 5 + 1
        row = {}
        for items in _dimensions(version):
            for index, item in enumerate(items):
                row[item] = level if index % 2 == 0 else max(1, min(5, level + (j % 3) - 1))
        rows.append(row)
    return rows


def test_the_page_shows_alpha_with_its_95_percent_interval_in_dutch_and_english(
    team, questionnaire, admin, login
):
    _respond(_closed_round(team, questionnaire), _interval_table(questionnaire))

    dutch = login(admin).get(_url(questionnaire))
    english = _english(login(admin)).get(_url(questionnaire))

    report = dutch.context["report"]
    dimension = report.dimensions[0].quality
    assert dimension.alpha is not None and dimension.interval is not None
    assert dimension.interval == quality.feldt_interval(dimension.alpha, 40, len(dimension.items))
    numbers = [dimension.alpha, dimension.interval.lower, dimension.interval.upper]
    alpha, lower, upper = (f"{value:.2f}" for value in numbers)
    comma = [value.replace(".", ",") for value in (alpha, lower, upper)]
    assert f"α {comma[0]} (95%-BI {comma[1]}–{comma[2]})" in dutch.content.decode()
    assert f"α {alpha} (95% CI {lower}–{upper})" in english.content.decode()


def test_alpha_and_its_interval_are_left_out_below_the_breakdown_threshold(
    team, questionnaire, admin, login
):
    round = _closed_round(team, questionnaire, anonymity_threshold=3, breakdown_threshold=8)
    _respond(round, _interval_table(questionnaire)[:7])

    report = login(admin).get(_url(questionnaire)).context["report"]

    for dimension in report.dimensions:
        assert dimension.quality.n_complete == 7
        assert dimension.quality.alpha is None and dimension.quality.interval is None


# Don't know, not applicable and skipped


def test_dont_know_not_applicable_and_skipped_are_three_separate_shares(
    team, separating, admin, login
):
    round = _closed_round(team, separating)
    items = _dimensions(separating)[0]
    target = items[0]
    rows = [_everything(separating, level) for level in _levels(20)]
    for row in rows[:4]:
        row[target] = DK
    for row in rows[4:7]:
        row[target] = NA
    for row in rows[7:9]:
        del row[target]  # skipped: no answer at all
    rows[9][target] = BLANK  # skipped the state, gave only an importance
    _respond(round, rows)

    response = _english(login(admin)).get(_url(separating))

    report = response.context["report"]
    stats = report.dimensions[0].quality.items[0].stats
    assert (stats.dont_know_share, stats.not_applicable_share, stats.skipped_share) == (
        pytest.approx(4 / 20),
        pytest.approx(3 / 20),
        pytest.approx(3 / 20),
    )
    assert stats.n == 10 and stats.respondents == 20
    content = response.content.decode()
    assert "<th>Not applicable</th>" in content and "<th>Skipped</th>" in content
    row = next(row for row in content.split("<tr>") if f"<small>({target.key})</small>" in row)
    assert re.findall(r"<td>(\d+%)</td>", row)[:3] == ["20%", "15%", "15%"]


def test_a_response_that_answered_nothing_skipped_every_statement(team, questionnaire, admin):
    round = _closed_round(team, questionnaire)
    _respond(round, [_everything(questionnaire, level) for level in _levels(9)] + [{}])

    report = version_quality(questionnaire)

    assert report.responses == 10
    for dimension in report.dimensions:
        for item in dimension.quality.items:
            assert item.stats.skipped_share == pytest.approx(0.1)
            assert item.stats.dont_know_share == 0.0


def test_version_one_shows_dont_know_and_not_applicable_as_the_one_answer_it_asked(
    team, questionnaire, admin, login
):
    _respond(_closed_round(team, questionnaire), [_everything(questionnaire, 3)] * 5)

    content = _english(login(admin)).get(_url(questionnaire)).content.decode()

    assert "<th>Don't know or not applicable</th>" in content
    assert "<th>Not applicable</th>" not in content


def test_a_share_at_an_end_of_the_scale_never_shows_a_few_people_alone(team, questionnaire):
    round = _closed_round(team, questionnaire, anonymity_threshold=3, breakdown_threshold=5)
    first = _dimensions(questionnaire)[0]
    rows = [_everything(questionnaire, 3) for _ in range(20)]
    rows[0][first[0]] = 1  # one person at the floor
    for row in rows[:4]:
        row[first[1]] = 5  # four at the ceiling
    _respond(round, rows)

    items = version_quality(questionnaire).dimensions[0].quality.items

    assert items[0].stats.floor_share is None and items[0].stats.ceiling_share == 0.0
    assert items[1].stats.ceiling_share == pytest.approx(4 / 20)
    assert items[1].stats.floor_share == 0.0


# Only the rounds the gate allows


def test_only_qualifying_rounds_and_their_shown_responses_count(
    team, other_team, questionnaire, admin, login
):
    table = _interval_table(questionnaire)
    counted = _closed_round(team, questionnaire, anonymity_threshold=3, breakdown_threshold=5)
    _respond(counted, table[:20])
    _respond(counted, table[20:25], submitted=False)  # never submitted
    still_open = Round.objects.create(team=team, version=questionnaire, title="Open")
    _respond(still_open, table[:10])
    below = _closed_round(other_team, questionnaire, "Too few", anonymity_threshold=5)
    _respond(below, table[:4])
    # Read, reopened and closed again: newcomers not yet released stay out.
    reopened = _closed_round(other_team, questionnaire, "Reopened", anonymity_threshold=4)
    read = timezone.now() - timedelta(hours=2)
    _respond(reopened, table[20:30], moment=read - timedelta(hours=1))
    _respond(reopened, [_everything(questionnaire, 1)] * 3, moment=read + timedelta(minutes=5))
    Round.objects.filter(pk=reopened.pk).update(shown_until=read)

    response = login(admin).get(_url(questionnaire))

    report = response.context["report"]
    assert (report.rounds, report.responses) == (2, 30)
    expected = version_quality_of(questionnaire, table[:30])
    for got, want in zip(report.dimensions, expected, strict=True):
        assert got.quality.n_complete == 30
        assert got.quality.alpha == pytest.approx(want.alpha)
        assert [i.stats.mean for i in got.quality.items] == pytest.approx(
            [i.stats.mean for i in want.items]
        )
    basis = re.search(r'<p id="quality-basis">(.*?)</p>', response.content.decode(), re.S)
    assert re.search(r"\b30\b", basis.group(1)) and re.search(r"\b2\b", basis.group(1))


def version_quality_of(version, rows: list[dict[Item, object]]):
    """The pure module's report over these rows alone, as the oracle."""
    return [
        quality.dimension_quality(
            items[0].dimension.key,
            [item.key for item in items],
            [[_scored(item, row.get(item)) for item in items] for row in rows],
        )
        for items in _dimensions(version)
    ]


def _scored(item: Item, value):
    if not isinstance(value, int):
        return None
    return 6 - value if item.reverse_scored else value


def test_the_page_explains_alpha_the_interval_and_the_complete_responses(
    team, questionnaire, admin, login
):
    _respond(_closed_round(team, questionnaire), [_everything(questionnaire, 4)] * 5)

    with translation.override("nl"):
        content = login(admin).get(_url(questionnaire)).content.decode()

    explained = re.search(r'<p id="quality-explained">(.*?)</p>', content, re.S).group(1)
    assert "alfa" in explained and "95%" in explained and "volledige antwoorden" in explained
    assert "1 afgesloten meetronde" in content


def test_the_report_reads_the_same_number_of_queries_for_one_round_or_many(
    team, other_team, questionnaire
):
    def queries() -> int:
        structure(questionnaire)  # cached once published; not what this test counts
        with CaptureQueriesContext(connection) as captured:
            version_quality(questionnaire)
        return len(captured)

    _respond(_closed_round(team, questionnaire), [_everything(questionnaire, 3)] * 5)
    one = queries()
    for index in range(4):
        owner = team if index % 2 else other_team
        round = _closed_round(owner, questionnaire, f"R{index}")
        _respond(round, [_everything(questionnaire, 2)] * 5)

    assert queries() == one
