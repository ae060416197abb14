"""The results of a version that asks importance and wanting to work on it once per
dimension, "does not apply" apart from "don't know", and a report mark (the conftest's
`questionnaire_v2`): each figure from the answers, through the disclosure gate, on the page
and in the CSV."""

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from assessment.models import Answer, DimensionAnswer, Item, Response, Round
from assessment.results import scoring
from assessment.results.aggregate import round_results, store_scores

# Per person: the states of visie.1-3, rollen.1-2, effecten.1-2 ("dk" don't know, "na" does
# not apply), importance and wanting per dimension (visie, rollen, effecten), and a mark.
PEOPLE = [
    ([2, 2, 3, 4, 4, 3, 5], [(4, True), (2, False), (3, True)], 6),
    ([1, 2, 2, 4, 5, "na", 4], [(4, True), (1, False), (3, False)], 7),
    ([2, 3, 2, 5, 4, 4, 4], [(3, True), (2, False), (4, True)], 6),
    ([3, 2, 1, 4, 4, "dk", 5], [(4, False), (2, True), (3, True)], 8),
    ([2, 1, 2, 5, 5, 3, 4], [(4, True), (2, False), (None, None)], None),
    ([1, 2, 2, 4, "dk", "na", 5], [(3, True), (1, False), (3, False)], 5),
]
KEYS = ["visie.1", "visie.2", "visie.3", "rollen.1", "rollen.2", "effecten.1", "effecten.2"]
DIMENSIONS = ["visie", "rollen", "effecten"]


def _nl(text: str) -> str:
    with override("nl"):
        return gettext(text)


def _respond(round: Round, states, follow_ups, mark) -> Response:
    items = {item.key: item for item in Item.objects.filter(dimension__version=round.version)}
    dimensions = {d.key: d for d in round.version.dimensions.all()}
    response = Response.objects.create(
        round=round, sector="school", position="staff", submitted_at=timezone.now(), mark=mark
    )
    Answer.objects.bulk_create(
        Answer(
            response=response,
            item=items[key],
            state=state if isinstance(state, int) else None,
            dont_know=state == "dk",
            not_applicable=state == "na",
        )
        for key, state in zip(KEYS, states, strict=True)
    )
    DimensionAnswer.objects.bulk_create(
        DimensionAnswer(
            response=response, dimension=dimensions[key], importance=imp, wants_to_work=want
        )
        for key, (imp, want) in zip(DIMENSIONS, follow_ups, strict=True)
    )
    store_scores(response=response)
    return response


def _close(round: Round) -> Round:
    Round.objects.filter(pk=round.pk).update(closed_at=timezone.now())
    return Round.objects.get(pk=round.pk)


@pytest.fixture
def answered_round(questionnaire_v2, team, facilitator) -> Round:
    round = Round.objects.create(
        team=team, version=questionnaire_v2, title="Voorjaar 2027", created_by=facilitator
    )
    for person in PEOPLE:
        _respond(round, *person)
    return _close(round)


def test_each_statement_carries_its_dimensions_importance_and_wish(answered_round):
    results = round_results(answered_round)

    by_key = {item.key: item for item in results.items}
    for position, dimension in enumerate(DIMENSIONS):
        answers = [person[1][position] for person in PEOPLE]
        weights = [imp for imp, _ in answers if imp is not None]
        wishes = [want for _, want in answers if want is not None]
        for key in (k for k in KEYS if k.startswith(dimension)):
            item = by_key[key]
            assert item.importance == pytest.approx(sum(weights) / len(weights))
            assert item.importance_n == len(weights)
            assert item.want_share == pytest.approx(sum(wishes) / len(wishes))
            assert item.wants_n == len(wishes)
            assert item.priority == pytest.approx(
                scoring.priority(item.state, item.importance, item.want_share, scale=results.scale)
            )
    assert results.scale.importance_max == 4
    assert results.per_dimension


