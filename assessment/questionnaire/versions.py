"""What changed between two questionnaire versions, by the stable keys of their content."""

from dataclasses import dataclass
from functools import cached_property

from django.db import transaction

from assessment.models import Item, QuestionnaireVersion
from assessment.questionnaire.languages import texts
from assessment.questionnaire.structure import Structure
from assessment.questionnaire.wording import WordDiff, word_diff


@dataclass(frozen=True)
class ItemDiff:
    key: str
    dimension: str
    before: str  # the statement as it was ("" when added)
    after: str  # as it is now ("" when removed)
    item_id: int | None = None  # the item in the newer version

    @cached_property
    def words(self) -> WordDiff:
        """The words removed and added, for the changes page to mark."""
        return word_diff(self.before, self.after)


@dataclass(frozen=True)
class VersionDiff:
    added: list[ItemDiff]
    removed: list[ItemDiff]
    reworded: list[ItemDiff]
    dimensions_added: list[str]
    dimensions_removed: list[str]

    @property
    def is_empty(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.reworded
            or self.dimensions_added
            or self.dimensions_removed
        )


def _texts(item: Item) -> tuple[str, ...]:
    return tuple(texts(item, "text").values())


def compare(before: Structure, after: Structure) -> VersionDiff:
    def keyed(shape: Structure) -> dict[str, tuple[Item, str]]:
        return {
            item.key: (item, dimension.name)
            for dimension in shape.dimensions
            for item in shape.items[dimension.pk]
        }

    old, new = keyed(before), keyed(after)
    old_dimensions = {d.key: d.name for d in before.dimensions}
    new_dimensions = {d.key: d.name for d in after.dimensions}
    return VersionDiff(
        added=[
            ItemDiff(key, dimension, "", item.text, item.pk)
            for key, (item, dimension) in new.items()
            if key not in old
        ],
        removed=[
            ItemDiff(key, dimension, item.text, "")
            for key, (item, dimension) in old.items()
            if key not in new
        ],
        reworded=[
            ItemDiff(key, dimension, old[key][0].text, item.text, item.pk)
            for key, (item, dimension) in new.items()
            if key in old and _texts(old[key][0]) != _texts(item)
        ],
        dimensions_added=[
            name for key, name in new_dimensions.items() if key not in old_dimensions
        ],
        dimensions_removed=[
            name for key, name in old_dimensions.items() if key not in new_dimensions
        ],
    )


@transaction.atomic
def mark_as_new_item(*, item: Item) -> Item:
    """A reworded statement that no longer means the same gets a key of its own, so its
    trend starts afresh instead of continuing the old statement's."""
    version: QuestionnaireVersion = item.dimension.version
    counter = 1
    while True:
        suffix = f".v{version.number}" + (f"-{counter}" if counter > 1 else "")
        # Shorten the old key, never the suffix: the new key must differ from the old one.
        key = item.key[: 60 - len(suffix)] + suffix
        if not Item.objects.filter(dimension__version=version, key=key).exists():
            break
        counter += 1
    item.key = key
    item.save(update_fields=["key"])
    return item
