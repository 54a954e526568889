import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from participants.reminders import send_digests


class Command(BaseCommand):
    help = (
        "Send each member of a club's staff one e-mail with how many items their worklist holds today "
        "(reviews due, contracts ending, absences, follow-ups), naming nobody. Schedule it each morning, "
        "e.g. with cron: 0 7 * * 1-5 manage.py send_reminders. Users who opted out get nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List who would get a digest; send nothing.")
        parser.add_argument(
            "--date", type=datetime.date.fromisoformat, help="The day to report on (YYYY-MM-DD); today by default."
        )

    def handle(self, *args, dry_run, date, **options):
        sent = send_digests(date or timezone.localdate(), dry_run=dry_run)
        for user, rows in sent:
            self.stdout.write(f"  {user.username}: " + ", ".join(f"{label} {count}" for label, count in rows))
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(self.style.SUCCESS(f"{len(sent)} digests {verb}."))
