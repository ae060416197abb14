"""The respondent's questionnaire, from the round link to the thank-you page, without an account."""

import html
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment.models import Answer, Dimension, Item, Response, Round, ScaleLabel
from assessment.questionnaire.publishing import create_draft

BACKGROUND = {"sector": "school", "position": "staff"}
PAGE_COUNT = 13


@pytest.fixture
def round(team, questionnaire):
    return Round.objects.create(team=team, version=questionnaire, title="Najaar 2026")


@pytest.fixture
def other_round(other_team, questionnaire):
    return Round.objects.create(team=other_team, version=questionnaire, title="Elders 2026")


def _start(client: Client, round: Round) -> Response:
    """Press "Start" on the round's landing page; the newest response is this browser's."""
    client.post(reverse("respond_start", args=[round.token]))
    return Response.objects.filter(round=round).latest("pk")


@pytest.fixture
def respondent(round) -> tuple[Client, Response]:
    """A browser that started the round and answered the background questions."""
    client = Client()
    answer_set = _start(client, round)
    client.post(reverse("respond_background", args=[answer_set.token]), BACKGROUND)
    answer_set.refresh_from_db()
    return client, answer_set


def _url(name: str, answer_set: Response, *args) -> str:
    return reverse(name, args=[answer_set.token, *args])


def _page_url(answer_set: Response, page: int) -> str:
    return _url("respond_page", answer_set, page)


def _dimensions(version) -> list[Dimension]:
    return list(version.dimensions.order_by("order", "pk"))


def _items(version, page: int) -> list[Item]:
    return list(Item.objects.filter(dimension=_dimensions(version)[page - 1]).order_by("order"))


def _full_page(items, state="4", importance="2", wants="yes", **extra) -> dict:
    """A page post that answers all three questions for every item."""
    data = {"nav": "next"}
    for item in items:
        data |= {f"s-{item.pk}": state, f"i-{item.pk}": importance, f"w-{item.pk}": wants}
    data |= extra
    return data


def _answers(answer_set: Response) -> dict[int, tuple]:
    return {
        a.item_id: (a.state, a.dont_know, a.importance, a.wants_to_work)
        for a in Answer.objects.filter(response=answer_set)
    }


class _Page(HTMLParser):
    """A page as a browser sees it: its element ids and the radio buttons that are checked."""

    def __init__(self, response) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.checked: dict[str, str] = {}
        self.feed(response.content.decode())

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "input" and attributes.get("type") == "radio" and "checked" in attributes:
            self.checked[attributes["name"]] = attributes["value"]


def _checked(response) -> dict[str, str]:
    return _Page(response).checked


def _full_answers(items, state="4", importance="2", wants="yes") -> dict[str, str]:
    page = _full_page(items, state, importance, wants)
    del page["nav"]
    return page


def _template_names(response) -> list[str]:
    return [t.name for t in response.templates]


def _answer_all_pages(client: Client, answer_set: Response) -> None:
    for page in range(1, PAGE_COUNT + 1):
        items = _items(answer_set.round.version, page)
        client.post(_page_url(answer_set, page), _full_page(items))


# The landing page and starting


def test_the_landing_page_opens_without_an_account(round):
    response = Client().get(reverse("respond_start", args=[round.token]))

    assert response.status_code == 200
    assert "respond/start.html" in _template_names(response)
    assert response.context["round"] == round
    assert response.context["resuming"] is False
    assert response.context["dimension_count"] == PAGE_COUNT
    assert not Response.objects.exists()


def test_starting_makes_a_response_remembers_it_and_goes_to_the_background_page(round):
    client = Client()

    started = client.post(reverse("respond_start", args=[round.token]))

    answer_set = Response.objects.get()
    assert answer_set.round == round
    assert answer_set.submitted_at is None
    assert started.status_code == 302
    # Straight there, not through the personal link: one request less.
    assert started.url == _url("respond_background", answer_set)
    cookie = started.cookies[f"samenspel_round_{round.pk}"]
    assert cookie.value == answer_set.token
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert answer_set.token != round.token

    resumed = client.get(_url("respond_resume", answer_set))
    assert resumed.status_code == 302
    assert resumed.url == _url("respond_background", answer_set)


def test_two_browsers_get_two_responses(round):
    first = _start(Client(), round)
    second = _start(Client(), round)

    assert first != second
    assert first.token != second.token
    assert Response.objects.filter(round=round).count() == 2


def test_the_landing_page_again_in_the_same_browser_can_continue_the_same_response(round):
    client = Client()
    answer_set = _start(client, round)

    landing = client.get(reverse("respond_start", args=[round.token]))
    again = client.post(reverse("respond_start", args=[round.token]), {"choice": "continue"})

    assert landing.context["resuming"] is True
    assert landing.context["may_continue"] is True
    assert again.status_code == 302
    assert again.url == _url("respond_background", answer_set)
    assert Response.objects.get() == answer_set


