"""The landing page /start/ sends each role to the page that fits it."""

from django.test import Client
from django.urls import reverse

from teams.models import Membership

DASHBOARD = reverse("dashboard")


def _template_names(response) -> list[str]:
    return [template.name for template in response.templates]


def test_dashboard_lives_at_start():
    assert DASHBOARD == "/start/"


def test_anonymous_visitor_is_redirected_to_login(db):
    response = Client().get(DASHBOARD)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={DASHBOARD}"


def test_admin_is_sent_to_the_network_list(login, admin):
    response = login(admin).get(DASHBOARD)

    assert response.status_code == 302
    assert response.url == reverse("network_list")


def test_coordinator_is_sent_to_the_network_list(login, coordinator, network):
    response = login(coordinator).get(DASHBOARD)

    assert response.status_code == 302
    assert response.url == reverse("network_list")


def test_coordinator_who_also_leads_a_team_is_sent_to_the_network_list(login, coordinator, team):
    Membership.objects.create(team=team, user=coordinator, role=Membership.Role.FACILITATOR)

    response = login(coordinator).get(DASHBOARD)

    assert response.status_code == 302
    assert response.url == reverse("network_list")


def test_facilitator_of_exactly_one_team_is_sent_to_that_team(login, facilitator, team):
    response = login(facilitator).get(DASHBOARD)

    assert response.status_code == 302
    assert response.url == team.get_absolute_url()
    assert response.url == reverse("team_detail", args=[team.pk])


def test_member_of_exactly_one_team_is_sent_to_that_team(login, member, team):
    response = login(member).get(DASHBOARD)

    assert response.status_code == 302
    assert response.url == reverse("team_detail", args=[team.pk])


def test_facilitator_of_several_teams_sees_my_teams_with_all_of_them(
    login, facilitator, team, other_team
):
    Membership.objects.create(team=other_team, user=facilitator, role=Membership.Role.FACILITATOR)

    response = login(facilitator).get(DASHBOARD)

    assert response.status_code == 200
    assert "teams/my_teams.html" in _template_names(response)
    assert {t.pk for t in response.context["teams"]} == {team.pk, other_team.pk}
    content = response.content.decode()
    assert reverse("team_detail", args=[team.pk]) in content
    assert reverse("team_detail", args=[other_team.pk]) in content


def test_user_without_teams_sees_an_empty_my_teams_page(login, other_facilitator, team):
    # other_facilitator has no membership at all here (other_team is not created).
    response = login(other_facilitator).get(DASHBOARD)

    assert response.status_code == 200
    assert "teams/my_teams.html" in _template_names(response)
    assert list(response.context["teams"]) == []
    assert reverse("team_detail", args=[team.pk]) not in response.content.decode()
