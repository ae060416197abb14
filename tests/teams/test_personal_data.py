"""What Samenspel holds about one account: handed over as JSON (GDPR art. 15), erased on
request (art. 17), and what it no longer needs forgotten every day (forget_expired)."""

import io
import json
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment.models import Action, Round, StartCount
from assessment.plans.services import add_action, open_round
from teams.models import Invitation, Membership, Network, Team, User
from teams.personal_data import erase_user, personal_data
from tests.conftest import PASSWORD

USERS = reverse("admin:teams_user_changelist")


def _wrong_password(username: str, address: str = "127.0.0.1") -> None:
    Client().post(
        reverse("login"),
        {"username": username, "password": "wrong-wrong-wrong"},
        REMOTE_ADDR=address,
    )


def _round(team, questionnaire, user, title: str) -> Round:
    return open_round(
        team=team,
        title=title,
        version=questionnaire,
        closes_on=None,
        anonymity_threshold=3,
        created_by=user,
    )


def _action(round: Round, user, text: str) -> Action:
    dimension = round.version.dimensions.order_by("order").first()
    return add_action(
        round=round, created_by=user, dimension_key=dimension.key, topic=dimension.name, text=text
    )


@pytest.fixture
def traces(team, other_team, member, questionnaire, facilitator, coordinator):
    """Everything the facilitator left behind, beside what others did."""
    extra = Network.objects.create(name="Samenwerkingsverband Extra")
    extra.coordinators.add(facilitator)
    second = Team.objects.create(network=extra, name="BSO De Boomhut")
    Membership.objects.create(team=second, user=facilitator, role=Membership.Role.MEMBER)

    mine = _round(team, questionnaire, facilitator, "Najaar 2026")
    theirs = _round(team, questionnaire, coordinator, "Door Cor geopend")
    return {
        "round": mine,
        "other round": theirs,
        "action": _action(mine, facilitator, "Elke maand samen lunchen"),
        "other action": _action(theirs, member, "Door Mo geschreven"),
        # To this address, in other capitals: still this person's.
        "invitation to them": Invitation.objects.create(
            team=other_team, email="Fenna@Example.ORG", role=Membership.Role.MEMBER
        ),
        "invitation by them": Invitation.objects.create(
            team=team, email="nieuwe.collega@example.org", invited_by=facilitator
        ),
        "invitation to someone else": Invitation.objects.create(
            team=team, email="iemand.anders@example.org", invited_by=coordinator
        ),
    }


# The export


def test_the_export_holds_the_account(facilitator, traces):
    account = personal_data(facilitator)["account"]

    assert account["email"] == "fenna@example.org"
    assert account["name"] == "Fenna Facilitator"
    assert account["active"] is True
    assert account["administrator"] is False
    assert account["joined"] == facilitator.date_joined.isoformat()


def test_the_export_holds_every_membership_with_team_network_and_role(facilitator, traces):
    memberships = personal_data(facilitator)["memberships"]

    assert sorted((m["team"], m["network"], m["role"]) for m in memberships) == [
        ("BSO De Boomhut", "Samenwerkingsverband Extra", "member"),
        ("IKC De Testtuin", "Gemeente Testdorp", "facilitator"),
    ]
    assert all(m["since"] for m in memberships)


def test_the_export_holds_the_networks_they_coordinate(facilitator, coordinator, traces):
    assert personal_data(facilitator)["coordinates_networks"] == ["Samenwerkingsverband Extra"]
    assert personal_data(coordinator)["coordinates_networks"] == ["Gemeente Testdorp"]


def test_the_export_holds_the_invitations_to_their_address_in_any_capitals(facilitator, traces):
    invitations = personal_data(facilitator)["invitations_to_this_address"]

    assert invitations == [
        {
            "team": "Kindcentrum Elders",
            "role": "member",
            "sent": traces["invitation to them"].created.isoformat(),
            "accepted": None,
        }
    ]


def test_the_export_holds_the_rounds_they_opened_and_the_actions_they_wrote(facilitator, traces):
    data = personal_data(facilitator)

    assert [(r["team"], r["title"]) for r in data["rounds_opened"]] == [
        ("IKC De Testtuin", "Najaar 2026")
    ]
    assert [(a["team"], a["text"]) for a in data["actions_written"]] == [
        ("IKC De Testtuin", "Elke maand samen lunchen")
    ]


def test_the_export_holds_their_failed_logins(facilitator, traces):
    _wrong_password("Fenna@example.org")
    _wrong_password("fenna@example.org")
    _wrong_password("someone.else@example.org")

    failed = personal_data(facilitator)["failed_logins"]

    assert [f["failures"] for f in failed] == [2]
    assert failed[0]["since"]


def test_the_export_holds_nothing_of_other_people(facilitator, traces):
    text = json.dumps(personal_data(facilitator), ensure_ascii=False)

    for foreign in (
        "mo@example.org",
        "cor@example.org",
        "Door Cor geopend",
        "Door Mo geschreven",
        "iemand.anders@example.org",
    ):
        assert foreign not in text