def test_the_personal_link_on_another_device_resumes_at_the_last_page(respondent):
    client, answer_set = respondent
    version = answer_set.round.version
    for page in (1, 2, 3):
        client.post(_page_url(answer_set, page), _full_page(_items(version, page)))

    other_device = Client()
    response = other_device.get(_url("respond_resume", answer_set))

    assert response.status_code == 302
    assert response.url == _page_url(answer_set, 4)
    assert response.cookies[answer_set.round.cookie_name].value == answer_set.token
    page = other_device.get(response.url)
    assert page.context["response"] == answer_set
    assert Response.objects.count() == 1


def test_the_personal_link_after_the_last_page_resumes_at_the_review(respondent):
    client, answer_set = respondent
    _answer_all_pages(client, answer_set)

    response = Client().get(_url("respond_resume", answer_set))

    assert response.url == _url("respond_review", answer_set)


# The background page


def test_the_background_page_asks_sector_and_position(round):
    client = Client()
    answer_set = _start(client, round)

    response = client.get(_url("respond_background", answer_set))

    assert response.status_code == 200
    assert "respond/background.html" in _template_names(response)
    assert set(response.context["form"].fields) == {"sector", "position"}


def test_the_background_answers_are_saved_and_lead_to_page_one(round):
    client = Client()
    answer_set = _start(client, round)

    response = client.post(_url("respond_background", answer_set), BACKGROUND)

    answer_set.refresh_from_db()
    assert response.status_code == 302
    assert response.url == _page_url(answer_set, 1)
    assert (answer_set.sector, answer_set.position) == ("school", "staff")
    assert answer_set.last_page == 1


@pytest.mark.parametrize(
    ("data", "missing"),
    [
        ({"nav": "next"}, {"sector", "position"}),
        ({"sector": "school"}, {"position"}),
        ({"position": "manager"}, {"sector"}),
        ({"sector": "ceo", "position": "staff"}, {"sector"}),
        ({"sector": "school", "position": "boss"}, {"position"}),
        ({"sector": "", "position": ""}, {"sector", "position"}),
    ],
)
def test_the_background_page_needs_both_answers_and_saves_nothing_without_them(
    round, data, missing
):
    client = Client()
    answer_set = _start(client, round)

    response = client.post(_url("respond_background", answer_set), data)

    answer_set.refresh_from_db()
    assert response.status_code == 400
    assert set(response.context["form"].errors) == missing
    assert (answer_set.sector, answer_set.position, answer_set.last_page) == ("", "", 0)


def test_an_empty_post_to_the_background_page_names_both_missing_answers(round):
    client = Client()
    answer_set = _start(client, round)

    response = client.post(_url("respond_background", answer_set), {})

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"sector", "position"}


# The question pages


def test_a_page_shows_the_items_of_its_dimension(respondent):
    client, answer_set = respondent
    version = answer_set.round.version

    response = client.get(_page_url(answer_set, 2))

    assert response.status_code == 200
    assert "respond/page.html" in _template_names(response)
    assert response.context["dimension"] == _dimensions(version)[1]
    assert response.context["page_count"] == PAGE_COUNT
    items = _items(version, 2)
    anchors = [i for i in _Page(response).ids if i.startswith("item-")]
    assert anchors == [f"item-{item.pk}" for item in items]
    for item in items:
        assert html.escape(item.text_nl) in response.content.decode()
    assert _checked(response) == {}


def test_a_page_saves_every_answer_and_goes_on(respondent):
    client, answer_set = respondent
    items = _items(answer_set.round.version, 1)

    response = client.post(_page_url(answer_set, 1), _full_page(items, "5", "3", "no"))

    answer_set.refresh_from_db()
    assert response.status_code == 302
    assert response.url == _page_url(answer_set, 2)
    assert _answers(answer_set) == {item.pk: (5, False, 3, False) for item in items}
    assert answer_set.last_page == 2


def test_dont_know_is_saved_without_a_state_importance_or_wanting(respondent):
    client, answer_set = respondent
    items = _items(answer_set.round.version, 1)

    # Sent along anyway (a page without JavaScript shows all three questions): dropped.
    client.post(_page_url(answer_set, 1), _full_page(items, state="dk"))

    assert _answers(answer_set) == {item.pk: (None, True, None, None) for item in items}


def test_dont_know_clears_the_importance_and_wanting_given_before(respondent):
    client, answer_set = respondent
    items = _items(answer_set.round.version, 1)
    client.post(_page_url(answer_set, 1), _full_page(items, state="3", importance="2"))

    client.post(_page_url(answer_set, 1), _full_page(items, state="dk", importance="1"))

    assert _answers(answer_set) == {item.pk: (None, True, None, None) for item in items}


