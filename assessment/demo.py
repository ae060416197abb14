"""Realistic made-up responses for demo rounds and load tests (never for real teams)."""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from assessment.bulk import insert_rows
from assessment.models import (
    Answer,
    DimensionAnswer,
    DimensionScore,
    Item,
    Position,
    QuestionnaireVersion,
    Response,
    Round,
    Sector,
)
from assessment.questionnaire.structure import Structure, structure
from assessment.results.aggregate import dimension_scores, refresh_totals, version_shape


@dataclass(frozen=True)
class TeamProfile:
    """How a made-up team sees its collaboration.

    `level` is the team's mean on the 1-5 scale; `dimension_shift` moves single dimensions
    (by key) up or down; `divided` splits the team in two camps that differ by that much.
    """

    level: float
    spread: float = 0.6
    divided: float = 0.0
    dimension_shift: dict[str, float] = field(default_factory=dict)
    sectors: tuple[str, ...] = (Sector.CHILDCARE, Sector.SCHOOL, Sector.YOUTH_CARE)
    dont_know_rate: float = 0.05
    # Only where the version offers "not applicable" apart from "don't know".
    not_applicable_rate: float = 0.03


def _clip(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def make_responses(
    rounds_and_sizes: list[tuple[Round, int, TeamProfile]],
    *,
    rng: random.Random,
    submitted: bool = True,
) -> int:
    """Bulk-create responses with answers (and, when submitted, what submitting stores);
    returns the number of answers. The load generator uses it at scale, so each version's
    questionnaire is read once, whatever the number of rounds.
    """
    versions = QuestionnaireVersion.objects.in_bulk(
        {r.version_id for r, _size, _profile in rounds_and_sizes}
    )
    shapes = {vid: structure(version) for vid, version in versions.items()}
    scoring_shapes = {vid: version_shape(version) for vid, version in versions.items()}
    dimension_keys = {d.pk: d.key for shape in shapes.values() for d in shape.dimensions}

    now = timezone.now()
    responses: list[tuple[Response, Round, TeamProfile, float]] = []
    for round, size, profile in rounds_and_sizes:
        for index in range(size):
            camp = profile.divided / 2 if index % 2 else -profile.divided / 2
            personal = rng.gauss(0, profile.spread / 2) + camp
            started = now - timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 600))
            response = Response(
                round=round,
                sector=profile.sectors[index % len(profile.sectors)],
                position=Position.MANAGER if index % 7 == 3 else Position.STAFF,
                last_page=99,
                submitted_at=started + timedelta(minutes=rng.randint(8, 30)) if submitted else None,
            )
            responses.append((response, round, profile, personal))

    with transaction.atomic():
        Response.objects.bulk_create([r for r, *_ in responses], batch_size=2000)
        answers: list[AnswerRow] = []
        dimension_answers: list[DimensionAnswerRow] = []
        marked: list[Response] = []
        for response, round, profile, personal in responses:
            shape = shapes[round.version_id]
            felt_per_dimension: dict[int, list[float]] = defaultdict(list)
            for item in shape.all_items:
                answer, felt = _answer(
                    item, response, shape, profile, personal, dimension_keys, rng
                )
                answers.append(answer)
                if felt is not None:
                    felt_per_dimension[item.dimension_id].append(felt)
            if shape.per_dimension:
                dimension_answers.extend(
                    _dimension_answer(response, dimension_id, felt, shape.importance_max, rng)
                    for dimension_id, felt in felt_per_dimension.items()
                )
            if shape.asks_mark and rng.random() < 0.95:
                # A school mark follows the state: 3 on the 1-5 scale is about a 5.5.
                response.mark = _clip(
                    2 * (profile.level + personal) - 0.5 + rng.gauss(0, 0.7), 1, 10
                )
                marked.append(response)
        insert_rows(Answer, ANSWER_FIELDS, answers)
        insert_rows(DimensionAnswer, DIMENSION_ANSWER_FIELDS, dimension_answers)
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(Response._meta.db_table)
            cursor.executemany(
                f"UPDATE {table} SET mark = %s WHERE id = %s",
                [(response.mark, response.pk) for response in marked],
            )
        if submitted:
            # What submitting stores, computed from the answers in memory.
            given: dict[int, dict[int, int]] = {}
            for answer in answers:
                if answer.state is not None:
                    given.setdefault(answer.response_id, {})[answer.item_id] = answer.state
            scores = [
                ScoreRow(
                    response_id=response.pk,
                    round_id=round.pk,
                    dimension_id=dimension_id,
                    score=score,
                )
                for response, round, _profile, _personal in responses
                for dimension_id, score in dimension_scores(
                    given.get(response.pk, {}), *scoring_shapes[round.version_id]
                ).items()
            ]
            insert_rows(DimensionScore, DIMENSION_SCORE_FIELDS, scores)
            refresh_totals({round.pk for _response, round, _profile, _personal in responses})
    return len(answers) + len(dimension_answers) + len(marked)


