from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

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

        admin = _account("admin@samenspel.test", "Anne Admin", is_staff=True, is_superuser=True)
        coordinator = _account("coordinator@samenspel.test", "Carla Coördinator")
        logins = [("admin", admin), ("coordinator", coordinator)]

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

        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at /account/login/ with:"))
        for role, user in logins:
            self.stdout.write(f"  {user.email:<28} {DEMO_PASSWORD}   ({role})")
