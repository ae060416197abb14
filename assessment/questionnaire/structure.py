"""A questionnaire version's dimensions, items and scale labels, read once per process.

A published version never changes (see DraftOnlyModel), so its structure can be kept in
memory: respondent and result pages then skip three queries each. Drafts are always read
fresh. The key includes the publication time, so a reused primary key (tests, a restored
database) never serves a stale structure.
"""

from dataclasses import dataclass
from functools import lru_cache

from assessment.models import Dimension, Item, QuestionnaireVersion, ScaleLabel


@dataclass(frozen=True)
class Structure:
    dimensions: tuple[Dimension, ...]
    items: dict[int, tuple[Item, ...]]  # dimension id -> its items, in order
    state_labels: tuple[ScaleLabel, ...]
    importance_labels: tuple[ScaleLabel, ...]
    # How the version asks (see QuestionnaireVersion): copied here so that pages that hold
    # a structure need not read the version again.
    form: str = QuestionnaireVersion.Form.FULL
    per_dimension: bool = False  # importance and wanting to work on it, once per dimension
    separate_not_applicable: bool = False
    asks_mark: bool = False
    # Names a published version for as long as this process runs (what it shows never
    # changes: see templatetags/frozen.py); "" for a draft, whose pages are always rendered.
    published_key: str = ""

    @property
    def all_items(self) -> list[Item]:
        return [item for dimension in self.dimensions for item in self.items[dimension.pk]]

    @property
    def state_max(self) -> int:
        return len(self.state_labels)

    @property
    def importance_max(self) -> int:
        return len(self.importance_labels)

    @property
    def answer_count(self) -> int:
        """How many answers a respondent gives who answers everything: the burden.

        Each statement's state; importance and wanting to work on it, per statement or per
        dimension; and the report mark. A "don't know" skips its follow-ups, so this is the most.
        """
        statements = len(self.all_items)
        follow_ups = 2 * (len(self.dimensions) if self.per_dimension else statements)
        return statements + follow_ups + (1 if self.asks_mark else 0)


# How a version asks, read from the version the caller already holds: no query of its own.
Design = tuple[str, bool, bool, bool]  # form, per dimension, separate n/a, asks mark


def structure(version: QuestionnaireVersion) -> Structure:
    design: Design = (
        version.form,
        version.importance_asked_per == QuestionnaireVersion.AskedPer.DIMENSION,
        version.separate_not_applicable,
        version.asks_mark,
    )
    # Published and retired versions never change again, so their structure can be kept.
    if version.status != QuestionnaireVersion.Status.DRAFT and version.published_at:
        return _published(version.pk, version.published_at, design)
    return _load(version.pk, design)


@lru_cache(maxsize=32)
def _published(version_id: int, published_at, design: Design) -> Structure:
    return _load(version_id, design, published_key=f"{version_id}@{published_at.isoformat()}")


def _load(version_id: int, design: Design, *, published_key: str = "") -> Structure:
    dimensions = tuple(Dimension.objects.filter(version_id=version_id).order_by("order", "pk"))
    items: dict[int, list[Item]] = {dimension.pk: [] for dimension in dimensions}
    for item in Item.objects.filter(dimension__version_id=version_id).order_by("order", "pk"):
        items[item.dimension_id].append(item)
    labels = list(ScaleLabel.objects.filter(version_id=version_id).order_by("value"))
    form, per_dimension, separate_not_applicable, asks_mark = design
    return Structure(
        dimensions=dimensions,
        items={key: tuple(value) for key, value in items.items()},
        state_labels=tuple(lb for lb in labels if lb.kind == ScaleLabel.Kind.STATE),
        importance_labels=tuple(lb for lb in labels if lb.kind == ScaleLabel.Kind.IMPORTANCE),
        form=form,
        per_dimension=per_dimension,
        separate_not_applicable=separate_not_applicable,
        asks_mark=asks_mark,
        published_key=published_key,
    )
