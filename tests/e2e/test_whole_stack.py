"""Samenspel as it runs in production, driven in Chromium: a web server, a task worker and the
periodic run as processes of their own on one database, mail through a real SMTP server.

A facilitator invites five colleagues; the worker delivers the invitations; three answer on
their phones; the reminder goes to the other two only; the round closes when its closing day
is over and the facilitator's mail arrives. Then the administrator shortens the retention
period, and the periodic run deletes the raw answers of the older round: a dump of the
database shows them gone, and its results and the team's trend show the same figures.
"""

import re
import sqlite3
import subprocess
import time
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import PASSWORD, free_port
from tests.e2e.answering import start
from tests.e2e.conftest import DESKTOP, PHONE, _page
from tests.processes import (
    environment,
    manage,
    shell_json,
    stop,
    wait_until_serving,
    worker,
)
from tests.processes import (
    start as start_process,
)

pytestmark = pytest.mark.e2e

LINK = re.compile(r"https?://[^/\s]+(/i/[A-Za-z0-9_-]+/)")
COLLEAGUES = [f"collega{n}@school.nl" for n in range(1, 6)]
FACILITATOR = "fenna@example.org"
ADMIN = "beheer@example.org"

# A team with an older round (six responses, closed 200 days ago) and a new one that closes
# in a week; a facilitator and an administrator.
SEED = """
import json, random
from datetime import timedelta
from django.utils import timezone
from assessment.demo import TeamProfile, make_responses
from assessment.models import Round, Sector
from assessment.questionnaire.importexport import install_shipped_questionnaire
from teams.models import Membership, Network, Team, User

[version] = install_shipped_questionnaire(up_to=1)
facilitator = User.objects.create_user(email=%(facilitator)r, password=%(password)r,
                                       name="Fenna Facilitator")
User.objects.create_superuser(email=%(admin)r, password=%(password)r, name="Beheer")
team = Team.objects.create(network=Network.objects.create(name="Gemeente Testdorp"),
                           name="IKC De Testtuin")
Membership.objects.create(team=team, user=facilitator, role=Membership.Role.FACILITATOR)
earlier = Round.objects.create(team=team, version=version, title="Voorjaar 2026",
                               created_by=facilitator,
                               closed_at=timezone.now() - timedelta(days=200))
make_responses([(earlier, 6, TeamProfile(level=3.4, sectors=(Sector.SCHOOL,)))],
               rng=random.Random(7))
now = Round.objects.create(team=team, version=version, title="Najaar 2026",
                           created_by=facilitator,
                           closes_on=timezone.localdate() + timedelta(days=7))
print("JSON", json.dumps({"earlier": earlier.pk, "now": now.pk}))
"""
# The closing day goes by.
CLOSING_DAY_PASSES = """
import json
from datetime import timedelta
from django.utils import timezone
from assessment.models import Round
Round.objects.filter(pk=%d).update(closes_on=timezone.localdate() - timedelta(days=1))
print("JSON", json.dumps(True))
"""
STATES = """
import json
from assessment.models import RoundInvitation
print("JSON", json.dumps(sorted(RoundInvitation.objects.values_list("state", flat=True))))
"""


