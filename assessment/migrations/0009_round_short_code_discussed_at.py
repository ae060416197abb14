# A short code per round, typed on the code page, and the facilitator's "discussed" tick.

from django.db import migrations, models

import assessment.models.rounds


def give_codes(apps, schema_editor) -> None:
    # Every existing round its own code: a column default would give them all the same one.
    Round = apps.get_model("assessment", "Round")
    taken: set[str] = set()
    for round in Round.objects.filter(short_code__isnull=True).only("pk"):
        code = assessment.models.rounds.new_short_code()
        while code in taken:
            code = assessment.models.rounds.new_short_code()
        taken.add(code)
        Round.objects.filter(pk=round.pk).update(short_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0008_start_count"),
    ]

    operations = [
        migrations.AddField(
            model_name="round",
            name="short_code",
            field=models.CharField(editable=False, max_length=8, null=True),
        ),
        migrations.RunPython(give_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="round",
            name="short_code",
            field=models.CharField(
                default=assessment.models.rounds.new_short_code,
                editable=False,
                max_length=8,
                unique=True,
            ),
        ),
        migrations.AddField(
            model_name="round",
            name="discussed_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="discussed at"
            ),
        ),
    ]
