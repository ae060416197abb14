"""A round's results: scores stored at submission, who may read them, anonymity and numbers."""

import csv
import html
import io
import json
import random
import re
import statistics

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, Count
from django.template.defaultfilters import floatformat
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from assessment.demo import TeamProfile, make_responses
from assessment.models import Answer, Dimension, DimensionScore, Item, Response, Round, Sector
from assessment.questionnaire.structure import structure
from assessment.results import charts, scoring
from assessment.results.aggregate import store_scores
from tests.assessment.results.test_trends import _round as _trend_round

BACKGROUND = {"sector": "school", "position": "staff"}
STATE_MAX = 5
REVERSE_KEY = "resources.rules-and-funding"
JSON_SCRIPT = re.compile(r'<script id="([^"]+)" type="application/json">(.*?)</script>', re.S)


@pytest.fixture
def round(team, questionnaire):
    return Round.objects.create(team=team, version=questionnaire, title="Najaar 2026")


@pytest.fixture
def other_round(other_team, questionnaire):
    return Round.objects.create(team=other_team, version=questionnaire, title="Elders 2026")


def _close(round: Round) -> Round:
    round.closed_at = timezone.now()
    round.save(update_fields=["closed_at"])
    return round


def _fill(round: Round, size: int, *, seed: int = 7, **profile) -> None:
    make_responses([(round, size, TeamProfile(level=3.3, **profile))], rng=random.Random(seed))


def _items(version) -> dict[str, Item]:
    return {
        item.key: item
        for item in Item.objects.filter(dimension__version=version).select_related("dimension")
    }


def _dimensions(version) -> list[Dimension]:
    return list(version.dimensions.order_by("order", "pk"))


def _submit(round: Round, states: dict[str, int | None], *, sector: str = "school") -> Response:
    """A submitted response with the given raw states per item key (None: don't know)."""
    items = _items(round.version)
    response = Response.objects.create(
        round=round, sector=sector, position="staff", submitted_at=timezone.now()
    )
    Answer.objects.bulk_create(
        Answer(
            response=response,
            item=items[key],
            state=state,
            dont_know=state is None,
            importance=None if state is None else 3,
            wants_to_work=None if state is None else True,
        )
        for key, state in states.items()
    )
    store_scores(response=response)
    return response


def _results(client: Client, round: Round):
    return client.get(reverse("round_results", args=[round.pk]))


def _csv_rows(response) -> list[list[str]]:
    """A Dutch download, as Dutch Excel reads it: semicolons between the cells."""
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))


def _csv_number(cell: str) -> float:
    """A Dutch CSV figure ("3,45") as a number."""
    return float(cell.replace(",", "."))


def _figures(response) -> dict[str, object]:
    """The figures the page hands to plotly: element id -> parsed JSON."""
    return {
        element_id: json.loads(payload)
        for element_id, payload in JSON_SCRIPT.findall(response.content.decode())
    }


def _written(value: float) -> set[str]:
    """Every way a number could be written on the page or in the CSV."""
    shapes = {
        f"{value:.1f}",
        f"{value:.2f}",
        str(floatformat(value, 1)),
        str(floatformat(value, 2)),
    }
    return shapes | {shape.replace(".", ",") for shape in shapes}


def _db_means(round: Round) -> dict[str, float]:
    return {
        key: mean
        for key, mean in DimensionScore.objects.filter(
            response__round=round, response__submitted_at__isnull=False
        )
        .values_list("dimension__key")
        .annotate(mean=Avg("score"))
        .values_list("dimension__key", "mean")
    }


def _nl(text: str) -> str:
    with translation.override("nl"):
        return translation.gettext(text)


def _nl_label(choice: scoring.Band | scoring.Direction) -> str:
    with translation.override("nl"):
        return choice.label


def _db_scores(round: Round) -> dict[str, list[float]]:
    """Every submitted respondent's score, per dimension key."""
    scores: dict[str, list[float]] = {}
    for key, score in DimensionScore.objects.filter(
        response__round=round, response__submitted_at__isnull=False
    ).values_list("dimension__key", "score"):
        scores.setdefault(key, []).append(score)
    return scores


def _quartiles(scores: list[float]) -> tuple[float, float]:
    if len(scores) == 1:
        return scores[0], scores[0]
    q1, _median, q3 = statistics.quantiles(scores, n=4, method="inclusive")
    return q1, q3


def _ranges(low: float, high: float) -> set[str]:
    """Every way the page could write a band from low to high ("2,5 – 3,8")."""
    return {f"{a} – {b}" for a in _written(low) for b in _written(high)}


def _shown_range(low: float, high: float) -> str:
    """A band as the results page writes it, with one decimal in Dutch."""
    return f"{low:.1f} – {high:.1f}".replace(".", ",")


def _dimension_header() -> list[str]:
    return [
        _nl(text)
        for text in (
            "Dimension",
            "Key",
            "Mean",
            "Number of answers",
            "Standard deviation",
            "First quartile",
            "Median",
            "Third quartile",
            "95% interval, low",
            "95% interval, high",
            "Band",
            "Band uncertain",
            "Agreement (r_wg(J))",
            "Opinions differ",
        )
    ]


def _item_header() -> list[str]:
    return [
        _nl(text)
        for text in (
            "Statement",
            "Key",
            "Dimension",
            "Current state",
            "Number of answers",
            "Don't know (share)",
            "Does not apply (share)",
            "Importance",
            "Number of answers on importance",
            "Want to work on it (share)",
            "Number of answers on working on it",
            "Priority",
            "Reverse-scored",
        )
    ]


def _assert_no_extremes_in_csv(rows: list[list[str]]) -> None:
    assert rows[4] == _dimension_header()
    for word in ("Minimum", "Maximum", _nl("Minimum"), _nl("Maximum")):
        assert not any(word in cell for row in rows for cell in row), word


# Scores stored at submission, through the respondent's own pages


def _post_page(client: Client, answer_set: Response, page: int, fields: dict[str, str]) -> None:
    response = client.post(
        reverse("respond_page", args=[answer_set.token, page]), {"nav": "next", **fields}
    )
    assert response.status_code == 302


def _page_of(version) -> dict[str, int]:
    return {dimension.key: page for page, dimension in enumerate(_dimensions(version), start=1)}


def _ordered_items(version, dimension_key: str) -> list[Item]:
    return list(
        Item.objects.filter(dimension__version=version, dimension__key=dimension_key).order_by(
            "order", "pk"
        )
    )


def test_the_questionnaire_has_exactly_one_reverse_scored_item(questionnaire):
    reverse_items = Item.objects.filter(dimension__version=questionnaire, reverse_scored=True)

    assert [item.key for item in reverse_items] == [REVERSE_KEY]
    assert reverse_items.get().dimension.key == "resources"


