from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from assessment.questionnaire.importexport import ImportProblems, import_version, read_file


class Command(BaseCommand):
    help = "Load a questionnaire JSON file as a new draft version. A broken file writes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    @no_translations  # in English, like the rest of the command's output
    def handle(self, *args, file: Path, **options) -> None:
        try:
            raw = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            version = import_version(read_file(raw))
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
