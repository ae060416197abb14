"""The round link starts only a few new responses per browser and per address in an hour,
so that nobody pads a round with invented colleagues; a staff room behind one school
network always gets in. Nothing about the address is stored but a keyed hash."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment.models import Response, Round, StartCount
from assessment.responding.limits import take_start

SCHOOL = "203.0.113.7"
ELSEWHERE = "198.51.100.9"


@pytest.fixture
def round(team, questionnaire):
    return Round.objects.create(team=team, version=questionnaire, title="Najaar 2026")


class Clock:
    """timezone.now, set by the test: every count, window and saved time follows it."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 18, 9, 15, tzinfo=UTC)

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    made = Clock()
    monkeypatch.setattr(timezone, "now", lambda: made.now)
    return made


def _start(client: Client, round: Round, address: str = SCHOOL, **extra):
    """Press "Start" (or "Start new", when this browser already has answers)."""
    return client.post(
        reverse("respond_start", args=[round.token]),
        {"choice": "new"},
        REMOTE_ADDR=address,
        **extra,
    )


def _assert_refused(response) -> None:
    assert response.status_code == 429
    assert "respond/too_many.html" in [t.name for t in response.templates]
    assert int(response["Retry-After"]) > 0
    assert "Location" not in response


def test_one_browser_starts_three_responses_an_hour_and_the_fourth_is_refused(round, clock):
    browser = Client()
    for _ in range(3):
        assert _start(browser, round).status_code == 302

    refused = _start(browser, round)

    _assert_refused(refused)
    assert Response.objects.filter(round=round).count() == 3
    content = refused.content.decode()
    assert "Hier zijn te veel nieuwe vragenlijsten gestart" in content
    assert "Er is niets bewaard" in content


def test_the_refusal_is_in_english_when_english_was_chosen(round, clock):
    browser = Client()
    browser.cookies["django_language"] = "en"
    for _ in range(3):
        _start(browser, round)

    refused = _start(browser, round)

    _assert_refused(refused)
    assert "Too many new questionnaires started here" in refused.content.decode()


def test_the_refused_browser_keeps_its_own_unsent_answers(round, clock):
    browser = Client()
    for _ in range(3):
        _start(browser, round)
    mine = Response.objects.latest("pk")
    _assert_refused(_start(browser, round))

    again = browser.post(reverse("respond_start", args=[round.token]), {"choice": "continue"})

    assert again.url == reverse("respond_background", args=[mine.token])


def test_forty_browsers_behind_one_school_address_all_get_in(round, clock):
    for _ in range(40):
        assert _start(Client(), round).status_code == 302

    assert Response.objects.filter(round=round).count() == 40


def test_the_sixty_first_new_response_from_one_address_is_refused(round, clock):
    for _ in range(60):
        assert _start(Client(), round).status_code == 302

    _assert_refused(_start(Client(), round))
    assert Response.objects.filter(round=round).count() == 60
    assert _start(Client(), round, ELSEWHERE).status_code == 302


def test_an_hour_later_the_browser_and_the_address_may_start_again(round, clock):
    browser = Client()
    for _ in range(3):
        _start(browser, round)
    for _ in range(57):
        _start(Client(), round)
    _assert_refused(_start(browser, round))
    _assert_refused(_start(Client(), round))

    clock.advance(hours=1)

    assert _start(browser, round).status_code == 302
    assert _start(Client(), round).status_code == 302
    assert Response.objects.filter(round=round).count() == 62


def test_the_limits_count_per_round(round, team, questionnaire, clock):
    other = Round.objects.create(team=team, version=questionnaire, title="Voorjaar 2027")
    browser = Client()
    for _ in range(3):
        _start(browser, round)
    _assert_refused(_start(browser, round))

    assert _start(browser, other).status_code == 302


def test_a_refused_start_counts_for_nothing(round, clock, settings):
    settings.RESPONSES_PER_BROWSER_PER_HOUR = 1
    settings.RESPONSES_PER_ADDRESS_PER_HOUR = 2
    first = Client()
    _start(first, round)
    before = list(StartCount.objects.order_by("key").values_list("key", "count"))

    _assert_refused(_start(first, round))

    assert list(StartCount.objects.order_by("key").values_list("key", "count")) == before
    assert _start(Client(), round).status_code == 302  # the address had one start left
    _assert_refused(_start(Client(), round))
    assert Response.objects.count() == 2