def test_submitting_stores_one_score_per_dimension_answered_at_least_half(round):
    """Raw states per dimension; "dk" is don't know, "imp" only importance, None left open."""
    version = round.version
    plan = {
        # All four answered: the plain mean.
        "shared-vision": ["5", "4", "4", "2"],
        # Exactly half answered: still a score.
        "roles-and-mandate": ["5", "2", None, None],
        # One of four: no score.
        "knowing-and-trusting": ["4", None, None, None],
        # Two of five answered, three don't know: don't know does not count as answered.
        "communication": ["4", "4", "dk", "dk", "dk"],
        # Two answered, two don't know: the mean of the two, don't know is no zero.
        "equality": ["5", "5", "dk", "dk"],
        # Importance alone does not answer the statement.
        "proximity": ["3", "imp", "imp", "imp"],
        # Three of five: a score, the mean of the three.
        "early-support": ["1", "2", "4", "dk", None],
        # The last item is reverse scored: its 1 counts as 5.
        "resources": ["4", "4", "4", "1"],
    }
    expected = {
        "shared-vision": (5 + 4 + 4 + 2) / 4,
        "roles-and-mandate": (5 + 2) / 2,
        "equality": 5.0,
        "early-support": (1 + 2 + 4) / 3,
        "resources": (4 + 4 + 4 + 5) / 4,
    }
    client = Client()
    client.post(reverse("respond_start", args=[round.token]))
    answer_set = Response.objects.get(round=round)
    client.post(reverse("respond_background", args=[answer_set.token]), BACKGROUND)
    pages = _page_of(version)
    for dimension_key, states in plan.items():
        items = _ordered_items(version, dimension_key)
        assert len(items) == len(states)
        fields = {}
        for item, state in zip(items, states, strict=True):
            if state == "imp":
                fields[f"i-{item.pk}"] = "3"
            elif state is not None:
                fields[f"s-{item.pk}"] = state
                fields[f"i-{item.pk}"] = "2"
        _post_page(client, answer_set, pages[dimension_key], fields)
    assert _ordered_items(version, "resources")[3].key == REVERSE_KEY
    assert not DimensionScore.objects.exists()

    submitted = client.post(reverse("respond_submit", args=[answer_set.token]))

    assert submitted.status_code == 302
    stored = dict(
        DimensionScore.objects.filter(response=answer_set).values_list("dimension__key", "score")
    )
    assert stored == pytest.approx(expected)
    assert set(stored) == set(expected)
    assert DimensionScore.objects.count() == len(expected)


def test_a_second_submit_stores_no_second_set_of_scores(round):
    client = Client()
    client.post(reverse("respond_start", args=[round.token]))
    answer_set = Response.objects.get(round=round)
    items = _ordered_items(round.version, "shared-vision")
    _post_page(client, answer_set, 1, {f"s-{item.pk}": "4" for item in items})

    client.post(reverse("respond_submit", args=[answer_set.token]))
    client.post(reverse("respond_submit", args=[answer_set.token]))

    assert list(DimensionScore.objects.values_list("dimension__key", "score")) == [
        ("shared-vision", 4.0)
    ]


def test_a_response_that_is_not_submitted_has_no_scores(round):
    client = Client()
    client.post(reverse("respond_start", args=[round.token]))
    answer_set = Response.objects.get(round=round)
    items = _ordered_items(round.version, "shared-vision")
    _post_page(client, answer_set, 1, {f"s-{item.pk}": "4" for item in items})

    assert Answer.objects.filter(response=answer_set).count() == 4
    assert not DimensionScore.objects.exists()


# Who may read the results


@pytest.fixture
def closed_round(round):
    _fill(round, 6)
    return _close(round)


@pytest.mark.parametrize("name", ["round_results", "round_results_csv"])
@pytest.mark.parametrize("user", ["facilitator", "member", "coordinator", "admin"])
def test_the_team_its_coordinator_and_admins_read_the_results(
    request, login, closed_round, name, user
):
    response = login(request.getfixturevalue(user)).get(reverse(name, args=[closed_round.pk]))

    assert response.status_code == 200
    if name == "round_results":
        assert response.context["round"] == closed_round
        assert response.context["results"].completed == 6
        assert response.context["public"] is False
    else:
        assert response["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize("name", ["round_results", "round_results_csv"])
@pytest.mark.parametrize("user", ["other_facilitator", "other_coordinator"])
def test_people_of_another_team_or_network_get_not_found(
    request, login, other_team, closed_round, other_round, name, user
):
    client = login(request.getfixturevalue(user))

    response = client.get(reverse(name, args=[closed_round.pk]))

    assert response.status_code == 404
    # Their own team's round they can read: the 404 is about scope, not about the user.
    assert client.get(reverse(name, args=[other_round.pk])).status_code == 200


@pytest.mark.parametrize("name", ["round_results", "round_results_csv"])
def test_an_unknown_round_is_not_found(login, admin, closed_round, name):
    response = login(admin).get(reverse(name, args=[closed_round.pk + 1000]))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["round_results", "round_results_csv"])
def test_without_logging_in_the_results_redirect_to_the_login(closed_round, name):
    url = reverse(name, args=[closed_round.pk])

    response = Client().get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "next=" in response.url


def test_the_rounds_own_link_shows_the_results_without_logging_in(closed_round):
    response = Client().get(reverse("results_public", args=[closed_round.token]))

    assert response.status_code == 200
    assert response.context["public"] is True
    assert response.context["round"] == closed_round
    assert response.context["results"].visible is True
    assert response.context["results"].dimensions
    # No link to the CSV, which needs an account.
    assert reverse("round_results_csv", args=[closed_round.pk]) not in response.content.decode()


@pytest.mark.parametrize("which", ["unknown", "response"])
def test_results_under_an_unknown_token_are_not_found(closed_round, which):
    token = "no-such-token" if which == "unknown" else closed_round.responses.first().token

    response = Client().get(reverse("results_public", args=[token]))

    assert response.status_code == 404


# Anonymity


def _distinct_pair(round: Round) -> None:
    """Two respondents whose answers give every dimension an uncommon mean."""
    keys = sorted(_items(round.version))
    _submit(round, {key: 5 if index % 3 else 4 for index, key in enumerate(keys)})
    _submit(round, {key: 1 if index % 4 else 2 for index, key in enumerate(keys)})


def _assert_no_numbers(page, csv_response, round: Round) -> None:
    content = page.content.decode()
    assert page.context["results"].visible is False
    assert page.context["results"].dimensions == []
    assert page.context["results"].items == []
    assert page.context["results"].sectors == []
    assert page.context["figures"] == {}
    assert 'type="application/json"' not in content
    rows = _csv_rows(csv_response)
    assert len(rows) == 3
    assert rows[1][1] == str(page.context["results"].completed)
    text = csv_response.content.decode("utf-8-sig")
    for dimension_key, mean in _db_means(round).items():
        for written in _written(mean):
            assert written not in content, (dimension_key, written)
            assert written not in text, (dimension_key, written)


def test_an_open_round_shows_no_numbers(login, facilitator, round):
    _fill(round, 12)
    assert round.is_open

    page = login(facilitator).get(reverse("round_results", args=[round.pk]))
    csv_response = login(facilitator).get(reverse("round_results_csv", args=[round.pk]))

    assert page.status_code == 200
    assert page.context["results"].completed == 12
    _assert_no_numbers(page, csv_response, round)


