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

    @property
    def all_items(self) -> list[Item]:
        return [item for dimension in self.dimensions for item in self.items[dimension.pk]]

    @property
    def state_max(self) -> int:
        return len(self.state_labels)

    @property
    def importance_max(self) -> int:
        return len(self.importance_labels)


def structure(version: QuestionnaireVersion) -> Structure:
    # Published and retired versions never change again, so their structure can be kept.
    if version.status != QuestionnaireVersion.Status.DRAFT and version.published_at:
        return _published(version.pk, version.published_at)
    return _load(version.pk)


@lru_cache(maxsize=32)
def _published(version_id: int, published_at) -> Structure:
    return _load(version_id)


def _load(version_id: int) -> Structure:
    dimensions = tuple(Dimension.objects.filter(version_id=version_id).order_by("order", "pk"))
    items: dict[int, list[Item]] = {dimension.pk: [] for dimension in dimensions}
    for item in Item.objects.filter(dimension__version_id=version_id).order_by("order", "pk"):
        items[item.dimension_id].append(item)
    labels = list(ScaleLabel.objects.filter(version_id=version_id).order_by("value"))
    return Structure(
        dimensions=dimensions,
        items={key: tuple(value) for key, value in items.items()},
        state_labels=tuple(lb for lb in labels if lb.kind == ScaleLabel.Kind.STATE),
        importance_labels=tuple(lb for lb in labels if lb.kind == ScaleLabel.Kind.IMPORTANCE),
    )
