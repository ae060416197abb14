"""The instrument-quality report of a questionnaire version, over the rounds the gate allows."""

from collections.abc import Iterator
from dataclasses import dataclass, replace

from django.db.models import QuerySet

from assessment.models import Answer, QuestionnaireVersion, Response, Round
from assessment.questionnaire import quality
from assessment.questionnaire.quality import ItemQuality
from assessment.questionnaire.structure import structure
from assessment.results import disclosure, scoring


@dataclass(frozen=True)
class DimensionReport:
    name: str
    quality: quality.DimensionQuality
    item_texts: dict[str, str]

    @property
    def statements(self) -> Iterator[tuple[str, ItemQuality]]:
        """Each item with the statement it asks, in the order of the questionnaire."""
        return ((self.item_texts[item.key], item) for item in self.quality.items)


@dataclass(frozen=True)
class QualityReport:
    responses: int  # the shown responses of the qualifying rounds
    rounds: int  # the qualifying rounds: closed, with enough responses to show results
    dimensions: list[DimensionReport]
    # Version 1 asked "don't know / not applicable" as one answer, stored as don't know.
    separate_not_applicable: bool = False
    # Qualifying rounds left out: their answers were deleted after the retention period.
    expired_rounds: int = 0

    @property
    def too_few_dimensions(self) -> list[DimensionReport]:
        """The dimensions whose alpha rests on fewer than ``MIN_RESPONSES`` complete responses."""
        return [dimension for dimension in self.dimensions if dimension.quality.too_few]

    @property
    def too_few(self) -> bool:
        return bool(self.too_few_dimensions)

    @property
    def minimum(self) -> int:
        return quality.MIN_RESPONSES


def version_quality(version: QuestionnaireVersion) -> QualityReport:
    """Alpha per dimension and item statistics; reverse-scored items mirrored first.

    Only the shown responses of qualifying rounds count, as everywhere else: a round that
    is open or below its threshold adds nothing, so no single submission shows up here.
    Every figure then passes the strictest policy of those rounds. Three queries (and the
    structure, cached once published), however many rounds there are.
    """
    shape = structure(version)
    qualifying = Round.objects.qualifying().filter(version=version)
    # Rounds past the retention period keep only team totals (results.retention): the quality
    # of the statements rests on the answers of the rounds still kept.
    rounds = list(qualifying.filter(answers_expired_at__isnull=True))
    expired = qualifying.filter(answers_expired_at__isnull=False).count()
    policy = disclosure.pooled([disclosure.Policy.of(round) for round in rounds])
    shown = Response.shown_filter()
    # Every shown response saw every statement: one that answered none still counts as
    # having skipped them all.
    given: dict[int, dict[int, quality.Answer]] = {
        pk: {}
        for pk in Response.objects.filter(shown, round__in=rounds).values_list("pk", flat=True)
    }
    top = shape.state_max
    reversed_items = {item.pk for item in shape.all_items if item.reverse_scored}
    for response_id, item_id, state, dont_know, not_applicable in Answer.objects.filter(
        Response.shown_filter("response__"),
        item__dimension__version=version,
        response__round__in=rounds,
    ).values_list("response_id", "item_id", "state", "dont_know", "not_applicable"):
        if state is not None:
            given[response_id][item_id] = scoring.scored(
                state, reverse=item_id in reversed_items, scale_max=top
            )
        elif dont_know:
            given[response_id][item_id] = quality.DONT_KNOW
        elif not_applicable:
            given[response_id][item_id] = quality.NOT_APPLICABLE
    reports = []
    for dimension in shape.dimensions:
        items = shape.items[dimension.pk]
        rows = [[answers.get(item.pk) for item in items] for answers in given.values()]
        measured = quality.dimension_quality(
            dimension.key, [item.key for item in items], rows, scale_max=top
        )
        reports.append(
            DimensionReport(
                name=dimension.name,
                quality=_disclosed(measured, policy),
                item_texts={item.key: item.text for item in items},
            )
        )
    return QualityReport(
        responses=len(given),
        rounds=len(rounds),
        dimensions=reports,
        separate_not_applicable=shape.separate_not_applicable,
        expired_rounds=expired,
    )


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


def _disclosed(
    report: quality.DimensionQuality, policy: disclosure.Policy | None
) -> quality.DimensionQuality:
    """The report with every figure the gate does not allow taken out: means and shares
    of no answer on fewer than `means` answers; alpha, its interval, correlations and the
    shares at the scale's ends on fewer than `spreads`."""
    if policy is None:
        return replace(report, alpha=None, interval=None, items=())
    items = tuple(
        replace(
            item,
            stats=_disclosed_stats(item.stats, policy),
            item_total=item.item_total if policy.spread(report.n_complete) else None,
        )
        for item in report.items
    )
    if not policy.spread(report.n_complete):
        return replace(report, alpha=None, interval=None, items=items)
    return replace(report, items=items)


def _disclosed_stats(stats: quality.ItemStats, policy: disclosure.Policy) -> quality.ItemStats:
    def of_respondents(share: float | None) -> float | None:
        return disclosure.mean_or_none(share, stats.respondents, policy)

    def at_an_end(share: float | None, count: int) -> float | None:
        # One end of the distribution: never the answer of a few people on their own.
        if not policy.spread(stats.n) or (count and not policy.mean(count)):
            return None
        return share

    return replace(
        stats,
        mean=disclosure.mean_or_none(stats.mean, stats.n, policy),
        dont_know_share=of_respondents(stats.dont_know_share),
        not_applicable_share=of_respondents(stats.not_applicable_share),
        skipped_share=of_respondents(stats.skipped_share),
        floor_share=at_an_end(stats.floor_share, stats.floor_n),
        ceiling_share=at_an_end(stats.ceiling_share, stats.ceiling_n),
    )
