"""The team page, inviting people to a team and withdrawing invitations."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from teams.mail import invitation_link
from teams.models import Invitation, Membership

MANAGERS = ["facilitator", "coordinator", "admin"]


def _template_names(response) -> list[str]:
    return [template.name for template in response.templates]


def _detail_url(team) -> str:
    return reverse("team_detail", args=[team.pk])


def _invite_url(team) -> str:
    return reverse("team_invite", args=[team.pk])


def _revoke_url(invitation) -> str:
    return reverse("invitation_revoke", args=[invitation.team_id, invitation.pk])


@pytest.fixture
def invitation(team, facilitator):
    return Invitation.objects.create(
        team=team,
        email="nieuw@example.org",
        role=Membership.Role.FACILITATOR,
        invited_by=facilitator,
    )


# team_detail


@pytest.mark.parametrize("person", ["member", "facilitator", "coordinator", "admin"])
def test_team_page_is_visible_to_the_team_its_coordinator_and_admin(request, login, team, person):
    response = login(request.getfixturevalue(person)).get(_detail_url(team))

    assert response.status_code == 200
    assert "teams/team_detail.html" in _template_names(response)
    assert response.context["team"] == team
    people = {m.user.email for m in response.context["memberships"]}
    assert people == {"fenna@example.org", "mo@example.org"}


@pytest.mark.parametrize("person", ["other_facilitator", "other_coordinator"])
def test_outsider_gets_404_on_the_team_page(request, login, team, other_team, person):
    response = login(request.getfixturevalue(person)).get(_detail_url(team))

    assert response.status_code == 404


def test_unknown_team_is_404(login, admin, team):
    response = login(admin).get(reverse("team_detail", args=[team.pk + 1000]))

    assert response.status_code == 404


def test_anonymous_visitor_is_sent_to_login_from_the_team_page(team):
    url = _detail_url(team)

    response = Client().get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("person", MANAGERS)
def test_managers_see_the_invite_form_and_the_invitation_links(
    request, login, team, invitation, person
):
    response = login(request.getfixturevalue(person)).get(_detail_url(team))

    assert response.context["can_manage"] is True
    assert "invitation_form" in response.context
    assert response.context["invitations"] == [(invitation, invitation_link(invitation))]
    content = response.content.decode()
    assert f'action="{_invite_url(team)}"' in content
    assert invitation_link(invitation) in content
    assert _revoke_url(invitation) in content


def test_member_sees_neither_the_invite_form_nor_the_invitation_links(
    login, member, team, invitation
):
    response = login(member).get(_detail_url(team))

    assert response.status_code == 200
    assert response.context["can_manage"] is False
    assert "invitation_form" not in response.context
    assert "invitations" not in response.context
    content = response.content.decode()
    assert _invite_url(team) not in content
    assert invitation.token not in content
    assert _revoke_url(invitation) not in content


def test_used_and_expired_invitations_are_not_listed(login, facilitator, team, invitation):
    used = Invitation.objects.create(
        team=team, email="used@example.org", accepted_at=timezone.now()
    )
    expired = Invitation.objects.create(
        team=team, email="late@example.org", expires_at=timezone.now() - timedelta(minutes=1)
    )

    response = login(facilitator).get(_detail_url(team))

    assert [inv for inv, _link in response.context["invitations"]] == [invitation]
    content = response.content.decode()
    assert used.token not in content
    assert expired.token not in content


# team_invite


def test_facilitator_invites_a_co_facilitator(login, facilitator, team, mailoutbox):
    client = login(facilitator)

    response = client.post(
        _invite_url(team), {"email": "Co.Lead@Example.org", "role": Membership.Role.FACILITATOR}
    )

    assert response.status_code == 302
    assert response.url == _detail_url(team)
    invitation = Invitation.objects.get()
    assert invitation.team == team
    assert invitation.email == "co.lead@example.org"
    assert invitation.role == Membership.Role.FACILITATOR
    assert invitation.invited_by == facilitator
    assert invitation.is_usable

    (message,) = mailoutbox
    assert message.to == ["co.lead@example.org"]
    assert invitation_link(invitation) in message.body

    page = client.get(response.url)
    assert invitation_link(invitation) in page.content.decode()


def test_coordinator_invites_a_member(login, coordinator, team, mailoutbox):
    response = login(coordinator).post(
        _invite_url(team), {"email": "lezer@example.org", "role": Membership.Role.MEMBER}
    )

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.role == Membership.Role.MEMBER
    assert invitation.invited_by == coordinator
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("person", ["member", "other_facilitator", "other_coordinator"])
def test_member_and_outsider_get_404_when_inviting(
    request, login, team, other_team, person, mailoutbox
):
    response = login(request.getfixturevalue(person)).post(
        _invite_url(team), {"email": "x@example.org", "role": Membership.Role.FACILITATOR}
    )

    assert response.status_code == 404
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_get_on_the_invite_url_is_405(login, facilitator, team):
    response = login(facilitator).get(_invite_url(team))

    assert response.status_code == 405
    assert not Invitation.objects.exists()


def test_anonymous_post_on_the_invite_url_is_sent_to_login(team, mailoutbox):
    url = _invite_url(team)

    response = Client().post(url, {"email": "x@example.org", "role": Membership.Role.MEMBER})

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"
    assert not Invitation.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    "data",
    [
        {"email": "not-an-email", "role": Membership.Role.FACILITATOR},
        {"email": "", "role": Membership.Role.FACILITATOR},
        {"email": "ok@example.org", "role": "owner"},
    ],
)
def test_bad_invitation_gives_400_and_saves_nothing(login, facilitator, team, data, mailoutbox):
    response = login(facilitator).post(_invite_url(team), data)

    assert response.status_code == 400
    assert "teams/team_detail.html" in _template_names(response)
    assert response.context["invitation_form"].errors
    assert not Invitation.objects.exists()
    assert mailoutbox == []


# invitation_revoke


def test_facilitator_withdraws_an_invitation(login, facilitator, team, invitation):
    response = login(facilitator).post(_revoke_url(invitation))

    assert response.status_code == 302
    assert response.url == _detail_url(team)
    assert not Invitation.objects.filter(pk=invitation.pk).exists()


@pytest.mark.parametrize("person", ["member", "other_facilitator", "other_coordinator"])
def test_outsider_gets_404_when_withdrawing(request, login, team, other_team, invitation, person):
    response = login(request.getfixturevalue(person)).post(_revoke_url(invitation))

    assert response.status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_invitation_of_another_team_cannot_be_withdrawn_through_this_team(
    login, facilitator, team, other_team
):
    foreign = Invitation.objects.create(team=other_team, email="elders@example.org")
    url = reverse("invitation_revoke", args=[team.pk, foreign.pk])

    response = login(facilitator).post(url)

    assert response.status_code == 404
    assert Invitation.objects.filter(pk=foreign.pk).exists()


def test_accepted_invitation_cannot_be_withdrawn(login, facilitator, team, invitation):
    invitation.accepted_at = timezone.now()
    invitation.save()

    response = login(facilitator).post(_revoke_url(invitation))

    assert response.status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_get_on_the_revoke_url_is_405(login, facilitator, invitation):
    response = login(facilitator).get(_revoke_url(invitation))

    assert response.status_code == 405
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_withdrawn_invitation_link_no_longer_works(login, facilitator, team, invitation):
    link = invitation.get_absolute_url()
    assert Client().get(link).status_code == 200

    login(facilitator).post(_revoke_url(invitation))
    response = Client().get(link)

    assert response.status_code == 404
    assert "teams/invitation_unusable.html" in _template_names(response)
    assert not team.memberships.filter(user__email="nieuw@example.org").exists()


# Where the team stands: the latest result, the next step, the first-run checklist


def _standing(login, user, team):
    return login(user).get(_detail_url(team)).context["standing"]


def _round(team, questionnaire, title="Najaar 2026", **fields):
    from assessment.models import Round

    return Round.objects.create(team=team, version=questionnaire, title=title, **fields)


def _answered(round, n: int, submitted: bool = True) -> None:
    import random

    from assessment.demo import TeamProfile, make_responses

    make_responses([(round, n, TeamProfile(level=3.2))], rng=random.Random(3), submitted=submitted)


def _done(standing) -> dict[str, bool]:
    return {task.key: task.done for task in standing.tasks}


def test_a_new_facilitator_is_told_to_start_and_has_the_whole_checklist_to_do(
    login, facilitator, team
):
    response = login(facilitator).get(_detail_url(team))
    standing = response.context["standing"]
    content = response.content.decode()

    assert standing.latest is None
    assert standing.step == "start"
    assert standing.is_new
    assert not any(_done(standing).values())
    assert "Nog geen meting." in content
    assert 'id="checklist"' in content
    assert reverse("round_create", args=[team.pk]) in content
    assert reverse("meeting_guide") in content


def test_a_member_sees_no_next_step_and_no_checklist(login, member, team):
    response = login(member).get(_detail_url(team))

    assert "standing" not in response.context
    assert 'id="next-step"' not in response.content.decode()


@pytest.mark.parametrize("person", ["coordinator", "admin"])
def test_coordinator_and_admin_see_where_the_team_stands(request, login, team, person):
    assert _standing(login, request.getfixturevalue(person), team).step == "start"


def test_an_invited_second_facilitator_ticks_the_first_task(login, facilitator, team, invitation):
    assert _done(_standing(login, facilitator, team))["co_facilitator"]


def test_an_open_round_is_to_be_shared_until_most_have_answered(
    login, facilitator, team, questionnaire
):
    from teams.models import Team

    Team.objects.filter(pk=team.pk).update(size=10)
    round = _round(team, questionnaire)
    _answered(round, 3, submitted=False)

    standing = _standing(login, facilitator, team)
    assert standing.step == "share"
    assert standing.open_round == round
    assert _done(standing)["start"] and _done(standing)["share"]
    assert not _done(standing)["close"]

    _answered(round, 7)
    assert _standing(login, facilitator, team).step == "close"


def test_a_closed_round_with_results_shows_its_line_and_asks_to_discuss(
    login, facilitator, team, questionnaire
):
    from assessment.results.aggregate import round_results
    from assessment.results.scoring import Band

    round = _round(team, questionnaire)
    _answered(round, 12)
    round.closed_at = timezone.now()
    round.save()
    results = round_results(round)

    response = login(facilitator).get(_detail_url(team))
    standing = response.context["standing"]

    bands = [d.band for d in results.dimensions]
    assert standing.latest.visible
    assert standing.latest.completed == 12
    assert standing.latest.strengths == bands.count(Band.STRENGTH)
    assert standing.latest.concerns == bands.count(Band.CONCERN)
    assert "Laatste meting: Najaar 2026, 12 antwoorden" in response.content.decode()
    assert standing.step == "discuss"
    assert _done(standing)["close"]
    assert not _done(standing)["discuss"]


def test_a_closed_round_below_the_threshold_shows_no_numbers(
    login, facilitator, team, questionnaire
):
    round = _round(team, questionnaire, anonymity_threshold=5)
    _answered(round, 4)
    round.closed_at = timezone.now()
    round.save()

    response = login(facilitator).get(_detail_url(team))
    standing = response.context["standing"]

    assert not standing.latest.visible
    assert (standing.latest.completed, standing.latest.strengths) == (0, 0)
    assert "te weinig antwoorden om resultaten te tonen" in response.content.decode()
    assert standing.step == "reopen"


def test_discussed_and_actions_tick_the_last_tasks_and_the_checklist_goes(
    login, facilitator, team, questionnaire, invitation
):
    from assessment.plans.services import add_action

    round = _round(team, questionnaire)
    _answered(round, 6)
    round.closed_at = timezone.now()
    round.discussed_at = timezone.now()
    round.save()
    dimension = questionnaire.ordered_dimensions().first()
    add_action(
        round=round,
        created_by=facilitator,
        dimension_key=dimension.key,
        topic=dimension.name_nl,
        text="Elke maand samen de signalen bespreken.",
        owner="",
        due_date=None,
    )

    response = login(facilitator).get(_detail_url(team))
    standing = response.context["standing"]

    assert all(_done(standing).values())
    assert not standing.is_new
    assert 'id="checklist"' not in response.content.decode()
    assert standing.step == "follow_up"


def test_the_latest_round_is_the_newest_one_and_the_table_lists_newest_first(
    login, facilitator, team, questionnaire
):
    from assessment.models import Round

    older = _round(team, questionnaire, title="Voorjaar 2026", closed_at=timezone.now())
    Round.objects.filter(pk=older.pk).update(created=timezone.now() - timedelta(days=200))
    newer = _round(team, questionnaire, title="Najaar 2026", closed_at=timezone.now())

    response = login(facilitator).get(_detail_url(team))

    assert response.context["standing"].latest.round == newer
    assert list(response.context["rounds"]) == [newer, older]
