from django.core.management.base import BaseCommand

from assessment.questionnaire.importexport import install_shipped_questionnaire


class Command(BaseCommand):
    help = "Install and publish the questionnaire that ships with Samenspel, unless it is there."

    def handle(self, *args, **options) -> None:
        version = install_shipped_questionnaire()
        if version is None:
            self.stdout.write("The Samenspel questionnaire is already installed.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Installed and published {version}."))