def test_items_left_open_get_no_answer_row(respondent):
    client, answer_set = respondent
    first, second, *rest = _items(answer_set.round.version, 1)

    response = client.post(_page_url(answer_set, 1), {f"s-{first.pk}": "3", f"w-{second.pk}": "no"})

    assert response.status_code == 302
    assert _answers(answer_set) == {
        first.pk: (3, False, None, None),
        second.pk: (None, False, None, False),
    }


def test_a_page_shows_the_answers_given_before(respondent):
    client, answer_set = respondent
    items = _items(answer_set.round.version, 1)
    client.post(_page_url(answer_set, 1), _full_page(items, state="2", importance="1"))

    response = client.get(_page_url(answer_set, 1))

    assert _checked(response) == _full_answers(items, state="2", importance="1")


def test_a_page_shows_a_dont_know_given_before_with_nothing_else_checked(respondent):
    client, answer_set = respondent
    items = _items(answer_set.round.version, 1)
    client.post(_page_url(answer_set, 1), _full_page(items, state="dk", importance="1"))

    response = client.get(_page_url(answer_set, 1))

    assert _checked(response) == {f"s-{item.pk}": "dk" for item in items}


def test_posting_a_page_again_changes_the_answers_and_never_duplicates_them(respondent):
    client, answer_set = respondent
    items = _items(answer_set.round.version, 1)
    client.post(_page_url(answer_set, 1), _full_page(items, "2", "1", "no"))

    client.post(_page_url(answer_set, 1), _full_page(items, "4", "3", "yes"))

    assert Answer.objects.filter(response=answer_set).count() == len(items)
    assert _answers(answer_set) == {item.pk: (4, False, 3, True) for item in items}


def test_back_saves_the_page_and_goes_to_the_previous_one(respondent):
    client, answer_set = respondent
    items = _items(answer_set.round.version, 3)

    response = client.post(_page_url(answer_set, 3), _full_page(items, nav="back"))

    answer_set.refresh_from_db()
    assert response.status_code == 302
    assert response.url == _page_url(answer_set, 2)
    assert _answers(answer_set) == {item.pk: (4, False, 2, True) for item in items}
    assert answer_set.last_page == 2


def test_back_on_the_first_page_goes_to_the_background_page(respondent):
    client, answer_set = respondent
    items = _items(answer_set.round.version, 1)

    response = client.post(_page_url(answer_set, 1), _full_page(items, nav="back"))

    assert response.url == _url("respond_background", answer_set)
    assert len(_answers(answer_set)) == len(items)


def test_the_last_page_leads_to_the_review(respondent):
    client, answer_set = respondent
    items = _items(answer_set.round.version, PAGE_COUNT)

    response = client.post(_page_url(answer_set, PAGE_COUNT), _full_page(items))

    assert response.url == _url("respond_review", answer_set)


@pytest.mark.parametrize("page", [0, PAGE_COUNT + 1, 999])
def test_a_page_number_outside_the_questionnaire_is_not_found(respondent, page):
    client, answer_set = respondent

    assert client.get(_page_url(answer_set, page)).status_code == 404
    assert client.post(_page_url(answer_set, page), {}).status_code == 404


@pytest.mark.parametrize("bad", ["0", "6", "-1", "3.5", "abc", "<script>", "x" * 10_000])
def test_an_invalid_answer_saves_nothing_of_that_page(respondent, bad):
    client, answer_set = respondent
    first, *others = _items(answer_set.round.version, 1)
    data = _full_page([first, *others])
    data[f"s-{first.pk}"] = bad

    response = client.post(_page_url(answer_set, 1), data)

    answer_set.refresh_from_db()
    assert response.status_code == 400
    assert "respond/page.html" in _template_names(response)
    assert not Answer.objects.filter(response=answer_set).exists()
    assert answer_set.last_page == 1
    assert response.context["error_count"] == 1
    assert [bool(q["error"]) for q in response.context["questions"]] == [True] + [False] * len(
        others
    )
    assert f"error-{first.pk}" in _Page(response).ids
    # What was chosen is shown again, so nothing has to be filled in twice.
    shown_again = _full_answers([first, *others])
    del shown_again[f"s-{first.pk}"]
    assert _checked(response) == shown_again


def test_an_invalid_answer_leaves_the_answers_saved_before_unchanged(respondent):
    client, answer_set = respondent
    items = _items(answer_set.round.version, 1)
    client.post(_page_url(answer_set, 1), _full_page(items, "2"))
    before = _answers(answer_set)

    response = client.post(_page_url(answer_set, 1), _full_page(items, "5", importance="4"))

    assert response.status_code == 400
    assert _answers(answer_set) == before