def test_the_top_ten_ranks_by_the_dimension_figures_and_needs_five_answers(answered_round):
    results = round_results(answered_round)

    ranked = results.top_improvements
    assert ranked and all(item.ranked_n >= scoring.MIN_RANKED_N for item in ranked)
    # effecten's importance rests on five answers: ranked; its first statement's state on
    # only three (the rest could not answer): shown, but not ranked.
    assert "effecten.2" in [item.key for item in ranked]
    assert "effecten.1" not in [item.key for item in ranked]
    assert [item.priority for item in ranked] == sorted(
        (item.priority for item in ranked), reverse=True
    )
    assert ranked[0].dimension_key == "visie"


def test_does_not_apply_is_a_share_of_its_own_beside_dont_know(answered_round):
    results = round_results(answered_round)

    by_key = {item.key: item for item in results.items}
    (effects,) = results.hard_to_answer
    assert effects == by_key["effecten.1"]
    assert effects.state_n == 3
    assert effects.not_applicable_share == pytest.approx(2 / 6)
    assert effects.dont_know_share == pytest.approx(1 / 6)
    roles = by_key["rollen.2"]
    assert (roles.dont_know_share, roles.not_applicable_share) == (pytest.approx(1 / 6), 0.0)
    assert effects.key == "effecten.1"


def test_the_report_mark_is_the_mean_of_those_who_gave_one(answered_round):
    results = round_results(answered_round)

    marks = [person[2] for person in PEOPLE if person[2] is not None]
    assert results.mark.n == len(marks) == 5
    assert results.mark.mean == pytest.approx(sum(marks) / len(marks))


def test_a_report_mark_few_gave_is_withheld(login, questionnaire_v2, team, facilitator):
    round = Round.objects.create(
        team=team, version=questionnaire_v2, title="R", created_by=facilitator
    )
    for index, (states, follow_ups, _) in enumerate(PEOPLE):
        _respond(round, states, follow_ups, 7 if index < 2 else None)
    results = round_results(_close(round))

    assert results.visible
    assert (results.mark.mean, results.mark.n) == (None, 2)
    mark = re.search(r'id="summary-mark".*?</div>', _page(login, facilitator, round), re.S)
    assert "Te weinig mensen gaven een cijfer: het verschijnt vanaf 3 cijfers." in mark.group(0)
    assert "7,0" not in mark.group(0)


def test_a_version_without_a_mark_has_no_mark(login, facilitator, questionnaire, team):
    round = Round.objects.create(
        team=team, version=questionnaire, title="R", created_by=facilitator
    )
    assert round_results(round).mark is None


def _page(login, facilitator, round) -> str:
    return login(facilitator).get(reverse("round_results", args=[round.pk])).content.decode()


def test_the_page_shows_the_mark_the_n_per_statement_and_the_statements_hard_to_answer(
    login, facilitator, answered_round
):
    content = _page(login, facilitator, answered_round)
    results = round_results(answered_round)

    mark = re.search(r'id="summary-mark".*?</div>', content, re.S).group(0)
    assert "6,4" in mark and "5" in mark
    top = re.search(r'<table[^>]*id="top-table".*?</table>', content, re.S).group(0)
    for item in results.top_improvements:
        row = re.search(rf"<tr>(?:(?!</tr>).)*{re.escape(item.text)}.*?</tr>", top, re.S).group(0)
        assert f'data-label="n" class="text-end">{item.ranked_n}</td>' in row
    assert (
        _nl(
            "This questionnaire asks importance and wanting to work on it once per topic: each "
            "statement carries its topic's."
        )
        in content
    )
    hard = re.search(r'<table[^>]*id="hard-table".*?</table>', content, re.S).group(0)
    assert "Ervaren effecten: stelling 1." in hard
    assert "33%" in hard and "17%" in hard
    assert "Visie: stelling 1." not in hard


