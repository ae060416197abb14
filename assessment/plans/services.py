"""Writes that touch rounds and action plans together."""

from datetime import date

from django.db import transaction

from assessment.models import Action, QuestionnaireVersion, Round
from assessment.plans.forms import ActionForm
from assessment.results import kept
from teams.models import Team, User


@transaction.atomic
def open_round(
    *,
    team: Team,
    title: str,
    version: QuestionnaireVersion,
    closes_on: date | None,
    anonymity_threshold: int,
    created_by: User,
    opens_on: date | None = None,
) -> Round:
    """A new measurement round; the team's open actions are carried into its plan."""
    round = Round.objects.create(
        team=team,
        title=title,
        version=version,
        opens_on=opens_on,
        closes_on=closes_on,
        anonymity_threshold=anonymity_threshold,
        created_by=created_by,
    )
    round.actions.add(*Action.objects.filter(team=team).open())
    kept.changed(team.pk)
    return round


@transaction.atomic
def add_action(*, round: Round, created_by: User, **fields) -> Action:
    action = Action.objects.create(team=round.team, origin=round, created_by=created_by, **fields)
    action.rounds.add(round)
    kept.changed(round.team_id)
    return action


@transaction.atomic
def change_action(form: ActionForm) -> Action:
    """Save an action's new wording, owner, date or status: it is in the plan of every round
    it was carried into."""
    action = form.save()
    kept.changed(action.team_id)
    return action


@transaction.atomic
def delete_round(round: Round) -> None:
    """The round with every answer, score, total and action agreed after it: in one
    transaction, so a failure leaves the round whole. The later rounds' trends lose it."""
    round.delete()
    kept.changed(round.team_id)
