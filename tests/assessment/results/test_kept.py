"""An ended round's results page is rendered once and kept (assessment/results/kept.py):
cheap to open again, never stale after a write that changes it, never another viewer's."""

import random
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import _does_token_match
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.demo import TeamProfile, make_responses
from assessment.models import Action, Round, Sector
from assessment.plans.services import add_action
from assessment.results import kept
from assessment.results.retention import expire_answers
from teams.models import Membership
from tests.assessment.results.test_release import Colleagues, _all

DIMENSION = "roles-and-mandate"


def _round(team, version, title: str, *, days_ago: int, size: int, seed: int = 1) -> Round:
    round = Round.objects.create(team=team, version=version, title=title)
    Round.objects.filter(pk=round.pk).update(created=timezone.now() - timedelta(days=days_ago))
    profile = TeamProfile(level=3.4, sectors=(Sector.SCHOOL, Sector.CHILDCARE))
    make_responses([(round, size, profile)], rng=random.Random(seed))
    Round.objects.filter(pk=round.pk).update(
        closed_at=timezone.now() - timedelta(days=days_ago - 1)
    )
    return Round.objects.get(pk=round.pk)


@pytest.fixture
def closed_round(team, questionnaire) -> Round:
    return _round(team, questionnaire, "Najaar 2026", days_ago=2, size=6)


@pytest.fixture
def earlier_and_later(team, questionnaire) -> tuple[Round, Round]:
    earlier = _round(team, questionnaire, "Voorjaar 2026", days_ago=200, size=6, seed=2)
    later = _round(team, questionnaire, "Najaar 2026", days_ago=2, size=6, seed=3)
    return earlier, later


