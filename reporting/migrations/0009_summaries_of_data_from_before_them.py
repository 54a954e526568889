from django.db import migrations


def fill(apps, schema_editor):
    """Summaries of data that has none yet (a database from before they existed); a fresh one has nothing.

    It runs today's `rebuild()`, so it must come after every migration of the summaries' tables: a later one
    moves it after itself."""
    base = [apps.get_model(*label.split(".")).objects.exists() for label in ("participants.Enrollment", "clubs.Activity")]
    summaries = [apps.get_model("reporting", name).objects.exists() for name in ("EnrollmentFigures", "ActivityFigures")]
    if any(base) and not any(summaries):
        from reporting.summaries import rebuild

        rebuild()


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0008_which_row_counts_a_person"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
