"""After the retention period a round's answers go, and its team results stay."""

import io
import json
import random
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessment.comparison.compare import compare
from assessment.comparison.summaries import refresh_summaries
from assessment.demo import TeamProfile, make_responses
from assessment.models import (
    Answer,
    DimensionScore,
    Installation,
    Response,
    Round,
    Sector,
    StatementTotal,
)
from assessment.questionnaire.instrument import version_quality
from assessment.results.aggregate import round_results
from assessment.results.retention import expire_answers


def _round(team, version, title: str, *, ended_days_ago: int | None, size: int, level: float):
    """A round of `size` submitted responses, ended (closed) `ended_days_ago` days ago."""
    round = Round.objects.create(team=team, version=version, title=title)
    make_responses(
        [(round, size, TeamProfile(level=level, sectors=(Sector.SCHOOL, Sector.CHILDCARE)))],
        rng=random.Random(size),
    )
    if ended_days_ago is not None:
        ended = timezone.now() - timedelta(days=ended_days_ago)
        Round.objects.filter(pk=round.pk).update(closed_at=ended, created=ended)
        refresh_summaries([round.pk])  # what closing a round does after setting closed_at
    round.refresh_from_db()
    return round


@pytest.fixture
def rounds(team, questionnaire):
    """An old round past the 24 months, a recent one, and one still open."""
    return (
        _round(team, questionnaire, "Najaar 2023", ended_days_ago=800, size=7, level=2.5),
        _round(team, questionnaire, "Najaar 2026", ended_days_ago=10, size=8, level=3.8),
    )


def _dump() -> list[dict]:
    out = io.StringIO()
    call_command("dumpdata", "assessment", stdout=out)
    return json.loads(out.getvalue())


def _rows(dump: list[dict], model: str) -> list[dict]:
    return [row for row in dump if row["model"] == f"assessment.{model}"]


def _numbers(round: Round) -> dict:
    round = Round.objects.get(pk=round.pk)
    results = round_results(round)
    return {
        "completed": results.completed,
        "dimensions": {d.key: (round_to(d.mean), d.n) for d in results.dimensions},
        "items": {
            i.key: (round_to(i.state), i.state_n, round_to(i.priority)) for i in results.items
        },
    }


def round_to(value: float | None) -> float | None:
    return None if value is None else round(value, 9)


def _trend(round: Round) -> dict:
    trend = round_results(Round.objects.get(pk=round.pk)).trend
    assert trend is not None
    return {
        "dimensions": {
            d.key: [(round_to(c.mean), round_to(c.sd), c.n) if c else None for c in d.cells]
            for d in trend.dimensions
        },
        "items": {i.key: (round_to(i.previous), round_to(i.current)) for i in trend.items},
    }


def _comparison(network) -> dict:
    return {
        row.team_id: (
            {k: round_to(v) for k, v in row.means.items()},
            {k: round_to(v) for k, v in row.previous_means.items()},
            row.direction,
        )
        for row in compare([network]).rows
    }


def test_a_round_past_retention_loses_its_raw_answers_and_keeps_its_numbers(rounds, network):
    old, recent = rounds
    before = (_numbers(old), _trend(recent), _comparison(network))
    assert before[0]["items"] and before[1]["dimensions"]

    assert expire_answers(timezone.now()) == 1

    dump = _dump()
    old_responses = {
        row["pk"] for row in _rows(dump, "response") if row["fields"]["round"] == old.pk
    }
    assert old_responses  # the empty shells that keep the count of completed responses
    assert not [a for a in _rows(dump, "answer") if a["fields"]["response"] in old_responses]
    assert not [
        a for a in _rows(dump, "dimensionanswer") if a["fields"]["response"] in old_responses
    ]
    assert not [s for s in _rows(dump, "dimensionscore") if s["fields"]["round"] == old.pk]
    for row in _rows(dump, "response"):
        if row["pk"] in old_responses:
            assert row["fields"]["sector"] == "" and row["fields"]["mark"] is None
    assert [t for t in _rows(dump, "dimensiontotal") if t["fields"]["round"] == old.pk]
    assert [t for t in _rows(dump, "statementtotal") if t["fields"]["round"] == old.pk]
    assert (_numbers(old), _trend(recent), _comparison(network)) == before


def test_a_round_within_the_period_and_an_open_round_are_untouched(rounds, team, questionnaire):
    _old, recent = rounds
    open_round = _round(team, questionnaire, "Nu", ended_days_ago=None, size=5, level=3.0)
    # An open round whose closing date was long ago has ended, but one without is never touched.
    Round.objects.filter(pk=open_round.pk).update(created=timezone.now() - timedelta(days=900))
    answers = {r.pk: Answer.objects.filter(response__round=r).count() for r in (recent, open_round)}

    expire_answers(timezone.now())

    for round in (recent, open_round):
        assert Answer.objects.filter(response__round=round).count() == answers[round.pk] > 0
        assert Round.objects.get(pk=round.pk).answers_expired_at is None


