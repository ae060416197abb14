"""Overdue actions, the research ideas beside the form, and the plan printed on its own."""

import html
import random
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from assessment.demo import TeamProfile, make_responses
from assessment.models import Action, Dimension, Round
from assessment.models.plans import is_overdue
from assessment.plans.ideas import ideas, without_citation
from assessment.plans.services import add_action

DIMENSION = "shared-vision"
TODAY = date(2026, 11, 24)


def _nl(text: str, context: str | None = None) -> str:
    with translation.override("nl"):
        return translation.pgettext(context, text) if context else translation.gettext(text)


@pytest.fixture
def round(team, questionnaire):
    round = Round.objects.create(
        team=team, version=questionnaire, title="Najaar 2026", closed_at=timezone.now()
    )
    make_responses([(round, 6, TeamProfile(level=3.3))], rng=random.Random(3))
    return round


def _action(round, user, text: str, *, days: int | None, status=Action.Status.PLANNED):
    due = timezone.localdate() + timedelta(days=days) if days is not None else None
    return add_action(
        round=round,
        created_by=user,
        text=text,
        status=status,
        dimension_key=DIMENSION,
        item_key="",
        topic=Dimension.objects.get(version=round.version, key=DIMENSION).name_nl,
        owner="Fenna",
        due_date=due,
    )


# The rule for overdue


@pytest.mark.parametrize(
    ("status", "due", "overdue"),
    [
        (Action.Status.PLANNED, TODAY - timedelta(days=1), True),
        (Action.Status.UNDER_WAY, TODAY - timedelta(days=40), True),
        (Action.Status.PLANNED, TODAY, False),  # the due day itself is still in time
        (Action.Status.UNDER_WAY, TODAY + timedelta(days=1), False),
        (Action.Status.DONE, TODAY - timedelta(days=1), False),
        (Action.Status.DROPPED, TODAY - timedelta(days=1), False),
        (Action.Status.PLANNED, None, False),  # no date, never late
    ],
)
def test_an_action_is_overdue_when_its_date_has_passed_and_it_is_still_to_do(status, due, overdue):
    assert is_overdue(status, due, TODAY) is overdue


def test_the_property_and_the_queryset_agree_on_which_actions_are_overdue(round, facilitator):
    actions = [
        _action(round, facilitator, "Te laat", days=-3),
        _action(round, facilitator, "Bezig en te laat", days=-1, status="under_way"),
        _action(round, facilitator, "Vandaag", days=0),
        _action(round, facilitator, "Later", days=10),
        _action(round, facilitator, "Klaar", days=-3, status="done"),
        _action(round, facilitator, "Geschrapt", days=-3, status="dropped"),
        _action(round, facilitator, "Zonder datum", days=None),
    ]

    by_property = {a.text for a in actions if Action.objects.get(pk=a.pk).is_overdue}
    by_query = set(Action.objects.overdue().values_list("text", flat=True))

    assert by_property == by_query == {"Te laat", "Bezig en te laat"}


def test_the_results_plan_marks_an_overdue_action_and_no_other(login, member, facilitator, round):
    late = _action(round, facilitator, "Rollen op papier zetten", days=-2)
    _action(round, facilitator, "Samen een visie schrijven", days=20)

    page = login(member).get(reverse("round_results", args=[round.pk])).content.decode()

    plan = page[page.index('id="plan-list"') :]
    assert plan.count(_nl("Overdue", "an action past its date")) == 1
    late_item = plan[plan.index(html.escape(late.text)) :].split("</li>")[0]
    assert "Over tijd" in late_item


# The ideas from research


@pytest.mark.parametrize(
    ("idea", "start"),
    [
        (
            "Leg samen vast welke doelen jullie delen (Hesjedal et al., 2015).",
            "Leg samen vast welke doelen jullie delen.",
        ),
        (
            "Formuleer een visie, zoals preventie (Smeets & Van Veen, 2018).",
            "Formuleer een visie, zoals preventie.",
        ),
        ("Maak tijd vrij (PACT-wetenschapsteam, 2017)", "Maak tijd vrij"),
        ("Twee bronnen (Kanste et al., 2013; Widmark et al., 2011).", "Twee bronnen."),
        # A parenthesis that is no source stays: no year, or not at the end.
        ("Een doel (zoals preventie) voor allen.", "Een doel (zoals preventie) voor allen."),
        ("Werk samen (met ouders).", "Werk samen (met ouders)."),
    ],
)
def test_an_idea_starts_an_action_without_its_source(idea, start):
    assert without_citation(idea) == start


