"""Accepting an invitation: as a new person, or with an existing account."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from teams.models import Invitation, Membership, User
from teams.services import InvitationUnusable, accept_invitation
from tests.conftest import PASSWORD

NEW_EMAIL = "nieuw@example.org"
NEW_PASSWORD = "een-lang-nieuw-wachtwoord-7"


def _template_names(response) -> list[str]:
    return [template.name for template in response.templates]


def _invite(team, email=NEW_EMAIL, role=Membership.Role.FACILITATOR, **fields) -> Invitation:
    return Invitation.objects.create(team=team, email=email, role=role, **fields)


def _new_person(**overrides) -> dict:
    data = {"name": "Nina Nieuw", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    data.update(overrides)
    return data


@pytest.fixture
def invitation(team, facilitator):
    return _invite(team, invited_by=facilitator)


# A new person


def test_accept_page_works_without_login(invitation):
    response = Client().get(invitation.get_absolute_url())

    assert response.status_code == 200
    assert "teams/invitation_accept.html" in _template_names(response)
    assert response.context["invitation"] == invitation
    assert set(response.context["form"].fields) == {"name", "password1", "password2"}


def test_new_person_sets_name_and_password_and_becomes_facilitator(team, invitation):
    client = Client()

    response = client.post(invitation.get_absolute_url(), _new_person())

    assert response.status_code == 302
    assert response.url == team.get_absolute_url()
    user = User.objects.get(email=NEW_EMAIL)
    assert user.name == "Nina Nieuw"
    assert user.check_password(NEW_PASSWORD)
    assert not user.is_staff
    assert not user.is_superuser
    assert team.role_of(user) == Membership.Role.FACILITATOR
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert not invitation.is_usable
    # Logged in as the new account: the session holds it and the team page opens.
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.get(team.get_absolute_url()).status_code == 200


def test_new_person_can_log_in_with_the_chosen_password(team, invitation):
    Client().post(invitation.get_absolute_url(), _new_person())

    client = Client()
    client.post(reverse("login"), {"username": NEW_EMAIL, "password": NEW_PASSWORD})

    assert client.session[SESSION_KEY]


def test_invitation_as_member_makes_a_member(team):
    invitation = _invite(team, role=Membership.Role.MEMBER)

    Client().post(invitation.get_absolute_url(), _new_person())

    user = User.objects.get(email=NEW_EMAIL)
    assert team.role_of(user) == Membership.Role.MEMBER


def test_the_same_link_a_second_time_is_not_valid_and_creates_nothing(team, invitation):
    url = invitation.get_absolute_url()
    Client().post(url, _new_person())
    users, memberships = User.objects.count(), Membership.objects.count()

    second_look = Client().get(url)
    second_try = Client().post(
        url, _new_person(name="Iemand Anders", password1="x" * 3 + NEW_PASSWORD)
    )

    for response in (second_look, second_try):
        assert response.status_code == 404
        assert "teams/invitation_unusable.html" in _template_names(response)
    assert User.objects.count() == users
    assert Membership.objects.count() == memberships
    assert User.objects.get(email=NEW_EMAIL).name == "Nina Nieuw"


def test_expired_invitation_is_404_and_creates_nothing(team):
    invitation = _invite(team, expires_at=timezone.now() - timedelta(seconds=1))
    users = User.objects.count()
    client = Client()

    looked = client.get(invitation.get_absolute_url())
    tried = client.post(invitation.get_absolute_url(), _new_person())

    for response in (looked, tried):
        assert response.status_code == 404
        assert "teams/invitation_unusable.html" in _template_names(response)
    assert User.objects.count() == users
    assert SESSION_KEY not in client.session
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_unknown_token_is_404(db):
    response = Client().get(reverse("accept_invitation", args=["no-such-token"]))

    assert response.status_code == 404
    assert "teams/invitation_unusable.html" in _template_names(response)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (_new_person(password2="een-ander-wachtwoord-8"), "password2"),
        (_new_person(password1="kort-1", password2="kort-1"), "password1"),
        (_new_person(password1="password123", password2="password123"), "password1"),
        (_new_person(password1="1234567890123", password2="1234567890123"), "password1"),
        (_new_person(password1="nieuw@example.org", password2="nieuw@example.org"), "password1"),
        (_new_person(name=""), "name"),
    ],
    ids=["mismatch", "too-short", "common", "numeric", "like-email", "no-name"],
)
def test_bad_name_or_password_is_a_form_error_and_creates_no_user(team, invitation, data, field):
    users = User.objects.count()
    client = Client()

    response = client.post(invitation.get_absolute_url(), data)

    assert response.status_code == 200
    assert "teams/invitation_accept.html" in _template_names(response)
    assert field in response.context["form"].errors
    assert User.objects.count() == users
    assert not User.objects.filter(email=NEW_EMAIL).exists()
    assert SESSION_KEY not in client.session
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


# An existing account


def test_existing_account_is_asked_to_log_in_first(team, other_facilitator):
    invitation = _invite(team, email=other_facilitator.email)
    url = invitation.get_absolute_url()

    response = Client().get(url)

    assert response.status_code == 200
    assert "teams/invitation_login.html" in _template_names(response)
    assert response.context["wrong_user"] is False
    assert f"{reverse('login')}?next={url}" in response.content.decode()


def test_existing_account_is_matched_regardless_of_case(team, other_facilitator):
    invitation = _invite(team, email=other_facilitator.email.upper())

    response = Client().get(invitation.get_absolute_url())

    assert "teams/invitation_login.html" in _template_names(response)


def test_anonymous_post_for_an_existing_account_changes_nothing(team, other_facilitator):
    invitation = _invite(team, email=other_facilitator.email)
    users = User.objects.count()

    response = Client().post(invitation.get_absolute_url(), _new_person())

    assert response.status_code == 200
    assert "teams/invitation_login.html" in _template_names(response)
    assert User.objects.count() == users
    assert other_facilitator.check_password(PASSWORD)  # untouched
    assert team.role_of(other_facilitator) is None
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_existing_account_logged_in_confirms_and_becomes_facilitator(
    login, team, other_facilitator
):
    invitation = _invite(team, email=other_facilitator.email)
    client = login(other_facilitator)

    confirm = client.get(invitation.get_absolute_url())
    assert confirm.status_code == 200
    assert "teams/invitation_confirm.html" in _template_names(confirm)
    assert team.role_of(other_facilitator) is None  # a GET alone does not join

    response = client.post(invitation.get_absolute_url())

    assert response.status_code == 302
    assert response.url == team.get_absolute_url()
    assert team.role_of(other_facilitator) == Membership.Role.FACILITATOR
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert client.session[SESSION_KEY] == str(other_facilitator.pk)


def test_logging_in_through_the_invitation_leads_back_to_it(team, other_facilitator):
    invitation = _invite(team, email=other_facilitator.email)
    url = invitation.get_absolute_url()
    client = Client()

    response = client.post(
        f"{reverse('login')}?next={url}",
        {"username": other_facilitator.email, "password": PASSWORD, "next": url},
    )

    assert response.status_code == 302
    assert response.url == url
    client.post(url)
    assert team.role_of(other_facilitator) == Membership.Role.FACILITATOR


def test_existing_account_can_log_in_to_accept_with_the_address_in_another_case(
    team, other_facilitator
):
    invitation = _invite(team, email=other_facilitator.email)
    url = invitation.get_absolute_url()

    response = Client().post(
        f"{reverse('login')}?next={url}",
        {"username": other_facilitator.email.title(), "password": PASSWORD, "next": url},
    )

    assert response.status_code == 302
    assert response.url == url


def test_member_accepting_a_facilitator_invitation_is_promoted(login, team, member):
    invitation = _invite(team, email=member.email, role=Membership.Role.FACILITATOR)

    response = login(member).post(invitation.get_absolute_url())

    assert response.status_code == 302
    assert team.memberships.filter(user=member).count() == 1
    assert team.role_of(member) == Membership.Role.FACILITATOR


def test_facilitator_accepting_a_member_invitation_is_not_demoted(login, team, facilitator):
    invitation = _invite(team, email=facilitator.email, role=Membership.Role.MEMBER)

    response = login(facilitator).post(invitation.get_absolute_url())

    assert response.status_code == 302
    assert team.memberships.filter(user=facilitator).count() == 1
    assert team.role_of(facilitator) == Membership.Role.FACILITATOR
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_member_accepting_a_member_invitation_stays_member(login, team, member):
    invitation = _invite(team, email=member.email, role=Membership.Role.MEMBER)

    response = login(member).post(invitation.get_absolute_url())

    assert response.status_code == 302
    assert team.memberships.filter(user=member).count() == 1
    assert team.role_of(member) == Membership.Role.MEMBER
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_different_logged_in_user_is_told_the_invitation_is_for_another_address(
    login, team, member, other_facilitator
):
    invitation = _invite(team, email=other_facilitator.email)
    client = login(member)

    looked = client.get(invitation.get_absolute_url())
    tried = client.post(invitation.get_absolute_url())

    for response in (looked, tried):
        assert response.status_code == 200
        assert "teams/invitation_login.html" in _template_names(response)
        assert response.context["wrong_user"] is True
    assert team.role_of(member) == Membership.Role.MEMBER
    assert team.role_of(other_facilitator) is None
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert client.session[SESSION_KEY] == str(member.pk)


# The service


def test_accept_invitation_raises_on_a_used_invitation(team, invitation):
    accept_invitation(invitation=invitation, name="Nina Nieuw", password=NEW_PASSWORD)
    users, memberships = User.objects.count(), Membership.objects.count()

    with pytest.raises(InvitationUnusable):
        accept_invitation(invitation=invitation, name="Nog Iemand", password=NEW_PASSWORD)

    assert User.objects.count() == users
    assert Membership.objects.count() == memberships


def test_accept_invitation_sees_use_that_happened_after_loading(team, invitation):
    stale = Invitation.objects.get(pk=invitation.pk)
    accept_invitation(invitation=invitation, name="Nina Nieuw", password=NEW_PASSWORD)
    assert stale.accepted_at is None  # the in-memory copy still looks fresh

    with pytest.raises(InvitationUnusable):
        accept_invitation(invitation=stale, name="Nog Iemand", password=NEW_PASSWORD)


def test_accept_invitation_raises_on_an_expired_invitation(team):
    invitation = _invite(team, expires_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(InvitationUnusable):
        accept_invitation(invitation=invitation, name="Nina Nieuw", password=NEW_PASSWORD)

    assert not User.objects.filter(email=NEW_EMAIL).exists()


def test_accept_invitation_raises_for_a_user_with_another_address(team, member, other_facilitator):
    invitation = _invite(team, email=other_facilitator.email)

    with pytest.raises(InvitationUnusable):
        accept_invitation(invitation=invitation, user=member)

    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert team.role_of(member) == Membership.Role.MEMBER


# Where the invitation link points


def _invite_as(client: Client, team, host: str):
    return client.post(
        reverse("team_invite", args=[team.pk]),
        {"email": NEW_EMAIL, "role": Membership.Role.MEMBER},
        HTTP_HOST=host,
    )


def test_in_development_the_invitation_link_follows_the_address_the_browser_used(
    settings, login, facilitator, team, mailoutbox
):
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    client = login(facilitator)

    _invite_as(client, team, "127.0.0.1:8100")

    link = "http://127.0.0.1:8100" + Invitation.objects.get().get_absolute_url()
    (message,) = mailoutbox
    assert link in message.body
    page = client.get(reverse("team_detail", args=[team.pk]), HTTP_HOST="127.0.0.1:8100")
    assert link in page.content.decode()


def test_in_production_the_invitation_link_is_built_on_site_root_whatever_host_was_asked(
    settings, login, facilitator, team, mailoutbox
):
    settings.DEBUG = False
    settings.SITE_ROOT = "https://samenspel.example.org"
    settings.ALLOWED_HOSTS = ["samenspel.example.org", "other.example.org"]
    client = login(facilitator)

    _invite_as(client, team, "other.example.org")

    link = "https://samenspel.example.org" + Invitation.objects.get().get_absolute_url()
    (message,) = mailoutbox
    assert link in message.body and "other.example.org" not in message.body
    page = client.get(reverse("team_detail", args=[team.pk]), HTTP_HOST="other.example.org")
    assert link in page.content.decode()
    assert "other.example.org" not in page.content.decode()