def test_a_closed_round_below_the_anonymity_threshold_reveals_no_score(login, facilitator, round):
    _distinct_pair(round)
    _close(round)
    assert round.anonymity_threshold == 3
    assert DimensionScore.objects.count() == 2 * 13

    client = login(facilitator)
    page = _results(client, round)
    csv_response = client.get(reverse("round_results_csv", args=[round.pk]))
    public = Client().get(reverse("results_public", args=[round.token]))

    assert page.status_code == 200
    assert page.context["results"].completed == 2
    assert page.context["results"].missing == 1
    _assert_no_numbers(page, csv_response, round)
    _assert_no_numbers(public, csv_response, round)


def test_a_closed_round_at_the_anonymity_threshold_shows_the_means_that_were_hidden(
    login, facilitator, round
):
    """The counterpart of the test above: the same check does find the means once shown."""
    _distinct_pair(round)
    keys = sorted(_items(round.version))
    _submit(round, {key: 3 for key in keys})
    _close(round)

    page = _results(login(facilitator), round)

    content = page.content.decode()
    assert page.context["results"].visible is True
    means = _db_means(round)
    assert len(means) == 13
    for mean in means.values():
        assert str(floatformat(mean, 1)) in content


def test_between_the_thresholds_means_are_shown_but_no_spreads(login, facilitator, round):
    _fill(round, 4, sectors=(Sector.SCHOOL,))
    _close(round)
    client = login(facilitator)

    page = _results(client, round)
    rows = _csv_rows(client.get(reverse("round_results_csv", args=[round.pk])))

    results = page.context["results"]
    content = page.content.decode()
    assert results.visible is True
    assert results.spreads_visible is False
    assert len(results.dimensions) == 13
    assert results.sectors == []
    scores = _db_scores(round)
    for dimension in results.dimensions:
        assert str(floatformat(dimension.mean, 1)) in content
        assert dimension.spread is None
        assert dimension.agreement is None
        assert not dimension.disagrees
        lowest, highest = min(scores[dimension.key]), max(scores[dimension.key])
        for spread in _ranges(lowest, highest) | _ranges(*_quartiles(scores[dimension.key])):
            assert spread not in content, (dimension.key, spread)
    assert _nl("Opinions differ") not in content
    assert _nl("Middle half of the team") not in content
    figures = _figures(page)
    assert set(figures) == {"radar-figure", "scatter-figure"}
    assert "distributions" not in page.context["figures"]
    assert "sectors" not in page.context["figures"]
    assert not any("fill" in trace for trace in figures["radar-figure"]["data"])
    _assert_no_extremes_in_csv(rows)
    dimension_rows = rows[5 : 5 + 13]
    assert [row[1] for row in dimension_rows] == [d.key for d in _dimensions(round.version)]
    for row in dimension_rows:
        assert len(row) == 14
        assert row[2] != ""
        assert row[4:10] == [""] * 6  # standard deviation, quartiles and the mean's interval
        assert row[10] != ""  # band
        assert row[11] == _nl("yes")  # too few to say how certain the band is
        assert row[12:] == ["", ""]  # agreement
    assert not any(row and row[0] == _nl("Sector") for row in rows)


def test_from_the_breakdown_threshold_the_spreads_are_shown(login, facilitator, round):
    """The counterpart of the test above: the same checks find the spreads at 5 responses."""
    _fill(round, 5, sectors=(Sector.SCHOOL,))
    _close(round)
    client = login(facilitator)

    page = _results(client, round)
    rows = _csv_rows(client.get(reverse("round_results_csv", args=[round.pk])))

    results = page.context["results"]
    content = page.content.decode()
    assert results.spreads_visible is True
    assert _nl("Middle half of the team") in content
    scores = _db_scores(round)
    bands = {_shown_range(d.spread.q1, d.spread.q3) for d in results.dimensions}
    extremes_checked = 0
    for dimension in results.dimensions:
        q1, q3 = _quartiles(scores[dimension.key])
        assert (dimension.spread.q1, dimension.spread.q3) == pytest.approx((q1, q3))
        assert _shown_range(q1, q3) in content
        # Never the lowest to the highest score (unless that is also some dimension's band).
        lowest, highest = min(scores[dimension.key]), max(scores[dimension.key])
        extremes = _ranges(lowest, highest) - bands
        for spread in extremes:
            assert spread not in content, (dimension.key, spread)
        extremes_checked += bool(extremes)
    assert extremes_checked >= 10
    figures = _figures(page)
    assert any(key.startswith("distribution-") for key in figures)
    assert any("fill" in trace for trace in figures["radar-figure"]["data"])
    _assert_no_extremes_in_csv(rows)
    for row, dimension in zip(rows[5 : 5 + 13], results.dimensions, strict=True):
        assert len(row) == 14
        spread = dimension.spread
        assert row[4:8] == [
            f"{v:.2f}".replace(".", ",") for v in (spread.sd, spread.q1, spread.median, spread.q3)
        ]
        assert all(row[8:])


def _sector_layout(round: Round, sizes: dict[str, int]) -> None:
    make_responses(
        [
            (round, size, TeamProfile(level=3.3, sectors=(sector,)))
            for sector, size in sizes.items()
        ],
        rng=random.Random(11),
    )


def _assert_sectors_safe(results) -> None:
    threshold = results.round.breakdown_threshold
    for sector in results.sectors:
        assert sector.n >= threshold
    outside = results.completed - sum(sector.n for sector in results.sectors)
    assert outside == 0 or outside >= threshold, outside


@pytest.mark.parametrize(
    "sizes",
    [
        {Sector.SCHOOL: 6, Sector.CHILDCARE: 6, Sector.YOUTH_CARE: 2},
        {Sector.SCHOOL: 6, Sector.CHILDCARE: 6, Sector.BSO: 6, Sector.YOUTH_CARE: 2},
    ],
    ids=["two-large-one-small", "three-large-one-small"],
)
def test_a_sector_below_the_breakdown_threshold_is_never_shown_nor_derivable(
    login, facilitator, round, sizes
):
    _sector_layout(round, sizes)
    _close(round)
    client = login(facilitator)

    page = _results(client, round)
    rows = _csv_rows(client.get(reverse("round_results_csv", args=[round.pk])))

    results = page.context["results"]
    content = page.content.decode()
    assert results.spreads_visible is True
    shown = {sector.value for sector in results.sectors}
    assert Sector.YOUTH_CARE not in shown
    _assert_sectors_safe(results)
    youth = _nl("Youth care")
    assert f"{youth} (n=" not in content
    assert "(n=2)" not in content
    sector_traces = _figures(page).get("sectors-figure", {"data": []})["data"]
    assert youth not in {trace.get("name") for trace in sector_traces}
    assert {trace.get("name") for trace in sector_traces} == {s.label for s in results.sectors}
    csv_sectors = [row[1] for row in rows if row and row[0] == _nl("Sector")]
    assert csv_sectors == [s.label for s in results.sectors]
    assert youth not in csv_sectors
    if len(sizes) == 4:
        # Leaving out the smallest of the large ones makes the rest large enough.
        assert len(shown) == 2
        assert {trace.get("name") for trace in sector_traces} <= {
            _nl("Primary school"),
            _nl("Childcare"),
            _nl("Out-of-school care (bso)"),
        }


