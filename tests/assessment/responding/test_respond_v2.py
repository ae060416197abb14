"""A respondent fills in a version that asks differently: importance and wanting to work
on it once per dimension, "does not apply to me" apart from "don't know", and a report mark
on a page of its own before the review."""

import pytest
from django.test import Client
from django.urls import reverse

from assessment.models import Answer, Dimension, DimensionAnswer, Item, Response, Round
from tests.assessment.responding import test_respond
from tests.assessment.responding.test_respond import (
    _checked,
    _page_url,
    _start,
    _template_names,
    _url,
)

DIMENSIONS = 3
MARK_PAGE = DIMENSIONS + 1

# A browser that started the `round` made here and answered the background page.
respondent = test_respond.respondent


@pytest.fixture
def round(team, questionnaire_v2):
    return Round.objects.create(team=team, version=questionnaire_v2, title="Voorjaar 2027")


def _dimension(version, page: int) -> Dimension:
    return list(version.dimensions.order_by("order", "pk"))[page - 1]


def _items(version, page: int) -> list[Item]:
    return list(_dimension(version, page).items.order_by("order"))


def _page(version, page: int, state="4", importance="3", wants="yes", **extra) -> dict:
    """Every statement's state, and the topic's importance and wanting."""
    dimension = _dimension(version, page)
    data = {f"s-{item.pk}": state for item in _items(version, page)}
    data |= {f"di-{dimension.pk}": importance, f"dw-{dimension.pk}": wants, "nav": "next"}
    return data | extra


def _topics(answer_set: Response) -> dict[int, tuple]:
    return {
        row.dimension_id: (row.importance, row.wants_to_work)
        for row in DimensionAnswer.objects.filter(response=answer_set)
    }


def _states(answer_set: Response) -> dict[int, tuple]:
    return {
        a.item_id: (a.state, a.dont_know, a.not_applicable, a.importance, a.wants_to_work)
        for a in Answer.objects.filter(response=answer_set)
    }


# A dimension's page


def test_a_dimension_page_asks_each_statement_only_its_state_and_the_topic_once(respondent):
    client, answer_set = respondent
    version = answer_set.round.version
    dimension = _dimension(version, 1)

    response = client.get(_page_url(answer_set, 1))

    content = response.content.decode()
    assert response.status_code == 200
    assert "respond/topic.html" in _template_names(response)
    assert content.count('name="s-') == len(_items(version, 1)) * 7  # five points, dk and na
    assert 'name="i-' not in content and 'name="w-' not in content
    assert content.count(f'name="di-{dimension.pk}"') == 4  # the version's 4-point scale
    assert content.count(f'name="dw-{dimension.pk}"') == 2
    assert "Over dit onderwerp" in content
    assert "Hoe belangrijk is dit onderwerp voor jou?" in content
    assert "Wil je hier als team aan werken?" in content
    assert "Weet ik niet" in content and "Geldt niet voor mij" in content
    assert "Weet ik niet / n.v.t." not in content
    assert "Deel 1 van 4" in content


def test_the_page_saves_states_not_applicable_and_the_topic(respondent):
    client, answer_set = respondent
    version = answer_set.round.version
    first, second, third = _items(version, 1)
    dimension = _dimension(version, 1)
    data = _page(version, 1, importance="4", wants="no") | {
        f"s-{second.pk}": "na",
        f"s-{third.pk}": "dk",
    }

    response = client.post(_page_url(answer_set, 1), data)

    assert response.status_code == 302
    assert response.url == _page_url(answer_set, 2)
    assert _states(answer_set) == {
        first.pk: (4, False, False, None, None),
        second.pk: (None, False, True, None, None),
        third.pk: (None, True, False, None, None),
    }
    assert _topics(answer_set) == {dimension.pk: (4, False)}
    answer_set.refresh_from_db()
    assert answer_set.last_page == 2


def test_coming_back_shows_what_was_saved(respondent):
    client, answer_set = respondent
    version = answer_set.round.version
    first, second, _third = _items(version, 1)
    dimension = _dimension(version, 1)
    client.post(_page_url(answer_set, 1), _page(version, 1) | {f"s-{second.pk}": "na"})

    checked = _checked(client.get(_page_url(answer_set, 1)))

    assert checked[f"s-{first.pk}"] == "4"
    assert checked[f"s-{second.pk}"] == "na"
    assert checked[f"di-{dimension.pk}"] == "3"
    assert checked[f"dw-{dimension.pk}"] == "yes"


