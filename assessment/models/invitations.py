"""Personal invitations to a round: a link per colleague, by mail.

An invitation knows its address (to send reminders), the hash of its secret, and how far
its person got: not started, started, completed. Nothing else, and no time: a moment
could be matched to a response's. The response it leads to is sealed under the secret
(assessment/invitations/sealing.py), so the database alone cannot pair them.
"""

from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from assessment.invitations import sealing
from assessment.models.rounds import Round


class RoundInvitationQuerySet(QuerySet):
    def find(self, secret: str) -> "RoundInvitation | None":
        return (
            self.select_related("round__team", "round__version")
            .filter(secret_hash=sealing.secret_hash(secret))
            .first()
        )

    def counts(self) -> dict[str, int]:
        """How many were invited and how far they got: counts, never who."""
        State = RoundInvitation.State
        return self.aggregate(
            invited=Count("id"),
            completed=Count("id", filter=Q(state=State.COMPLETED)),
            started=Count("id", filter=Q(state=State.STARTED)),
            not_started=Count("id", filter=Q(state=State.NOT_STARTED)),
        )


class RoundInvitation(models.Model):
    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        STARTED = "started", _("Started")
        COMPLETED = "completed", _("Completed")

    class Language(models.TextChoices):
        DUTCH = "nl", "Nederlands"
        ENGLISH = "en", "English"

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("round")
    )
    email = models.EmailField(_("email address"))
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.DUTCH
    )
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    sealed_response = models.CharField(max_length=200, blank=True, editable=False)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.NOT_STARTED
    )
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)

    objects = RoundInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal invitation")
        verbose_name_plural = _("personal invitations")
        constraints = [
            models.UniqueConstraint(fields=["round", "email"], name="one_invitation_per_address")
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.round})"

    def response_token(self, secret: str) -> str | None:
        if not self.sealed_response:
            return None
        return sealing.unseal(secret, self.sealed_response, bound_to=str(self.pk))

    def seal(self, secret: str, token: str) -> None:
        self.sealed_response = sealing.seal(secret, token, bound_to=str(self.pk))
