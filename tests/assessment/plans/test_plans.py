"""The action plan: facilitators record what the team will do; open actions go along."""

import csv
import html
import io
import random
import statistics
from datetime import timedelta

import pytest
from django.template.defaultfilters import floatformat
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from assessment.demo import TeamProfile, make_responses
from assessment.models import Action, Dimension, DimensionScore, Item, Round
from assessment.plans.services import add_action
from assessment.questionnaire.publishing import create_draft, publish
from assessment.results import scoring

DIMENSION = "roles-and-mandate"
ITEM = "roles-and-mandate.mandate"
RENAMED_ITEM = "roles-and-mandate.decision-power"


def _nl(text: str) -> str:
    with translation.override("nl"):
        return translation.gettext(text)


def _close(round: Round) -> Round:
    round.closed_at = timezone.now()
    round.save(update_fields=["closed_at"])
    return round


def _fill(round: Round, size: int, *, level: float = 3.3, seed: int = 7) -> None:
    make_responses([(round, size, TeamProfile(level=level))], rng=random.Random(seed))


def _due(days: int = 30) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _action_data(**changes) -> dict[str, str]:
    data = {
        "topic": f"d:{DIMENSION}",
        "text": "Elke maand een overleg met opvang, school en jeugdhulp",
        "owner": "Fenna",
        "due_date": _due(),
        "status": Action.Status.PLANNED,
    }
    data.update(changes)
    return data


def _create_url(round: Round) -> str:
    return reverse("action_create", args=[round.pk])


def _edit_url(action: Action) -> str:
    return reverse("action_edit", args=[action.pk])


def _plan_url(round: Round) -> str:
    return reverse("round_results", args=[round.pk]) + "#plan"


def _dimension(version, key: str = DIMENSION) -> Dimension:
    return Dimension.objects.get(version=version, key=key)


def _action(round: Round, user, text: str, status: str = Action.Status.PLANNED, **fields):
    fields = {
        "dimension_key": DIMENSION,
        "item_key": "",
        "topic": _dimension(round.version).name_nl,
        "owner": "Fenna",
        "due_date": timezone.localdate() + timedelta(days=30),
        **fields,
    }
    return add_action(round=round, created_by=user, text=text, status=status, **fields)


def _snapshot(action: Action) -> dict:
    """Everything a write could change about an action, re-read from the database."""
    action = Action.objects.get(pk=action.pk)
    return {
        "text": action.text,
        "owner": action.owner,
        "due_date": action.due_date,
        "status": action.status,
        "topic": action.topic,
        "dimension_key": action.dimension_key,
        "item_key": action.item_key,
        "rounds": sorted(action.rounds.values_list("pk", flat=True)),
    }


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def round(team, questionnaire):
    return Round.objects.create(team=team, version=questionnaire, title="Najaar 2026")


@pytest.fixture
def closed_round(round):
    _fill(round, 6)
    return _close(round)


@pytest.fixture
def action(closed_round, facilitator):
    return _action(closed_round, facilitator, "Rollen op papier zetten")


@pytest.fixture
def other_round(other_team, questionnaire):
    round = Round.objects.create(team=other_team, version=questionnaire, title="Elders 2026")
    _fill(round, 6)
    return _close(round)


@pytest.fixture
def second_version(questionnaire):
    """Version 2: one statement of roles-and-mandate has a new key."""
    draft = create_draft(source=questionnaire)
    item = Item.objects.get(dimension__version=draft, key=ITEM)
    item.key = RENAMED_ITEM
    item.save()
    publish(version=draft)
    draft.refresh_from_db()
    return draft


# Adding an action


@pytest.mark.parametrize(
    ("topic", "item_key"),
    [(f"d:{DIMENSION}", ""), (f"i:{ITEM}", ITEM)],
    ids=["dimension", "statement"],
)
def test_a_facilitator_adds_an_action_from_a_closed_round(
    login, facilitator, closed_round, topic, item_key
):
    due = _due(45)

    response = login(facilitator).post(
        _create_url(closed_round),
        _action_data(topic=topic, owner="Fenna en Mo", due_date=due, status="under_way"),
    )

    assert response.status_code == 302
    assert response.url == _plan_url(closed_round)
    action = Action.objects.get()
    assert action.team == closed_round.team
    assert action.origin == closed_round
    assert action.dimension_key == DIMENSION
    assert action.item_key == item_key
    if item_key:
        assert (
            action.topic
            == Item.objects.get(dimension__version=closed_round.version, key=ITEM).text_nl
        )
    else:
        assert action.topic == _dimension(closed_round.version).name_nl
    assert action.text == _action_data()["text"]
    assert action.owner == "Fenna en Mo"
    assert action.due_date.isoformat() == due
    assert action.status == Action.Status.UNDER_WAY
    assert action.created_by == facilitator
    assert list(closed_round.actions.all()) == [action]