def test_saving_a_page_again_changes_the_topics_answer_not_adds_one(respondent):
    client, answer_set = respondent
    version = answer_set.round.version
    client.post(_page_url(answer_set, 1), _page(version, 1, importance="1", wants="yes"))

    client.post(_page_url(answer_set, 1), _page(version, 1, importance="2", wants="no"))

    assert list(_topics(answer_set).values()) == [(2, False)]


def test_a_topic_answer_outside_its_scale_is_shown_again_and_nothing_is_saved(respondent):
    client, answer_set = respondent
    version = answer_set.round.version

    response = client.post(_page_url(answer_set, 1), _page(version, 1, importance="5"))

    assert response.status_code == 400
    assert "Kies een van de antwoorden die je ziet." in response.content.decode()
    assert response.context["error_count"] == 1
    assert not Answer.objects.exists() and not DimensionAnswer.objects.exists()


@pytest.mark.parametrize("kind", ["di", "dw"])
def test_a_field_for_another_pages_dimension_is_refused(respondent, kind):
    client, answer_set = respondent
    version = answer_set.round.version
    elsewhere = _dimension(version, 2)
    value = "yes" if kind == "dw" else "2"

    response = client.post(
        _page_url(answer_set, 1), _page(version, 1) | {f"{kind}-{elsewhere.pk}": value}
    )

    assert response.status_code == 400
    assert "respond/foreign_answer.html" in _template_names(response)
    assert not Answer.objects.exists() and not DimensionAnswer.objects.exists()


def test_importance_per_statement_is_refused_where_it_is_asked_per_dimension(respondent):
    client, answer_set = respondent
    version = answer_set.round.version
    item = _items(version, 1)[0]

    response = client.post(_page_url(answer_set, 1), _page(version, 1) | {f"i-{item.pk}": "2"})

    assert response.status_code == 400
    assert "respond/foreign_answer.html" in _template_names(response)


@pytest.mark.parametrize("page", [0, MARK_PAGE + 1, 99])
def test_a_page_the_version_lacks_is_not_found(respondent, page):
    client, answer_set = respondent

    assert client.get(_page_url(answer_set, page)).status_code == 404


def test_the_last_dimension_leads_to_the_mark_not_to_the_review(respondent):
    client, answer_set = respondent
    version = answer_set.round.version

    last = client.get(_page_url(answer_set, DIMENSIONS)).content.decode()
    response = client.post(_page_url(answer_set, DIMENSIONS), _page(version, DIMENSIONS))

    assert "Opslaan en verder" in last
    assert response.url == _page_url(answer_set, MARK_PAGE)


# Answers saved as they are tapped


def _answer_url(answer_set: Response, page: int) -> str:
    return reverse("respond_answer", args=[answer_set.token, page])


def test_a_tapped_topic_answer_is_saved_and_nothing_else(respondent):
    client, answer_set = respondent
    dimension = _dimension(answer_set.round.version, 1)

    response = client.post(_answer_url(answer_set, 1), {f"di-{dimension.pk}": "2"})

    assert response.status_code == 204
    assert _topics(answer_set) == {dimension.pk: (2, None)}
    assert not Answer.objects.exists()
    answer_set.refresh_from_db()
    assert answer_set.last_page == 1


def test_the_topics_second_tap_sends_both_and_keeps_both(respondent):
    client, answer_set = respondent
    dimension = _dimension(answer_set.round.version, 1)
    fields = {f"di-{dimension.pk}": "2"}
    client.post(_answer_url(answer_set, 1), fields)

    client.post(_answer_url(answer_set, 1), fields | {f"dw-{dimension.pk}": "yes"})

    assert _topics(answer_set) == {dimension.pk: (2, True)}


def test_a_tapped_not_applicable_is_saved(respondent):
    client, answer_set = respondent
    item = _items(answer_set.round.version, 1)[0]

    response = client.post(_answer_url(answer_set, 1), {f"s-{item.pk}": "na"})

    assert response.status_code == 204
    assert _states(answer_set) == {item.pk: (None, False, True, None, None)}


def test_a_tapped_answer_for_another_pages_dimension_is_refused(respondent):
    client, answer_set = respondent
    elsewhere = _dimension(answer_set.round.version, 2)

    response = client.post(_answer_url(answer_set, 1), {f"di-{elsewhere.pk}": "2"})

    assert response.status_code == 400
    assert not DimensionAnswer.objects.exists()