def test_sectors_that_are_all_large_enough_are_shown_with_their_means(login, facilitator, round):
    _sector_layout(round, {Sector.SCHOOL: 6, Sector.CHILDCARE: 5})
    _close(round)

    results = _results(login(facilitator), round).context["results"]

    assert [(s.value, s.n) for s in results.sectors] == [
        (Sector.CHILDCARE, 5),
        (Sector.SCHOOL, 6),
    ]
    for sector in results.sectors:
        expected = dict(
            DimensionScore.objects.filter(response__round=round, response__sector=sector.value)
            .values_list("dimension__key")
            .annotate(mean=Avg("score"))
            .values_list("dimension__key", "mean")
        )
        assert sector.means == pytest.approx(expected)


def test_respondents_without_a_sector_cannot_be_derived_from_the_sector_breakdown(
    login, facilitator, round
):
    _sector_layout(round, {Sector.SCHOOL: 5, Sector.CHILDCARE: 5})
    for _ in range(2):
        # Straight from the start to the first page: the background page is skipped.
        client = Client()
        client.post(reverse("respond_start", args=[round.token]))
        answer_set = Response.objects.filter(round=round).latest("pk")
        items = _ordered_items(round.version, "shared-vision")
        _post_page(client, answer_set, 1, {f"s-{item.pk}": "1" for item in items})
        assert client.post(reverse("respond_submit", args=[answer_set.token])).status_code == 302
    assert Response.objects.filter(round=round, sector="", submitted_at__isnull=False).count() == 2
    _close(round)

    results = _results(login(facilitator), round).context["results"]

    assert results.completed == 12
    _assert_sectors_safe(results)


def _one_childcare_respondent_on_shared_vision(round: Round) -> None:
    """5 school and 5 childcare responses; of the childcare ones only one answered a dimension."""
    _sector_layout(round, {Sector.SCHOOL: 5})
    keys = sorted(_items(round.version))
    skipping = [key for key in keys if not key.startswith("shared-vision.")]
    _submit(round, {key: 2 for key in keys}, sector=Sector.CHILDCARE)
    for _ in range(4):
        _submit(round, {key: 4 for key in skipping}, sector=Sector.CHILDCARE)
    _close(round)


def test_a_sectors_mean_of_a_dimension_few_of_them_answered_is_left_out(login, facilitator, round):
    _one_childcare_respondent_on_shared_vision(round)

    results = _results(login(facilitator), round).context["results"]

    childcare = next(s for s in results.sectors if s.value == Sector.CHILDCARE)
    assert childcare.n == 5
    assert "shared-vision" not in childcare.means
    assert len(childcare.means) == 12


def test_no_one_s_dimension_score_can_be_derived_from_the_sector_breakdown(
    login, facilitator, round
):
    _one_childcare_respondent_on_shared_vision(round)

    results = _results(login(facilitator), round).context["results"]

    threshold = round.breakdown_threshold
    per_group = {
        (sector, key): n
        for sector, key, n in DimensionScore.objects.filter(response__round=round)
        .values_list("response__sector", "dimension__key")
        .annotate(n=Count("id"))
        .values_list("response__sector", "dimension__key", "n")
    }
    overall = dict(
        DimensionScore.objects.filter(response__round=round)
        .values_list("dimension__key")
        .annotate(n=Count("id"))
        .values_list("dimension__key", "n")
    )
    for dimension in results.dimensions:
        shown = [s.value for s in results.sectors if s.means.get(dimension.key) is not None]
        for sector in shown:
            assert per_group[(sector, dimension.key)] >= threshold, (sector, dimension.key)
        outside = overall[dimension.key] - sum(per_group[(s, dimension.key)] for s in shown)
        assert not shown or outside == 0 or outside >= threshold, (dimension.key, outside)


# Each figure on its own number of answers: small bases inside a large enough round


Row = tuple[int | None, int | None, bool | None]  # state, importance, wants to work on it


def _answer(round: Round, rows: dict[str, Row], *, sector: str = "school") -> Response:
    """A submitted response with, per item key, its state, importance and wish (None: not
    answered)."""
    items = _items(round.version)
    response = Response.objects.create(
        round=round, sector=sector, position="staff", submitted_at=timezone.now()
    )
    Answer.objects.bulk_create(
        Answer(response=response, item=items[key], state=state, importance=imp, wants_to_work=want)
        for key, (state, imp, want) in rows.items()
    )
    store_scores(response=response)
    return response


def _plain_keys(round: Round) -> list[str]:
    return sorted(key for key, item in _items(round.version).items() if not item.reverse_scored)


def _few_rated(round: Round, few: int) -> tuple[str, str, str]:
    """Five respondents (enough to rank a statement) who all rate every statement, except on
    three statements where only `few` of them give the importance, the wish to work on it, or
    both.

    - rated: state 1 by all, importance 3 by `few`, all want to work on it: were the
      importance counted, its priority would be 100, the top of the list;
    - wished: state 1 and importance 3 by all, "yes, work on it" by `few`;
    - strong: state 5 by all, importance 1 by `few`, "yes" and "no" alternating by `few`.
    Every other statement: state 3, importance 2, nobody wants to work on it.
    """
    rated, wished, strong = _plain_keys(round)[:3]
    for person in range(scoring.MIN_RANKED_N):
        counts = person < few
        rows: dict[str, Row] = {key: (3, 2, False) for key in _items(round.version)}
        rows[rated] = (1, 3 if counts else None, True)
        rows[wished] = (1, 3, True if counts else None)
        rows[strong] = (5, 1 if counts else None, person % 2 == 0 if counts else None)
        _answer(round, rows)
    _close(round)
    return rated, wished, strong


def _section(content: str, element_id: str, tag: str) -> str:
    match = re.search(rf'<{tag}[^>]*id="{element_id}"[^>]*>(.*?)</{tag}>', content, re.S)
    assert match, element_id
    return match.group(1)


def _element_with(section: str, tag: str, text: str) -> str:
    """The one <tag> element of a section that holds text."""
    (element,) = [
        part
        for part in re.findall(rf"<{tag}(?:\s[^>]*)?>(.*?)</{tag}>", section, re.S)
        if text in part
    ]
    return element


