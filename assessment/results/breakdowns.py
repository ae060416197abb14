"""Results per group of respondents (per sector today): one mechanism over a response field.

To break down by another background field, add it to FIELDS with its choices; the
disclosure gate decides which groups may be shown, first over the whole round, then per
dimension (a dimension score exists only where half its statements were answered).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Avg, Count, QuerySet, TextChoices

from assessment.models import DimensionScore, Position, Response, Round, Sector
from assessment.results import disclosure

# field on Response -> its choices. Position is ready to be switched on once the results
# page has a place for it: managers are few, so the gate will seldom show it.
FIELDS: dict[str, type[TextChoices]] = {"sector": Sector}
AVAILABLE: dict[str, type[TextChoices]] = {"sector": Sector, "position": Position}


@dataclass(frozen=True)
class Group:
    value: str
    label: str
    n: int
    means: dict[str, float]  # dimension key -> mean


def group_sizes(responses: QuerySet[Response], field: str) -> dict[str, int]:
    """How many of these responses fall in each group of `field`."""
    return dict(
        responses.order_by().values_list(field).annotate(n=Count("id")).values_list(field, "n")
    )


def shown_groups(sizes: dict[str, int], policy: disclosure.Policy) -> set[str]:
    """The groups whose results may be shown ("not given" never is)."""
    return disclosure.visible_groups(sizes, threshold=policy.spreads, hidden=frozenset({""}))


def breakdown(round: Round, field: str, *, dimension_keys: dict[int, str]) -> list[Group]:
    """The groups of `field` the gate allows, each with the dimension means it allows."""
    choices = AVAILABLE[field]
    policy = disclosure.Policy.of(round)
    sizes = group_sizes(Response.objects.filter(Response.shown_filter(), round=round), field)
    visible = shown_groups(sizes, policy)
    if not visible:
        return []
    per_dimension: dict[int, dict[str, tuple[float, int]]] = defaultdict(dict)
    for value, dimension_id, mean, n in (
        DimensionScore.objects.filter(Response.shown_filter("response__"), round=round)
        .values_list(f"response__{field}", "dimension_id")
        .annotate(mean=Avg("score"), n=Count("id"))
        .values_list(f"response__{field}", "dimension_id", "mean", "n")
        .order_by()
    ):
        per_dimension[dimension_id][value] = (mean, n)
    means: dict[str, dict[str, float]] = defaultdict(dict)
    not_shown = frozenset(sizes) - visible
    for dimension_id, by_group in per_dimension.items():
        counts = {value: n for value, (_mean, n) in by_group.items()}
        for value in disclosure.visible_groups(
            counts, threshold=policy.spreads, hidden=not_shown | {""}
        ):
            means[value][dimension_keys[dimension_id]] = by_group[value][0]
    return [
        Group(value=value, label=str(label), n=sizes[value], means=means[value])
        for value, label in choices.choices
        if value in visible
    ]