def test_the_numbers_are_settings(round, clock, settings):
    settings.RESPONSES_PER_BROWSER_PER_HOUR = 5
    settings.RESPONSES_PER_ADDRESS_PER_HOUR = 6
    browser = Client()
    for _ in range(5):
        assert _start(browser, round).status_code == 302
    _assert_refused(_start(browser, round))

    assert _start(Client(), round).status_code == 302
    _assert_refused(_start(Client(), round))


def test_starting_new_beside_unsent_answers_takes_at_most_ten_queries(
    round, clock, django_assert_max_num_queries
):
    browser = Client()
    _start(browser, round)

    with django_assert_max_num_queries(10):
        assert _start(browser, round).status_code == 302


def test_behind_one_proxy_the_forwarded_address_counts(round, clock, settings):
    settings.TRUSTED_PROXIES = 1
    proxy = "10.0.0.2"
    for _ in range(60):
        started = _start(Client(), round, proxy, HTTP_X_FORWARDED_FOR=SCHOOL)
        assert started.status_code == 302

    _assert_refused(_start(Client(), round, proxy, HTTP_X_FORWARDED_FOR=SCHOOL))
    # Another school behind the same proxy is another address.
    assert _start(Client(), round, proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE).status_code == 302
    # A visitor's own X-Forwarded-For entry in front of the proxy's changes nothing.
    spoofed = _start(Client(), round, proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.1, {SCHOOL}")
    _assert_refused(spoofed)


def test_without_a_proxy_a_forwarded_address_is_ignored(round, clock, settings):
    settings.TRUSTED_PROXIES = 0
    for number in range(60):
        _start(Client(), round, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")

    _assert_refused(_start(Client(), round, HTTP_X_FORWARDED_FOR="192.0.2.200"))


def test_a_refused_start_makes_no_response_even_for_a_new_browser(round, clock):
    for _ in range(60):
        _start(Client(), round)
    fresh = Client()

    refused = _start(fresh, round)

    _assert_refused(refused)
    assert round.cookie_name not in refused.cookies
    assert Response.objects.count() == 60


def test_the_counts_hold_no_address_and_are_gone_after_their_hour(round, clock):
    _start(Client(), round)

    rows = list(StartCount.objects.all())
    assert len(rows) == 2  # this browser, this address
    for row in rows:
        assert SCHOOL not in row.key
        assert len(row.key) == 64
        assert row.expires <= clock.now + timedelta(hours=1)
    assert SCHOOL not in str(list(StartCount.objects.values_list()))

    clock.advance(hours=1)
    _start(Client(), round, ELSEWHERE)

    assert not StartCount.objects.filter(pk__in=[row.pk for row in rows]).exists()
    assert StartCount.objects.count() == 2


def test_the_browser_cookie_is_a_random_code_for_an_hour(round, clock):
    browser = Client()

    started = _start(browser, round)
    again = _start(browser, round)

    cookie = started.cookies["samenspel_browser"]
    assert len(cookie.value) >= 32
    assert cookie["max-age"] == 3600
    assert cookie["httponly"]
    assert "samenspel_browser" not in again.cookies  # kept, not renewed


def test_the_counting_key_depends_on_the_secret_key(round, clock, settings):
    _start(Client(), round)
    first = set(StartCount.objects.values_list("key", flat=True))
    StartCount.objects.all().delete()

    settings.SECRET_KEY = "another-secret-key-for-this-test-0123456789abcdefghijklmnop"
    _start(Client(), round)

    later = set(StartCount.objects.values_list("key", flat=True))
    assert not first & later


def _at_once(count: int, start) -> list[bool]:
    """`count` starts in as many threads, let go together, each on its own connection."""
    barrier = threading.Barrier(count)

    def one(number: int) -> bool:
        try:
            barrier.wait()
            return start(number)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


# On SQLite too: its test database is a file, and a write transaction waits for the lock.
@pytest.mark.django_db(transaction=True)
def test_starts_at_the_same_moment_never_pass_the_limits(team, questionnaire, settings):
    settings.RESPONSES_PER_ADDRESS_PER_HOUR = 5
    round = Round.objects.create(team=team, version=questionnaire, title="Najaar 2026")
    now = timezone.now()

    one_browser = _at_once(
        8, lambda n: take_start(round.pk, browser="tablet", address=f"192.0.2.{n}", now=now)
    )
    one_address = _at_once(
        12, lambda n: take_start(round.pk, browser=f"phone-{n}", address=SCHOOL, now=now)
    )

    assert one_browser.count(True) == 3
    assert one_address.count(True) == 5
    assert sorted(StartCount.objects.values_list("count", flat=True)).count(5) == 1