def _item_rows(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    """The CSV's statement rows by key, each cell under its column title."""
    header = _item_header()
    start = rows.index(header)
    table = {}
    for row in rows[start + 1 :]:
        if not row:
            break
        table[row[1]] = dict(zip(header, row, strict=True))
    return table


@pytest.mark.parametrize("few", [1, 2])
def test_an_importance_or_wish_few_gave_is_withheld_beside_a_state_many_gave(
    login, facilitator, round, few
):
    rated, wished, strong = _few_rated(round, few)
    client = login(facilitator)

    page = _results(client, round)
    rows = _csv_rows(client.get(reverse("round_results_csv", args=[round.pk])))

    results = page.context["results"]
    assert results.visible
    by_key = {item.key: item for item in results.items}
    assert by_key[rated].state == 1
    assert (by_key[rated].importance, by_key[rated].priority) == (None, None)
    assert by_key[rated].want_share == 1.0
    assert (by_key[wished].state, by_key[wished].importance) == (1, 3)
    assert by_key[wished].want_share is None
    # The withheld wishes count as nobody's: the priority does not move with them.
    assert by_key[wished].priority == pytest.approx(
        scoring.priority(1, 3, None, scale=results.scale)
    )
    assert by_key[strong].state == 5
    assert (by_key[strong].importance, by_key[strong].want_share) == (None, None)
    assert by_key[strong].priority is None

    content = page.content.decode()
    texts = {key: html.escape(by_key[key].text) for key in (rated, wished, strong)}
    top = _section(content, "top-table", "table")
    assert texts[rated] not in top
    assert texts[strong] not in top
    assert [item.key for item in results.top_improvements][0] == wished
    wished_row = _element_with(top, "tr", texts[wished])
    assert (
        f'<td data-label="{_nl("Want to work on it")}" '
        'class="text-end text-nowrap">–</td>' in wished_row
    )  # want to work on it
    assert "%" not in wished_row
    assert (
        f'<td data-label="{_nl("Priority")}" class="text-end">50</td>' in wished_row
    )  # priority, as if nobody wished
    strengths = _section(content, "strengths-list", "ol")
    strong_line = _element_with(strengths, "li", texts[strong])
    assert "5,0" in strong_line
    assert f"{_nl('importance')} –" in strong_line
    assert "1,0" not in strong_line
    assert "%" not in strong_line
    (scatter,) = _figures(page)["scatter-figure"]["data"]
    statements = [text for _share, text in scatter["customdata"]]
    assert charts.wrap(by_key[rated].text, 40) not in statements
    assert charts.wrap(by_key[strong].text, 40) not in statements
    assert scatter["customdata"][statements.index(charts.wrap(by_key[wished].text, 40))][0] == 0

    csv_items = _item_rows(rows)
    state, n, importance, importance_n = (
        _nl("Current state"),
        _nl("Number of answers"),
        _nl("Importance"),
        _nl("Number of answers on importance"),
    )
    share, wants_n, priority = (
        _nl("Want to work on it (share)"),
        _nl("Number of answers on working on it"),
        _nl("Priority"),
    )
    assert csv_items[rated][state] == "1,00"
    assert csv_items[rated][n] == str(scoring.MIN_RANKED_N)
    assert (csv_items[rated][importance], csv_items[rated][importance_n]) == ("", str(few))
    assert (csv_items[rated][share], csv_items[rated][priority]) == ("1,00", "")
    assert csv_items[wished][importance] == "3,00"
    assert (csv_items[wished][share], csv_items[wished][wants_n]) == ("", str(few))
    assert csv_items[wished][priority] == "50,0"
    assert csv_items[strong][state] == "5,00"
    assert (csv_items[strong][importance], csv_items[strong][share]) == ("", "")
    assert csv_items[strong][priority] == ""


def test_an_importance_and_wish_of_three_are_shown(login, facilitator, round):
    """The counterpart of the test above: at the anonymity threshold the same checks find
    the figures."""
    rated, wished, strong = _few_rated(round, 3)
    client = login(facilitator)

    page = _results(client, round)
    rows = _csv_rows(client.get(reverse("round_results_csv", args=[round.pk])))

    results = page.context["results"]
    by_key = {item.key: item for item in results.items}
    assert by_key[rated].importance == 3
    assert by_key[rated].priority == pytest.approx(100)
    assert by_key[wished].want_share == 1.0
    assert (by_key[strong].importance, by_key[strong].want_share) == (1, pytest.approx(2 / 3))
    content = page.content.decode()
    top = _section(content, "top-table", "table")
    # The importance of `rated` may be shown, but on three answers it is not ranked.
    assert [item.key for item in results.top_improvements][0] == wished
    assert rated not in [item.key for item in results.top_improvements]
    assert "100%" in _element_with(top, "tr", html.escape(by_key[wished].text))
    strong_line = _element_with(
        _section(content, "strengths-list", "ol"), "li", html.escape(by_key[strong].text)
    )
    assert f"{_nl('importance')} 1,0" in strong_line
    assert "67%" in strong_line
    csv_items = _item_rows(rows)
    assert csv_items[rated][_nl("Importance")] == "3,00"
    assert csv_items[rated][_nl("Priority")] == "100,0"
    assert csv_items[wished][_nl("Want to work on it (share)")] == "1,00"
    assert csv_items[strong][_nl("Want to work on it (share)")] == "0,67"


def _three_of_five_on_shared_vision(round: Round) -> None:
    """Five respondents; only three answer the shared-vision statements, with 1, 2 and 5."""
    keys = sorted(_items(round.version))
    for person, (vision, other) in enumerate([(1, 2), (2, 3), (5, 3), (None, 4), (None, 4)]):
        _submit(
            round,
            {
                key: vision if key.startswith("shared-vision.") else other
                for key in keys
                if person < 3 or not key.startswith("shared-vision.")
            },
        )
    _close(round)


def test_a_dimension_three_of_five_answered_shows_its_mean_but_no_spread(login, facilitator, round):
    _three_of_five_on_shared_vision(round)
    client = login(facilitator)

    page = _results(client, round)
    rows = _csv_rows(client.get(reverse("round_results_csv", args=[round.pk])))

    results = page.context["results"]
    assert results.completed == 5
    assert results.spreads_visible is True
    by_key = {dimension.key: dimension for dimension in results.dimensions}
    vision = by_key["shared-vision"]
    assert (vision.n, vision.mean) == (3, pytest.approx(8 / 3))
    assert vision.spread is None
    assert vision.agreement is None
    assert not vision.disagrees  # the three differ widely, but are too few to say so
    others = [d for d in results.dimensions if d.key != "shared-vision"]
    assert len(others) == 12
    assert all(d.n == 5 and d.spread is not None for d in others)

    content = page.content.decode()
    table = _section(content, "dimension-table", "table")
    vision_row = _element_with(table, "tr", html.escape(vision.name))
    assert f'<td data-label="{_nl("Mean")}" class="text-end fw-semibold">2,7</td>' in vision_row
    assert f'<td data-label="{_nl("n")}" class="text-end">3</td>' in vision_row
    assert (
        f'<td data-label="{_nl("Middle half of the team")}" '
        'class="text-end text-nowrap">–</td>' in vision_row
    )
    assert _nl("Opinions differ") not in vision_row
    # The three's quartiles (1.5 to 3.5) and extremes (1 to 5) are nowhere on the page.
    for spread in _ranges(1.5, 3.5) | _ranges(1.0, 5.0):
        assert spread not in content, spread
    # Nor are the other dimensions' extremes, only their middle half.
    scores = _db_scores(round)
    for dimension in others:
        values = scores[dimension.key]
        assert _shown_range(dimension.spread.q1, dimension.spread.q3) in content
        for spread in _ranges(min(values), max(values)):
            assert spread not in content, (dimension.key, spread)
    radar = _figures(page)["radar-figure"]["data"]
    band = [trace["r"] for trace in radar if trace.get("hoverinfo") == "skip" and "fill" in trace]
    position = [d.key for d in results.dimensions].index("shared-vision")
    lower = radar[[trace["r"] for trace in radar].index(band[0]) - 1]["r"]
    assert lower[position] == band[0][position] == pytest.approx(vision.mean)

    _assert_no_extremes_in_csv(rows)
    (vision_csv,) = [row for row in rows[5 : 5 + 13] if row[1] == "shared-vision"]
    assert vision_csv == [
        vision.name,
        "shared-vision",
        "2,67",
        "3",
        "",
        "",
        "",
        "",
        "",
        "",
        _nl_label(vision.band),
        _nl("yes"),
        "",
        "",
    ]
    for row in rows[5 : 5 + 13]:
        if row[1] != "shared-vision":
            assert all(row), row


def _one_statement_apart(round: Round, answers: tuple[int, ...]) -> str:
    """Respondents who answer 3 everywhere, except on one statement: `answers` there."""
    keys = sorted(_items(round.version))
    lonely = _plain_keys(round)[0]
    for answer in answers:
        _submit(round, {key: answer if key == lonely else 3 for key in keys})
    _close(round)
    return lonely


def _distribution_charts(page) -> list[dict]:
    """The distribution charts as the page hands them to plotly, checked against the view's."""
    figures = _figures(page)
    shown = [figures[chart["id"]] for chart in page.context["figures"].get("distributions", [])]
    assert len(shown) == len([key for key in figures if key.startswith("distribution-")])
    return shown


def _bars(page, item) -> dict[str, float] | None:
    """One statement's bars in the distribution charts, by trace name (None: no bars)."""
    label = charts.wrap(item.text, 34)
    for figure in _distribution_charts(page):
        if label in figure["data"][0]["y"]:
            position = figure["data"][0]["y"].index(label)
            return {trace["name"]: trace["x"][position] for trace in figure["data"]}
    return None


def _assert_in_no_bar(page, shares: set[float]) -> None:
    for figure in _distribution_charts(page):
        for trace in figure["data"]:
            for share in shares:
                assert share not in trace["x"], (trace["name"], share)


def _assert_all_on_three_elsewhere(page, item) -> None:
    """Every other statement: all respondents on 3, shown as it is (per answer)."""
    label = charts.wrap(item.text, 34)
    shape = structure(page.context["round"].version)
    answers = [charts.plain(scale_label.label) for scale_label in shape.state_labels]
    assert len(answers) == STATE_MAX
    for figure in _distribution_charts(page):
        assert [trace["name"] for trace in figure["data"]] == answers
        three = figure["data"][2]
        others = [x for y, x in zip(three["y"], three["x"], strict=True) if y != label]
        assert others and all(x == 100.0 for x in others)


def _charted(count: int, total: int) -> float:
    """A share as the chart writes it: percent, one decimal (`round` is a fixture here)."""
    return float(f"{100 * count / total:.1f}")


def test_a_lone_answer_alone_in_its_group_leaves_its_statement_without_a_distribution(
    login, facilitator, round
):
    """Attack: one colleague's answer read off the distribution as a share of one person.
    Seven respondents; on one statement one answers 1, three 4 and three 5. The 1 is also
    the whole "disagree" group, so the statement has no distribution at all."""
    lonely = _one_statement_apart(round, (1, 4, 4, 4, 5, 5, 5))

    page = _results(login(facilitator), round)

    results = page.context["results"]
    item = next(item for item in results.items if item.key == lonely)
    assert item.state is not None  # the mean is shown, but no share beside it
    assert item.distribution is None
    assert _bars(page, item) is None
    _assert_in_no_bar(page, {_charted(1, 7)})  # 14.3
    others = [other for other in results.items if other.key != lonely]
    assert all(other.distribution and not other.distribution.grouped for other in others)
    _assert_all_on_three_elsewhere(page, item)


def test_a_lone_answer_is_shown_only_inside_its_group(login, facilitator, round):
    """Attack: as above, with two colleagues beside the lone one in "disagree". The
    statement, and with it its whole chart, is shown per group: the 1 never has a bar."""
    lonely = _one_statement_apart(round, (1, 2, 2, 4, 4, 4, 5, 5, 5))

    page = _results(login(facilitator), round)

    item = next(item for item in page.context["results"].items if item.key == lonely)
    assert item.distribution.grouped
    assert item.distribution.shares == pytest.approx((3 / 9, 0.0, 6 / 9))
    with translation.override("nl"):
        groups = [
            translation.pgettext("answer group", "(Strongly) disagree"),
            translation.pgettext("answer group", "Neither agree nor disagree"),
            translation.pgettext("answer group", "(Strongly) agree"),
        ]
    assert _bars(page, item) == {groups[0]: 33.3, groups[1]: 0.0, groups[2]: 66.7}
    _assert_in_no_bar(page, {_charted(1, 9), _charted(2, 9)})
    # The other statements of its dimension are in the same grouped chart: all "neither".
    label = charts.wrap(item.text, 34)
    (chart,) = [f for f in _distribution_charts(page) if label in f["data"][0]["y"]]
    assert [trace["name"] for trace in chart["data"]] == groups
    middle = chart["data"][1]
    assert [x for y, x in zip(middle["y"], middle["x"], strict=True) if y != label] == [100.0] * (
        len(middle["y"]) - 1
    )
    assert len(middle["y"]) > 1


def test_the_mean_beside_the_distribution_no_longer_gives_away_the_few_answers(
    login, facilitator, round
):
    """Attack: with suppressed cells, answers 1, 2, 5, 5, 5, 5, 5 at threshold 3 showed the 5
    at 71% beside a mean of 4.00 on 7 answers, so the two hidden answers summed to 3: a 1
    and a 2. Now the page shows no share that rests on the 1 or the 2, alone or together."""
    assert round.anonymity_threshold == 3
    lonely = _one_statement_apart(round, (1, 2, 5, 5, 5, 5, 5))
    client = login(facilitator)

    page = _results(client, round)
    rows = _csv_rows(client.get(reverse("round_results_csv", args=[round.pk])))

    item = next(item for item in page.context["results"].items if item.key == lonely)
    assert (item.state, item.state_n) == (pytest.approx(4.0), 7)
    assert _item_rows(rows)[lonely][_nl("Current state")] == "4,00"
    assert item.distribution is None
    assert _bars(page, item) is None
    # Not the five 5s (71.4%), the two (28.6%) nor either of them (14.3%).
    _assert_in_no_bar(page, {_charted(n, 7) for n in (1, 2, 5)})
    _assert_all_on_three_elsewhere(page, item)


# The numbers


@pytest.fixture
def measured_round(round):
    make_responses(
        [
            (
                round,
                12,
                TeamProfile(
                    level=3.1, divided=1.2, dimension_shift={"resources": -0.8, "parents": 0.9}
                ),
            )
        ],
        rng=random.Random(2026),
    )
    # Half-filled questionnaires that were never submitted count nowhere.
    make_responses(
        [(round, 3, TeamProfile(level=1.0, dont_know_rate=0.0))],
        rng=random.Random(3),
        submitted=False,
    )
    return _close(round)


def test_the_dimension_means_are_the_means_of_the_stored_scores(login, facilitator, measured_round):
    page = _results(login(facilitator), measured_round)

    results = page.context["results"]
    content = page.content.decode()
    assert results.completed == 12
    stored = _db_means(measured_round)
    assert [d.key for d in results.dimensions] == [
        d.key for d in _dimensions(measured_round.version)
    ]
    for dimension in results.dimensions:
        scores = list(
            DimensionScore.objects.filter(
                response__round=measured_round,
                response__submitted_at__isnull=False,
                dimension__key=dimension.key,
            ).values_list("score", flat=True)
        )
        assert dimension.n == len(scores)
        assert dimension.mean == pytest.approx(statistics.fmean(scores))
        assert dimension.mean == pytest.approx(stored[dimension.key])
        assert html.escape(dimension.name) in content
        assert (
            f'<td data-label="{_nl("Mean")}" class="text-end fw-semibold">'
            f"{floatformat(dimension.mean, 1)}</td>" in content
        )


def test_the_item_states_are_the_means_of_the_scored_answers(login, facilitator, measured_round):
    results = _results(login(facilitator), measured_round).context["results"]

    items = _items(measured_round.version)
    assert len(results.items) == len(items)
    for result in results.items:
        states = list(
            Answer.objects.filter(
                response__round=measured_round,
                response__submitted_at__isnull=False,
                item__key=result.key,
                state__isnull=False,
            ).values_list("state", flat=True)
        )
        if items[result.key].reverse_scored:
            states = [STATE_MAX + 1 - state for state in states]
        assert result.state_n == len(states)
        assert result.state == pytest.approx(statistics.fmean(states))
    assert any(items[result.key].reverse_scored for result in results.items)


def test_the_top_improvements_are_the_ten_highest_priorities_in_order(
    login, facilitator, measured_round
):
    page = _results(login(facilitator), measured_round)

    results = page.context["results"]
    top = results.top_improvements
    assert 0 < len(top) <= 10
    priorities = [item.priority for item in top]
    assert priorities == sorted(priorities, reverse=True)
    every = sorted((i.priority for i in results.items if i.priority is not None), reverse=True)
    assert priorities == every[: len(top)]
    assert len(top) == min(10, len(every))
    content = page.content.decode()
    positions = [content.index(html.escape(item.text)) for item in top]
    assert positions == sorted(positions)


def test_the_csv_has_a_row_per_dimension_and_item_and_none_per_respondent(
    login, facilitator, measured_round
):
    client = login(facilitator)
    results = _results(client, measured_round).context["results"]

    response = client.get(reverse("round_results_csv", args=[measured_round.pk]))

    rows = _csv_rows(response)
    dimensions = _dimensions(measured_round.version)
    items = _items(measured_round.version)
    assert rows[1] == [_nl("Completed responses"), "12"]
    dimension_rows = rows[5 : 5 + len(dimensions)]
    assert [row[1] for row in dimension_rows] == [d.key for d in dimensions]
    for row, dimension in zip(dimension_rows, results.dimensions, strict=True):
        assert row[2] == f"{dimension.mean:.2f}".replace(".", ",")
        assert row[3] == str(dimension.n)
    item_start = 5 + len(dimensions) + 2
    item_rows = rows[item_start : item_start + len(items)]
    assert sorted(row[1] for row in item_rows) == sorted(items)
    sector_rows = (2 + len(dimensions)) * len(results.sectors)
    assert len(rows) == item_start + len(items) + sector_rows
    text = response.content.decode("utf-8-sig")
    for token in Response.objects.filter(round=measured_round).values_list("token", flat=True):
        assert token not in text
    assert measured_round.token not in text
    assert response["Content-Disposition"].startswith('attachment; filename="samenspel-')


DUTCH_BANDS = {"Sterk punt", "Aandachtspunt", "Zorgpunt"}
DUTCH_NUMBER = re.compile(r"-?[0-9]+(,[0-9]+)?")


def _first_dimension_row(rows: list[list[str]], results) -> int:
    """Where the dimension rows start: after the header whose key column is the first key."""
    first_key = results.dimensions[0].key
    return next(index for index, row in enumerate(rows) if row[1:2] == [first_key])


def _numbers_equal_the_page(rows: list[list[str]], results, parse) -> None:
    """The dimension and statement rows hold the page's figures, to the written decimals."""
    at = _first_dimension_row(rows, results)
    dimension_rows = rows[at : at + len(results.dimensions)]
    for row, dimension in zip(dimension_rows, results.dimensions, strict=True):
        assert parse(row[2]) == pytest.approx(dimension.mean, abs=0.005)
        spread = dimension.spread
        interval = dimension.interval
        figures = (spread.sd, spread.q1, spread.median, spread.q3, interval.low, interval.high)
        figures += (dimension.agreement,)
        for cell, figure in zip(row[4:10] + [row[12]], figures, strict=True):
            assert parse(cell) == pytest.approx(figure, abs=0.005)
    by_key = {item.key: item for item in results.items}
    start = at + len(results.dimensions) + 2
    for row in rows[start : start + len(results.items)]:
        item = by_key[row[1]]
        assert parse(row[3]) == pytest.approx(item.state, abs=0.005)
        if item.priority is not None:
            assert parse(row[11]) == pytest.approx(item.priority, abs=0.05)


def test_the_dutch_csv_has_semicolons_decimal_commas_and_dutch_words(
    login, facilitator, measured_round
):
    client = login(facilitator)
    results = _results(client, measured_round).context["results"]

    response = client.get(reverse("round_results_csv", args=[measured_round.pk]))

    assert response.content.startswith("\ufeff".encode())
    rows = _csv_rows(response)
    at = _first_dimension_row(rows, results)
    assert rows[at - 1] == _dimension_header()
    _numbers_equal_the_page(rows, results, _csv_number)
    dimension_rows = rows[at : at + len(results.dimensions)]
    for row in dimension_rows:
        assert all(DUTCH_NUMBER.fullmatch(cell) for cell in row[2:10] + [row[12]]), row
        assert {row[11], row[13]} <= {"ja", "nee"}
    assert {row[10] for row in dimension_rows} <= DUTCH_BANDS
    assert [row[10] for row in dimension_rows] == [_nl_label(d.band) for d in results.dimensions]
    text = response.content.decode("utf-8-sig")
    for code in ("strength", "attention", "concern"):
        assert code not in text


def test_the_english_csv_has_commas_and_decimal_points(login, facilitator, measured_round):
    client = login(facilitator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    results = _results(client, measured_round).context["results"]

    response = client.get(reverse("round_results_csv", args=[measured_round.pk]))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1] == ["Completed responses", "12"]
    _numbers_equal_the_page(rows, results, float)
    at = _first_dimension_row(rows, results)
    dimension_rows = rows[at : at + len(results.dimensions)]
    assert {row[10] for row in dimension_rows} <= {"Strength", "Attention", "Concern"}
    assert {row[11] for row in dimension_rows} | {row[13] for row in dimension_rows} <= {
        "yes",
        "no",
    }


def test_the_csv_writes_the_change_as_a_word_of_the_language(
    login, facilitator, team, questionnaire
):
    _close(_trend_round(team, questionnaire, "Voorjaar 2026", 200, 7, 1.6))
    latest = _close(_trend_round(team, questionnaire, "Najaar 2026", 100, 8, 4.0))
    client = login(facilitator)
    url = reverse("round_results_csv", args=[latest.pk])

    dutch = _csv_rows(client.get(url))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))

    for rows, trend, up in ((dutch, _nl("Trend"), "omhoog"), (english, "Trend", "up")):
        start = next(i for i, row in enumerate(rows) if row and row[0] == trend)
        trend_rows = rows[start + 1 : start + 1 + 13]
        assert {row[-1] for row in trend_rows} == {up}
    start = next(i for i, row in enumerate(dutch) if row and row[0] == _nl("Trend"))
    for row in dutch[start + 1 : start + 1 + 13]:
        assert _csv_number(row[3]) > _csv_number(row[2]) + 1


