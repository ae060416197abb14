"""The load_demo management command."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from teams.models import Membership, Network, Team, User

# The command prints this password next to every demo login; the tests check that too, so
# they do not depend on which app's management/commands folder holds the command.
DEMO_PASSWORD = "samenspel-demo"


def _load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {
        "networks": Network.objects.count(),
        "teams": Team.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "coordinator links": Network.coordinators.through.objects.count(),
    }


def test_load_demo_creates_networks_teams_and_accounts(db, settings):
    settings.DEBUG = True

    output = _load_demo()

    assert Network.objects.count() == 2
    assert Team.objects.count() == 5
    assert all(team.memberships.exists() for team in Team.objects.all())
    # A size, so that "8 van 14" and the coordinator's team-size column show in the demo.
    assert not Team.objects.filter(size__isnull=True).exists()

    facilitators = User.objects.filter(memberships__role=Membership.Role.FACILITATOR).distinct()
    assert facilitators.count() == 5
    assert all(team.facilitator_count == 1 for team in _teams_with_facilitator_count())

    coordinators = User.objects.filter(coordinated_networks__isnull=False).distinct()
    assert coordinators.count() == 1
    assert not coordinators.get().is_superuser

    superuser = User.objects.get(is_superuser=True)
    assert superuser.is_staff

    assert DEMO_PASSWORD in output
    for user in User.objects.all():
        assert user.check_password(DEMO_PASSWORD)
        assert user.email in output


def _teams_with_facilitator_count():
    return Team.objects.annotate(
        facilitator_count=Count(
            "memberships", filter=Q(memberships__role=Membership.Role.FACILITATOR)
        )
    )


def test_demo_coordinator_sees_their_networks_and_teams(db, settings):
    settings.DEBUG = True
    _load_demo()

    coordinator = User.objects.get(coordinated_networks__isnull=False)

    assert coordinator.visible_networks().exists()
    assert Team.objects.visible_to(coordinator).exists()


def test_running_load_demo_twice_creates_no_duplicates(db, settings):
    settings.DEBUG = True
    _load_demo()
    first = _counts()

    _load_demo()

    assert _counts() == first


def test_running_load_demo_again_resets_the_demo_passwords(db, settings):
    settings.DEBUG = True
    _load_demo()
    coordinator = User.objects.get(coordinated_networks__isnull=False)
    coordinator.set_password("iets-anders-42")
    coordinator.save()

    _load_demo()

    coordinator.refresh_from_db()
    assert coordinator.check_password(DEMO_PASSWORD)


def test_load_demo_refuses_without_debug_and_writes_nothing(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError):
        _load_demo()

    assert _counts() == {
        "networks": 0,
        "teams": 0,
        "users": 0,
        "memberships": 0,
        "coordinator links": 0,
    }


def test_a_demo_team_has_rounds_on_version_1_version_2_and_the_short_form_and_one_trend(
    db, settings
):
    settings.DEBUG = True
    _load_demo()
    from assessment.models import QuestionnaireVersion, Round
    from assessment.results.aggregate import round_results

    rounds = list(Round.objects.filter(team__name="IKC De Regenboog").order_by("created"))
    versions = [(r.version.number, r.version.form) for r in rounds]
    assert versions[0] == (1, QuestionnaireVersion.Form.FULL)
    assert (2, QuestionnaireVersion.Form.FULL) in versions
    assert any(form == QuestionnaireVersion.Form.SHORT for _number, form in versions)

    trend = round_results(rounds[-1]).trend
    assert trend is not None
    assert [r.pk for r in trend.rounds] == [r.pk for r in rounds]
    # A dimension every version asks has a figure in every round, whatever its version.
    resources = trend.direction_of("resources")
    assert resources is not None
    assert all(cell is not None for cell in resources.cells)
    # The dimension version 2 adds has nothing in the rounds on version 1, then a figure.
    added = [d for d in trend.dimensions if d.cells[0] is None and d.cells[1] is None]
    assert added and all(d.cells[-1] is not None for d in added)
