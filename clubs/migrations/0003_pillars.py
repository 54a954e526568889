from django.db import migrations

# The six pillars of the new service profile, in the order the catalogue lists them.
PILLARS = ["social", "vocational", "education", "culture", "health", "sport"]


def create_pillars(apps, schema_editor):
    Pillar = apps.get_model("clubs", "Pillar")
    for order, code in enumerate(PILLARS, start=1):
        Pillar.objects.update_or_create(code=code, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("clubs", "0002_initial")]

    operations = [migrations.RunPython(create_pillars, migrations.RunPython.noop)]
