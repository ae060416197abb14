import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.questionnaire.importexport import ImportProblems, import_version


class Command(BaseCommand):
    help = "Load a questionnaire JSON file as a new draft version. A broken file writes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options) -> None:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{file} is not valid JSON: {error}.") from None
        try:
            version = import_version(data)
        except ImportProblems as error:
            listing = "\n".join(f"  - {problem}" for problem in error.problems)
            raise CommandError(
                f"{file} was not imported; nothing was written. Problems:\n{listing}"
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported as draft version {version.number} of '{version.questionnaire.key}'."
            )
        )
