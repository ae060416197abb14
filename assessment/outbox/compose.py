"""Writing a mail into the outbox, in the language of the one who receives it.

Each mail is a folder of templates, templates/emails/<name>/: subject.txt (one line),
body.txt and body.html (which extends emails/base.html). No images, no tracking: a
colleague reads it as they would a note.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from assessment.models.invitations import RoundInvitation
from assessment.models.outbox import OutgoingMail
from assessment.outbox.tasks import deliver_mail


def queue_mail(
    *,
    kind: str,
    to: Iterable[str],
    template: str,
    context: dict,
    language: str,
    round_invitation: RoundInvitation | None = None,
) -> list[OutgoingMail]:
    """One mail per address, sent by a worker once the caller's transaction commits."""
    with override(language):
        subject = " ".join(render_to_string(f"emails/{template}/subject.txt", context).split())
        text = render_to_string(f"emails/{template}/body.txt", context)
        html = render_to_string(f"emails/{template}/body.html", context)
    now = timezone.now()
    mails = OutgoingMail.objects.bulk_create(
        OutgoingMail(
            kind=kind,
            to=address,
            subject=subject,
            text=text,
            html=html,
            next_attempt_at=now,
            round_invitation=round_invitation,
        )
        for address in dict.fromkeys(to)  # one mail to an address named twice
    )
    ids = [mail.pk for mail in mails]
    transaction.on_commit(lambda: hand_to_workers(ids))
    return mails


def hand_to_workers(ids: Iterable[int]) -> None:
    for mail_id in ids:
        deliver_mail.enqueue(mail_id)


def resend_failed(mails: QuerySet[OutgoingMail]) -> int:
    """Failed mails (their text is kept) start over, from an admin's "send again"."""
    failed = mails.filter(status=OutgoingMail.Status.FAILED)
    ids = list(failed.values_list("pk", flat=True))
    failed.update(status=OutgoingMail.Status.WAITING, attempts=0, next_attempt_at=timezone.now())
    transaction.on_commit(lambda: hand_to_workers(ids))
    return len(ids)
