"""Saving one statement's answers the moment they are tapped (the page's script), and the
review page's summary per part."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment.models import Answer, Item, Response, Round
from tests.assessment.responding.test_respond import (
    BACKGROUND,
    _answers,
    _full_page,
    _items,
    _page_url,
    _start,
    _url,
)


@pytest.fixture
def round(team, questionnaire):
    return Round.objects.create(team=team, version=questionnaire, title="Najaar 2026")


@pytest.fixture
def other_round(other_team, questionnaire):
    return Round.objects.create(team=other_team, version=questionnaire, title="Elders 2026")


@pytest.fixture
def respondent(round) -> tuple[Client, Response]:
    client = Client()
    answer_set = _start(client, round)
    client.post(reverse("respond_background", args=[answer_set.token]), BACKGROUND)
    answer_set.refresh_from_db()
    return client, answer_set


def _answer_url(answer_set: Response, page: int) -> str:
    return reverse("respond_answer", args=[answer_set.token, page])


def _one(item: Item, state: str = "4", importance: str = "", wants: str = "") -> dict:
    data = {f"s-{item.pk}": state}
    if importance:
        data[f"i-{item.pk}"] = importance
    if wants:
        data[f"w-{item.pk}"] = wants
    return data


def test_one_tapped_answer_is_saved_and_nothing_else(respondent):
    client, answer_set = respondent
    first, second, *_rest = _items(answer_set.round.version, 1)
    answer_set.refresh_from_db()
    before = answer_set.updated

    response = client.post(_answer_url(answer_set, 1), _one(first, "4", "2", "yes"))

    assert response.status_code == 204
    assert _answers(answer_set) == {first.pk: (4, False, 2, True)}
    answer_set.refresh_from_db()
    assert answer_set.updated > before
    # Where to resume stays what the page's buttons made it.
    assert answer_set.last_page == 1


def test_a_second_tap_changes_the_same_answer_and_never_duplicates_it(respondent):
    client, answer_set = respondent
    first = _items(answer_set.round.version, 1)[0]
    client.post(_answer_url(answer_set, 1), _one(first, "4"))

    client.post(_answer_url(answer_set, 1), _one(first, "2", "3"))

    assert _answers(answer_set) == {first.pk: (2, False, 3, None)}


def test_a_tapped_answer_leaves_the_other_answers_of_the_page_alone(respondent):
    client, answer_set = respondent
    items = _items(answer_set.round.version, 1)
    client.post(_page_url(answer_set, 1), _full_page(items, "5", "3", "no"))

    client.post(_answer_url(answer_set, 1), _one(items[0], "1", "1", "yes"))

    expected = {item.pk: (5, False, 3, False) for item in items} | {
        items[0].pk: (1, False, 1, True)
    }
    assert _answers(answer_set) == expected


def test_dont_know_tapped_clears_importance_and_wanting(respondent):
    client, answer_set = respondent
    first = _items(answer_set.round.version, 1)[0]
    client.post(_answer_url(answer_set, 1), _one(first, "3", "2", "yes"))

    response = client.post(_answer_url(answer_set, 1), _one(first, "dk", "2", "yes"))

    assert response.status_code == 204
    assert _answers(answer_set) == {first.pk: (None, True, None, None)}


def test_the_answers_tapped_show_when_the_page_is_opened_again(respondent):
    client, answer_set = respondent
    first = _items(answer_set.round.version, 1)[0]
    client.post(_answer_url(answer_set, 1), _one(first, "3", "1"))

    page = client.get(_page_url(answer_set, 1))

    question = next(q for q in page.context["questions"] if q["id"] == str(first.pk))
    assert [checked for _value, _label, checked in question["state"]] == [
        False,
        False,
        True,
        False,
        False,
    ]
    assert question["importance"][0][2] is True


@pytest.mark.parametrize(
    "bad",
    [
        {"state": "6"},
        {"state": "0"},
        {"state": "vier"},
        {"state": "4", "importance": "9"},
        {"state": "4", "wants": "misschien"},
    ],
)
def test_an_invalid_value_is_refused_and_saves_nothing(respondent, bad):
    client, answer_set = respondent
    first = _items(answer_set.round.version, 1)[0]

    response = client.post(_answer_url(answer_set, 1), _one(first, **bad))

    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_answers_to_two_statements_at_once_are_refused(respondent):
    client, answer_set = respondent
    first, second, *_rest = _items(answer_set.round.version, 1)

    response = client.post(_answer_url(answer_set, 1), _one(first) | _one(second))

    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_a_post_without_an_answer_is_refused(respondent):
    client, answer_set = respondent

    response = client.post(_answer_url(answer_set, 1), {"nav": "next"})

    assert response.status_code == 400


def test_a_statement_of_another_page_is_refused(respondent):
    client, answer_set = respondent
    on_page_two = _items(answer_set.round.version, 2)[0]

    response = client.post(_answer_url(answer_set, 1), _one(on_page_two))

    assert response.status_code == 400
    assert not Answer.objects.exists()


@pytest.mark.parametrize("page", [0, 14, 99])
def test_a_page_outside_the_questionnaire_is_not_found(respondent, page):
    client, answer_set = respondent
    first = _items(answer_set.round.version, 1)[0]

    response = client.post(_answer_url(answer_set, page), _one(first))

    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_a_submitted_response_is_refused_and_keeps_its_answers(respondent):
    client, answer_set = respondent
    first = _items(answer_set.round.version, 1)[0]
    client.post(_answer_url(answer_set, 1), _one(first, "4"))
    client.post(_url("respond_submit", answer_set))

    response = client.post(_answer_url(answer_set, 1), _one(first, "1"))

    assert response.status_code == 409
    assert _answers(answer_set) == {first.pk: (4, False, None, None)}


@pytest.mark.parametrize("how", ["closed_at", "closes_on"])
def test_a_closed_round_is_refused_and_saves_nothing(respondent, round, how):
    client, answer_set = respondent
    first = _items(round.version, 1)[0]
    if how == "closed_at":
        round.closed_at = timezone.now()
    else:
        round.closes_on = timezone.localdate() - timedelta(days=1)
    round.save()

    response = client.post(_answer_url(answer_set, 1), _one(first))

    assert response.status_code == 403
    assert not Answer.objects.exists()


def test_an_unknown_token_is_not_found(respondent):
    client, answer_set = respondent
    first = _items(answer_set.round.version, 1)[0]
    url = reverse("respond_answer", args=["x" * 43, 1])

    assert client.post(url, _one(first)).status_code == 404
    assert not Answer.objects.exists()


def test_the_round_token_is_not_a_response_token(respondent, round):
    client, answer_set = respondent
    first = _items(round.version, 1)[0]

    response = client.post(reverse("respond_answer", args=[round.token, 1]), _one(first))

    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_one_response_never_changes_another(respondent, round):
    client, answer_set = respondent
    first = _items(round.version, 1)[0]
    other_browser = Client()
    other = _start(other_browser, round)

    # The other browser, with this respondent's link: the link is the authority.
    other_browser.post(_answer_url(answer_set, 1), _one(first, "2"))
    client.post(_answer_url(answer_set, 1), _one(first, "5"))

    assert _answers(answer_set) == {first.pk: (5, False, None, None)}
    assert _answers(other) == {}


def test_a_get_is_not_allowed(respondent):
    client, answer_set = respondent

    assert client.get(_answer_url(answer_set, 1)).status_code == 405


def test_without_a_csrf_token_it_is_refused_and_saves_nothing(respondent):
    _client, answer_set = respondent
    client = Client(enforce_csrf_checks=True)
    first = _items(answer_set.round.version, 1)[0]

    response = client.post(_answer_url(answer_set, 1), _one(first))

    assert response.status_code == 403
    assert not Answer.objects.exists()


def test_with_the_csrf_token_of_the_page_in_the_header_it_is_saved(respondent):
    _client, answer_set = respondent
    client = Client(enforce_csrf_checks=True)
    token = str(client.get(_page_url(answer_set, 1)).context["csrf_token"])
    first = _items(answer_set.round.version, 1)[0]

    response = client.post(_answer_url(answer_set, 1), _one(first), HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 204
    assert _answers(answer_set) == {first.pk: (4, False, None, None)}


def test_the_refusals_and_the_saved_answer_are_not_cached_and_keep_the_link(respondent):
    client, answer_set = respondent
    first = _items(answer_set.round.version, 1)[0]

    saved = client.post(_answer_url(answer_set, 1), _one(first))
    refused = client.post(_answer_url(answer_set, 1), _one(first, "9"))

    for response in (saved, refused):
        assert response["Referrer-Policy"] == "strict-origin"
        assert "no-store" in response["Cache-Control"]


def test_the_page_tells_its_script_where_to_save(respondent):
    client, answer_set = respondent

    content = client.get(_page_url(answer_set, 3)).content.decode()

    assert f'data-answer-url="{_answer_url(answer_set, 3)}"' in content
    assert "js/respond.js" in content


# The review page's summary per part


def test_the_review_counts_the_answers_and_dont_knows_of_each_part(respondent):
    client, answer_set = respondent
    version = answer_set.round.version
    one = _items(version, 1)
    two = _items(version, 2)
    client.post(_page_url(answer_set, 1), _full_page(one))
    client.post(_answer_url(answer_set, 1), _one(one[0], "dk"))
    client.post(_answer_url(answer_set, 2), _one(two[0], "3"))
    # Importance alone does not answer the statement.
    client.post(_answer_url(answer_set, 2), {f"i-{two[1].pk}": "2"})

    response = client.get(_url("respond_review", answer_set))

    parts = response.context["parts"]
    assert len(parts) == 13
    assert (parts[0].page, parts[0].answered, parts[0].total, parts[0].dont_know) == (
        1,
        len(one),
        len(one),
        1,
    )
    assert (parts[1].answered, parts[1].total, parts[1].dont_know) == (1, len(two), 0)
    assert all(part.answered == 0 for part in parts[2:])
    content = response.content.decode()
    name = parts[0].name
    assert f'<a href="{_page_url(answer_set, 1)}">{name}</a>' in content
    assert f"{len(one)} van {len(one)} beantwoord" in content
    assert "1 keer “weet ik niet”" in content
    assert f"1 van {len(two)} beantwoord" in content


# What the pages around the answers promise


def test_the_thank_you_page_says_where_the_results_appear(respondent, round):
    client, answer_set = respondent
    client.post(_url("respond_submit", answer_set))

    content = client.get(_url("respond_thanks", answer_set)).content.decode()

    assert f'href="{reverse("results_public", args=[round.token])}"' in content
    assert "teamoverleg" in content
    assert "Je antwoorden zijn verstuurd." in content


def test_the_closed_page_says_what_counts_and_loses_nothing_in_words(respondent, round):
    client, answer_set = respondent
    round.closed_at = timezone.now()
    round.save()

    content = client.get(_page_url(answer_set, 1)).content.decode()

    assert "Dan tellen ze mee" in content
    assert "tellen dan niet mee in de resultaten" in content
    assert "Niets is opgeslagen" not in content
    assert "Er is niets opgeslagen" not in content
