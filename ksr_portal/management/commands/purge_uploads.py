from django.core.management.base import BaseCommand

from ksr_portal.uploads import purge


class Command(BaseCommand):
    help = "Delete uploaded spreadsheets left unconfirmed longer than KSR_UPLOAD_RETENTION_HOURS (or --hours)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=None)

    def handle(self, *args, hours=None, **options):
        self.stdout.write(f"{purge(hours)} unconfirmed uploads deleted.")