def test_a_field_given_twice_saves_nothing_of_that_page(respondent):
    client, answer_set = respondent
    items = _items(answer_set.round.version, 1)
    data = _full_page(items)
    data[f"s-{items[0].pk}"] = ["2", "4"]

    response = client.post(_page_url(answer_set, 1), data)

    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_a_superscript_digit_is_refused_not_a_crash(respondent):
    client, answer_set = respondent
    items = _items(answer_set.round.version, 1)
    data = _full_page(items)
    data[f"s-{items[0].pk}"] = "³"

    response = client.post(_page_url(answer_set, 1), data)

    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_an_answer_to_an_item_of_another_page_saves_nothing(respondent):
    client, answer_set = respondent
    version = answer_set.round.version
    stranger = _items(version, 5)[0]
    data = _full_page(_items(version, 1), **{f"s-{stranger.pk}": "3"})

    response = client.post(_page_url(answer_set, 1), data)

    answer_set.refresh_from_db()
    assert response.status_code == 400
    assert "respond/foreign_answer.html" in _template_names(response)
    assert not Answer.objects.exists()
    assert answer_set.last_page == 1


def test_an_answer_to_an_item_of_another_version_saves_nothing(respondent, questionnaire):
    client, answer_set = respondent
    draft = create_draft(source=questionnaire)
    stranger = _items(draft, 1)[0]
    data = _full_page(_items(questionnaire, 1), **{f"s-{stranger.pk}": "3"})

    response = client.post(_page_url(answer_set, 1), data)

    assert response.status_code == 400
    assert "respond/foreign_answer.html" in _template_names(response)
    assert not Answer.objects.exists()


# Review and submit


def test_the_review_lists_the_unanswered_items_with_a_link_to_each(respondent):
    client, answer_set = respondent
    version = answer_set.round.version
    _answer_all_pages(client, answer_set)
    open_ones = {_items(version, 2)[1]: 2, _items(version, 9)[0]: 9}
    Answer.objects.filter(response=answer_set, item__in=open_ones).delete()
    # Importance and wanting to work on it alone do not answer the statement.
    only_importance = _items(version, 13)[3]
    Answer.objects.filter(response=answer_set, item=only_importance).update(state=None)
    open_ones[only_importance] = 13

    response = client.get(_url("respond_review", answer_set))

    assert response.status_code == 200
    assert "respond/review.html" in _template_names(response)
    missing = {m["item"]: m["page"] for m in response.context["missing"]}
    assert missing == open_ones
    total = Item.objects.filter(dimension__version=version).count()
    assert response.context["total"] == total
    assert response.context["answered_count"] == total - 3
    content = response.content.decode()
    for item, page in open_ones.items():
        assert f'href="{_page_url(answer_set, page)}#item-{item.pk}"' in content
        assert html.escape(item.text_nl) in content
        assert f"item-{item.pk}" in _Page(client.get(_page_url(answer_set, page))).ids


def test_the_review_of_a_complete_response_lists_nothing(respondent):
    client, answer_set = respondent
    _answer_all_pages(client, answer_set)

    response = client.get(_url("respond_review", answer_set))

    assert response.context["missing"] == []
    assert response.context["answered_count"] == response.context["total"]


def test_the_whole_questionnaire_from_link_to_thanks(round):
    client = Client()
    landing = client.get(reverse("respond_start", args=[round.token]))
    assert landing.status_code == 200
    answer_set = _start(client, round)
    assert client.post(_url("respond_background", answer_set), BACKGROUND).status_code == 302
    _answer_all_pages(client, answer_set)
    assert client.get(_url("respond_review", answer_set)).status_code == 200

    submitted = client.post(_url("respond_submit", answer_set))

    answer_set.refresh_from_db()
    assert submitted.status_code == 302
    assert submitted.url == _url("respond_thanks", answer_set)
    assert answer_set.submitted_at is not None
    assert Answer.objects.filter(response=answer_set).count() == (
        Item.objects.filter(dimension__version=round.version).count()
    )


@pytest.mark.parametrize("closes", [False, True])
def test_the_thank_you_page_is_shown_after_submitting(respondent, round, closes):
    client, answer_set = respondent
    if closes:
        round.closes_on = timezone.localdate() + timedelta(days=7)
        round.save()
    client.post(_url("respond_submit", answer_set))

    response = client.get(_url("respond_thanks", answer_set))

    assert response.status_code == 200
    assert "respond/thanks.html" in _template_names(response)
    assert response.context["round"] == round
    assert response["Referrer-Policy"] == "strict-origin"


def test_submitting_with_open_items_is_allowed(respondent):
    client, answer_set = respondent

    client.post(_url("respond_submit", answer_set))

    answer_set.refresh_from_db()
    assert answer_set.is_submitted


def test_a_second_submit_changes_nothing(respondent):
    client, answer_set = respondent
    client.post(_url("respond_submit", answer_set))
    answer_set.refresh_from_db()
    first = answer_set.submitted_at

    again = client.post(_url("respond_submit", answer_set))

    answer_set.refresh_from_db()
    assert again.status_code == 302
    assert again.url == _url("respond_thanks", answer_set)
    assert answer_set.submitted_at == first
    assert Response.objects.count() == 1


