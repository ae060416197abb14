import random
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assessment.demo import TeamProfile, make_responses
from assessment.meetings.services import start_meeting
from assessment.models import Action, Meeting, QuestionnaireVersion, Round, Sector
from assessment.questionnaire.importexport import install_shipped_questionnaire
from assessment.results.aggregate import round_results
from teams.models import Membership, Network, Team, User

DEMO_PASSWORD = "samenspel-demo"

# Per network: (name, kind, [(team, description, facilitator e-mail, name, team size)]).
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
                16,
            ),
            (
                "Kindcentrum Het Anker",
                "Basisschool, peuteropvang en jeugdteam",
                "anker@samenspel.test",
                "Joost de Vries",
                12,
            ),
            (
                "BSO De Vlinder en obs De Linde",
                "Bso, school en schoolmaatschappelijk werk",
                "vlinder@samenspel.test",
                "Sanne Bakker",
                14,
            ),
            (
                "Jeugdteam Noord en kinderopvang Zonnetje",
                "Coaching in de groep door het jeugdteam",
                "noord@samenspel.test",
                "Mehmet Yilmaz",
                7,
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
                8,
            ),
        ],
    ),
]


# Which questionnaire a demo round asks: version 1, the latest full version, or the short form.
V1, FULL, SHORT = "v1", "full", "short"

# Per team, oldest first: (round title, days ago it closed or None if open, respondents, profile,
# questionnaire). De Regenboog's trend runs through version 1, a pulse on the short form and
# version 2.
DEMO_ROUNDS: dict[str, list[tuple[str, int | None, int, TeamProfile, str]]] = {
    "IKC De Regenboog": [
        (
            "Najaar 2025",
            380,
            10,
            TeamProfile(
                level=3.4,
                sectors=(Sector.CHILDCARE, Sector.SCHOOL),
                dimension_shift={"resources": -0.8},
            ),
            V1,
        ),
        (
            "Voorjaar 2026",
            200,
            11,
            TeamProfile(
                level=3.8,
                sectors=(Sector.CHILDCARE, Sector.SCHOOL),
                dimension_shift={"resources": -0.9},
            ),
            V1,
        ),
        (
            "Pulsmeting zomer 2026",
            100,
            10,
            TeamProfile(
                level=3.9,
                sectors=(Sector.CHILDCARE, Sector.SCHOOL),
                dimension_shift={"resources": -0.9},
            ),
            SHORT,
        ),
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
            FULL,
        ),
    ],
    "Kindcentrum Het Anker": [
        (
            "Voorjaar 2026",
            190,
            8,
            TeamProfile(level=2.5, dimension_shift={"management": -0.6}),
            V1,
        ),
        (
            "Najaar 2026",
            7,
            9,
            TeamProfile(level=2.7, dimension_shift={"proximity": 0.8, "management": -0.5}),
            FULL,
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
            FULL,
        ),
    ],
    "Jeugdteam Noord en kinderopvang Zonnetje": [
        ("Najaar 2026", 3, 2, TeamProfile(level=3.5), FULL),
    ],
    "Kindcentrum De Boomgaard": [
        ("Voorjaar 2026", 180, 6, TeamProfile(level=3.3), V1),
        (
            "Najaar 2026",
            None,
            6,
            TeamProfile(level=3.6, dimension_shift={"expertise": 0.6}),
            FULL,
        ),
    ],
}


def demo_versions() -> dict[str, QuestionnaireVersion]:
    """The versions demo rounds ask, by V1 / FULL / SHORT. Where the installation lacks one
    (only version 1 installed), the latest full version stands in for it."""
    published = QuestionnaireVersion.objects.exclude(status=QuestionnaireVersion.Status.DRAFT)
    full = published.filter(form=QuestionnaireVersion.Form.FULL).order_by("-number").first()
    if full is None:
        raise CommandError("There is no published questionnaire version for demo rounds.")
    first = published.filter(number=1).first() or full
    short = published.filter(form=QuestionnaireVersion.Form.SHORT).order_by("-number").first()
    return {V1: first, FULL: full, SHORT: short or full}


