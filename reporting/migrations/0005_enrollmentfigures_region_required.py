import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    """Nothing: the summaries of data that has none yet are built by 0009, where the tables have their present
    shape."""


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