def test_two_runs_delete_once(rounds):
    old, _recent = rounds
    now = timezone.now()
    assert expire_answers(now) == 1
    stored = StatementTotal.objects.filter(round=old).count()
    assert expire_answers(now + timedelta(minutes=5)) == 0
    assert StatementTotal.objects.filter(round=old).count() == stored
    assert Round.objects.get(pk=old.pk).answers_expired_at == now


def test_a_longer_retention_period_keeps_the_old_round(rounds):
    old, _recent = rounds
    Installation.objects.update_or_create(pk=1, defaults={"retention_months": 36})
    assert expire_answers(timezone.now()) == 0
    assert Answer.objects.filter(response__round=old).exists()


def test_no_statement_is_stored_that_the_gate_held_back(team, questionnaire):
    # Three people: means shown, no spread, no distribution (breakdown threshold 5).
    old = _round(team, questionnaire, "Klein", ended_days_ago=800, size=3, level=3.0)
    shown = {i.item_id for i in round_results(old).items}
    expire_answers(timezone.now())
    totals = StatementTotal.objects.filter(round=old)
    assert {t.item_id for t in totals} <= shown
    assert all(t.distribution == [] and t.state_squares == 0 for t in totals)


def test_a_round_below_its_threshold_keeps_nothing(team, questionnaire):
    old = _round(team, questionnaire, "Te klein", ended_days_ago=800, size=2, level=3.0)
    expire_answers(timezone.now())
    assert not DimensionScore.objects.filter(round=old).exists()
    assert not StatementTotal.objects.filter(round=old).exists()
    assert not Answer.objects.filter(response__round=old).exists()


def test_the_periodic_run_expires_old_answers(rounds):
    old, _recent = rounds
    out = io.StringIO()
    call_command("periodic", stdout=out)
    assert "retention period: 1" in out.getvalue()
    assert not Answer.objects.filter(response__round=old).exists()


def test_the_results_page_and_csv_of_an_expired_round_keep_working(
    rounds, login, facilitator, other_facilitator
):
    old, _recent = rounds
    expire_answers(timezone.now())
    page = login(facilitator).get(reverse("round_results", args=[old.pk]))
    assert page.status_code == 200
    assert page.context["results"].dimensions
    assert b'id="answers-expired"' in page.content
    assert (
        b'id="answers-expired"'
        not in login(facilitator).get(reverse("round_results", args=[_recent.pk])).content
    )
    csv = login(facilitator).get(reverse("round_results_csv", args=[old.pk]))
    assert csv.status_code == 200
    assert old.title in csv.content.decode("utf-8-sig")
    for name in ("round_results", "round_results_csv"):
        assert login(other_facilitator).get(reverse(name, args=[old.pk])).status_code == 404


def test_the_quality_page_rests_on_the_kept_rounds_and_says_so(rounds, questionnaire, login, admin):
    old, recent = rounds
    expire_answers(timezone.now())
    report = version_quality(questionnaire)
    assert report.rounds == 1 and report.expired_rounds == 1
    assert report.responses == Response.objects.filter(round=recent).count()
    page = login(admin).get(reverse("admin:version_quality", args=[questionnaire.pk]))
    assert b'id="quality-retention"' in page.content


def test_the_privacy_page_states_the_retention_period(client, db):
    Installation.objects.update_or_create(pk=1, defaults={"retention_months": 18})
    page = client.get(reverse("privacy"))
    assert page.status_code == 200
    assert "18" in page.content.decode().split('id="privacy-retention"')[1][:200]


def test_an_admin_edits_the_retention_period(login, admin):
    client = login(admin)
    page = client.get(reverse("admin:assessment_installation_changelist"))
    change = reverse("admin:assessment_installation_change", args=[1])
    assert page.status_code == 302 and page["Location"] == change
    assert client.post(change, {"retention_months": 12}).status_code == 302
    assert Installation.current().retention_months == 12


def test_someone_who_is_not_an_admin_cannot_open_or_edit_the_retention_period(login, facilitator):
    client = login(facilitator)
    for url in (
        reverse("admin:assessment_installation_changelist"),
        reverse("admin:assessment_installation_change", args=[1]),
    ):
        assert client.get(url).status_code == 302  # to the admin's login
    client.post(reverse("admin:assessment_installation_change", args=[1]), {"retention_months": 1})
    assert Installation.current().retention_months == 24
