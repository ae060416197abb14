"""The instrument-quality report of a questionnaire version, over all its submitted responses."""

from collections import defaultdict
from dataclasses import dataclass

from assessment.models import Answer, Item, QuestionnaireVersion
from assessment.questionnaire import quality
from assessment.questionnaire.structure import structure


@dataclass(frozen=True)
class DimensionReport:
    name: str
    quality: quality.DimensionQuality
    item_texts: dict[str, str]


@dataclass(frozen=True)
class QualityReport:
    responses: int
    dimensions: list[DimensionReport]

    @property
    def too_few(self) -> bool:
        return quality.too_few(self.responses)

    @property
    def minimum(self) -> int:
        return quality.MIN_RESPONSES


def version_quality(version: QuestionnaireVersion) -> QualityReport:
    """Alpha per dimension and item statistics; reverse-scored items mirrored first."""
    shape = structure(version)
    answers: dict[int, dict[int, int | None]] = defaultdict(dict)
    for response_id, item_id, state in Answer.objects.filter(
        item__dimension__version=version, response__submitted_at__isnull=False
    ).values_list("response_id", "item_id", "state"):
        answers[response_id][item_id] = state
    top = shape.state_max
    reports = []
    for dimension in shape.dimensions:
        items = shape.items[dimension.pk]
        rows = [
            [_mirrored(given.get(item.pk), item, top) for item in items]
            for given in answers.values()
        ]
        reports.append(
            DimensionReport(
                name=dimension.name,
                quality=quality.dimension_quality(
                    dimension.key, [item.key for item in items], rows, scale_max=top
                ),
                item_texts={item.key: item.text for item in items},
            )
        )
    return QualityReport(responses=len(answers), dimensions=reports)


def _mirrored(state: int | None, item: Item, top: int) -> int | None:
    """The answer as the quality module expects it: a reverse-scored item mirrored."""
    if state is None or not item.reverse_scored:
        return state
    return top + 1 - state
