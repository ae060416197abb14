import random
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assessment.demo import TeamProfile, make_responses
from assessment.models import QuestionnaireVersion, Round, Sector
from assessment.questionnaire_io import install_shipped_questionnaire
from teams.models import Membership, Network, Team, User

DEMO_PASSWORD = "samenspel-demo"

DEMO_NETWORKS = [
    (
        "Gemeente Voorbeeldstad",
        Network.Kind.MUNICIPALITY,
        [
            (
                "IKC De Regenboog",
                "Kinderopvang, bso en basisschool onder één dak",
                "regenboog@samenspel.test",
                "Fatima El Amrani",
            ),
            (
                "Kindcentrum Het Anker",
                "Basisschool, peuteropvang en jeugdteam",
                "anker@samenspel.test",
                "Joost de Vries",
            ),
            (
                "BSO De Vlinder en obs De Linde",
                "Bso, school en schoolmaatschappelijk werk",
                "vlinder@samenspel.test",
                "Sanne Bakker",
            ),
            (
                "Jeugdteam Noord en kinderopvang Zonnetje",
                "Coaching in de groep door het jeugdteam",
                "noord@samenspel.test",
                "Mehmet Yilmaz",
            ),
        ],
    ),
    (
        "Stichting Kindkracht",
        Network.Kind.SCHOOL_BOARD,
        [
            (
                "Kindcentrum De Boomgaard",
                "Integraal kindcentrum met jeugdhulp op school",
                "boomgaard@samenspel.test",
                "Lotte Jansen",
            ),
        ],
    ),
]


# Per team: (round title, days ago it closed or None if still open, respondents, profile).
DEMO_ROUNDS = {
    "IKC De Regenboog": [
        (
            "Najaar 2026",
            10,
            12,
            TeamProfile(
                level=4.1,
                spread=0.5,
                sectors=(Sector.CHILDCARE, Sector.SCHOOL),
                dimension_shift={"resources": -0.9, "parents": 0.3},
            ),
        ),
    ],
    "Kindcentrum Het Anker": [
        (
            "Najaar 2026",
            7,
            9,
            TeamProfile(
                level=2.7, spread=0.6, dimension_shift={"proximity": 0.8, "management": -0.5}
            ),
        ),
    ],
    "BSO De Vlinder en obs De Linde": [
        (
            "Najaar 2026",
            5,
            10,
            TeamProfile(
                level=3.4,
                divided=1.8,
                spread=0.3,
                sectors=(Sector.BSO, Sector.SCHOOL, Sector.YOUTH_CARE),
                dimension_shift={"communication": -0.6},
            ),
        ),
    ],
    "Jeugdteam Noord en kinderopvang Zonnetje": [
        ("Najaar 2026", 3, 2, TeamProfile(level=3.5)),
    ],
    "Kindcentrum De Boomgaard": [
        ("Najaar 2026", None, 6, TeamProfile(level=3.6, dimension_shift={"expertise": 0.6})),
    ],
}


def _demo_rounds(version: QuestionnaireVersion, facilitators: dict[str, User]) -> int:
    """Rounds with responses, made once: a round that exists keeps what it has."""
    rng = random.Random(2026)
    today = timezone.localdate()
    todo = []
    for team in Team.objects.filter(name__in=DEMO_ROUNDS):
        for title, closed_days_ago, size, profile in DEMO_ROUNDS[team.name]:
            round, created = Round.objects.get_or_create(
                team=team,
                title=title,
                defaults={"version": version, "created_by": facilitators.get(team.name)},
            )
            if not created:
                continue
            if closed_days_ago is not None:
                round.closed_at = timezone.now() - timedelta(days=closed_days_ago)
            else:
                round.closes_on = today + timedelta(days=14)
            round.save()
            todo.append((round, size, profile))
    return make_responses(todo, rng=rng) if todo else 0


def _account(email: str, name: str, **flags) -> User:
    user, _created = User.objects.get_or_create(email=email, defaults={"name": name, **flags})
    user.name = name
    for flag, value in flags.items():
        setattr(user, flag, value)
    # Reset on every run, so the printed logins always work.
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


class Command(BaseCommand):
    help = "Create demo networks, teams and accounts (development only). Safe to run twice."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("load_demo only runs with DEBUG on: it creates known passwords.")

        version = install_shipped_questionnaire() or QuestionnaireVersion.objects.latest_published()
        admin = _account("admin@samenspel.test", "Anne Admin", is_staff=True, is_superuser=True)
        coordinator = _account("coordinator@samenspel.test", "Carla Coördinator")
        logins = [("admin", admin), ("coordinator", coordinator)]
        facilitators: dict[str, User] = {}

        for network_name, kind, teams in DEMO_NETWORKS:
            network, _created = Network.objects.get_or_create(
                name=network_name, defaults={"kind": kind}
            )
            if kind == Network.Kind.MUNICIPALITY:
                network.coordinators.add(coordinator)
            for team_name, description, email, person in teams:
                team, _created = Team.objects.get_or_create(
                    network=network, name=team_name, defaults={"description": description}
                )
                facilitator = _account(email, person)
                Membership.objects.update_or_create(
                    user=facilitator,
                    team=team,
                    defaults={"role": Membership.Role.FACILITATOR},
                )
                logins.append((f"facilitator of {team_name}", facilitator))
                facilitators[team_name] = facilitator

        answers = _demo_rounds(version, facilitators)
        if answers:
            self.stdout.write(f"Demo rounds filled with {answers} answers.")

        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at /account/login/ with:"))
        for role, user in logins:
            self.stdout.write(f"  {user.email:<28} {DEMO_PASSWORD}   ({role})")
