import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.models import QuestionnaireVersion
from assessment.questionnaire.importexport import export_version


class Command(BaseCommand):
    help = "Write a questionnaire version as JSON to standard output (default: latest published)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("version", nargs="?", type=int, help="version number")
        parser.add_argument("--questionnaire", default="samenspel", help="questionnaire key")

    def handle(self, *args, version: int | None, questionnaire: str, **options) -> None:
        versions = QuestionnaireVersion.objects.filter(questionnaire__key=questionnaire)
        if version is None:
            found = versions.latest_published()
        else:
            found = versions.filter(number=version).first()
        if found is None:
            raise CommandError(
                f"No version {version or '(published)'} of questionnaire '{questionnaire}'."
            )
        self.stdout.write(json.dumps(export_version(found), ensure_ascii=False, indent=2))
