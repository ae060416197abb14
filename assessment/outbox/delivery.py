"""Sending one mail of the outbox, so that a mail is sent once: the row is claimed before
the mail goes out and marked after, and a failure is retried later or, at the end, shown
as failed in admin. No log line names the address or holds the text: links are keys."""

import logging
import smtplib
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.utils import timezone

from assessment.models.outbox import OutgoingMail
from assessment.outbox.retries import retry_after

logger = logging.getLogger(__name__)
Status = OutgoingMail.Status
# The mails of personal invitations: see deliver's end.
PERSONAL = (OutgoingMail.Kind.RESPONSE_INVITATION, OutgoingMail.Kind.RESPONSE_REMINDER)


def deliver(mail_id: int, *, now: datetime | None = None) -> str:
    """Sends the mail if it is due and no one else is sending it; returns its status."""
    now = now or timezone.now()
    claimed = (
        OutgoingMail.objects.due(now)
        .filter(pk=mail_id)
        .update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:  # sent already, being sent by another worker, or not due yet
        return "skipped"
    mail = OutgoingMail.objects.get(pk=mail_id)
    try:
        _message(mail).send()
    except smtplib.SMTPRecipientsRefused as refused:
        reply = next(iter(refused.recipients.values()), (550, b""))
        if 400 <= reply[0] < 500:  # greylisted, or the mailbox busy: try again later
            return _later(mail, _reason(reply), now)
        return _refused(mail, _reason(reply))
    except smtplib.SMTPResponseException as error:
        if 500 <= error.smtp_code < 600:
            return _give_up(mail, _reason((error.smtp_code, error.smtp_error)))
        return _later(mail, _reason((error.smtp_code, error.smtp_error)), now)
    except (smtplib.SMTPException, OSError) as error:  # away, refusing, timed out
        return _later(mail, type(error).__name__, now)
    logger.info("Mail %s sent (%s, attempt %s)", mail.pk, mail.kind, mail.attempts)
    if mail.kind in PERSONAL:
        # Its moment of sending, beside its invitation, could be matched to the moment a
        # response was started: once sent, nothing of it is kept.
        OutgoingMail.objects.filter(pk=mail.pk).delete()
    else:
        _finish(mail, Status.SENT, "", sent_at=timezone.now())
    return Status.SENT


def _message(mail: OutgoingMail) -> EmailMultiAlternatives:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ")
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.text,
        to=[mail.to],
        headers={
            # The same id on every attempt, so a receiving server can tell a repeat.
            "Message-ID": f"<samenspel-{mail.pk}-{mail.created:%Y%m%d%H%M%S}@{domain}>",
            # RFC 3834: no out-of-office replies to a machine.
            "Auto-Submitted": "auto-generated",
        },
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    return message


def _reason(reply: tuple[int, bytes | str]) -> str:
    code, text = reply
    text = text.decode(errors="replace") if isinstance(text, bytes) else text
    return f"{code} {text}"[:300]


def _refused(mail: OutgoingMail, reason: str) -> str:
    _finish(mail, Status.BOUNCED, reason)
    logger.warning("Mail %s refused by the mail server (%s)", mail.pk, mail.kind)
    return Status.BOUNCED


def _give_up(mail: OutgoingMail, reason: str) -> str:
    OutgoingMail.objects.filter(pk=mail.pk).update(status=Status.FAILED, last_error=reason)
    logger.error("Mail %s failed for good (%s): %s", mail.pk, mail.kind, reason)
    return Status.FAILED


def _later(mail: OutgoingMail, reason: str, now: datetime) -> str:
    wait = retry_after(mail.attempts)
    if wait is None:
        return _give_up(mail, reason)
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=Status.WAITING, next_attempt_at=now + wait, last_error=reason
    )
    logger.warning("Mail %s not sent (%s), tried again in %s", mail.pk, reason, wait)
    return Status.WAITING


def _finish(mail: OutgoingMail, status: str, reason: str, **fields) -> None:
    # Sent or refused, the text is no longer needed, and a link in it is a key.
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=status, last_error=reason, text="", html="", **fields
    )
