from django.db import migrations


def create_categories(apps, schema_editor):
    EligibilityCategory = apps.get_model("participants", "EligibilityCategory")
    for code in "12345678":
        EligibilityCategory.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("participants", "0001_initial")]

    operations = [migrations.RunPython(create_categories, migrations.RunPython.noop)]
