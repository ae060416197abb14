from typing import TYPE_CHECKING, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from assessment.models.questionnaire import KEY_VALIDATOR, Dimension, Source

if TYPE_CHECKING:
    # modeltranslation gives this model its own manager class at run time; importing it
    # lets the type checker's Django plugin find that class.
    import modeltranslation.manager  # noqa: F401


class ConversationQuestionQuerySet(QuerySet["ConversationQuestion"]):
    def for_dimensions(self, keys: list[str]) -> dict[str, list["ConversationQuestion"]]:
        """The questions of each dimension key, in order: every key given is in the result,
        with an empty list when it has none. One query for the questions of all keys, and
        one for all their sources, however many keys there are."""
        by_key: dict[str, list[ConversationQuestion]] = {key: [] for key in keys}
        for question in self.filter(dimension_key__in=keys).prefetch_related("sources"):
            by_key[question.dimension_key].append(question)
        return by_key


ConversationQuestionManager = models.Manager.from_queryset(ConversationQuestionQuerySet)


class ConversationQuestion(models.Model):
    """An open question a team talks about when it discusses a dimension's results.

    Kept by the dimension's key rather than on Dimension, because a published version never
    changes while these stay editable, and because one set serves every version that has
    the dimension.
    """

    # Dimension.key's own rule rather than a slug: a dimension key may contain dots. The
    # unique constraint below starts with this field, so its index serves lookups by key.
    dimension_key = models.CharField(
        _("dimension key"),
        max_length=60,
        validators=[KEY_VALIDATOR],
        help_text=_(
            "The key of the dimension, such as shared-vision. The question belongs to that "
            "dimension in every questionnaire version."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.CharField(_("question"), max_length=300)
    sources = models.ManyToManyField(
        Source, blank=True, related_name="conversation_questions", verbose_name=_("sources")
    )

    # modeltranslation swaps this manager for a class it makes at run time, which a type
    # checker cannot see; the annotations say what it behaves as.
    objects: ClassVar[ConversationQuestionManager] = ConversationQuestionManager()
    _default_manager: ClassVar[ConversationQuestionManager]

    class Meta:
        verbose_name = _("conversation question")
        verbose_name_plural = _("conversation questions")
        ordering = ["dimension_key", "order"]
        constraints = [
            # The installer recognises a shipped question by these two (an admin may reword it).
            models.UniqueConstraint(
                fields=["dimension_key", "order"], name="conversation_question_order_unique"
            )
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        # A mistyped key would leave the question on no dimension, silently.
        if self.dimension_key and not Dimension.objects.filter(key=self.dimension_key).exists():
            raise ValidationError(
                {"dimension_key": _("No questionnaire version has a dimension with this key.")}
            )