# Per team: (agreed after round, dimension key, statement key or "", action, who, due in days
# after that round closed, status now).
DEMO_ACTIONS: dict[str, list[tuple[str, str, str, str, str, int, Action.Status]]] = {
    "IKC De Regenboog": [
        (
            "Najaar 2025",
            "resources",
            "",
            "Vaste overlegtijd van een uur per maand inroosteren voor "
            "opvang, school en jeugdhulp samen.",
            "Fatima (teamleider)",
            60,
            Action.Status.DONE,
        ),
        (
            "Voorjaar 2026",
            "resources",
            "resources.rules-and-funding",
            "Knelpunten in regels en financiering verzamelen en voorleggen aan de gemeente.",
            "Directeur IKC",
            90,
            Action.Status.UNDER_WAY,
        ),
        (
            "Voorjaar 2026",
            "communication",
            "",
            "Samen afspraken maken over wat we over kinderen "
            "mogen delen, met toestemming van ouders.",
            "Intern begeleider",
            45,
            Action.Status.DONE,
        ),
    ],
    "Kindcentrum Het Anker": [
        (
            "Voorjaar 2026",
            "management",
            "",
            "Leidinggevenden van school, opvang en jeugdteam "
            "plannen elk kwartaal een gezamenlijk overleg.",
            "Joost",
            30,
            Action.Status.UNDER_WAY,
        ),
        (
            "Voorjaar 2026",
            "proximity",
            "",
            "De jeugdhulpverlener is twee ochtenden per week aanwezig in de groepen.",
            "Jeugdteam",
            60,
            Action.Status.DONE,
        ),
    ],
}


def _demo_rounds(versions: dict[str, QuestionnaireVersion], facilitators: dict[str, User]) -> int:
    """Rounds with responses and action plans, made once: a team with rounds keeps them."""
    rng = random.Random(2026)
    now = timezone.now()
    todo = []
    for team in Team.objects.filter(name__in=DEMO_ROUNDS).exclude(rounds__isnull=False):
        rounds: dict[str, Round] = {}
        for title, closed_days_ago, size, profile, edition in DEMO_ROUNDS[team.name]:
            days_ago = closed_days_ago if closed_days_ago is not None else 0
            round = Round.objects.create(
                team=team,
                title=title,
                version=versions[edition],
                created_by=facilitators.get(team.name),
                closed_at=now - timedelta(days=days_ago) if closed_days_ago is not None else None,
                closes_on=None
                if closed_days_ago is not None
                else timezone.localdate() + timedelta(days=14),
            )
            # Backdated, so the trend runs in the right order.
            Round.objects.filter(pk=round.pk).update(created=now - timedelta(days=days_ago + 21))
            round.refresh_from_db()
            rounds[title] = round
            todo.append((round, size, profile))
        for after, dimension_key, item_key, text, owner, due_days, status in DEMO_ACTIONS.get(
            team.name, []
        ):
            origin = rounds[after]
            assert origin.closed_at is not None  # plans are made after a round closed
            dimension = origin.version.dimensions.get(key=dimension_key)
            topic = dimension.items.get(key=item_key).text if item_key else dimension.name
            action = Action.objects.create(
                team=team,
                origin=origin,
                dimension_key=dimension_key,
                item_key=item_key,
                topic=topic,
                text=text,
                owner=owner,
                status=status,
                due_date=(origin.closed_at + timedelta(days=due_days)).date(),
                created_by=facilitators.get(team.name),
            )
            action.rounds.add(*[r for r in rounds.values() if r.created >= origin.created])
    return make_responses(todo, rng=rng) if todo else 0


# The team whose latest round has a conversation ready to present.
DEMO_MEETING_TEAM = "IKC De Regenboog"


def _demo_meeting(facilitators: dict[str, User]) -> Meeting | None:
    """A team conversation on the demo team's latest closed round, made once (or resumed)."""
    round = (
        Round.objects.filter(team__name=DEMO_MEETING_TEAM, closed_at__isnull=False)
        .order_by("-created")
        .first()
    )
    if round is None:
        return None
    return start_meeting(
        round=round,
        results=round_results(round),
        started_by=facilitators[DEMO_MEETING_TEAM],
    )


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

        install_shipped_questionnaire()
        versions = demo_versions()
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
            for team_name, description, email, person, size in teams:
                team, _created = Team.objects.get_or_create(
                    network=network,
                    name=team_name,
                    defaults={"description": description, "size": size},
                )
                facilitator = _account(email, person)
                Membership.objects.update_or_create(
                    user=facilitator,
                    team=team,
                    defaults={"role": Membership.Role.FACILITATOR},
                )
                logins.append((f"facilitator of {team_name}", facilitator))
                facilitators[team_name] = facilitator

        answers = _demo_rounds(versions, facilitators)
        if answers:
            self.stdout.write(f"Demo rounds filled with {answers} answers.")
        meeting = _demo_meeting(facilitators)
        if meeting:
            self.stdout.write(
                f"A team conversation is ready to present: /meetings/{meeting.pk}/ "
                f"(phones join at /m/ with code {meeting.grouped_code})."
            )

        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at /account/login/ with:"))
        for role, user in logins:
            self.stdout.write(f"  {user.email:<28} {DEMO_PASSWORD}   ({role})")
