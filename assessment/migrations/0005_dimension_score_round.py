import django.db.models.deletion
from django.db import migrations, models


def fill_round(apps, schema_editor):
    DimensionScore = apps.get_model("assessment", "DimensionScore")
    Response = apps.get_model("assessment", "Response")
    DimensionScore.objects.update(
        round_id=models.Subquery(
            Response.objects.filter(pk=models.OuterRef("response_id")).values("round_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0004_action_plans"),
    ]

    operations = [
        migrations.AddField(
            model_name="dimensionscore",
            name="round",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="assessment.round",
            ),
        ),
        migrations.RunPython(fill_round, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="dimensionscore",
            name="round",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="assessment.round",
            ),
        ),
        migrations.AddIndex(
            model_name="dimensionscore",
            index=models.Index(fields=["round", "dimension"], name="dimension_score_round"),
        ),
    ]
