"""The instrument-quality report of a questionnaire version, over all its submitted responses."""

from collections import defaultdict
from dataclasses import dataclass, replace

from django.db.models import QuerySet

from assessment.models import Answer, QuestionnaireVersion, Response, Round
from assessment.questionnaire import quality
from assessment.questionnaire.structure import structure
from assessment.results import disclosure, scoring


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
    """Alpha per dimension and item statistics; reverse-scored items mirrored first.

    Only the shown responses of qualifying rounds count, as everywhere else: a round that
    is open or below its threshold adds nothing, so no single submission shows up here.
    """
    shape = structure(version)
    rounds = list(Round.objects.qualifying().filter(version=version))
    policy = disclosure.pooled([disclosure.Policy.of(round) for round in rounds])
    answers: dict[int, dict[int, int | None]] = defaultdict(dict)
    for response_id, item_id, state in Answer.objects.filter(
        Response.shown_filter("response__"),
        item__dimension__version=version,
        response__round__in=rounds,
    ).values_list("response_id", "item_id", "state"):
        answers[response_id][item_id] = state
    top = shape.state_max
    reports = []
    for dimension in shape.dimensions:
        items = shape.items[dimension.pk]
        rows = [
            [_scored(given.get(item.pk), item.reverse_scored, top) for item in items]
            for given in answers.values()
        ]
        reports.append(
            DimensionReport(
                name=dimension.name,
                quality=_disclosed(
                    quality.dimension_quality(
                        dimension.key, [item.key for item in items], rows, scale_max=top
                    ),
                    policy,
                ),
                item_texts={item.key: item.text for item in items},
            )
        )
    return QualityReport(responses=len(answers), dimensions=reports)


def versions_with_data() -> QuerySet[QuestionnaireVersion]:
    """The published (or retired) versions with at least one qualifying round: where a
    quality report has something to rest on. A retired version's data still counts."""
    # Read as a set first: qualifying() groups to count, which a subquery would carry along.
    version_ids = set(Round.objects.qualifying().values_list("version_id", flat=True))
    return (
        QuestionnaireVersion.objects.filter(pk__in=version_ids)
        .exclude(status=QuestionnaireVersion.Status.DRAFT)
        .select_related("questionnaire")
        .order_by("questionnaire__key", "number")
    )


def _scored(state: int | None, reverse: bool, top: int) -> int | None:
    return None if state is None else scoring.scored(state, reverse=reverse, scale_max=top)


def _disclosed(
    report: quality.DimensionQuality, policy: disclosure.Policy | None
) -> quality.DimensionQuality:
    """The report with every figure the gate does not allow taken out: means on fewer than
    `means` answers, shares of the scale's ends and correlations on fewer than `spreads`."""
    if policy is None:
        return replace(report, alpha=None, items=())
    items = tuple(
        replace(
            item,
            stats=replace(
                item.stats,
                mean=disclosure.mean_or_none(item.stats.mean, item.stats.n, policy),
                dont_know_share=disclosure.mean_or_none(
                    item.stats.dont_know_share, report.n_responses, policy
                ),
                floor_share=item.stats.floor_share if policy.spread(item.stats.n) else None,
                ceiling_share=item.stats.ceiling_share if policy.spread(item.stats.n) else None,
            ),
            item_total=item.item_total if policy.spread(report.n_complete) else None,
        )
        for item in report.items
    )
    alpha = report.alpha if policy.spread(report.n_complete) else None
    return replace(report, alpha=alpha, items=items)
