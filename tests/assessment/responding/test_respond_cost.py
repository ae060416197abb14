"""What one complete response costs the server, pinned so it cannot grow back.

The figures and the profiles behind them: bench/journey/README.md. The limits are the
SQLite counts (which include each transaction's BEGIN); PostgreSQL's are lower.
"""

import html

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from assessment.models import Response, Round
from assessment.questionnaire.publishing import create_draft
from assessment.questionnaire.structure import structure
from assessment.templatetags import frozen
from tests.assessment.responding.test_respond import (
    BACKGROUND,
    PAGE_COUNT,
    _checked,
    _full_answers,
    _full_page,
    _items,
    _page_url,
    _url,
)


@pytest.fixture
def round(team, questionnaire):
    return Round.objects.create(team=team, version=questionnaire, title="Najaar 2026")


@pytest.fixture(autouse=True)
def _nothing_kept():
    frozen._kept.clear()
    yield
    frozen._kept.clear()


def test_a_complete_response_takes_thirty_three_requests_and_few_queries_each(round, settings):
    # As in production: submitting queues the coordinator's summaries for a worker (one
    # row), where the tests' immediate backend would refresh them inside the request.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    structure(round.version)  # read once per process and version, then kept
    pages = [_full_page(_items(round.version, page)) for page in range(1, PAGE_COUNT + 1)]
    client = Client()
    queries: list[tuple[str, int]] = []

    def send(kind: str, method: str, path: str, data=None):
        with CaptureQueriesContext(connection) as captured:
            answer = getattr(client, method)(path, data)
        queries.append((kind, len(captured)))
        return answer

    start = reverse("respond_start", args=[round.token])
    send("landing", "get", start)
    started = send("start", "post", start)
    answer_set = Response.objects.get()
    # Straight to the background page: not through the personal link's redirect.
    assert started.url == _url("respond_background", answer_set)
    send("background", "get", started.url)
    saved = send("background saved", "post", started.url, BACKGROUND)
    for page, form in enumerate(pages, start=1):
        assert saved.url == _page_url(answer_set, page)
        send("page", "get", saved.url)
        saved = send("page saved", "post", saved.url, form)
    send("review", "get", saved.url)
    sent = send("submit", "post", _url("respond_submit", answer_set))
    send("thanks", "get", sent.url)

    # In a test's transaction each of the view's transactions is a SAVEPOINT and its
    # RELEASE; outside (bench/journey.py) SQLite logs one BEGIN and PostgreSQL nothing.
    expected = {
        "landing": 1,
        "start": 8,
        "background": 1,
        "background saved": 2,
        "page": 2,
        "page saved": 5,
        "review": 2,
        "submit": 10,
        "thanks": 1,
    }
    assert len(queries) == 33
    assert {kind: count for kind, count in queries if count > expected[kind]} == {}
    answer_set.refresh_from_db()
    assert answer_set.is_submitted
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "assessment.comparison.tasks.refresh_round_summaries"
    assert queued.args_kwargs["args"] == [[round.pk]]


def test_a_page_shown_blank_to_one_respondent_shows_another_their_own_answers(round):
    first, second = Client(), Client()
    for client in (first, second):
        client.post(reverse("respond_start", args=[round.token]))
    one, other = Response.objects.order_by("pk")
    items = _items(round.version, 1)
    second.post(_page_url(other, 1), _full_page(items, "5", "3", "no"))

    blank = first.get(_page_url(one, 1))
    answered = second.get(_page_url(other, 1))
    blank_again = first.get(_page_url(one, 1))

    assert _checked(blank) == {} and _checked(blank_again) == {}
    assert _checked(answered) == _full_answers(items, "5", "3", "no")


def test_the_kept_statements_are_kept_per_language(respondent_en):
    client, answer_set = respondent_en
    dutch = Client().get(_page_url(answer_set, 1)).content.decode()
    english = client.get(_page_url(answer_set, 1)).content.decode()

    for item in _items(answer_set.round.version, 1):
        assert html.escape(item.text_nl) in dutch
        assert html.escape(item.text_en) in english
        assert html.escape(item.text_nl) not in english


@pytest.fixture
def respondent_en(round):
    client = Client()
    client.cookies["django_language"] = "en"
    client.post(reverse("respond_start", args=[round.token]))
    return client, Response.objects.get()


def test_a_frozen_block_renders_once_per_key_and_language_and_afresh_without_a_key():
    template = Template('{% load frozen %}{% frozen "test-block" key %}{{ value }}{% endfrozen %}')

    def render(key, value, language="nl"):
        with translation.override(language):
            return template.render(Context({"key": key, "value": value}))

    assert render("a", "first") == "first"
    assert render("a", "second") == "first"  # kept
    assert render("b", "second") == "second"
    assert render("a", "third", "en") == "third"
    assert render("", "fourth") == "fourth"  # a draft, say: never kept
    assert render(None, "fifth") == "fifth"
    assert render("", "sixth") == "sixth"


def test_a_published_version_has_a_key_to_keep_its_pages_by_and_a_draft_none(questionnaire):
    draft = create_draft(source=questionnaire)

    assert structure(questionnaire).published_key.startswith(f"{questionnaire.pk}@")
    assert structure(draft).published_key == ""


def test_under_debug_a_frozen_block_renders_afresh_each_time(settings):
    template = Template('{% load frozen %}{% frozen "test-debug" "k" %}{{ value }}{% endfrozen %}')
    settings.DEBUG = True  # templates change under a running development server

    assert template.render(Context({"value": "one"})) == "one"
    assert template.render(Context({"value": "two"})) == "two"