def test_the_new_action_is_in_the_plan_on_the_results_page(login, facilitator, closed_round):
    client = login(facilitator)
    client.post(_create_url(closed_round), _action_data())

    response = client.get(reverse("round_results", args=[closed_round.pk]))

    action = Action.objects.get()
    results = response.context["results"]
    assert results.actions == (action,)
    assert [row.action for row in results.plan_rows] == [action]
    assert html.escape(action.text) in response.content.decode()


def test_an_admin_adds_an_action_to_any_team(login, admin, closed_round):
    response = login(admin).post(_create_url(closed_round), _action_data())

    assert response.status_code == 302
    assert Action.objects.get().created_by == admin


# Who may change a plan


@pytest.mark.parametrize(
    "user", ["member", "coordinator", "other_facilitator", "other_coordinator"]
)
@pytest.mark.parametrize(
    ("view", "method"),
    [("create", "get"), ("create", "post"), ("edit", "get"), ("edit", "post")],
)
def test_only_facilitators_of_the_team_change_its_plan(
    request, login, other_team, closed_round, action, user, view, method
):
    before = _snapshot(action)
    client = login(request.getfixturevalue(user))
    url = _create_url(closed_round) if view == "create" else _edit_url(action)
    data = _action_data(text="Iets anders", owner="Indringer", status="dropped")

    response = client.post(url, data) if method == "post" else client.get(url)

    assert response.status_code == 404
    assert Action.objects.count() == 1
    assert _snapshot(action) == before


@pytest.mark.parametrize(
    ("view", "method"),
    [("create", "get"), ("create", "post"), ("edit", "get"), ("edit", "post")],
)
def test_anonymous_visitors_are_sent_to_log_in(closed_round, action, view, method):
    before = _snapshot(action)
    url = _create_url(closed_round) if view == "create" else _edit_url(action)
    client = Client()

    response = (
        client.post(url, _action_data(status="done")) if method == "post" else client.get(url)
    )

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert Action.objects.count() == 1
    assert _snapshot(action) == before


def test_members_read_the_plan_but_get_no_links_to_change_it(
    login, facilitator, member, closed_round, action
):
    as_member = login(member).get(reverse("round_results", args=[closed_round.pk]))
    as_facilitator = login(facilitator).get(reverse("round_results", args=[closed_round.pk]))

    member_page = as_member.content.decode()
    assert as_member.status_code == 200
    assert as_member.context["results"].actions == (action,)
    assert html.escape(action.text) in member_page
    assert _edit_url(action) not in member_page
    assert _create_url(closed_round) not in member_page
    # The same page shows the facilitator the links: their absence above is about the role.
    assert _edit_url(action) in as_facilitator.content.decode()
    assert _create_url(closed_round) in as_facilitator.content.decode()


def test_the_public_results_link_shows_the_plan_without_links_to_change_it(closed_round, action):
    response = Client().get(reverse("results_public", args=[closed_round.token]))

    content = response.content.decode()
    assert response.status_code == 200
    assert html.escape(action.text) in content
    assert _edit_url(action) not in content


def test_an_actions_text_is_shown_as_text_not_as_html(login, facilitator, team, closed_round):
    _action(closed_round, facilitator, "<script>alert('plan')</script>", owner="<b>Mo</b>")
    client = login(facilitator)

    pages = [
        client.get(reverse("round_results", args=[closed_round.pk])),
        client.get(reverse("round_create", args=[team.pk])),
    ]

    for page in pages:
        content = page.content.decode()
        assert "<script>alert(" not in content
        assert html.escape("<script>alert('plan')</script>") in content
    assert "<b>Mo</b>" not in pages[0].content.decode()