def test_a_tap_that_answers_a_statement_and_the_topic_at_once_is_refused(respondent):
    client, answer_set = respondent
    version = answer_set.round.version
    item, dimension = _items(version, 1)[0], _dimension(version, 1)

    response = client.post(
        _answer_url(answer_set, 1), {f"s-{item.pk}": "3", f"di-{dimension.pk}": "2"}
    )

    assert response.status_code == 400
    assert not Answer.objects.exists() and not DimensionAnswer.objects.exists()


def test_a_tapped_topic_answer_outside_its_scale_is_refused(respondent):
    client, answer_set = respondent
    dimension = _dimension(answer_set.round.version, 1)

    response = client.post(_answer_url(answer_set, 1), {f"di-{dimension.pk}": "5"})

    assert response.status_code == 400
    assert not DimensionAnswer.objects.exists()


@pytest.mark.parametrize("page", [MARK_PAGE, 99])
def test_no_answer_is_tapped_on_a_page_without_statements(respondent, page):
    client, answer_set = respondent

    response = client.post(_answer_url(answer_set, page), {"mark": "7"})

    assert response.status_code == 404
    answer_set.refresh_from_db()
    assert answer_set.mark is None


def test_a_topic_tap_after_submitting_changes_nothing(respondent):
    client, answer_set = respondent
    dimension = _dimension(answer_set.round.version, 1)
    client.post(_url("respond_submit", answer_set))

    response = client.post(_answer_url(answer_set, 1), {f"di-{dimension.pk}": "2"})

    assert response.status_code == 409
    assert not DimensionAnswer.objects.exists()


# The report mark


def test_the_mark_page_offers_ten_marks_and_no_mark(respondent):
    client, answer_set = respondent

    response = client.get(_page_url(answer_set, MARK_PAGE))

    content = response.content.decode()
    assert response.status_code == 200
    assert "respond/mark.html" in _template_names(response)
    assert "Welk rapportcijfer geef je de samenwerking in jullie team?" in content
    assert content.count('name="mark"') == 11
    assert _checked(response) == {"mark": ""}
    assert "Deel 4 van 4" in content
    assert response.context["progress"] == "75"


def test_a_mark_is_saved_and_leads_to_the_review(respondent):
    client, answer_set = respondent

    response = client.post(_page_url(answer_set, MARK_PAGE), {"mark": "8", "nav": "next"})

    assert response.url == _url("respond_review", answer_set)
    answer_set.refresh_from_db()
    assert (answer_set.mark, answer_set.last_page) == (8, MARK_PAGE + 1)
    assert _checked(client.get(_page_url(answer_set, MARK_PAGE))) == {"mark": "8"}


def test_the_mark_may_be_skipped_or_taken_back(respondent):
    client, answer_set = respondent
    client.post(_page_url(answer_set, MARK_PAGE), {"mark": "3", "nav": "next"})

    response = client.post(_page_url(answer_set, MARK_PAGE), {"mark": "", "nav": "next"})

    assert response.status_code == 302
    answer_set.refresh_from_db()
    assert answer_set.mark is None


def test_back_from_the_mark_goes_to_the_last_dimension_and_keeps_the_mark(respondent):
    client, answer_set = respondent

    response = client.post(_page_url(answer_set, MARK_PAGE), {"mark": "6", "nav": "back"})

    assert response.url == _page_url(answer_set, DIMENSIONS)
    answer_set.refresh_from_db()
    assert (answer_set.mark, answer_set.last_page) == (6, DIMENSIONS)


@pytest.mark.parametrize("mark", ["0", "11", "zeven", "7.5"])
def test_a_mark_outside_one_to_ten_is_shown_again_and_not_saved(respondent, mark):
    client, answer_set = respondent

    response = client.post(_page_url(answer_set, MARK_PAGE), {"mark": mark, "nav": "next"})

    assert response.status_code == 400
    assert "Kies een van de antwoorden die je ziet." in response.content.decode()
    answer_set.refresh_from_db()
    assert answer_set.mark is None


def test_the_personal_link_resumes_on_the_mark_page(respondent):
    client, answer_set = respondent
    Response.objects.filter(pk=answer_set.pk).update(last_page=MARK_PAGE)

    response = Client().get(_url("respond_resume", answer_set))

    assert response.url == _page_url(answer_set, MARK_PAGE)


def test_the_mark_cannot_change_after_submitting(respondent):
    client, answer_set = respondent
    client.post(_page_url(answer_set, MARK_PAGE), {"mark": "7", "nav": "next"})
    client.post(_url("respond_submit", answer_set))

    response = client.post(_page_url(answer_set, MARK_PAGE), {"mark": "2", "nav": "next"})

    assert response.url == _url("respond_thanks", answer_set)
    answer_set.refresh_from_db()
    assert answer_set.mark == 7