def test_submit_needs_a_post(respondent):
    client, answer_set = respondent

    response = client.get(_url("respond_submit", answer_set))

    answer_set.refresh_from_db()
    assert response.status_code == 405
    assert not answer_set.is_submitted


def test_the_thanks_page_before_submitting_sends_back_to_the_questionnaire(respondent):
    client, answer_set = respondent

    response = client.get(_url("respond_thanks", answer_set))

    assert response.status_code == 302
    assert response.url == _url("respond_resume", answer_set)


def test_after_submitting_the_pages_only_lead_to_thanks_and_change_nothing(respondent):
    client, answer_set = respondent
    items = _items(answer_set.round.version, 1)
    client.post(_url("respond_submit", answer_set))
    thanks = _url("respond_thanks", answer_set)

    for method, url, data in [
        ("get", _url("respond_resume", answer_set), None),
        ("get", _url("respond_background", answer_set), None),
        ("post", _url("respond_background", answer_set), {"sector": "bso", "position": "manager"}),
        ("get", _page_url(answer_set, 1), None),
        ("post", _page_url(answer_set, 1), _full_page(items)),
        ("get", _url("respond_review", answer_set), None),
    ]:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response.url == thanks, url

    answer_set.refresh_from_db()
    assert (answer_set.sector, answer_set.position) == ("school", "staff")
    assert not Answer.objects.exists()


def test_after_submitting_the_landing_page_in_that_browser_says_so(respondent, round):
    client, answer_set = respondent
    client.post(_url("respond_submit", answer_set))

    landing = client.get(reverse("respond_start", args=[round.token]))
    start = client.post(reverse("respond_start", args=[round.token]))

    assert landing.status_code == 200
    assert "respond/already_submitted.html" in _template_names(landing)
    assert "respond/already_submitted.html" in _template_names(start)
    assert Response.objects.count() == 1


def test_after_submitting_another_browser_can_still_start(respondent, round):
    client, answer_set = respondent
    client.post(_url("respond_submit", answer_set))

    landing = Client().get(reverse("respond_start", args=[round.token]))

    assert "respond/start.html" in _template_names(landing)


# A shared device: the next person on the round link never lands in someone else's answers


def _landing(client: Client, round: Round, **data):
    url = reverse("respond_start", args=[round.token])
    return client.post(url, data) if data else client.get(url)


def _saved_yesterday(answer_set: Response) -> None:
    Response.objects.filter(pk=answer_set.pk).update(updated=timezone.now() - timedelta(days=1))


def test_a_browser_with_unsent_answers_is_asked_to_continue_them_or_start_new(respondent, round):
    client, answer_set = respondent

    landing = _landing(client, round)

    content = landing.content.decode()
    assert landing.status_code == 200
    assert "Ga verder met je eigen antwoorden, of begin opnieuw?" in content
    assert 'name="choice" value="continue"' in content
    assert 'name="choice" value="new"' in content
    assert answer_set.token not in content
    assert Response.objects.count() == 1


def test_the_question_is_in_english_when_english_was_chosen(respondent, round):
    client, _answer_set = respondent
    client.cookies["django_language"] = "en"

    content = _landing(client, round).content.decode()

    assert "Continue your own answers, or start new?" in content


def test_a_post_without_a_choice_only_asks_again(respondent, round):
    client, answer_set = respondent

    response = _landing(client, round, nav="whatever")

    assert response.status_code == 200
    assert "respond/start.html" in _template_names(response)
    assert Response.objects.get() == answer_set


def test_continuing_on_the_same_day_in_the_same_browser_session_resumes(respondent, round):
    client, answer_set = respondent
    items = _items(round.version, 1)
    client.post(_page_url(answer_set, 1), _full_page(items, "5"))

    response = _landing(client, round, choice="continue")

    assert response.status_code == 302
    assert response.url == _page_url(answer_set, 2)  # where they left off
    page = client.get(response.url)
    assert page.context["response"] == answer_set
    assert Response.objects.count() == 1


def test_starting_new_leaves_the_earlier_answers_alone_and_shows_none_of_them(respondent, round):
    client, earlier = respondent
    items = _items(round.version, 1)
    client.post(_page_url(earlier, 1), _full_page(items, "5"))
    before = _answers(earlier)

    response = _landing(client, round, choice="new")

    fresh = Response.objects.latest("pk")
    assert fresh != earlier
    assert response.url == _url("respond_background", fresh)
    assert response.cookies[round.cookie_name].value == fresh.token
    assert response.cookies[round.session_cookie_name].value == fresh.token
    background = client.get(_url("respond_background", fresh))
    assert background.context["form"].initial.get("sector", "") == ""
    assert _checked(client.get(_page_url(fresh, 1))) == {}
    assert _answers(earlier) == before
    assert earlier.token not in client.get(_page_url(fresh, 1)).content.decode()


