"""Writes of a team conversation that touch several rows at once."""

from django.db import IntegrityError, transaction

from assessment.meetings import agenda
from assessment.models import Meeting, MeetingPhone, MeetingVote, Round
from assessment.models.meetings import VOTES_PER_PHONE
from assessment.results.aggregate import RoundResults
from teams.models import User


@transaction.atomic
def start_meeting(*, round: Round, results: RoundResults, started_by: User) -> Meeting:
    """The round's conversation in progress (or paused), else a new one on its results."""
    live = round.meetings.live().select_for_update().first()
    if live is not None:
        if live.status == Meeting.Status.PAUSED:
            live.changed(status=Meeting.Status.ACTIVE)
        return live
    differing = sorted(
        (d for d in results.dimensions if d.disagrees), key=lambda d: d.agreement or 0.0
    )
    steps = agenda.default_agenda(
        top_items=[item.key for item in results.top_improvements],
        differing_dimensions=[d.key for d in differing],
        earlier_actions=any(row.action.origin_id != round.pk for row in results.plan_rows),
    )
    return Meeting.objects.create(round=round, agenda=steps, created_by=started_by)


class VoteRefused(Exception):
    """The vote is not open, the card is not on the agenda, or the phone's votes are spent."""


@transaction.atomic
def toggle_vote(*, meeting: Meeting, phone: MeetingPhone, card: str) -> bool:
    """A vote for the card, or the phone's vote on it taken back. True: the phone now votes
    for it. The meeting's row is locked: two taps at once cannot spend a fourth vote, and a
    vote cannot slip in after the presenter closed the vote (closing updates that row)."""
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if (
        current.status != Meeting.Status.ACTIVE
        or current.vote != Meeting.Vote.OPEN
        or card not in agenda.cards(current.agenda)
    ):
        raise VoteRefused
    taken, _ = MeetingVote.objects.filter(phone=phone, card=card).delete()
    if taken:
        return False
    if MeetingVote.objects.filter(phone=phone).count() >= VOTES_PER_PHONE:
        raise VoteRefused
    try:
        with transaction.atomic():
            MeetingVote.objects.create(meeting=meeting, phone=phone, card=card)
    except IntegrityError:  # the same tap twice: counted once
        pass
    return True
