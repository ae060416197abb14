from django.core.management.base import BaseCommand

from assessment.questionnaire.importexport import install_shipped_questionnaire


class Command(BaseCommand):
    help = (
        "Install and publish the questionnaire versions that ship with Samenspel and are not "
        "there yet (by version number), and the conversation questions that are missing. "
        "Safe to run twice."
    )

    def handle(self, *args, **options) -> None:
        installed = install_shipped_questionnaire()
        if not installed:
            self.stdout.write("The Samenspel questionnaire is already installed.")
        for version in installed:
            self.stdout.write(self.style.SUCCESS(f"Installed and published {version}."))