def test_answers_saved_yesterday_are_not_offered_and_not_shown(respondent, round):
    client, answer_set = respondent
    client.post(_page_url(answer_set, 1), _full_page(_items(round.version, 1), "5"))
    _saved_yesterday(answer_set)

    landing = _landing(client, round)
    refused = _landing(client, round, choice="continue")

    content = landing.content.decode()
    assert landing.context["may_continue"] is False
    assert 'value="continue"' not in content
    assert 'name="choice" value="new"' in content
    assert "Open dan je persoonlijke link" in content
    assert "testserver/a/" in content
    assert answer_set.token not in content
    assert refused.status_code == 403
    assert answer_set.token not in refused.content.decode()
    assert "Location" not in refused
    assert Response.objects.count() == 1


def test_answers_saved_yesterday_are_still_there_behind_the_personal_link(respondent, round):
    client, answer_set = respondent
    items = _items(round.version, 1)
    client.post(_page_url(answer_set, 1), _full_page(items, "5"))
    _saved_yesterday(answer_set)
    _landing(client, round, choice="new")

    elsewhere = Client()
    resumed = elsewhere.get(_url("respond_resume", answer_set))

    assert resumed.url == _page_url(answer_set, 2)
    page = elsewhere.get(_page_url(answer_set, 1))
    assert _checked(page) == _full_answers(items, "5")


def test_after_the_browser_closed_the_answers_are_not_offered(respondent, round):
    client, answer_set = respondent
    # A closed browser forgets its session cookies; the round cookie may outlive it.
    del client.cookies[round.session_cookie_name]

    landing = _landing(client, round)
    refused = _landing(client, round, choice="continue")

    assert landing.context["may_continue"] is False
    assert refused.status_code == 403
    assert Response.objects.get() == answer_set


def test_a_session_cookie_of_another_response_does_not_continue(respondent, round):
    client, _answer_set = respondent
    other = _start(Client(), round)
    client.cookies[round.session_cookie_name] = other.token

    assert _landing(client, round, choice="continue").status_code == 403


def test_without_a_closing_date_the_round_cookie_ends_with_the_browser(round):
    started = Client().post(reverse("respond_start", args=[round.token]))

    for name in (round.cookie_name, round.session_cookie_name):
        cookie = started.cookies[name]
        assert cookie["max-age"] == "", name
        assert cookie["expires"] == "", name
        assert cookie["httponly"]
        assert cookie["samesite"] == "Lax"


def test_with_a_closing_date_the_round_cookie_lasts_to_the_end_of_that_day(round, monkeypatch):
    round.closes_on = date(2026, 11, 20)
    round.save()
    # 18 November, 10:00 in Amsterdam: two days and fourteen hours left.
    now = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: now)

    started = Client().post(reverse("respond_start", args=[round.token]))

    assert started.cookies[round.cookie_name]["max-age"] == 2 * 24 * 3600 + 14 * 3600
    assert started.cookies[round.session_cookie_name]["max-age"] == ""


def test_the_personal_link_sets_the_cookies_the_same_way(respondent, round):
    _client, answer_set = respondent

    resumed = Client().get(_url("respond_resume", answer_set))

    assert resumed.cookies[round.cookie_name].value == answer_set.token
    assert resumed.cookies[round.cookie_name]["max-age"] == ""
    assert resumed.cookies[round.session_cookie_name].value == answer_set.token


def test_submitting_ends_the_session_cookie_and_continuing(respondent, round):
    client, answer_set = respondent

    submitted = client.post(_url("respond_submit", answer_set))
    again = _landing(client, round, choice="continue")

    assert submitted.cookies[round.session_cookie_name]["max-age"] == 0
    assert client.cookies[round.session_cookie_name].value == ""
    assert "respond/already_submitted.html" in _template_names(again)
    assert client.get(_url("respond_resume", answer_set)).url == _url("respond_thanks", answer_set)
    assert Response.objects.count() == 1


# Closed rounds


def _close(round: Round, how: str) -> None:
    if how == "closed_at":
        round.closed_at = timezone.now()
    else:
        round.closes_on = timezone.localdate() - timedelta(days=1)
    round.save()


@pytest.mark.parametrize("how", ["closed_at", "closes_on"])
def test_a_closed_round_refuses_every_page_and_saves_nothing(respondent, round, how):
    client, answer_set = respondent
    items = _items(round.version, 1)
    _close(round, how)

    for method, url, data in [
        ("get", reverse("respond_start", args=[round.token]), None),
        ("post", reverse("respond_start", args=[round.token]), {}),
        ("get", _url("respond_resume", answer_set), None),
        ("get", _url("respond_background", answer_set), None),
        ("post", _url("respond_background", answer_set), {"sector": "bso", "position": "manager"}),
        ("get", _page_url(answer_set, 1), None),
        ("post", _page_url(answer_set, 1), _full_page(items)),
        ("get", _url("respond_review", answer_set), None),
        ("post", _url("respond_submit", answer_set), {}),
    ]:
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (method, url)
        assert "respond/closed.html" in _template_names(response), url

    answer_set.refresh_from_db()
    assert not answer_set.is_submitted
    assert (answer_set.sector, answer_set.position) == ("school", "staff")
    assert not Answer.objects.exists()
    assert Response.objects.count() == 1


