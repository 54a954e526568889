from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_answers(apps, schema_editor):
    """The answer of each enrollment summarised before the field existed."""
    Figures = apps.get_model("reporting", "EnrollmentFigures")
    Enrollment = apps.get_model("participants", "Enrollment")
    answer = Enrollment.objects.filter(pk=OuterRef("pk")).values("minority_or_migrant")[:1]
    Figures.objects.update(minority_or_migrant=Subquery(answer))


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0016_digest_opt_out"),
        ("reporting", "0002_summaries"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrollmentfigures",
            name="minority_or_migrant",
            field=models.CharField(default="", max_length=10, verbose_name="minority or migrant background"),
            preserve_default=False,
        ),
        migrations.RunPython(copy_answers, migrations.RunPython.noop),
    ]
