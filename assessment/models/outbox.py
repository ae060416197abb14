"""Mail on its way out: every mail Samenspel sends is first a row here.

The row is written in the same transaction as what the mail is about (an invitation, a
round that closed), so a mail is never sent for something that was rolled back and never
lost for something that was committed. A task delivers it (assessment/outbox/delivery.py);
the periodic run hands a row whose task was lost, or whose worker died, to a new task.
"""

from datetime import datetime

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


class OutgoingMailQuerySet(QuerySet):
    def due(self, now: datetime) -> "OutgoingMailQuerySet":
        return self.filter(status=OutgoingMail.Status.WAITING, next_attempt_at__lte=now)


class OutgoingMail(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Address refused")

    class Kind(models.TextChoices):
        ACCOUNT_INVITATION = "account-invitation", _("Invitation to an account")
        MEETING_SUMMARY = "meeting-summary", _("Summary of a team conversation")
        ROUND_CLOSED = "round-closed", _("A round closed")
        RESPONSE_INVITATION = "response-invitation", _("Personal invitation to a round")
        RESPONSE_REMINDER = "response-reminder", _("Reminder of a personal invitation")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=200)
    # Erased once the mail is sent or refused: an invitation's link is a key.
    text = models.TextField(_("text"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.WAITING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    # A personal invitation's mail: its facilitator sees when the address was refused.
    round_invitation = models.ForeignKey(
        "assessment.RoundInvitation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mails",
        editable=False,
    )

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        ordering = ["-created"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.to}"
