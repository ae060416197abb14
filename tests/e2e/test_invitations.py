"""Personal invitations in real browsers, with mail through a real SMTP server: a
facilitator invites five colleagues, three answer from their own link, the reminder goes to
the other two only, the round closes at the end of its day and the facilitators' mail
arrives; the tasks run inside the test. The same journey on a web server and a task worker of
their own, with retention after it: tests/e2e/test_whole_stack.py."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from assessment.models import Round, RoundInvitation
from tests.conftest import PASSWORD
from tests.e2e.conftest import PHONE, _page, assert_accessible, assert_fits

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://[^/\s]+(/i/[A-Za-z0-9_-]+/)")
COLLEAGUES = [f"collega{n}@school.nl" for n in range(1, 6)]


def _periodic() -> str:
    out = StringIO()
    call_command("periodic", stdout=out)
    return out.getvalue()


def test_invited_colleagues_answer_the_others_are_reminded_and_the_round_closes_on_its_day(
    page, browser, live_server, mail_server, settings, questionnaire, team, facilitator
):
    settings.REMINDER_HOUR = 0  # reminders wait for the morning; this test runs at any hour
    round = Round.objects.create(
        team=team,
        version=questionnaire,
        title="Najaar 2026",
        created_by=facilitator,
        closes_on=timezone.localdate() + timedelta(days=7),
    )
    page.goto("/account/login/")
    page.fill("#id_username", facilitator.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto(f"/rounds/{round.pk}/")
    page.get_by_label("E-mailadressen").fill("\n".join(COLLEAGUES) + "\nniet-een-adres")
    page.get_by_role("button", name="Verstuur de uitnodigingen").click()
    expect(page.locator("main")).to_contain_text("5 persoonlijke uitnodigingen zijn onderweg")
    expect(page.locator("main")).to_contain_text("Niet verstuurd, geen e-mailadres: niet-een-adres")
    expect(page.locator("#invitation-counts")).to_contain_text("0 van de 5 uitgenodigden klaar")
    assert_accessible(page)

    links = {}
    for address in COLLEAGUES:
        (invitation,) = mail_server.to(address)
        links[address] = LINK.search(invitation.get_body(("plain",)).get_content()).group(1)

    # Three answer from their own link on their phones (and send without answering all).
    for address in COLLEAGUES[:3]:
        context, phone = _page(browser, live_server, PHONE)
        phone.goto(links[address])
        assert_fits(phone)
        phone.get_by_role("button", name="Start").click()
        token = re.search(r"/a/([A-Za-z0-9_-]+)/", phone.url).group(1)
        phone.goto(f"/a/{token}/review/")
        phone.get_by_role("button", name="Mijn antwoorden versturen").click()
        expect(phone.locator("main")).to_contain_text("Bedankt")
        context.close()
        assert phone.js_errors == [], phone.js_errors

    page.reload()
    expect(page.locator("#invitation-counts")).to_contain_text("3 van de 5 uitgenodigden klaar")
    expect(page.locator("main")).not_to_contain_text(COLLEAGUES[0])  # counts, never who

    # The facilitator plans a reminder for today; the periodic run sends it.
    page.get_by_label("Herinnering 1").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Plan de herinneringen").click()
    expect(page.locator("main")).to_contain_text("De herinneringen staan gepland")
    assert "reminders: 2" in _periodic()
    reminded = sorted(
        address
        for address in COLLEAGUES
        if any(m["Subject"].startswith("Herinnering") for m in mail_server.to(address))
    )
    assert reminded == COLLEAGUES[3:]

    # The closing day passes: the periodic run closes the round and mails the facilitator.
    Round.objects.filter(pk=round.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    assert "rounds closed: 1" in _periodic()
    (closed,) = [m for m in mail_server.to(facilitator.email) if "gesloten" in m["Subject"]]
    assert f"/rounds/{round.pk}/" in closed.get_body(("plain",)).get_content()
    assert RoundInvitation.objects.filter(state="completed").count() == 3
    page.goto(f"/rounds/{round.pk}/")
    expect(page.locator("h1 + .badge, .badge").first).to_contain_text("Gesloten")
