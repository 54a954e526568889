from django.core.management.base import BaseCommand

from ksr_portal.jobs import purge


class Command(BaseCommand):
    help = (
        "Delete uploaded spreadsheets not imported within KSR_UPLOAD_RETENTION_HOURS (or --hours), with their "
        "previews and files, and exported files made longer ago; an imported file is deleted as soon as it is "
        "imported. Schedule it, e.g. hourly."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=None)

    def handle(self, *args, hours=None, **options):
        self.stdout.write(f"{purge(hours)} unconfirmed uploads and old exports deleted.")
