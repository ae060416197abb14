"""The team conversation ("Teamgesprek"): a facilitator presents a closed round's results on a
big screen, colleagues follow and vote on their own phones, and the team agrees actions.

Phones have no account and no name: a phone is a random token in a cookie, given to whoever
typed or scanned the meeting's code. Votes hang from that token, never from a person.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.meetings import agenda
from assessment.models.rounds import SHORT_CODE_ALPHABET, Round, new_token

MEETING_CODE_LENGTH = 6
VOTES_PER_PHONE = 3


def new_meeting_code() -> str:
    """6 of 31 characters, about 30 bits: read off a screen and typed in a few seconds. A
    guesser meets the same per-address limit as the round's code page (rounds/codes.py)."""
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(MEETING_CODE_LENGTH))


class MeetingQuerySet(models.QuerySet):
    def live(self) -> "MeetingQuerySet":
        return self.exclude(status=Meeting.Status.ENDED)


class Meeting(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("In progress")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    class Vote(models.TextChoices):
        NOT_YET = "not_yet", _("Not opened yet")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("round")
    )
    code = models.CharField(
        max_length=MEETING_CODE_LENGTH, unique=True, default=new_meeting_code, editable=False
    )
    # The steps in the presenter's order, as keys (see meetings/agenda.py); a skipped step is
    # left out.
    agenda = models.JSONField(default=list)
    position = models.PositiveSmallIntegerField(default=0)
    # Goes up with every change the phones must follow: a poll compares just this number.
    revision = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    vote = models.CharField(max_length=8, choices=Vote.choices, default=Vote.NOT_YET)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("team conversation")
        verbose_name_plural = _("team conversations")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.round} ({self.created:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("meeting_present", args=[self.pk])

    @property
    def grouped_code(self) -> str:
        return f"{self.code[:3]}-{self.code[3:]}"

    @property
    def step(self) -> str | None:
        if not self.agenda:
            return None
        return self.agenda[min(self.position, len(self.agenda) - 1)]

    @property
    def is_ended(self) -> bool:
        return self.status == self.Status.ENDED

    @property
    def is_voting(self) -> bool:
        """The phones show their vote buttons: the vote is open on the vote step."""
        return (
            self.status == self.Status.ACTIVE
            and self.vote == self.Vote.OPEN
            and self.step == agenda.VOTE
        )

    def changed(self, **fields) -> None:
        """Store these fields and bump the revision in one update, so a phone's next poll
        sees the change (and no other write is lost)."""
        for name, value in fields.items():
            setattr(self, name, value)
        Meeting.objects.filter(pk=self.pk).update(revision=F("revision") + 1, **fields)
        self.refresh_from_db(fields=["revision"])

    def end(self) -> None:
        # A vote still open is closed with it, so the summary can show what was chosen.
        vote = self.Vote.CLOSED if self.vote == self.Vote.OPEN else self.vote
        self.changed(status=self.Status.ENDED, ended_at=timezone.now(), vote=vote)


class MeetingPhone(models.Model):
    """A phone that joined with the meeting's code: a secret in its cookie, nothing more."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="phones")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    joined = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"phone {self.pk} in {self.meeting_id}"


class MeetingVote(models.Model):
    """One vote of one phone for one card; a phone has VOTES_PER_PHONE to spend."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="votes")
    phone = models.ForeignKey(MeetingPhone, on_delete=models.CASCADE, related_name="votes")
    card = models.CharField(max_length=80)  # a card step's key, e.g. "i:trust.expertise"
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["phone", "card"], name="meeting_vote_once_per_card")
        ]
        indexes = [models.Index(fields=["meeting", "card"])]

    def __str__(self) -> str:
        return self.card