def test_the_export_of_a_new_account_is_empty_but_complete(db):
    newcomer = User.objects.create_user(email="nieuw@example.org", password=PASSWORD)

    data = personal_data(newcomer)

    assert data["account"]["last_login"] is None
    for part in (
        "memberships",
        "coordinates_networks",
        "invitations_to_this_address",
        "rounds_opened",
        "actions_written",
        "failed_logins",
    ):
        assert data[part] == [], part


# The admin action


def _export(client: Client, *users: User):
    return client.post(
        USERS,
        {"action": "export_personal_data", "_selected_action": [u.pk for u in users]},
    )


def test_an_admin_downloads_the_export_of_the_selected_users_as_json(
    login, admin, facilitator, member, traces
):
    response = _export(login(admin), member, facilitator)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    stamp = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (f'attachment; filename="personal-data-{stamp}.json"')
    data = json.loads(response.content.decode("utf-8"))
    assert [entry["account"]["email"] for entry in data] == [
        "fenna@example.org",
        "mo@example.org",
    ]
    assert data[0] == json.loads(json.dumps(personal_data(facilitator)))


def test_the_export_keeps_accented_names_readable(login, admin, db):
    person = User.objects.create_user(email="zoe@example.org", password=PASSWORD, name="Zoë Çelik")

    response = _export(login(admin), person)

    assert "Zoë Çelik" in response.content.decode("utf-8")


@pytest.mark.parametrize("person", ["facilitator", "coordinator"])
def test_people_who_are_not_staff_cannot_reach_the_admin_or_its_export(
    request, login, person, member
):
    client = login(request.getfixturevalue(person))

    for response in (client.get(USERS), _export(client, member)):
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
        assert "mo@example.org" not in response.content.decode()


def test_staff_without_permissions_cannot_export(login, member):
    staff = User.objects.create_user(email="staf@example.org", password=PASSWORD, is_staff=True)

    response = _export(login(staff), member)

    assert response.status_code == 403
    assert "mo@example.org" not in response.content.decode()


# Erasure


@pytest.fixture
def attempts(facilitator):
    _wrong_password("Fenna@Example.org", "10.0.0.1")
    _wrong_password("someone.else@example.org", "10.0.0.2")
    assert AccessAttempt.objects.count() == 2


def _erase_in_admin(client: Client, user: User):
    return client.post(reverse("admin:teams_user_delete", args=[user.pk]), {"post": "yes"})


def _erase_in_bulk(client: Client, user: User):
    return client.post(
        USERS, {"action": "delete_selected", "_selected_action": [user.pk], "post": "yes"}
    )


ERASE = [
    pytest.param(_erase_in_admin, id="delete page"),
    pytest.param(_erase_in_bulk, id="delete selected"),
]


@pytest.mark.parametrize("erase", ERASE)
def test_erasing_in_the_admin_removes_the_account_and_every_trace_of_its_address(
    login, admin, facilitator, traces, attempts, erase
):
    response = erase(login(admin), facilitator)

    assert response.status_code == 302
    assert not User.objects.filter(email__iexact="fenna@example.org").exists()
    assert not Membership.objects.filter(user_id=facilitator.pk).exists()
    assert not Network.objects.filter(coordinators__email="fenna@example.org").exists()
    assert not Invitation.objects.filter(email__iexact="fenna@example.org").exists()
    assert not AccessAttempt.objects.filter(username="fenna@example.org").exists()


@pytest.mark.parametrize("erase", ERASE)
def test_erasing_keeps_what_belongs_to_others(
    login, admin, facilitator, member, traces, attempts, erase
):
    erase(login(admin), facilitator)

    assert User.objects.filter(pk=member.pk).exists()
    assert Invitation.objects.filter(pk=traces["invitation to someone else"].pk).exists()
    assert AccessAttempt.objects.filter(username="someone.else@example.org").exists()
    assert Action.objects.filter(pk=traces["other action"].pk, created_by=member).exists()


@pytest.mark.parametrize("erase", ERASE)
def test_rounds_actions_and_invitations_they_made_stay_with_the_team_without_their_name(
    login, admin, team, facilitator, traces, erase
):
    erase(login(admin), facilitator)

    round = Round.objects.get(pk=traces["round"].pk)
    assert round.created_by is None
    assert round.team == team
    action = Action.objects.get(pk=traces["action"].pk)
    assert action.created_by is None
    assert action.text == "Elke maand samen lunchen"
    invitation = Invitation.objects.get(pk=traces["invitation by them"].pk)
    assert invitation.invited_by is None


def test_erase_user_does_the_same_outside_the_admin(facilitator, traces, attempts):
    erase_user(user=facilitator)

    assert not User.objects.filter(email="fenna@example.org").exists()
    assert not Invitation.objects.filter(email__iexact="fenna@example.org").exists()
    assert AccessAttempt.objects.filter(username="fenna@example.org").count() == 0
    assert Round.objects.get(pk=traces["round"].pk).created_by is None