# Speed


def _count_queries(client: Client, round: Round) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as queries:
        response = _results(client, round)
    assert response.status_code == 200
    assert response.context["results"].spreads_visible
    return len(queries), response.context["results"].sectors


@pytest.mark.parametrize(
    ("few", "sectors", "breakdown"),
    [(5, (Sector.SCHOOL,), False), (10, (Sector.SCHOOL, Sector.CHILDCARE), True)],
    ids=["without-sector-breakdown", "with-sector-breakdown"],
)
def test_the_results_page_does_the_same_few_queries_for_few_and_for_40_respondents(
    login,
    admin,
    team,
    other_team,
    questionnaire,
    django_assert_max_num_queries,
    few,
    sectors,
    breakdown,
):
    # Two teams without earlier rounds, and sectors that make both pages show the same
    # sections: the sector breakdown is one query more, whatever the number of respondents.
    small = Round.objects.create(team=team, version=questionnaire, title="Klein")
    large = Round.objects.create(team=other_team, version=questionnaire, title="Groot")
    profile = TeamProfile(level=3.4, sectors=sectors)
    make_responses([(small, few, profile), (large, 40, profile)], rng=random.Random(5))
    _close(small)
    _close(large)
    client = login(admin)
    _results(client, small)  # warm up: session and caches
    cache.clear()  # but count the rendering: an ended round's page is kept (results.kept)

    small_count, small_sectors = _count_queries(client, small)
    large_count, large_sectors = _count_queries(client, large)

    assert bool(small_sectors) is bool(large_sectors) is breakdown
    assert small_count == large_count
    with django_assert_max_num_queries(20):
        _results(client, large)