def test_every_shipped_idea_loses_its_source_and_nothing_else(questionnaire):
    for dimension in Dimension.objects.filter(version=questionnaire):
        for idea in ideas(dimension.suggestion_list()):
            assert "(" not in idea.start[-25:] or ")" not in idea.start[-3:], idea.start
            assert idea.text.startswith(idea.start.rstrip("."))


def test_use_this_as_a_start_fills_in_the_idea_without_its_source(login, facilitator, round):
    client = login(facilitator)
    form = client.get(reverse("action_create", args=[round.pk]), {"topic": f"d:{DIMENSION}"})
    first = form.context["ideas"][0]
    assert "(Smeets & Van Veen, 2018)" in first.text

    page = form.content.decode()
    links = [part.split('"')[0] for part in page.split('href="?topic=')[1:]]
    start = client.get(
        reverse("action_create", args=[round.pk]) + "?topic=" + html.unescape(links[0])
    )

    textarea = start.content.decode().split('name="text"')[1].split("</textarea>")[0]
    assert first.start in html.unescape(textarea)
    assert "Smeets" not in textarea and "2018" not in textarea


def test_on_a_phone_the_ideas_come_before_the_form(login, facilitator, round):
    page = (
        login(facilitator)
        .get(reverse("action_create", args=[round.pk]), {"topic": f"d:{DIMENSION}"})
        .content.decode()
    )

    # Phones show the page in its source order; wide screens move the ideas to the right.
    assert page.index('id="suggestions"') < page.index('method="post" novalidate')
    aside = page[page.index("<aside") : page.index(">", page.index("<aside"))]
    assert "order-lg-2" in aside


# The plan printed on its own


def _print_url(round: Round) -> str:
    return reverse("round_plan", args=[round.pk])


def test_the_printed_plan_holds_team_round_and_each_actions_topic_what_who_when_and_status(
    login, facilitator, round
):
    late = _action(round, facilitator, "Rollen op papier zetten", days=-2)
    later = _action(round, facilitator, "Elke maand overleg", days=30, status="under_way")

    response = login(facilitator).get(_print_url(round))

    assert response.status_code == 200
    page = response.content.decode()
    assert html.escape(round.team.name) in page
    assert html.escape(round.title) in page
    table = page[page.index('id="plan-table"') : page.index("</table>")]
    for action in (late, later):
        (row,) = [row for row in table.split("<tr>") if html.escape(action.text) in row]
        assert html.escape(action.topic) in row
        assert "Fenna" in row
        with translation.override("nl"):
            assert translation.gettext(action.get_status_display()) in row
        assert f"{action.due_date.day} " in row and str(action.due_date.year) in row
    assert table.count("Over tijd") == 1
    assert "data-print" in page
    # The plan only: no charts or figures of the results page.
    assert 'type="application/json"' not in page


@pytest.mark.parametrize("user", ["facilitator", "member", "coordinator", "admin"])
def test_who_may_read_the_results_may_print_the_plan(request, login, round, facilitator, user):
    _action(round, facilitator, "Rollen op papier zetten", days=5)

    response = login(request.getfixturevalue(user)).get(_print_url(round))

    assert response.status_code == 200
    assert "Rollen op papier zetten" in response.content.decode()


@pytest.mark.parametrize("user", ["other_facilitator", "other_coordinator"])
def test_another_teams_people_get_404_for_the_printed_plan(
    request, login, round, facilitator, other_team, user
):
    _action(round, facilitator, "Rollen op papier zetten", days=5)

    response = login(request.getfixturevalue(user)).get(_print_url(round))

    assert response.status_code == 404
    assert "Rollen op papier zetten" not in response.content.decode()


def test_an_unknown_round_gives_404_for_the_printed_plan(login, facilitator, round):
    assert login(facilitator).get(reverse("round_plan", args=[round.pk + 999])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in_for_the_printed_plan(round):
    response = Client().get(_print_url(round))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_results_page_links_to_the_printed_plan_once_there_are_actions(
    login, member, facilitator, round
):
    before = login(member).get(reverse("round_results", args=[round.pk])).content.decode()
    _action(round, facilitator, "Rollen op papier zetten", days=5)
    after = login(member).get(reverse("round_results", args=[round.pk])).content.decode()

    assert _print_url(round) not in before
    assert _print_url(round) in after


def test_the_public_results_page_does_not_link_to_the_printed_plan(facilitator, round):
    _action(round, facilitator, "Rollen op papier zetten", days=5)

    page = Client().get(reverse("results_public", args=[round.token])).content.decode()

    assert "Rollen op papier zetten" in page
    assert _print_url(round) not in page
