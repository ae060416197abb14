"""The facts behind the team page's summary, next step and checklist (see progress.py)."""

from dataclasses import dataclass

from assessment.models import Round
from assessment.results import scoring
from assessment.results.aggregate import round_results
from assessment.rounds import progress
from teams.models import Membership, Team


@dataclass(frozen=True)
class LatestResult:
    """The last ended round in one line; the numbers only when its results may be shown."""

    round: Round
    visible: bool
    completed: int
    strengths: int
    concerns: int


@dataclass(frozen=True)
class Standing:
    latest: LatestResult | None
    open_round: Round | None
    step: progress.Step
    tasks: list[progress.Task]
    is_new: bool


def _latest(round: Round | None) -> LatestResult | None:
    if round is None:
        return None
    # The results page's own figures: through the disclosure gate, bands as it shows them.
    results = round_results(round)
    bands = [dimension.band for dimension in results.dimensions]
    return LatestResult(
        round=round,
        visible=results.visible,
        completed=results.completed if results.visible else 0,
        strengths=bands.count(scoring.Band.STRENGTH),
        concerns=bands.count(scoring.Band.CONCERN),
    )


def team_standing(team: Team) -> Standing:
    # Newest first, explicitly: Django drops Meta.ordering from aggregating queries.
    rounds = list(
        team.rounds.with_counts().select_related("team", "version").order_by("-created", "-pk")
    )
    open_round = next((r for r in rounds if r.is_open), None)
    ended = next((r for r in rounds if not r.is_open), None)
    latest = _latest(ended)
    facilitators = (
        team.memberships.filter(role=Membership.Role.FACILITATOR).count()
        + team.invitations.pending().filter(role=Membership.Role.FACILITATOR).count()
    )
    facts = progress.TeamFacts(
        facilitators=facilitators,
        rounds=len(rounds),
        open_round=open_round is not None,
        open_round_may_close=bool(open_round and open_round.may_close(open_round.completed_count)),
        any_answer_started=any(r.started_count for r in rounds),
        latest_ended_has_results=latest.visible if latest else None,
        latest_ended_has_actions=bool(ended and ended.actions_started.exists()),
        any_discussed=any(r.discussed_at for r in rounds),
        any_actions=team.actions.exists(),
    )
    tasks = progress.checklist(facts)
    return Standing(
        latest=latest,
        open_round=open_round,
        step=progress.next_step(facts),
        tasks=tasks,
        is_new=progress.is_new(tasks),
    )
