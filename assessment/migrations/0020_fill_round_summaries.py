from django.db import migrations


def fill(apps, schema_editor):
    """Summaries for the rounds there are, by the same code that keeps them."""
    from assessment.comparison.summaries import refresh_summaries

    Round = apps.get_model("assessment", "Round")
    refresh_summaries(Round.objects.values_list("pk", flat=True), models=apps)


class Migration(migrations.Migration):
    dependencies = [("assessment", "0019_round_summary")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