# Bad input


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 1001}, "text"),
        ({"due_date": "31-02-2026"}, "due_date"),
        ({"due_date": "2026-02-31"}, "due_date"),
        ({"due_date": "tomorrow"}, "due_date"),
        ({"due_date": "2020-01-01"}, "due_date"),
        ({"owner": "x" * 5000}, "owner"),
        ({"status": "finished"}, "status"),
        ({"topic": "d:no-such-dimension"}, "topic"),
        ({"topic": "roles-and-mandate"}, "topic"),
        ({"topic": ""}, "topic"),
        ({"topic": f"i:{RENAMED_ITEM}"}, "topic"),
    ],
    ids=[
        "no-text",
        "blank-text",
        "text-too-long",
        "day-first-date",
        "impossible-iso-date",
        "date-in-words",
        "date-in-the-past",
        "owner-too-long",
        "unknown-status",
        "unknown-dimension",
        "topic-without-prefix",
        "no-topic",
        "statement-of-another-version",
    ],
)
def test_bad_input_is_refused_with_a_form_error_and_nothing_saved(
    login, facilitator, closed_round, second_version, changes, field
):
    response = login(facilitator).post(_create_url(closed_round), _action_data(**changes))

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Action.objects.exists()
    assert not closed_round.actions.exists()


def test_the_statement_of_the_newer_version_is_a_topic_in_a_round_of_that_version(
    login, facilitator, team, second_version
):
    """The counterpart of the "statement-of-another-version" case above."""
    round = Round.objects.create(team=team, version=second_version, title="Voorjaar 2027")
    _fill(round, 4)
    _close(round)

    response = login(facilitator).post(_create_url(round), _action_data(topic=f"i:{RENAMED_ITEM}"))

    assert response.status_code == 302
    assert Action.objects.get().item_key == RENAMED_ITEM


def test_a_text_of_exactly_1000_characters_is_accepted(login, facilitator, closed_round):
    response = login(facilitator).post(_create_url(closed_round), _action_data(text="x" * 1000))

    assert response.status_code == 302
    assert len(Action.objects.get().text) == 1000


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_teams_round_is_not_found(login, facilitator, team, other_round, method):
    client = login(facilitator)
    url = _create_url(other_round)

    response = client.post(url, _action_data()) if method == "post" else client.get(url)

    assert response.status_code == 404
    assert not Action.objects.exists()


def test_another_teams_action_is_not_found(
    login, facilitator, team, other_round, other_facilitator
):
    theirs = _action(other_round, other_facilitator, "Hun eigen actie")
    before = _snapshot(theirs)
    client = login(facilitator)

    assert client.get(_edit_url(theirs)).status_code == 404
    assert client.post(_edit_url(theirs), _action_data(status="dropped")).status_code == 404
    assert _snapshot(theirs) == before


def test_an_unknown_round_is_not_found(login, facilitator, closed_round):
    response = login(facilitator).post(reverse("action_create", args=[closed_round.pk + 1000]))

    assert response.status_code == 404


# Changing an action


def test_changing_an_action_updates_status_owner_and_due_date_but_not_the_topic(
    login, facilitator, closed_round
):
    action = _action(
        closed_round,
        facilitator,
        "Mandaat regelen",
        item_key=ITEM,
        topic=Item.objects.get(dimension__version=closed_round.version, key=ITEM).text_nl,
    )
    before = _snapshot(action)
    client = login(facilitator)
    new_due = _due(90)

    page = client.get(_edit_url(action))
    response = client.post(
        _edit_url(action),
        {
            "topic": "d:communication",
            "text": "Mandaat regelen met de leidinggevenden",
            "owner": "Mo",
            "due_date": new_due,
            "status": "done",
        },
    )

    assert page.status_code == 200
    assert "topic" not in page.context["form"].fields
    assert response.status_code == 302
    assert response.url == _plan_url(closed_round)
    after = _snapshot(action)
    assert after["status"] == Action.Status.DONE
    assert after["owner"] == "Mo"
    assert after["due_date"].isoformat() == new_due
    assert after["text"] == "Mandaat regelen met de leidinggevenden"
    assert (after["topic"], after["dimension_key"], after["item_key"]) == (
        before["topic"],
        DIMENSION,
        ITEM,
    )
    assert after["rounds"] == before["rounds"]


@pytest.mark.parametrize(
    "changes",
    [{"text": ""}, {"due_date": "tomorrow"}, {"owner": "x" * 5000}, {"status": "finished"}],
    ids=["no-text", "date-in-words", "owner-too-long", "unknown-status"],
)
def test_a_bad_change_is_refused_and_nothing_changes(
    login, facilitator, closed_round, action, changes
):
    before = _snapshot(action)

    response = login(facilitator).post(_edit_url(action), _action_data(**changes))

    assert response.status_code == 400
    assert response.context["form"].errors
    assert _snapshot(action) == before


