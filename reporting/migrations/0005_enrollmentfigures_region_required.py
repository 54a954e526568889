import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    """Summaries of data that has none yet (a database from before they existed); a fresh one has nothing."""
    base = [apps.get_model(*label.split(".")).objects.exists() for label in ("participants.Enrollment", "clubs.Activity")]
    summaries = [apps.get_model("reporting", name).objects.exists() for name in ("EnrollmentFigures", "ActivityFigures")]
    if any(base) and not any(summaries):
        from reporting.summaries import rebuild

        rebuild()


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0004_period_counts'),
    ]

    operations = [
        migrations.AlterField(
            model_name='enrollmentfigures',
            name='region',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='networks.region', verbose_name='region'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
