"""Reminders: on the days the facilitator chose, to the invited who have not finished, once
per day chosen; a colleague who has not started gets a new link, one who started is sent to
the link that holds their answers."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from assessment.invitations.reminders import due_count
from assessment.models import Response, Round, RoundInvitation
from assessment.models.outbox import OutgoingMail
from tests.assessment.invitations.test_invitations import (
    LINK,
    _invite,
    _open,
    _secret_of,
    _submit,
)

ADDRESSES = ("anna@school.nl", "bert@kdv.nl", "cor@bso.nl")


@pytest.fixture(autouse=True)
def _any_hour(settings):
    # Reminders wait for the morning; these tests run at any hour.
    settings.REMINDER_HOUR = 0


@pytest.fixture
def round(team, questionnaire, facilitator) -> Round:
    return Round.objects.create(
        team=team, version=questionnaire, title="Najaar", created_by=facilitator
    )


def _periodic() -> str:
    """The periodic run, and the mail it queued handed to the (immediate) task queue."""
    out = StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("periodic", stdout=out)
    return out.getvalue()


def _reminders() -> list:
    return [m for m in mail.outbox if m.subject.startswith("Herinnering")]


def test_the_reminders_due_are_those_whose_day_has_come():
    days = ["2026-12-01", "2026-12-04", "2026-12-09", "2026-12-10"]
    assert due_count(days, date(2026, 11, 30)) == 0
    assert due_count(days, date(2026, 12, 4)) == 2
    assert due_count(days, date(2027, 1, 1)) == 3  # never more than three


def test_a_reminder_goes_to_the_invited_who_have_not_finished_once_per_day(
    login, facilitator, round
):
    _invite(login(facilitator), round, ", ".join(ADDRESSES))
    anna, bert, cor = (_secret_of(address) for address in ADDRESSES)
    _open(Client(), anna, "post")
    _submit(Client(), Response.objects.get())  # anna's browser lost its cookie: still counts
    _open(Client(), anna)
    _open(Client(), bert, "post")  # bert started
    Round.objects.filter(pk=round.pk).update(reminder_days=[timezone.localdate().isoformat()])
    assert "reminders: 2" in _periodic()
    assert "reminders: 0" in _periodic()  # once per day chosen
    by_address = {m.to[0]: m for m in _reminders()}
    assert sorted(by_address) == ["bert@kdv.nl", "cor@bso.nl"]
    assert LINK.search(by_address["bert@kdv.nl"].body) is None  # their answers hold the old one
    new = LINK.search(by_address["cor@bso.nl"].body).group(1)
    assert new != cor
    assert _open(Client(), cor).status_code == 404  # replaced: the page says so
    assert "Start" in _open(Client(), new).content.decode()
    assert _open(Client(), bert).status_code == 302  # still brings bert to their answers


def test_at_most_three_reminders_and_none_once_the_round_closed(login, facilitator, round):
    _invite(login(facilitator), round, "cor@bso.nl")
    today = timezone.localdate()
    days = [(today - timedelta(days=n)).isoformat() for n in range(5)]
    Round.objects.filter(pk=round.pk).update(reminder_days=days)
    for _run in range(4):
        _periodic()
    assert RoundInvitation.objects.get().reminders_sent == 3 and len(_reminders()) == 3
    Round.objects.filter(pk=round.pk).update(
        closed_at=timezone.now(), reminder_days=days + [today.isoformat()]
    )
    assert "reminders: 0" in _periodic()


def test_no_reminder_goes_out_before_the_morning(settings, login, facilitator, round):
    from assessment.invitations.reminders import send_due_reminders

    _invite(login(facilitator), round, "cor@bso.nl")
    Round.objects.filter(pk=round.pk).update(reminder_days=[timezone.localdate().isoformat()])
    settings.REMINDER_HOUR = 8
    early = timezone.localtime().replace(hour=7, minute=59)
    assert send_due_reminders(early) == 0
    assert send_due_reminders(early.replace(hour=8, minute=0)) == 1


def test_a_facilitator_plans_up_to_three_reminder_days(login, facilitator, round):
    client = login(facilitator)
    tomorrow = timezone.localdate() + timedelta(days=1)
    later = tomorrow + timedelta(days=3)
    data = {"day_1": later.isoformat(), "day_2": tomorrow.isoformat(), "day_3": ""}
    client.post(reverse("round_reminders", args=[round.pk]), data)
    round.refresh_from_db()
    assert round.reminder_days == [tomorrow.isoformat(), later.isoformat()]
    page = client.get(reverse("round_detail", args=[round.pk])).content.decode()
    assert f'value="{tomorrow.isoformat()}"' in page
    assert "Een herinnering: heb je de vragenlijst" in page  # for the shared link


def test_a_reminder_day_in_the_past_or_after_the_closing_day_is_refused(login, facilitator, round):
    client = login(facilitator)
    Round.objects.filter(pk=round.pk).update(closes_on=timezone.localdate() + timedelta(days=2))
    for day in (timezone.localdate() - timedelta(days=1), timezone.localdate() + timedelta(days=3)):
        response = client.post(
            reverse("round_reminders", args=[round.pk]), {"day_1": day.isoformat()}, follow=True
        )
        assert "herinneringsdag" in response.content.decode()
    round.refresh_from_db()
    assert round.reminder_days == []


@pytest.mark.parametrize("who", ["member", "other_facilitator"])
def test_only_those_who_manage_the_team_plan_reminders(request, login, round, who):
    day = (timezone.localdate() + timedelta(days=1)).isoformat()
    client = login(request.getfixturevalue(who))
    assert (
        client.post(reverse("round_reminders", args=[round.pk]), {"day_1": day}).status_code == 404
    )
    round.refresh_from_db()
    assert round.reminder_days == []


def test_a_sent_invitation_or_reminder_leaves_no_row_and_a_refused_address_is_not_reminded(
    mail_server, login, facilitator, round
):
    mail_server.refuse.add("weg@school.nl")
    _invite(login(facilitator), round, "cor@bso.nl, weg@school.nl")
    Round.objects.filter(pk=round.pk).update(reminder_days=[timezone.localdate().isoformat()])
    _periodic()
    assert len(mail_server.to("cor@bso.nl")) == 2  # the invitation and the reminder
    kept = list(OutgoingMail.objects.values_list("kind", "to", "status"))
    assert kept == [("response-invitation", "weg@school.nl", "bounced")]


def test_the_queue_forgets_finished_tasks_after_a_while(db, settings):
    from datetime import timedelta as span

    from django_tasks_db.models import DBTaskResult

    from assessment.outbox.tasks import deliver_mail

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    done, waiting = deliver_mail.enqueue(1), deliver_mail.enqueue(2)
    long_ago = timezone.now() - span(seconds=settings.OUTBOX_ABANDONED_AFTER + 1)
    DBTaskResult.objects.filter(pk=done.id).update(status="SUCCESSFUL", finished_at=long_ago)
    assert "finished tasks deleted: 1" in _periodic()
    assert [str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)] == [waiting.id]


def test_a_task_still_running_long_after_it_started_is_marked_failed_and_a_recent_one_is_not(
    db, settings
):
    from datetime import timedelta as span

    from django_tasks_db.models import DBTaskResult

    from assessment.outbox.tasks import deliver_mail

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    lost, busy = deliver_mail.enqueue(1), deliver_mail.enqueue(2)
    long_ago = timezone.now() - span(seconds=settings.OUTBOX_ABANDONED_AFTER + 1)
    DBTaskResult.objects.filter(pk=lost.id).update(status="RUNNING", started_at=long_ago)
    DBTaskResult.objects.filter(pk=busy.id).update(status="RUNNING", started_at=timezone.now())
    assert "tasks whose worker was lost: 1" in _periodic()
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert {str(pk): status for pk, status in statuses.items()} == {
        lost.id: "FAILED",
        busy.id: "RUNNING",
    }