def test_with_six_answers_the_bands_show_whether_they_are_certain(
    login, facilitator, answered_round
):
    content = _page(login, facilitator, answered_round)
    results = round_results(answered_round)

    table = re.search(r'<table[^>]*id="dimension-table".*?</table>', content, re.S).group(0)
    rows = re.findall(r"<tr>.*?</tr>", table, re.S)[1:]
    assert len(rows) == len(results.dimensions)
    uncertain = pgettext_nl("band", "uncertain")
    for row, dimension in zip(rows, results.dimensions, strict=True):
        assert (uncertain in row) == dimension.uncertain, dimension.key
    assert any(d.uncertain for d in results.dimensions)
    assert not all(d.uncertain for d in results.dimensions)


def pgettext_nl(context: str, text: str) -> str:
    from django.utils.translation import pgettext

    with override("nl"):
        return pgettext(context, text)


def test_the_csv_holds_the_mark_the_interval_and_the_share_that_does_not_apply(
    login, facilitator, answered_round
):
    response = login(facilitator).get(reverse("round_results_csv", args=[answered_round.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    results = round_results(answered_round)

    assert rows[2] == [_nl("Report mark (1 to 10)"), "6,4", "5"]
    header = rows.index([cell for cell in rows if cell and cell[0] == _nl("Statement")][0])
    statements = {row[1]: row for row in rows[header + 1 : header + 1 + len(KEYS)]}
    assert statements["effecten.1"][6] == "0,33"
    assert statements["visie.1"][5:7] == ["0,00", "0,00"]
    header = rows.index([cell for cell in rows if cell and cell[0] == _nl("Dimension")][0])
    dimension_rows = rows[header + 1 : header + 1 + len(results.dimensions)]
    for row, dimension in zip(dimension_rows, results.dimensions, strict=True):
        interval = dimension.interval
        assert row[1] == dimension.key
        assert row[8:10] == [_dutch(interval.low), _dutch(interval.high)]
        assert row[11] == _nl("yes" if dimension.uncertain else "no")


def _dutch(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def test_a_statement_many_could_not_answer_is_listed_even_when_its_state_is_withheld(
    questionnaire_v2, team, facilitator
):
    round = Round.objects.create(
        team=team, version=questionnaire_v2, title="R", created_by=facilitator
    )
    for index, (states, follow_ups, mark) in enumerate(PEOPLE):
        few = [*states[:5], "na" if index < 4 else 4, states[6]]
        _respond(round, few, follow_ups, mark)

    results = round_results(_close(round))

    assert "effecten.1" not in {item.key for item in results.items}  # two states
    (effects,) = results.hard_to_answer
    assert (effects.key, effects.state) == ("effecten.1", None)
    assert effects.not_applicable_share == pytest.approx(4 / 6)


@pytest.mark.parametrize("newcomer_marks", [2, 5])
def test_after_reopening_newcomers_are_added_only_when_few_marks_would_not_show(
    answered_round, newcomer_marks
):
    """Five newcomers who answer everything could be published on their own, but a mark that
    only two of them gave would move the team's mark by what those two gave."""
    from assessment.results import release

    before = round_results(answered_round)
    release.reopen(round=answered_round)
    for index in range(5):
        # Alike, so that no answer option rests on fewer newcomers than allowed either.
        mark = 9 if index < newcomer_marks else None
        _respond(answered_round, [4] * len(KEYS), [(3, True)] * 3, mark)

    after = round_results(_close(answered_round))

    if newcomer_marks < 3:
        assert (after.completed, after.mark) == (before.completed, before.mark)
        assert after.held_back == 5
    else:
        assert after.completed == before.completed + 5
        assert after.mark.n == before.mark.n + 5


@pytest.mark.parametrize("newcomer_importances", [2, 5])
def test_after_reopening_an_importance_per_dimension_few_newcomers_gave_holds_them_back(
    answered_round, newcomer_importances
):
    from assessment.results import release

    before = round_results(answered_round)
    release.reopen(round=answered_round)
    for index in range(5):
        importance = 3 if index < newcomer_importances else None
        _respond(answered_round, [4] * len(KEYS), [(importance, True)] * 3, 8)

    after = round_results(_close(answered_round))

    assert after.completed == before.completed + (5 if newcomer_importances >= 3 else 0)