def _page(client, round: Round) -> str:
    response = client.get(reverse("round_results", args=[round.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _completed(page: str) -> str:
    # The header's count, under the title.
    [count] = re.findall(r'<p class="mb-0">(\d+) ingevulde vragenlijst', page)
    return count


def _action(round: Round, user, text: str, **fields) -> Action:
    return add_action(
        round=round,
        created_by=user,
        text=text,
        dimension_key=DIMENSION,
        item_key="",
        topic="Rollen en mandaat",
        **fields,
    )


def test_the_second_view_of_a_closed_rounds_results_costs_four_queries(
    login, facilitator, closed_round
):
    client = login(facilitator)
    first = _page(client, closed_round)

    with CaptureQueriesContext(connection) as queries:
        again = _page(client, closed_round)

    # The session, the user, the round (with who may see it) and whether they may plan.
    assert len(queries) == 4, [q["sql"] for q in queries]
    assert _without_csrf_token(again) == _without_csrf_token(first)


def _without_csrf_token(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_an_open_rounds_page_is_never_kept_it_counts_each_new_submission(
    login, facilitator, team, questionnaire
):
    round = Round.objects.create(team=team, version=questionnaire, title="Open")
    client = login(facilitator)
    profile = TeamProfile(level=3.4, sectors=(Sector.SCHOOL,))
    make_responses([(round, 2, profile)], rng=random.Random(1))
    assert _completed(_page(client, round)) == "2"

    make_responses([(round, 1, profile)], rng=random.Random(2))

    assert _completed(_page(client, round)) == "3"


def _close(client, round: Round) -> None:
    assert client.post(reverse("round_close", args=[round.pk])).status_code == 302


def _reopen(client, round: Round) -> None:
    assert client.post(reverse("round_reopen", args=[round.pk])).status_code == 302


def test_the_page_follows_each_reopening_and_each_release_of_the_newcomers(
    login, facilitator, team, questionnaire
):
    round = Round.objects.create(team=team, version=questionnaire, title="Najaar 2026")
    colleagues, client = Colleagues(round), login(facilitator)
    colleagues.submit(5)
    _close(client, round)
    read = _page(client, round)
    assert _completed(read) == "5"

    _reopen(client, round)
    colleagues.submit(3, states=_all(5))  # enough for the means, not for the spreads
    _close(client, round)
    held = _page(client, round)

    assert _completed(held) == "5"
    assert "3 vragenlijsten kwamen binnen nadat de ronde weer openging" in held
    assert "nadat de ronde weer openging" not in read

    _reopen(client, round)
    colleagues.submit(2, states=_all(5))
    _close(client, round)
    released = _page(client, round)

    assert _completed(released) == "10"
    assert "nadat de ronde weer openging" not in released


def test_an_action_added_to_the_plan_shows_on_the_page_at_once(
    login, facilitator, member, closed_round
):
    client = login(facilitator)
    readers = [client, login(member)]
    for reader in readers:
        assert "Rollen op papier zetten" not in _page(reader, closed_round)

    response = client.post(
        reverse("action_create", args=[closed_round.pk]),
        {
            "topic": f"d:{DIMENSION}",
            "text": "Rollen op papier zetten",
            "owner": "",
            "due_date": "",
            "status": Action.Status.PLANNED,
        },
    )
    assert response.status_code == 302

    for reader in readers:
        assert "Rollen op papier zetten" in _page(reader, closed_round)


def test_a_changed_action_shows_its_new_words_and_status_on_every_round_it_is_in(
    login, facilitator, earlier_and_later
):
    earlier, later = earlier_and_later
    action = _action(earlier, facilitator, "Rollen op papier zetten")
    action.rounds.add(later)  # carried into the later round's plan
    kept.changed(earlier.team_id)
    client = login(facilitator)
    for round in (earlier, later):
        assert "Rollen op papier zetten" in _page(client, round)

    response = client.post(
        reverse("action_edit", args=[action.pk]),
        {"text": "Rollen en taken op papier", "owner": "", "due_date": "", "status": "done"},
    )
    assert response.status_code == 302

    for round in (earlier, later):
        page = _page(client, round)
        assert "Rollen en taken op papier" in page
        assert "Rollen op papier zetten" not in page


def test_the_trend_loses_an_earlier_round_that_is_reopened(login, facilitator, earlier_and_later):
    earlier, later = earlier_and_later
    client = login(facilitator)
    assert "Voorjaar 2026" in _page(client, later)  # in its trend

    client.post(reverse("round_reopen", args=[earlier.pk]))

    assert "Voorjaar 2026" not in _page(client, later)


def test_the_trend_loses_an_earlier_round_that_is_deleted(login, facilitator, earlier_and_later):
    earlier, later = earlier_and_later
    client = login(facilitator)
    assert "Voorjaar 2026" in _page(client, later)

    assert client.post(reverse("round_delete", args=[earlier.pk])).status_code == 302

    assert "Voorjaar 2026" not in _page(client, later)


def test_the_page_says_the_answers_are_deleted_once_retention_ran(login, facilitator, closed_round):
    client = login(facilitator)
    assert 'id="answers-expired"' not in _page(client, closed_round)
    Round.objects.filter(pk=closed_round.pk).update(
        closed_at=timezone.now() - timedelta(days=3 * 366)
    )

    assert expire_answers(timezone.now()) == 1

    assert 'id="answers-expired"' in _page(client, closed_round)


def test_a_revision_moved_by_a_write_renders_the_page_afresh(login, facilitator, closed_round):
    # What every write above relies on, without any column of the round changing: the
    # page kept before the write is not served after it.
    client = login(facilitator)
    _page(client, closed_round)
    Action.objects.create(
        team=closed_round.team,
        origin=closed_round,
        dimension_key=DIMENSION,
        topic="Rollen en mandaat",
        text="Buiten de diensten om geschreven",
    ).rounds.add(closed_round)
    assert "Buiten de diensten om geschreven" not in _page(client, closed_round)  # kept

    kept.changed(closed_round.team_id)

    assert "Buiten de diensten om geschreven" in _page(client, closed_round)


def test_an_action_becomes_overdue_on_the_next_day_though_nothing_was_written(
    login, facilitator, closed_round, monkeypatch
):
    today = timezone.localdate()
    _action(closed_round, facilitator, "Rollen op papier zetten", due_date=today)
    client = login(facilitator)
    assert "overdue" not in _page(client, closed_round)

    monkeypatch.setattr(timezone, "localdate", lambda *args: today + timedelta(days=1))

    assert 'class="badge text-bg-danger overdue"' in _page(client, closed_round)


@pytest.mark.parametrize("first", ["facilitator", "member"])
def test_a_member_never_sees_the_facilitators_controls_nor_the_other_way_round(
    login, facilitator, member, closed_round, first
):
    clients = {"facilitator": login(facilitator), "member": login(member)}
    second = "member" if first == "facilitator" else "facilitator"
    pages = {name: _page(clients[name], closed_round) for name in (first, second)}
    add = reverse("action_create", args=[closed_round.pk])

    assert add in pages["facilitator"]
    assert add not in pages["member"]
    assert "Make it an action" not in pages["member"]
    assert "Maak er een actie van" not in pages["member"]


def test_the_public_page_never_shows_the_signed_in_pages_controls(
    client, login, facilitator, closed_round
):
    _page(login(facilitator), closed_round)

    public = client.get(reverse("results_public", args=[closed_round.token])).content.decode()

    assert reverse("action_create", args=[closed_round.pk]) not in public
    assert reverse("round_results_csv", args=[closed_round.pk]) not in public
    assert "Log out" not in public and "Uitloggen" not in public


def test_a_member_who_becomes_facilitator_sees_the_controls_at_once(
    login, member, team, closed_round
):
    client = login(member)
    add = reverse("action_create", args=[closed_round.pk])
    assert add not in _page(client, closed_round)

    Membership.objects.filter(team=team, user=member).update(role=Membership.Role.FACILITATOR)

    assert add in _page(client, closed_round)


def test_each_viewer_gets_a_csrf_token_of_their_own_and_the_kept_page_holds_none(
    login, facilitator, admin, closed_round
):
    # The facilitator and the admin have the same rights here, so they share the kept page.
    clients = [login(facilitator), login(admin)]
    tokens = []
    for client in clients:
        page = _page(client, closed_round)
        found = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found  # the log-out form
        tokens += [(client, token) for token in found]
    # The test settings' cache is the local-memory one: its values are what is kept.
    kept_pages = list(cache._cache.values())  # type: ignore[attr-defined]
    assert kept_pages, "the page is kept"

    for client, token in tokens:
        secret = client.cookies["csrftoken"].value
        assert _does_token_match(token, secret)
    facilitators, admins = clients
    for client, token in tokens:
        other = admins if client is facilitators else facilitators
        assert not _does_token_match(token, other.cookies["csrftoken"].value)
    assert all(b"csrfmiddlewaretoken" not in value for value in kept_pages)