ANSWER_FIELDS = (
    "response_id",
    "item_id",
    "state",
    "dont_know",
    "not_applicable",
    "importance",
    "wants_to_work",
)
DIMENSION_ANSWER_FIELDS = ("response_id", "dimension_id", "importance", "wants_to_work")
DIMENSION_SCORE_FIELDS = ("response_id", "round_id", "dimension_id", "score")


@dataclass(slots=True)
class AnswerRow:
    """An Answer's columns: millions of model instances would cost more than inserting them."""

    response_id: int
    item_id: int
    state: int | None = None
    dont_know: bool = False
    not_applicable: bool = False
    importance: int | None = None
    wants_to_work: bool | None = None


@dataclass(slots=True)
class DimensionAnswerRow:
    response_id: int
    dimension_id: int
    importance: int
    wants_to_work: bool


@dataclass(slots=True)
class ScoreRow:
    response_id: int
    round_id: int
    dimension_id: int
    score: float


def _answer(
    item: Item,
    response: Response,
    shape: Structure,
    profile: TeamProfile,
    personal: float,
    dimension_keys: dict[int, str],
    rng: random.Random,
) -> tuple["AnswerRow", float | None]:
    """One made-up answer to a statement, and how strongly this person feels about it
    (0 to 1: a low state feels more important and more worth working on)."""
    draw = rng.random()
    if draw < profile.dont_know_rate:
        return AnswerRow(response_id=response.pk, item_id=item.pk, dont_know=True), None
    if (
        shape.separate_not_applicable
        and draw < profile.dont_know_rate + profile.not_applicable_rate
    ):
        return AnswerRow(response_id=response.pk, item_id=item.pk, not_applicable=True), None
    top, importance_top = shape.state_max, shape.importance_max
    mean = (
        profile.level
        + profile.dimension_shift.get(dimension_keys[item.dimension_id], 0)
        + personal
        + rng.gauss(0, 0.5)
    )
    state = _clip(mean, 1, top)
    if item.reverse_scored:
        state = top + 1 - state
    felt = (top + 1 - mean) / top
    if shape.per_dimension:
        return AnswerRow(response_id=response.pk, item_id=item.pk, state=state), felt
    importance = _clip(1 + felt * (importance_top - 1) * 1.6 + rng.gauss(0, 0.6), 1, importance_top)
    answer = AnswerRow(
        response_id=response.pk,
        item_id=item.pk,
        state=state,
        importance=importance,
        wants_to_work=rng.random() < 0.15 + 0.6 * felt,
    )
    return answer, felt


def _dimension_answer(
    response: Response,
    dimension_id: int,
    felt: list[float],
    importance_top: int,
    rng: random.Random,
) -> "DimensionAnswerRow":
    strength = sum(felt) / len(felt)
    return DimensionAnswerRow(
        response_id=response.pk,
        dimension_id=dimension_id,
        importance=_clip(
            1 + strength * (importance_top - 1) * 1.6 + rng.gauss(0, 0.6), 1, importance_top
        ),
        wants_to_work=rng.random() < 0.15 + 0.6 * strength,
    )
