"""Trigram indexes for searching people by name."""

from django.db import migrations

from ksr_portal.search_indexes import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("participants", "0010_contract_goals")]

    operations = [trigram_indexes("participants_participant", ["last_name", "first_name"])]
