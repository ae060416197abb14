from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    # modeltranslation gives these models its own manager class at run time; importing it
    # lets the type checker's Django plugin find that class.
    import modeltranslation.manager  # noqa: F401

KEY_VALIDATOR = RegexValidator(
    r"^[a-z0-9][a-z0-9.\-]*$",
    _("Use lowercase letters, digits, dots and hyphens only."),
)


class ImmutableVersionError(Exception):
    """Raised when something tries to change a questionnaire version that is no longer a draft."""


class Source(models.Model):
    """A publication the questionnaire rests on. Shared by all versions."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    citation = models.CharField(_("citation"), max_length=200)
    description = models.CharField(_("description"), max_length=600, blank=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["citation"]

    def __str__(self) -> str:
        return self.citation


class Questionnaire(models.Model):
    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class VersionQuerySet(QuerySet["QuestionnaireVersion"]):
    def published(self) -> "VersionQuerySet":
        return self.filter(status=QuestionnaireVersion.Status.PUBLISHED)

    def latest_published(self, form: str = "full") -> "QuestionnaireVersion | None":
        """The version new rounds get: the latest published one of its form (by default the
        full questionnaire: a short form is a pulse between two full rounds, never the main
        one that pages such as the about page and the comparison describe)."""
        return self.published().filter(form=form).order_by("-published_at", "-number").first()


VersionManager = models.Manager.from_queryset(VersionQuerySet)


class QuestionnaireVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    class Form(models.TextChoices):
        FULL = "full", _("Full questionnaire")
        SHORT = "short", _("Short form (pulse)")

    class AskedPer(models.TextChoices):
        STATEMENT = "statement", _("Per statement")
        DIMENSION = "dimension", _("Per dimension")

    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("questionnaire"),
    )
    number = models.PositiveIntegerField(_("version number"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("What changed in this version."))
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on"),
        editable=False,
    )
    form = models.CharField(
        _("form"),
        max_length=16,
        choices=Form.choices,
        default=Form.FULL,
        help_text=_(
            "A short form asks a few statements per dimension, for a pulse round between two "
            "full rounds. Use the same keys as the full questionnaire, so trends combine both."
        ),
    )
    importance_asked_per = models.CharField(
        _("importance and wanting to work on it asked"),
        max_length=16,
        choices=AskedPer.choices,
        default=AskedPer.STATEMENT,
        help_text=_(
            "Per dimension asks both questions once per page instead of after every statement: "
            "far fewer answers. A statement's priority then uses its dimension's answers."
        ),
    )
    separate_not_applicable = models.BooleanField(
        _("'not applicable' beside 'don't know'"),
        default=False,
        help_text=_(
            "Offer 'not applicable' as its own answer. Both count as no answer; the results "
            "report them separately."
        ),
    )
    asks_mark = models.BooleanField(
        _("asks for a report mark"),
        default=False,
        help_text=_("Ask at the end for a mark from 1 to 10 for the collaboration as a whole."),
    )
    strength_threshold = models.DecimalField(
        _("strength from"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("4.00"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("A dimension mean at or above this is a strength."),
    )
    concern_threshold = models.DecimalField(
        _("concern below"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("3.00"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("A dimension mean below this is a concern; in between needs attention."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    # modeltranslation swaps this manager for a class it makes at run time, which a type
    # checker cannot see; the annotations say what it behaves as.
    objects: ClassVar[VersionManager] = VersionManager()
    _default_manager: ClassVar[VersionManager]

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="version_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(concern_threshold__lte=models.F("strength_threshold")),
                name="version_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number} ({self.get_status_display()})"

    def save(self, *args, **kwargs) -> None:
        if self.pk and not self.is_draft:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored != self.Status.DRAFT and not getattr(self, "_status_change", False):
                raise ImmutableVersionError(f"Version {self.pk} is {stored} and cannot change.")
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if (
            self.concern_threshold is not None
            and self.strength_threshold is not None
            and self.concern_threshold > self.strength_threshold
        ):
            raise ValidationError(
                {"concern_threshold": _("The concern threshold cannot be above the strength one.")}
            )

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def label(self) -> str:
        """The version as a facilitator reads it: which form, which version."""
        if self.form == self.Form.SHORT:
            return _("Short form (version %(number)s)") % {"number": self.number}
        return _("Full questionnaire (version %(number)s)") % {"number": self.number}

    def ordered_dimensions(self) -> "QuerySet[Dimension]":
        return self.dimensions.order_by("order", "pk").prefetch_related("items", "sources")

    def publication_problems(self) -> list[str]:
        """Everything that keeps this draft from being published, in words for the admin."""
        from assessment.questionnaire.publishing import publication_problems

        return publication_problems(self)

    def set_status(self, status: str) -> None:
        self.status = status
        if status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self._status_change = True
        try:
            self.save(update_fields=["status", "published_at"])
        finally:
            self._status_change = False


class DraftOnlyModel(models.Model):
    """Content of a questionnaire version: editable only while the version is a draft."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self.owning_version().is_draft:
            raise ImmutableVersionError("A published questionnaire version cannot change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not self.owning_version().is_draft:
            raise ImmutableVersionError("A published questionnaire version cannot change.")
        return super().delete(*args, **kwargs)

    def owning_version(self) -> QuestionnaireVersion:
        raise NotImplementedError


class ScaleLabel(DraftOnlyModel):
    """The words for one point of an answer scale, e.g. 4 = 'Eens'."""

    class Kind(models.TextChoices):
        STATE = "state", _("Current state (agreement)")
        IMPORTANCE = "importance", _("Importance")

    version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.CASCADE,
        related_name="scale_labels",
        verbose_name=_("version"),
    )
    kind = models.CharField(_("scale"), max_length=16, choices=Kind.choices)
    value = models.PositiveSmallIntegerField(
        _("value"), validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    label = models.CharField(_("label"), max_length=60)

    class Meta:
        verbose_name = _("scale label")
        verbose_name_plural = _("scale labels")
        ordering = ["version", "kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "kind", "value"], name="scale_label_unique_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.value} = {self.label}"

    def owning_version(self) -> QuestionnaireVersion:
        return self.version


class Dimension(DraftOnlyModel):
    version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.CASCADE,
        related_name="dimensions",
        verbose_name=_("version"),
    )
    key = models.CharField(
        _("key"),
        max_length=60,
        validators=[KEY_VALIDATOR],
        help_text=_("Stays the same across versions, so that trends continue."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=600, blank=True)
    suggestions = models.TextField(
        _("suggestions for actions"),
        max_length=3000,
        blank=True,
        help_text=_(
            "What a team could do when this dimension is weak, from the evidence: one suggestion "
            "per line, each with its source."
        ),
    )
    sources = models.ManyToManyField(
        Source, blank=True, related_name="dimensions", verbose_name=_("sources")
    )

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["version", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="dimension_key_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def owning_version(self) -> QuestionnaireVersion:
        return self.version

    def suggestion_list(self) -> list[str]:
        return [line.strip() for line in (self.suggestions or "").splitlines() if line.strip()]


class Item(DraftOnlyModel):
    dimension = models.ForeignKey(
        Dimension, on_delete=models.CASCADE, related_name="items", verbose_name=_("dimension")
    )
    key = models.CharField(
        _("key"),
        max_length=60,
        validators=[KEY_VALIDATOR],
        help_text=_(
            "Stays the same across versions while the item means the same, so that trends "
            "continue. Give a reworded item with a new meaning a new key."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("statement"), max_length=300)
    reverse_scored = models.BooleanField(
        _("reverse scored"),
        default=False,
        help_text=_("For a negatively worded statement: agreeing means weaker collaboration."),
    )
    sources = models.ManyToManyField(
        Source, blank=True, related_name="items", verbose_name=_("sources")
    )

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["dimension__order", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["dimension", "key"], name="item_key_unique")]

    def __str__(self) -> str:
        return self.text

    def owning_version(self) -> QuestionnaireVersion:
        return self.dimension.version

    def clean(self) -> None:
        if not self.key or not self.dimension_id:
            return
        clash = Item.objects.filter(
            dimension__version_id=self.dimension.version_id, key=self.key
        ).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError({"key": _("Another item of this version has this key.")})
