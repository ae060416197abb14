"""Network pages and creating a team in a network."""

import pytest
from django.test import Client
from django.urls import reverse

from teams.mail import invitation_link
from teams.models import Invitation, Membership, Team

NETWORK_LIST = reverse("network_list")


def _template_names(response) -> list[str]:
    return [template.name for template in response.templates]


def _create_url(network) -> str:
    return reverse("team_create", args=[network.pk])


def _team_data(**overrides) -> dict:
    data = {
        "name": "Kindcentrum Nieuwbouw",
        "description": "Bso en basisschool",
        "facilitator_email": "Nieuw.Persoon@Example.org",
    }
    data.update(overrides)
    return data


# network_list


def test_coordinator_sees_only_the_networks_they_coordinate(
    login, coordinator, network, other_network
):
    response = login(coordinator).get(NETWORK_LIST)

    assert response.status_code == 200
    assert "teams/network_list.html" in _template_names(response)
    assert [n.pk for n in response.context["networks"]] == [network.pk]
    content = response.content.decode()
    assert network.get_absolute_url() in content
    assert other_network.get_absolute_url() not in content


def test_network_list_counts_the_teams_of_each_network(login, coordinator, team):
    response = login(coordinator).get(NETWORK_LIST)

    (listed,) = response.context["networks"]
    assert listed.team_count == 1


def test_admin_sees_all_networks(login, admin, network, other_network):
    response = login(admin).get(NETWORK_LIST)

    assert response.status_code == 200
    assert {n.pk for n in response.context["networks"]} == {network.pk, other_network.pk}
    content = response.content.decode()
    assert network.get_absolute_url() in content
    assert other_network.get_absolute_url() in content


def test_admin_sees_the_network_list_even_without_networks(login, admin):
    response = login(admin).get(NETWORK_LIST)

    assert response.status_code == 200
    assert list(response.context["networks"]) == []


@pytest.mark.parametrize("person", ["facilitator", "member"])
def test_facilitator_and_member_get_404_on_the_network_list(request, login, team, person):
    response = login(request.getfixturevalue(person)).get(NETWORK_LIST)

    assert response.status_code == 404


def test_anonymous_visitor_is_sent_to_login_from_the_network_list(db):
    response = Client().get(NETWORK_LIST)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={NETWORK_LIST}"


# network_detail


def test_network_page_shows_each_teams_latest_round_with_counts_only(
    login, coordinator, team, questionnaire
):
    from assessment.models import Response, Round

    Round.objects.create(team=team, version=questionnaire, title="Oud")
    latest = Round.objects.create(team=team, version=questionnaire, title="Nieuw")
    Response.objects.create(round=latest)
    done = Response.objects.create(round=latest)
    Response.objects.filter(pk=done.pk).update(submitted_at=latest.created)

    response = login(coordinator).get(team.network.get_absolute_url())

    ((listed, round),) = response.context["rows"]
    assert round == latest
    assert (round.started_count, round.completed_count) == (2, 1)
    assert done.token not in response.content.decode()


def test_coordinator_sees_the_detail_of_their_network_with_its_teams(
    login, coordinator, team, other_team
):
    response = login(coordinator).get(team.network.get_absolute_url())

    assert response.status_code == 200
    assert "teams/network_detail.html" in _template_names(response)
    assert response.context["network"] == team.network
    ((listed, latest_round),) = response.context["rows"]
    assert listed == team
    assert latest_round is None
    content = response.content.decode()
    assert team.get_absolute_url() in content
    assert other_team.get_absolute_url() not in content
    assert _create_url(team.network) in content


def test_coordinator_gets_404_on_the_detail_of_another_network(
    login, coordinator, network, other_network
):
    response = login(coordinator).get(other_network.get_absolute_url())

    assert response.status_code == 404