def _dump(database_url: str) -> str:
    """The whole database as SQL, as a backup or a leaked copy would hold it."""
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
            return "\n".join(connection.iterdump())
    return subprocess.run(
        ["pg_dump", "--data-only", "--inserts", database_url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _rows(dump: str, table: str) -> int:
    return len(re.findall(rf'^INSERT INTO "?{table}"? ', dump, flags=re.MULTILINE))


def _wait_for(condition, what: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {seconds} s")


def _figures(page, round_id: int) -> dict[str, list[str]]:
    """The means and counts per dimension, and the means per round of the trend."""
    page.goto(f"/rounds/{round_id}/results/")
    dimensions = page.locator("#dimension-table tbody tr")
    means = [
        f"{row.locator('th').inner_text().splitlines()[0]} "
        f"{row.locator('td').nth(0).inner_text()} n={row.locator('td').nth(1).inner_text()}"
        for row in dimensions.all()
    ]
    trend = page.locator("#trend-table tbody tr")
    trends = [" ".join(row.locator("td.text-end").all_inner_texts()) for row in trend.all()]
    return {"dimensions": means, "trend": trends}


def _log_in(page, email: str) -> None:
    page.goto("/account/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()


def test_a_team_round_from_invitation_to_retention_on_a_web_server_and_a_task_worker(
    browser, separate_database, smtp
):
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    # Reminders wait for the morning; this test runs at any hour.
    env = environment(separate_database, smtp.port, SITE_ROOT=site, REMINDER_HOUR="0")
    manage(env, "migrate", "--noinput", "-v0", timeout=300)
    ids = shell_json(env, SEED % {"facilitator": FACILITATOR, "admin": ADMIN, "password": PASSWORD})
    server = start_process(env, "runserver", f"127.0.0.1:{port}", "--noreload")
    workers = worker(env)
    try:
        wait_until_serving(f"{site}/health/", server)
        context, page = _page(browser, SimpleNamespace(url=site), DESKTOP)
        _log_in(page, FACILITATOR)
        page.goto(f"/rounds/{ids['now']}/")
        page.get_by_label("E-mailadressen").fill("\n".join(COLLEAGUES))
        page.get_by_role("button", name="Verstuur de uitnodigingen").click()
        expect(page.locator("main")).to_contain_text("5 persoonlijke uitnodigingen zijn onderweg")

        # The request only queued the mail: the worker process delivers it.
        _wait_for(lambda: all(smtp.to(a) for a in COLLEAGUES), "five invitations delivered")
        links = {
            address: LINK.search(smtp.to(address)[0].get_body(("plain",)).get_content()).group(1)
            for address in COLLEAGUES
        }

        for number, address in enumerate(COLLEAGUES[:3]):
            phone_context, phone = _page(browser, SimpleNamespace(url=site), PHONE)
            phone.goto(links[address])
            start(phone)
            for question in phone.locator("fieldset.question").all():
                question.locator(f"label[for^='s-'][for$='-{3 + number % 3}']").click()
            phone.get_by_role("button", name="Opslaan en verder").click()
            phone.goto(phone.url.split("/p/")[0] + "/review/")
            phone.get_by_role("button", name="Mijn antwoorden versturen").click()
            expect(phone.locator("main")).to_contain_text("Bedankt")
            phone_context.close()
            assert phone.js_errors == [], phone.js_errors
        assert shell_json(env, STATES) == ["completed"] * 3 + ["not_started"] * 2

        page.reload()
        expect(page.locator("#invitation-counts")).to_contain_text("3 van de 5 uitgenodigden klaar")
        page.get_by_label("Herinnering 1").fill(timezone.localdate().isoformat())
        page.get_by_role("button", name="Plan de herinneringen").click()
        expect(page.locator("main")).to_contain_text("De herinneringen staan gepland")
        assert "reminders: 2" in manage(env, "periodic").stdout

        def reminded() -> list[str]:
            return sorted(
                a
                for a in COLLEAGUES
                if any(m["Subject"].startswith("Herinnering") for m in smtp.to(a))
            )

        assert _wait_for(reminded, "two reminders delivered") == COLLEAGUES[3:]

        shell_json(env, CLOSING_DAY_PASSES % ids["now"])
        assert "rounds closed: 1" in manage(env, "periodic").stdout

        def closed_mail():
            return [m for m in smtp.to(FACILITATOR) if "gesloten" in m["Subject"]]

        (closed,) = _wait_for(closed_mail, "the facilitator's mail delivered")
        text = closed.get_body(("plain",)).get_content()
        # The mail's two links: the results, and the button that starts the conversation.
        page.goto(re.search(rf"{site}/rounds/{ids['now']}/results/", text).group())
        expect(page.locator("#dimension-table")).to_be_visible()
        page.goto(re.search(rf"{site}/rounds/{ids['now']}/#team-conversation", text).group())
        expect(page.get_by_role("button", name="Start het teamgesprek")).to_be_visible()
        time.sleep(1)  # the worker had every chance to send something twice
        assert reminded() == COLLEAGUES[3:] and len(closed_mail()) == 1
        assert all(len(smtp.to(a)) == 1 for a in COLLEAGUES[:3])
        assert all(len(smtp.to(a)) == 2 for a in COLLEAGUES[3:])

        before = {key: _figures(page, ids[key]) for key in ("earlier", "now")}
        assert len(before["earlier"]["dimensions"]) > 1 and before["now"]["trend"]
        dumped = _dump(separate_database)
        answers_before = _rows(dumped, "assessment_answer")
        assert answers_before > 6 * 40  # the older round's six responses, and the new three

        # The administrator shortens the retention period to six months.
        _log_in(page, ADMIN)
        page.goto("/admin/assessment/installation/")
        page.fill("#id_retention_months", "6")
        page.locator("input[name=_save]").click()
        expect(page.locator(".messagelist")).to_be_visible()
        assert "deleted after the retention period: 1" in manage(env, "periodic").stdout

        dumped = _dump(separate_database)
        # Left: the three new responses' answers, one page of statements each.
        assert 0 < _rows(dumped, "assessment_answer") <= 3 * 10
        assert _rows(dumped, "assessment_dimensionscore") <= 3
        assert _rows(dumped, "assessment_dimensiontotal") >= len(before["earlier"]["dimensions"])
        assert _rows(dumped, "assessment_statementtotal") > 0

        _log_in(page, FACILITATOR)
        after = {key: _figures(page, ids[key]) for key in ("earlier", "now")}
        assert after == before
        page.goto("/privacy/")
        expect(page.locator("#privacy-retention")).to_contain_text("6 maanden")
        context.close()
        assert page.js_errors == [], page.js_errors
    finally:
        stop(server, workers)
