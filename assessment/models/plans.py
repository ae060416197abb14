from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActionQuerySet(QuerySet):
    def open(self) -> "ActionQuerySet":
        return self.filter(status__in=Action.OPEN)

    def overdue(self, today: date | None = None) -> "ActionQuerySet":
        """Still to do and past its date: the same rule as Action.is_overdue."""
        return self.open().filter(due_date__lt=today or timezone.localdate())


class Action(models.Model):
    """What a team agreed to do about a dimension or a statement, who does it, and by when.

    The topic is kept by its stable keys, so an action still finds its dimension in a later
    round that uses a newer questionnaire version.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_WAY = "under_way", _("Under way")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    OPEN = (Status.PLANNED, Status.UNDER_WAY)

    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, related_name="actions", verbose_name=_("team")
    )
    origin = models.ForeignKey(
        "assessment.Round",
        on_delete=models.CASCADE,
        related_name="actions_started",
        verbose_name=_("agreed after round"),
    )
    rounds = models.ManyToManyField(
        "assessment.Round",
        related_name="actions",
        verbose_name=_("in the plans of"),
        help_text=_("The round it was agreed after, and the later rounds it was carried into."),
    )
    dimension_key = models.CharField(_("dimension key"), max_length=60)
    item_key = models.CharField(_("statement key"), max_length=60, blank=True)
    topic = models.CharField(
        _("topic"), max_length=300, help_text=_("The dimension or statement, as worded then.")
    )
    text = models.CharField(_("what we will do"), max_length=1000)
    owner = models.CharField(_("who takes it on"), max_length=120, blank=True)
    due_date = models.DateField(_("by when"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    # The team conversation it was agreed in, if any (its summary lists it).
    meeting = models.ForeignKey(
        "assessment.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("team conversation"),
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_overdue(self) -> bool:
        """Past its date and still to do (planned or under way). A dropped action is not
        overdue: the team decided against it. The due date itself is still in time."""
        return is_overdue(self.status, self.due_date, timezone.localdate())


def is_overdue(status: str, due_date: date | None, today: date) -> bool:
    """The one rule for "overdue", without the database (ActionQuerySet.overdue mirrors it)."""
    return status in Action.OPEN and due_date is not None and due_date < today