# The review page


def test_the_review_counts_each_kind_of_answer_per_part(respondent):
    client, answer_set = respondent
    version = answer_set.round.version
    first, second, third = _items(version, 1)
    client.post(
        _page_url(answer_set, 1),
        _page(version, 1) | {f"s-{second.pk}": "na", f"s-{third.pk}": "dk"},
    )
    one = _items(version, 2)[0]
    client.post(_page_url(answer_set, 2), {f"s-{one.pk}": "2", "nav": "next"})

    response = client.get(_url("respond_review", answer_set))

    visie, rollen, effecten = response.context["parts"]
    assert (visie.answered, visie.dont_know, visie.not_applicable, visie.topic_open) == (3, 1, 1, 0)
    assert visie.complete
    assert (rollen.answered, rollen.topic_open, rollen.complete) == (1, 2, False)
    assert (effecten.answered, effecten.topic_open) == (0, 2)
    assert response.context["answered_count"] == 4
    assert response.context["total"] == 7
    assert [part.name for part in response.context["missing_topics"]] == [
        "Rollen",
        "Ervaren effecten",
    ]
    content = response.content.decode()
    assert "1 keer ‘geldt niet voor mij’" in content or "1 keer “geldt niet voor mij”" in content
    rollen_page = _page_url(answer_set, 2)
    assert f'href="{rollen_page}#topic-{_dimension(version, 2).pk}"' in content


def test_the_review_lists_the_mark_with_a_link_to_change_it(respondent):
    client, answer_set = respondent
    client.post(_page_url(answer_set, MARK_PAGE), {"mark": "9", "nav": "next"})

    content = client.get(_url("respond_review", answer_set)).content.decode()

    assert "Jouw rapportcijfer voor de samenwerking: 9." in content
    assert f'href="{_page_url(answer_set, MARK_PAGE)}"' in content


def test_the_review_says_when_no_mark_was_given(respondent):
    client, answer_set = respondent

    response = client.get(_url("respond_review", answer_set))

    content = response.content.decode()
    assert "Je gaf geen rapportcijfer voor de samenwerking." in content
    assert "Geef een cijfer" in content
    # Back goes to the mark: the page before the review.
    assert response.context["page_count"] == MARK_PAGE


def test_a_complete_v2_response_is_submitted(respondent):
    client, answer_set = respondent
    version = answer_set.round.version
    for page in range(1, DIMENSIONS + 1):
        client.post(_page_url(answer_set, page), _page(version, page))
    client.post(_page_url(answer_set, MARK_PAGE), {"mark": "7", "nav": "next"})

    response = client.post(_url("respond_submit", answer_set))

    assert response.url == _url("respond_thanks", answer_set)
    answer_set.refresh_from_db()
    assert answer_set.is_submitted and answer_set.mark == 7
    assert Answer.objects.filter(response=answer_set).count() == 7
    assert DimensionAnswer.objects.filter(response=answer_set).count() == DIMENSIONS


# The start page and the admin's preview


def test_the_start_page_says_how_long_it_takes(round, questionnaire, team):
    short = Client().get(reverse("respond_start", args=[round.token])).content.decode()
    v1_round = Round.objects.create(team=team, version=questionnaire, title="Najaar")
    long = Client().get(reverse("respond_start", args=[v1_round.token])).content.decode()

    assert "Het duurt minder dan 5 minuten." in short
    assert "Het duurt ongeveer 12 minuten." in long


def test_a_version_one_page_keeps_its_single_no_answer_button_and_no_topic(team, questionnaire):
    round = Round.objects.create(team=team, version=questionnaire, title="Najaar")
    client = Client()
    answer_set = _start(client, round)

    content = client.get(_page_url(answer_set, 1)).content.decode()

    assert "Weet ik niet / n.v.t." in content
    assert "Geldt niet voor mij" not in content
    assert 'name="di-' not in content
    assert 'name="i-' in content


def test_the_admin_preview_shows_the_topic_card_and_both_no_answer_buttons(
    questionnaire_v2, admin, login
):
    url = reverse("admin:version_preview", args=[questionnaire_v2.pk])

    response = login(admin).get(url, {"page": str(DIMENSIONS)})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Over dit onderwerp" in content
    assert "Geldt niet voor mij" in content
    assert 'name="i-' not in content
    assert "rapportcijfer" in content