def test_the_erased_address_can_make_a_new_account_with_a_new_invitation(
    login, admin, team, facilitator, traces
):
    _erase_in_admin(login(admin), facilitator)
    invitation = Invitation.objects.create(team=team, email="fenna@example.org")

    response = Client().post(
        invitation.get_absolute_url(),
        {"name": "Fenna Terug", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 302
    assert User.objects.get(email="fenna@example.org").name == "Fenna Terug"


@pytest.mark.parametrize("erase", ERASE)
def test_after_erasing_no_row_in_the_database_holds_the_name_or_address(
    login, admin, facilitator, traces, attempts, erase
):
    erase(login(admin), facilitator)

    everything = io.StringIO()
    call_command("dumpdata", stdout=everything)
    dumped = everything.getvalue().lower()
    assert "fenna@example.org" not in dumped
    assert "fenna facilitator" not in dumped


def test_logging_in_and_out_leaves_no_login_history(facilitator):
    client = Client()
    client.post(reverse("login"), {"username": "fenna@example.org", "password": PASSWORD})
    client.post(reverse("logout"))

    assert not AccessLog.objects.exists()
    assert not AccessAttempt.objects.exists()


# forget_expired


def _session(expires_in: timedelta) -> str:
    store = SessionStore()
    store["note"] = "x"
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() + expires_in
    )
    return store.session_key


def _attempt(username: str, age: timedelta) -> None:
    attempt = AccessAttempt.objects.create(
        username=username,
        ip_address="192.0.2.1",
        user_agent="test",
        http_accept="*/*",
        path_info="/account/login/",
        get_data="",
        post_data="",
        failures_since_start=1,
    )
    # attempt_time is set on creation; age it afterwards.
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=timezone.now() - age)


def _invitation(team, email: str, expired_ago: timedelta, accepted: bool = False) -> Invitation:
    now = timezone.now()
    return Invitation.objects.create(
        team=team,
        email=email,
        expires_at=now - expired_ago,
        accepted_at=now - expired_ago - timedelta(days=1) if accepted else None,
    )


def _forget_expired() -> str:
    out = io.StringIO()
    call_command("forget_expired", stdout=out)
    return out.getvalue()


def test_forget_expired_deletes_expired_sessions_and_keeps_live_ones(db):
    expired = _session(-timedelta(minutes=1))
    live = _session(timedelta(hours=1))

    _forget_expired()

    assert set(Session.objects.values_list("session_key", flat=True)) == {live}
    assert expired != live


def test_forget_expired_deletes_failed_logins_older_than_the_lockout(db):
    cooloff = settings.AXES_COOLOFF_TIME
    _attempt("oud@example.org", cooloff + timedelta(minutes=1))
    _attempt("vers@example.org", cooloff - timedelta(minutes=1))

    _forget_expired()

    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["vers@example.org"]


def test_forget_expired_does_not_lift_a_lockout_that_still_holds(facilitator):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _wrong_password("fenna@example.org")

    _forget_expired()

    response = Client().post(
        reverse("login"), {"username": "fenna@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429


def test_forget_expired_deletes_invitations_a_month_past_their_expiry(team):
    gone = _invitation(team, "lang.verlopen@example.org", timedelta(days=31))
    grace = _invitation(team, "net.verlopen@example.org", timedelta(days=29))
    pending = _invitation(team, "nog.geldig@example.org", -timedelta(days=5))
    accepted = _invitation(team, "aangenomen@example.org", timedelta(days=90), accepted=True)

    _forget_expired()

    kept = set(Invitation.objects.values_list("pk", flat=True))
    assert gone.pk not in kept
    assert {grace.pk, pending.pk, accepted.pk} <= kept


def test_forget_expired_deletes_the_start_counts_past_their_hour(db):
    now = timezone.now()
    StartCount.objects.create(key="a" * 64, count=3, expires=now - timedelta(seconds=1))
    StartCount.objects.create(key="b" * 64, count=1, expires=now + timedelta(minutes=30))

    said = _forget_expired()

    assert list(StartCount.objects.values_list("key", flat=True)) == ["b" * 64]
    assert "and 1 start counts." in said


def test_forget_expired_says_how_much_it_deleted(team):
    _session(-timedelta(days=1))
    _session(-timedelta(days=2))
    _attempt("oud@example.org", timedelta(days=1))
    _invitation(team, "lang.verlopen@example.org", timedelta(days=60))

    said = _forget_expired()

    assert (
        "Deleted 2 sessions, 1 failed-login records, 1 expired invitations and 0 start counts."
        in said
    )


def test_forget_expired_twice_deletes_nothing_the_second_time(team):
    _session(-timedelta(days=1))
    _attempt("oud@example.org", timedelta(days=1))
    _invitation(team, "lang.verlopen@example.org", timedelta(days=60))
    _forget_expired()

    assert (
        "Deleted 0 sessions, 0 failed-login records, 0 expired invitations and 0 start counts."
        in _forget_expired()
    )
