"""The outbox: a mail is a row written with what it is about, sent by a task once that
commits, through a real SMTP server here; refused, retried with back-off, failed in admin."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessment.models.outbox import OutgoingMail
from assessment.outbox import delivery
from assessment.outbox.retries import MAX_ATTEMPTS
from assessment.outbox.revive import hand_out_again
from teams.mail import send_invitation
from teams.models import Invitation

Status = OutgoingMail.Status


@pytest.fixture
def invitation(team, facilitator) -> Invitation:
    return Invitation.objects.create(
        team=team, email="nieuw@example.org", role="member", invited_by=facilitator
    )


def test_a_mail_is_sent_only_once_its_transaction_commits(
    invitation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        send_invitation(invitation)
        assert mail.outbox == []
        assert OutgoingMail.objects.get().status == Status.WAITING
    (sent,) = mail.outbox
    assert sent.to == ["nieuw@example.org"]
    row = OutgoingMail.objects.get()
    assert row.status == Status.SENT and row.attempts == 1 and row.sent_at is not None
    assert row.text == "" and row.html == ""  # the link in it was a key


def test_a_mail_rolled_back_is_never_sent(invitation, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks(execute=True)
    with capture, pytest.raises(RuntimeError), transaction.atomic():
        send_invitation(invitation)
        raise RuntimeError
    assert mail.outbox == [] and not OutgoingMail.objects.exists()


def test_a_mail_has_text_and_html_in_its_language_without_images(
    invitation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_invitation(invitation)
    (sent,) = mail.outbox
    assert sent.subject.startswith("Uitnodiging")
    assert invitation.get_absolute_url() in sent.body
    html, kind = sent.alternatives[0]
    assert kind == "text/html" and '<html lang="nl">' in html
    assert invitation.get_absolute_url() in html
    assert "<img" not in html  # no pixel that tells who opened it
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"
    assert sent.from_email == "Samenspel <noreply@localhost>"


def test_a_mail_goes_through_a_real_smtp_server(
    mail_server, invitation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_invitation(invitation)
    (message,) = mail_server.to("nieuw@example.org")
    assert message["Subject"].startswith("Uitnodiging")
    assert message["Message-ID"].startswith(f"<samenspel-{OutgoingMail.objects.get().pk}-")
    assert message.get_body(("plain",)).get_content().count(invitation.get_absolute_url()) == 1
    assert OutgoingMail.objects.get().status == Status.SENT


def test_a_refused_address_is_marked_refused_and_shown_in_admin(
    mail_server, invitation, login, admin, django_capture_on_commit_callbacks
):
    mail_server.refuse.add("nieuw@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        send_invitation(invitation)
    row = OutgoingMail.objects.get()
    assert row.status == Status.BOUNCED and row.last_error.startswith("550")
    assert mail_server.received == []
    page = login(admin).get(reverse("admin:assessment_outgoingmail_changelist"))
    assert "Adres geweigerd" in page.content.decode()


def test_try_again_later_is_retried_after_a_wait_that_grows(
    mail_server, invitation, django_capture_on_commit_callbacks
):
    mail_server.busy = True
    with django_capture_on_commit_callbacks(execute=True):
        send_invitation(invitation)
    row = OutgoingMail.objects.get()
    assert row.status == Status.WAITING and row.attempts == 1
    assert row.last_error.startswith("451")
    first_wait = row.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < first_wait <= timedelta(minutes=1)
    assert hand_out_again(timezone.now()) == 0  # not due yet
    mail_server.busy = False
    OutgoingMail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())  # a minute on
    assert hand_out_again(timezone.now()) == 1
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 2
    assert len(mail_server.to("nieuw@example.org")) == 1


def test_a_mail_server_that_is_away_fails_the_mail_after_the_last_attempt(
    settings, invitation, login, admin, django_capture_on_commit_callbacks
):
    from tests.conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    with django_capture_on_commit_callbacks(execute=True):
        send_invitation(invitation)
    row = OutgoingMail.objects.get()
    waits = []
    while row.status == Status.WAITING:
        waits.append(row.next_attempt_at)
        delivery.deliver(row.pk, now=row.next_attempt_at)
        row.refresh_from_db()
    assert row.status == Status.FAILED and row.attempts == MAX_ATTEMPTS
    assert row.last_error == "ConnectionRefusedError"
    gaps = [later - earlier for earlier, later in zip(waits, waits[1:], strict=False)]
    assert gaps == sorted(gaps)
    client = login(admin)
    changelist = reverse("admin:assessment_outgoingmail_changelist")
    assert "Mislukt" in client.get(changelist).content.decode()
    client.post(changelist, {"action": "send_again", "_selected_action": [row.pk]})
    row.refresh_from_db()  # tried again at once, the count started over: still away
    assert row.status == Status.WAITING and row.attempts == 1


def test_no_log_line_names_the_address_or_holds_the_link(
    mail_server, invitation, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    mail_server.busy = True
    with django_capture_on_commit_callbacks(execute=True):
        send_invitation(invitation)
    mail_server.busy = False
    row = OutgoingMail.objects.get()
    delivery.deliver(row.pk, now=row.next_attempt_at)
    # Everything Samenspel and its libraries log; not the test's own mail server (mail.log).
    ours = [record for record in caplog.records if not record.name.startswith("mail.log")]
    logged = "\n".join(record.getMessage() for record in ours)
    assert f"Mail {row.pk} sent" in logged
    assert invitation.token not in logged and "nieuw@example.org" not in logged


def test_a_mail_claimed_by_a_worker_that_died_goes_out_again(settings, invitation):
    from assessment.outbox.compose import queue_mail

    [row] = queue_mail(
        kind=OutgoingMail.Kind.ACCOUNT_INVITATION,
        to=["nieuw@example.org"],
        template="account_invitation",
        context={"invitation": invitation, "link": "https://example.org/x"},
        language="en",
    )
    claimed = OutgoingMail.objects.filter(pk=row.pk)
    claimed.update(status=Status.SENDING, claimed_at=timezone.now() - timedelta(seconds=60))
    assert hand_out_again(timezone.now()) == 0  # perhaps still sending
    long_ago = timezone.now() - timedelta(seconds=settings.OUTBOX_ABANDONED_AFTER + 1)
    claimed.update(claimed_at=long_ago, next_attempt_at=long_ago)
    assert hand_out_again(timezone.now()) == 1
    row.refresh_from_db()
    assert row.status == Status.SENT
    (sent,) = mail.outbox
    assert sent.subject == "Invitation to Samenspel for " + invitation.team.name