@pytest.mark.parametrize("how", ["closed_at", "closes_on"])
def test_a_closed_round_starts_no_response_for_a_new_browser(round, how):
    _close(round, how)

    response = Client().post(reverse("respond_start", args=[round.token]))

    assert response.status_code == 403
    assert not Response.objects.exists()


def test_a_round_closing_today_still_accepts_answers(respondent, round):
    client, answer_set = respondent
    round.closes_on = timezone.localdate()
    round.save()

    response = client.post(_page_url(answer_set, 1), _full_page(_items(round.version, 1)))

    assert response.status_code == 302
    assert Answer.objects.filter(response=answer_set).exists()


def test_a_reopened_round_accepts_answers_again(respondent, round):
    client, answer_set = respondent
    _close(round, "closed_at")
    assert client.get(_page_url(answer_set, 1)).status_code == 403
    round.closed_at = None
    round.save()

    assert client.get(_page_url(answer_set, 1)).status_code == 200


# Unknown links and secret tokens


def test_an_unknown_round_link_is_not_found(round):
    for method in ("get", "post"):
        response = getattr(Client(), method)(reverse("respond_start", args=["not-a-round"]))
        assert response.status_code == 404
        assert "respond/unknown_link.html" in _template_names(response)
    assert not Response.objects.exists()


def test_a_response_token_is_not_a_round_link(respondent):
    _client, answer_set = respondent

    response = Client().get(reverse("respond_start", args=[answer_set.token]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "method", "args"),
    [
        ("respond_resume", "get", []),
        ("respond_background", "get", []),
        ("respond_background", "post", []),
        ("respond_page", "get", [1]),
        ("respond_page", "post", [1]),
        ("respond_review", "get", []),
        ("respond_submit", "post", []),
        ("respond_thanks", "get", []),
    ],
)
def test_an_unknown_response_link_is_not_found(round, name, method, args):
    response = getattr(Client(), method)(reverse(name, args=["not-a-response", *args]))

    assert response.status_code == 404
    assert "respond/unknown_link.html" in _template_names(response)


def test_a_round_link_is_not_a_response_link(round):
    response = Client().get(reverse("respond_resume", args=[round.token]))

    assert response.status_code == 404


def test_one_response_never_reads_or_changes_another(round, other_round):
    mine = Client()
    my_answers = _start(mine, round)
    theirs = Client()
    their_answers = _start(theirs, other_round)
    items = _items(round.version, 1)
    theirs.post(_page_url(their_answers, 1), _full_page(items, "1", "1", "no"))
    before = _answers(their_answers)

    mine.post(_page_url(my_answers, 1), _full_page(items, "5", "3", "yes"))
    page = mine.get(_page_url(my_answers, 1))

    assert _answers(their_answers) == before
    assert _answers(my_answers) == {item.pk: (5, False, 3, True) for item in items}
    assert page.context["response"] == my_answers
    assert _checked(page) == _full_answers(items, "5", "3", "yes")
    assert their_answers.token not in page.content.decode()


def test_the_cookie_of_one_round_does_not_resume_a_response_of_another(round, other_round):
    client = Client()
    first = _start(client, round)
    client.cookies[other_round.cookie_name] = first.token

    landing = client.get(reverse("respond_start", args=[other_round.token]))
    second = _start(client, other_round)

    assert landing.context["resuming"] is False
    assert second != first
    assert second.round == other_round
    assert Response.objects.filter(round=round).count() == 1


# Privacy and safety of the respondent pages


def _respondent_urls(round: Round, answer_set: Response) -> list[str]:
    return [
        reverse("respond_start", args=[round.token]),
        _url("respond_resume", answer_set),
        _url("respond_background", answer_set),
        _page_url(answer_set, 1),
        _url("respond_review", answer_set),
        _url("respond_thanks", answer_set),
        reverse("respond_start", args=["not-a-round"]),
        _url("respond_page", answer_set, 99),
    ]


