import random
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from assessment.demo import TeamProfile, make_responses
from assessment.models import QuestionnaireVersion, Round, Sector
from assessment.questionnaire.importexport import install_shipped_questionnaire
from config.parsing import parse_id
from teams.models import Network, Team

BATCH = 100


class Command(BaseCommand):
    help = (
        "Create a network of N teams, each with a closed round of M submitted responses "
        "(made-up answers), for benchmarks and for trying Samenspel at scale."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--teams", type=int, default=100)
        parser.add_argument("--respondents", type=int, default=10)
        parser.add_argument("--network", default="", help="network name (default: made up)")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, teams: int, respondents: int, network: str, seed: int, **options):
        if teams < 1 or respondents < 1:
            raise CommandError("--teams and --respondents must be at least 1.")
        started = time.perf_counter()
        # What new rounds get; on an empty database, the shipped questionnaire first. An
        # installation that has a questionnaire gets no new version as a side effect.
        version = QuestionnaireVersion.objects.latest_published()
        if version is None:
            install_shipped_questionnaire()
            version = QuestionnaireVersion.objects.latest_published()
        rng = random.Random(seed)
        name = network or f"Belastingtest {timezone.now():%Y-%m-%d %H:%M:%S} ({teams} teams)"
        load_network, _created = Network.objects.get_or_create(name=name)
        sectors = (Sector.CHILDCARE, Sector.SCHOOL, Sector.YOUTH_CARE, Sector.BSO)
        closed = timezone.now()
        answers = 0
        # Number on after the highest "Team 00042" there is, whatever was deleted since.
        names = load_network.teams.filter(name__startswith="Team ").values_list("name", flat=True)
        numbers = [parse_id(name.removeprefix("Team ")) for name in names]
        existing = max((number for number in numbers if number is not None), default=0)
        for first in range(existing, existing + teams, BATCH):
            with transaction.atomic():
                batch = Team.objects.bulk_create(
                    Team(network=load_network, name=f"Team {number:05d}", size=respondents + 2)
                    for number in range(first + 1, min(first + BATCH, existing + teams) + 1)
                )
                rounds = Round.objects.bulk_create(
                    Round(team=team, version=version, title="Meting", closed_at=closed)
                    for team in batch
                )
                answers += make_responses(
                    [
                        (
                            round,
                            respondents,
                            TeamProfile(level=rng.uniform(2.2, 4.4), sectors=sectors),
                        )
                        for round in rounds
                    ],
                    rng=rng,
                )
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Network '{load_network.name}': {teams} teams, {teams * respondents} responses, "
                f"{answers} answers in {seconds:.1f} s."
            )
        )