# Suggestions from research


def test_choosing_a_dimension_shows_its_suggestions(login, facilitator, closed_round):
    dimension = _dimension(closed_round.version)
    other = _dimension(closed_round.version, "communication")
    with translation.override("nl"):
        suggestions = dimension.suggestion_list()
        others = other.suggestion_list()

    response = login(facilitator).get(_create_url(closed_round) + f"?topic=d:{DIMENSION}")

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["dimension"] == dimension
    assert response.context["form"]["topic"].value() == f"d:{DIMENSION}"
    assert suggestions
    for suggestion in suggestions:
        assert html.escape(suggestion) in content
    for suggestion in others:
        assert html.escape(suggestion) not in content


def test_choosing_a_statement_shows_the_suggestions_of_its_dimension(
    login, facilitator, closed_round
):
    with translation.override("nl"):
        suggestions = _dimension(closed_round.version).suggestion_list()

    response = login(facilitator).get(_create_url(closed_round) + f"?topic=i:{ITEM}")

    content = response.content.decode()
    assert response.context["dimension"] == _dimension(closed_round.version)
    for suggestion in suggestions:
        assert html.escape(suggestion) in content


def test_without_a_topic_no_suggestions_are_shown(login, facilitator, closed_round):
    with translation.override("nl"):
        suggestions = _dimension(closed_round.version).suggestion_list()

    response = login(facilitator).get(_create_url(closed_round))

    assert response.status_code == 200
    assert response.context["dimension"] is None
    assert html.escape(suggestions[0]) not in response.content.decode()


def test_a_suggestion_pre_fills_the_text(login, facilitator, closed_round):
    with translation.override("nl"):
        suggestion = _dimension(closed_round.version).suggestion_list()[0]
    client = login(facilitator)

    response = client.get(
        _create_url(closed_round), {"topic": f"d:{DIMENSION}", "text": suggestion}
    )

    assert response.status_code == 200
    assert response.context["form"]["text"].value() == suggestion
    assert response.context["form"]["topic"].value() == f"d:{DIMENSION}"
    assert f">\n{html.escape(suggestion)}</textarea>" in response.content.decode()
    assert not Action.objects.exists()


def test_a_pre_filled_text_is_cut_at_1000_characters(login, facilitator, closed_round):
    response = login(facilitator).get(
        _create_url(closed_round), {"topic": f"d:{DIMENSION}", "text": "y" * 3000}
    )

    assert response.context["form"]["text"].value() == "y" * 1000


# Carrying open actions into the next round


@pytest.fixture
def four_actions(closed_round, facilitator):
    """One action of every status, agreed after the closed round."""
    return {
        status: _action(closed_round, facilitator, f"Actie die {status} is", status=status)
        for status in Action.Status.values
    }


