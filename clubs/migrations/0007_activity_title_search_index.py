"""A trigram index for searching activities by title (the admin's attendance list searches it)."""

from django.db import migrations

from ksr_portal.search_indexes import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("clubs", "0006_operator_may_be_unknown")]

    operations = [trigram_indexes("clubs_activity", ["title"])]
