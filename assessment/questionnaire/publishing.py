"""Publishing questionnaire versions and starting new drafts from them."""

from collections import Counter

from django.db import transaction
from django.db.models import Max, Model
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from assessment.models import Dimension, Item, QuestionnaireVersion, ScaleLabel
from assessment.questionnaire.languages import LANGUAGE_CODES, texts


class PublishError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _missing_languages(obj: Model, field: str) -> list[str]:
    """The names (in the current language) of the languages in which `field` is empty."""
    return [
        get_language_info(code)["name_translated"]
        for code, text in texts(obj, field).items()
        if not text.strip()
    ]


def publication_problems(version: QuestionnaireVersion) -> list[str]:
    problems: list[str] = []
    if not version.is_draft:
        return [
            _("Only a draft can be published; the status of this version is “%(status)s”.")
            % {"status": version.get_status_display()}
        ]

    labels = list(version.scale_labels.all())
    for kind, kind_name in ScaleLabel.Kind.choices:
        values = sorted(label.value for label in labels if label.kind == kind)
        if len(values) < 2 or values != list(range(1, len(values) + 1)):
            problems.append(
                _("The scale “%(scale)s” needs labels for the values 1, 2, … without gaps.")
                % {"scale": kind_name}
            )
    for label in labels:
        for code in _missing_languages(label, "label"):
            problems.append(
                _("Scale label %(value)s (%(scale)s) has no text in %(language)s.")
                % {"value": label.value, "scale": label.get_kind_display(), "language": code}
            )
    state_max = max((lb.value for lb in labels if lb.kind == ScaleLabel.Kind.STATE), default=0)
    if state_max and version.strength_threshold > state_max:
        problems.append(_("The strength threshold lies above the top of the scale."))

    dimensions = list(version.ordered_dimensions())
    if not dimensions:
        problems.append(_("The version has no dimensions."))
    item_keys: Counter[str] = Counter()
    for dimension in dimensions:
        name = texts(dimension, "name")["nl"] or dimension.key
        for code in _missing_languages(dimension, "name"):
            problems.append(
                _("Dimension “%(name)s” has no name in %(language)s.")
                % {"name": name, "language": code}
            )
        if not dimension.sources.all():
            problems.append(_("Dimension “%(name)s” has no source.") % {"name": name})
        items = list(dimension.items.all())
        if not items:
            problems.append(_("Dimension “%(name)s” has no items.") % {"name": name})
        for item in items:
            item_keys[item.key] += 1
            for code in _missing_languages(item, "text"):
                problems.append(
                    _("Item “%(key)s” has no text in %(language)s.")
                    % {"key": item.key, "language": code}
                )
            if not item.sources.all():
                problems.append(_("Item “%(key)s” has no source.") % {"key": item.key})
    for key, count in item_keys.items():
        if count > 1:
            problems.append(_("The item key “%(key)s” is used more than once.") % {"key": key})
    return problems


def replaced_by(version: QuestionnaireVersion) -> QuestionnaireVersion | None:
    """The version of the same questionnaire and form that new rounds get now, which
    publishing `version` replaces: its latest published version other than `version` itself.
    A short form replaces the previous short form, never the full questionnaire."""
    return (
        QuestionnaireVersion.objects.filter(questionnaire_id=version.questionnaire_id)
        .exclude(pk=version.pk)
        .latest_published(form=version.form)
    )


@transaction.atomic
def publish(
    *, version: QuestionnaireVersion, retire: QuestionnaireVersion | None = None
) -> QuestionnaireVersion | None:
    """Publish a complete draft; running rounds keep their own version.

    With `retire`, the published version it replaces is retired as well, so that new rounds
    can no longer choose it; rounds that use it keep it. Only the version that `replaced_by`
    names is retired: the admin confirmed that one, and if another was published in the
    meantime, nothing is. Returns the version retired, if any.
    """
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    problems = publication_problems(version)
    if problems:
        raise PublishError(problems)
    replaced = replaced_by(version)
    version.set_status(QuestionnaireVersion.Status.PUBLISHED)
    if retire is None or replaced is None or replaced.pk != retire.pk:
        return None
    replaced.set_status(QuestionnaireVersion.Status.RETIRED)
    return replaced


def _translations(obj: Model, field: str) -> dict[str, str | None]:
    return {f"{field}_{code}": getattr(obj, f"{field}_{code}") for code in LANGUAGE_CODES}


@transaction.atomic
def create_draft(*, source: QuestionnaireVersion) -> QuestionnaireVersion:
    """A new draft with the same content as `source`; items and dimensions keep their keys."""
    number = (
        QuestionnaireVersion.objects.filter(questionnaire=source.questionnaire).aggregate(
            Max("number")
        )["number__max"]
        + 1
    )
    draft = QuestionnaireVersion.objects.create(
        questionnaire=source.questionnaire,
        number=number,
        based_on=source,
        strength_threshold=source.strength_threshold,
        concern_threshold=source.concern_threshold,
        # How the version asks is part of its content: a draft of version 2 asks as it does.
        form=source.form,
        importance_asked_per=source.importance_asked_per,
        separate_not_applicable=source.separate_not_applicable,
        asks_mark=source.asks_mark,
    )
    ScaleLabel.objects.bulk_create(
        ScaleLabel(
            version=draft, kind=label.kind, value=label.value, **_translations(label, "label")
        )
        for label in source.scale_labels.all()
    )
    for dimension in source.ordered_dimensions():
        new_dimension = Dimension.objects.create(
            version=draft,
            key=dimension.key,
            order=dimension.order,
            **_translations(dimension, "name"),
            **_translations(dimension, "description"),
            **_translations(dimension, "suggestions"),
        )
        new_dimension.sources.set(dimension.sources.all())
        for item in dimension.items.all():
            new_item = Item.objects.create(
                dimension=new_dimension,
                key=item.key,
                order=item.order,
                reverse_scored=item.reverse_scored,
                **_translations(item, "text"),
            )
            new_item.sources.set(item.sources.all())
    return draft
