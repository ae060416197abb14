"""The instrument-quality report of a questionnaire version, over all its submitted responses."""

from collections import defaultdict
from dataclasses import dataclass

from assessment.models import Answer, QuestionnaireVersion
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
            [
                None
                if given.get(item.pk) is None
                else (top + 1 - given[item.pk] if item.reverse_scored else given[item.pk])
                for item in items
            ]
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