def test_respondent_pages_keep_their_links_on_the_site_and_are_not_cached(respondent, round):
    client, answer_set = respondent

    for url in _respondent_urls(round, answer_set):
        response = client.get(url)
        assert response["Referrer-Policy"] == "strict-origin", url
        cache_control = response["Cache-Control"]
        assert "no-store" in cache_control, url
        assert "no-cache" in cache_control, url

    submitted = client.post(_url("respond_submit", answer_set))
    assert submitted["Referrer-Policy"] == "strict-origin"
    assert "no-store" in submitted["Cache-Control"]
    closed = Round.objects.create(team=round.team, version=round.version, title="Dicht")
    _close(closed, "closed_at")
    refused = client.get(reverse("respond_start", args=[closed.token]))
    assert refused.status_code == 403
    assert refused["Referrer-Policy"] == "strict-origin"
    assert "no-store" in refused["Cache-Control"]


def test_starting_without_a_csrf_token_is_refused(round):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("respond_start", args=[round.token]))

    assert response.status_code == 403
    assert not Response.objects.exists()


def test_answering_without_a_csrf_token_is_refused_and_saves_nothing(respondent, round):
    _client, answer_set = respondent
    client = Client(enforce_csrf_checks=True)
    items = _items(round.version, 1)

    for url, data in [
        (_url("respond_background", answer_set), {"sector": "bso", "position": "manager"}),
        (_page_url(answer_set, 1), _full_page(items)),
        (_url("respond_submit", answer_set), {}),
    ]:
        assert client.post(url, data).status_code == 403, url

    answer_set.refresh_from_db()
    assert (answer_set.sector, answer_set.position) == ("school", "staff")
    assert not Answer.objects.exists()
    assert not answer_set.is_submitted


def test_answering_with_the_csrf_token_of_the_form_works(respondent, round):
    _client, answer_set = respondent
    client = Client(enforce_csrf_checks=True)
    page = client.get(_page_url(answer_set, 1))
    token = page.context["csrf_token"]
    items = _items(round.version, 1)

    response = client.post(_page_url(answer_set, 1), _full_page(items, csrfmiddlewaretoken=token))

    assert response.status_code == 302
    assert len(_answers(answer_set)) == len(items)


# Language


def _labels(version, kind: str, language: str) -> list[str]:
    return [
        getattr(label, f"label_{language}")
        for label in version.scale_labels.filter(kind=kind).order_by("value")
    ]


def test_the_page_shows_the_dutch_scale_labels_by_default(respondent, round):
    client, answer_set = respondent

    content = client.get(_page_url(answer_set, 1)).content.decode()

    for kind in (ScaleLabel.Kind.STATE, ScaleLabel.Kind.IMPORTANCE):
        dutch, english = _labels(round.version, kind, "nl"), _labels(round.version, kind, "en")
        assert len(dutch) == (5 if kind == ScaleLabel.Kind.STATE else 3)
        for label in dutch:
            assert html.escape(label) in content
        for label in english:
            assert html.escape(label) not in content
    for item in _items(round.version, 1):
        assert html.escape(item.text_nl) in content


def test_the_page_shows_the_english_scale_labels_when_english_was_chosen(respondent, round):
    client, answer_set = respondent
    client.cookies["django_language"] = "en"

    content = client.get(_page_url(answer_set, 1)).content.decode()

    for kind in (ScaleLabel.Kind.STATE, ScaleLabel.Kind.IMPORTANCE):
        for label in _labels(round.version, kind, "en"):
            assert html.escape(label) in content
        for label in _labels(round.version, kind, "nl"):
            assert html.escape(label) not in content
    for item in _items(round.version, 1):
        assert html.escape(item.text_en) in content


# Database work per page


def test_every_respondent_page_does_at_most_ten_queries(
    round, django_assert_max_num_queries, settings
):
    # As in production: the submit queues the coordinator's summaries for a worker (one row),
    # where the tests' immediate backend would refresh them inside the request.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = Client()
    with django_assert_max_num_queries(10):
        client.get(reverse("respond_start", args=[round.token]))
    with django_assert_max_num_queries(10):
        client.post(reverse("respond_start", args=[round.token]))
    answer_set = Response.objects.get()
    with django_assert_max_num_queries(10):
        client.get(_url("respond_resume", answer_set))
    with django_assert_max_num_queries(10):
        client.get(_url("respond_background", answer_set))
    with django_assert_max_num_queries(10):
        client.post(_url("respond_background", answer_set), BACKGROUND)
    for page in range(1, PAGE_COUNT + 1):
        items = _items(round.version, page)
        with django_assert_max_num_queries(10):
            assert client.get(_page_url(answer_set, page)).status_code == 200
        with django_assert_max_num_queries(10):
            assert client.post(_page_url(answer_set, page), _full_page(items)).status_code == 302
    with django_assert_max_num_queries(10):
        client.post(_page_url(answer_set, 1), _full_page(_items(round.version, 1), "9"))
    with django_assert_max_num_queries(10):
        client.get(_url("respond_review", answer_set))
    with django_assert_max_num_queries(10):
        client.post(_url("respond_submit", answer_set))
    with django_assert_max_num_queries(10):
        client.get(reverse("respond_start", args=[round.token]))