@pytest.mark.parametrize("person", ["facilitator", "member"])
def test_facilitator_and_member_get_404_on_the_detail_of_their_own_network(
    request, login, team, person
):
    response = login(request.getfixturevalue(person)).get(team.network.get_absolute_url())

    assert response.status_code == 404


def test_admin_sees_the_detail_of_any_network(login, admin, other_team):
    response = login(admin).get(other_team.network.get_absolute_url())

    assert response.status_code == 200
    assert response.context["network"] == other_team.network


def test_unknown_network_is_404_even_for_admin(login, admin, network):
    response = login(admin).get(reverse("network_detail", args=[network.pk + 1000]))

    assert response.status_code == 404


# team_create


def test_coordinator_gets_the_new_team_form(login, coordinator, network):
    response = login(coordinator).get(_create_url(network))

    assert response.status_code == 200
    assert "teams/team_create.html" in _template_names(response)
    assert response.context["network"] == network


def test_coordinator_creates_a_team_and_its_facilitator_is_invited(
    login, coordinator, network, mailoutbox
):
    response = login(coordinator).post(_create_url(network), _team_data())

    team = Team.objects.get()
    assert team.network == network
    assert team.name == "Kindcentrum Nieuwbouw"
    assert team.description == "Bso en basisschool"
    assert response.status_code == 302
    assert response.url == team.get_absolute_url()

    invitation = Invitation.objects.get()
    assert invitation.team == team
    assert invitation.email == "nieuw.persoon@example.org"
    assert invitation.role == Membership.Role.FACILITATOR
    assert invitation.invited_by == coordinator
    assert invitation.accepted_at is None
    assert invitation.is_usable

    assert len(mailoutbox) == 1
    (message,) = mailoutbox
    assert message.to == ["nieuw.persoon@example.org"]
    assert invitation_link(invitation) in message.body
    assert invitation.get_absolute_url() in message.body
    # Nobody is a member yet: the facilitator joins by accepting the invitation.
    assert not team.memberships.exists()


def test_admin_creates_a_team_in_any_network(login, admin, other_network, mailoutbox):
    response = login(admin).post(_create_url(other_network), _team_data())

    team = Team.objects.get()
    assert team.network == other_network
    assert response.url == team.get_absolute_url()
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("person", ["other_coordinator", "facilitator", "member"])
def test_team_create_is_404_for_people_outside_the_network(
    request, login, team, other_network, person, mailoutbox
):
    client = login(request.getfixturevalue(person))

    assert client.get(_create_url(team.network)).status_code == 404
    response = client.post(_create_url(team.network), _team_data())

    assert response.status_code == 404
    assert list(Team.objects.all()) == [team]
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_anonymous_visitor_is_sent_to_login_from_team_create(network, mailoutbox):
    url = _create_url(network)

    response = Client().post(url, _team_data())

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"
    assert not Team.objects.exists()
    assert not Invitation.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize("name", ["IKC De Testtuin", "ikc de testtuin", "  IKC De Testtuin "])
def test_duplicate_team_name_in_the_network_is_a_form_error(
    login, coordinator, team, name, mailoutbox
):
    response = login(coordinator).post(_create_url(team.network), _team_data(name=name))

    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert list(Team.objects.all()) == [team]
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_same_team_name_in_another_network_is_allowed(login, admin, team, other_network):
    response = login(admin).post(_create_url(other_network), _team_data(name=team.name))

    assert response.status_code == 302
    assert Team.objects.filter(name=team.name).count() == 2


@pytest.mark.parametrize("email", ["not-an-email", "", "fenna@"])
def test_invalid_facilitator_email_is_a_form_error_and_nothing_is_saved(
    login, coordinator, network, email, mailoutbox
):
    response = login(coordinator).post(_create_url(network), _team_data(facilitator_email=email))

    assert response.status_code == 200
    assert "facilitator_email" in response.context["form"].errors
    assert not Team.objects.exists()
    assert not Invitation.objects.exists()
    assert mailoutbox == []