# The team page


def test_the_team_page_links_to_the_results_of_a_closed_round_only(login, member, team, round):
    still_open = Round.objects.create(team=team, version=round.version, title="Voorjaar 2027")
    _close(round)

    response = login(member).get(reverse("team_detail", args=[team.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert f'href="{reverse("round_results", args=[round.pk])}"' in content
    assert reverse("round_results", args=[still_open.pk]) not in content


# Reverse-scored statements cannot be read the wrong way round


def _reverse_round(round: Round, raw: int) -> Round:
    """Six respondents: every statement a 3, the reverse-scored one answered `raw` by all."""
    for _person in range(6):
        _submit(round, {key: raw if key == REVERSE_KEY else 3 for key in _items(round.version)})
    return _close(round)


def _badges(section: str) -> int:
    return section.count(f">{_nl('reverse-scored')}<")


def test_a_reverse_scored_statement_in_the_top_10_is_marked_with_its_explanation(
    login, facilitator, round
):
    # Everyone agrees the rules stand in the way: mirrored, the weakest state, priority 100.
    _reverse_round(round, raw=5)

    response = _results(login(facilitator), round)

    results = response.context["results"]
    assert results.top_improvements[0].key == REVERSE_KEY
    assert results.top_improvements[0].reverse
    assert [item.key for item in results.items if item.reverse] == [REVERSE_KEY]
    content = response.content.decode()
    top = _section(content, "top-table", "table")
    text = html.escape(_items(round.version)[REVERSE_KEY].text)
    row = _element_with(top, "tr", text)
    assert _badges(row) == 1 and _badges(top) == 1
    explanation = _nl(
        "A higher score means the team disagrees with this statement, which is the good direction."
    )
    assert f'title="{html.escape(explanation)}"' in row
    assert f'<span class="visually-hidden">: {html.escape(explanation)}</span>' in row
    # Not among the strengths, so no badge there.
    assert _badges(_section(content, "strengths-list", "ol")) == 0


def test_a_reverse_scored_strength_is_marked(login, facilitator, round):
    # Everyone disagrees the rules stand in the way: mirrored, the strongest state.
    _reverse_round(round, raw=1)

    response = _results(login(facilitator), round)

    results = response.context["results"]
    assert results.strong_items[0].key == REVERSE_KEY
    assert results.strong_items[0].state == pytest.approx(5.0)
    strengths = _section(response.content.decode(), "strengths-list", "ol")
    text = html.escape(_items(round.version)[REVERSE_KEY].text)
    assert _badges(_element_with(strengths, "li", text)) == 1
    assert _badges(strengths) == 1
    # Priority 0: beyond the top 10 of 26 statements.
    assert REVERSE_KEY not in [item.key for item in results.top_improvements]


def test_the_charts_say_how_to_read_a_reverse_scored_statement(login, facilitator, round):
    _reverse_round(round, raw=5)

    response = _results(login(facilitator), round)

    results = response.context["results"]
    figures = _figures(response)
    scatter_note = _nl(
        "Reverse-scored: a higher state means the team disagrees with this statement, "
        "which is the good direction."
    )
    (points,) = figures["scatter-figure"]["data"]
    plotted = [item for item in results.items if item.importance is not None]
    flagged = [
        item.key
        for item, (_share, text) in zip(plotted, points["customdata"], strict=True)
        if charts.wrap(scatter_note, 40) in text
    ]
    assert flagged == [REVERSE_KEY]
    # The distribution shows the answers as given: all "agree" (5), not mirrored to 1.
    note = _nl("Reverse-scored: the answers as given, not mirrored; agreeing is the weak side.")
    reverse_item = next(item for item in results.items if item.key == REVERSE_KEY)
    (chart,) = [
        c
        for c in response.context["figures"]["distributions"]
        if c["name"] == reverse_item.dimension_name
    ]
    shown = [
        item for item in results.items if item.distribution and item.dimension_name == chart["name"]
    ]
    bars = chart["figure"]["data"]
    index = [item.key for item in shown].index(REVERSE_KEY)
    assert charts.wrap(note, 34) in bars[0]["y"][index]
    assert all(charts.wrap(note, 34) in bar["customdata"][index] for bar in bars)
    assert all("%{customdata}" in bar["hovertemplate"] for bar in bars)
    assert [bar["x"][index] for bar in bars] == [0, 0, 0, 0, 100]
    others = [i for i in range(len(shown)) if i != index]
    assert all(not bar["customdata"][i] and note not in bar["y"][i] for bar in bars for i in others)


def test_the_csv_says_which_statements_are_reverse_scored_and_how_to_read_them(
    login, facilitator, round
):
    _reverse_round(round, raw=5)

    rows = _csv_rows(login(facilitator).get(reverse("round_results_csv", args=[round.pk])))

    head = rows[: rows.index([])]
    assert [
        _nl(
            "Reverse-scored statements are worded negatively. Their current state is mirrored, "
            "so it is agreement with the positive reading: a higher number means the team "
            "disagrees with the statement as written, which is the good direction."
        )
    ] in head
    table = _item_rows(rows)
    column = _nl("Reverse-scored")
    assert column == "Omgekeerd gescoord"
    assert table[REVERSE_KEY][column] == _nl("yes")
    assert {key for key, row in table.items() if row[column] == _nl("yes")} == {REVERSE_KEY}
    assert {row[column] for key, row in table.items() if key != REVERSE_KEY} == {_nl("no")}
    # The state is the mirrored one: everybody agreed (5), so the state is 1.
    assert float(table[REVERSE_KEY][_nl("Current state")].replace(",", ".")) == 1.0
