from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from participants.anonymisation import anonymise, due_for_anonymisation, retention_cutoff


class Command(BaseCommand):
    help = (
        "Anonymise participants whose last exit is older than the retention period "
        "(KSR_RETENTION_YEARS_AFTER_EXIT); report totals stay the same."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List who would be anonymised; change nothing.")

    def handle(self, *args, dry_run, **options):
        today = timezone.localdate()
        years = settings.KSR_RETENTION_YEARS_AFTER_EXIT
        due = list(due_for_anonymisation(today, years))
        cutoff = retention_cutoff(today, years)
        self.stdout.write(f"Retention: {years} years after the last exit; last exit on or before {cutoff:%d.%m.%Y}.")
        for participant in due:
            self.stdout.write(f"  participant #{participant.pk}, last exit {participant.last_exit:%d.%m.%Y}")
        if dry_run:
            self.stdout.write(f"Dry run: {len(due)} participants would be anonymised; nothing changed.")
            return
        count = anonymise(due, today)
        self.stdout.write(self.style.SUCCESS(f"{count} participants anonymised."))