def test_the_new_round_page_lists_the_open_actions_that_go_along(
    login, facilitator, team, four_actions
):
    response = login(facilitator).get(reverse("round_create", args=[team.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert set(response.context["open_actions"]) == {
        four_actions["planned"],
        four_actions["under_way"],
    }
    assert html.escape(four_actions["planned"].text) in content
    assert html.escape(four_actions["under_way"].text) in content
    assert html.escape(four_actions["done"].text) not in content
    assert html.escape(four_actions["dropped"].text) not in content


def test_the_new_round_page_lists_no_actions_of_another_team(
    login, facilitator, team, four_actions, other_round, other_facilitator
):
    theirs = _action(other_round, other_facilitator, "Hun eigen actie")

    response = login(facilitator).get(reverse("round_create", args=[team.pk]))

    assert theirs not in response.context["open_actions"]
    assert html.escape(theirs.text) not in response.content.decode()


def _open_next_round(client: Client, team, version, title: str = "Voorjaar 2027") -> Round:
    response = client.post(
        reverse("round_create", args=[team.pk]),
        {"title": title, "version": version.pk, "anonymity_threshold": "3"},
    )
    assert response.status_code == 302
    return Round.objects.get(team=team, title=title)


def test_opening_the_next_round_carries_the_open_actions_into_its_plan(
    login, facilitator, team, questionnaire, closed_round, four_actions, other_round
):
    theirs = _action(other_round, facilitator, "Actie van een ander team")

    new_round = _open_next_round(login(facilitator), team, questionnaire)

    assert set(new_round.actions.all()) == {four_actions["planned"], four_actions["under_way"]}
    assert theirs not in new_round.actions.all()
    # The closed round keeps its whole plan; nothing is moved out of it.
    assert set(closed_round.actions.all()) == set(four_actions.values())
    # A carried action keeps where it was agreed.
    assert {a.origin for a in new_round.actions.all()} == {closed_round}


def test_changing_a_carried_action_returns_to_the_plan_of_the_latest_round(
    login, facilitator, team, questionnaire, four_actions
):
    client = login(facilitator)
    new_round = _open_next_round(client, team, questionnaire)
    action = four_actions["planned"]

    response = client.post(_edit_url(action), _action_data(status="under_way"))

    assert response.status_code == 302
    assert response.url == _plan_url(new_round)


def test_the_next_rounds_results_show_the_carried_action_beside_its_dimensions_change(
    login, facilitator, team, questionnaire, round
):
    _fill(round, 12, level=2.2, seed=1)
    _close(round)
    Round.objects.filter(pk=round.pk).update(created=timezone.now() - timedelta(days=200))
    carried = _action(round, facilitator, "Rollen op papier zetten")
    client = login(facilitator)
    new_round = _open_next_round(client, team, questionnaire)
    _fill(new_round, 12, level=4.2, seed=2)
    _close(new_round)

    response = client.get(reverse("round_results", args=[new_round.pk]))

    results = response.context["results"]
    assert results.actions == (carried,)
    [row] = results.plan_rows
    assert row.action == carried
    assert row.dimension.key == DIMENSION

    def scores(of: Round) -> list[float]:
        return list(
            DimensionScore.objects.filter(response__round=of, dimension__key=DIMENSION).values_list(
                "score", flat=True
            )
        )

    before, now = scores(round), scores(new_round)
    assert row.before.mean == pytest.approx(statistics.fmean(before))
    assert row.before.n == len(before)
    assert row.now.mean == pytest.approx(statistics.fmean(now))
    assert row.now.n == len(now)
    expected = scoring.change(
        (statistics.fmean(now), statistics.stdev(now), len(now)),
        (statistics.fmean(before), statistics.stdev(before), len(before)),
    )
    assert row.direction == expected == scoring.Direction.UP
    with translation.override("nl"):
        name = _dimension(new_round.version).name_nl
        before_mean, now_mean = floatformat(row.before.mean, 1), floatformat(row.now.mean, 1)
        line = f"{name}: {before_mean} in {round.title}, nu {now_mean}"
    content = response.content.decode()
    assert html.escape(line) in content
    assert html.escape(_nl("agreed after %(title)s") % {"title": round.title}) in content


def test_an_action_agreed_in_this_round_shows_no_change_beside_it(
    login, facilitator, closed_round, action
):
    response = login(facilitator).get(reverse("round_results", args=[closed_round.pk]))

    [row] = response.context["results"].plan_rows
    assert (row.before, row.now, row.direction) == (None, None, None)


# The CSV


def test_the_results_csv_lists_the_actions_of_the_plan(
    login, facilitator, closed_round, four_actions
):
    response = login(facilitator).get(reverse("round_results_csv", args=[closed_round.pk]))

    rows = _csv_rows(response)
    header = [
        _nl("Action"),
        _nl("About"),
        _nl("Who takes it on"),
        _nl("By when"),
        _nl("Status"),
        _nl("Agreed after round"),
    ]
    assert header in rows
    start = rows.index(header) + 1
    plan = rows[start : start + len(four_actions)]
    assert sorted(row[0] for row in plan) == sorted(a.text for a in four_actions.values())
    by_text = {row[0]: row for row in plan}
    for action in four_actions.values():
        with translation.override("nl"):
            status = str(action.get_status_display())
        assert by_text[action.text][1:] == [
            action.topic,
            action.owner,
            action.due_date.isoformat(),
            status,
            closed_round.title,
        ]


def test_a_round_without_actions_has_no_plan_in_the_csv(login, facilitator, closed_round):
    rows = _csv_rows(login(facilitator).get(reverse("round_results_csv", args=[closed_round.pk])))

    assert not any(row and row[0] == _nl("Action") for row in rows)
