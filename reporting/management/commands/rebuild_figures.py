import sys

from django.core.management.base import BaseCommand

from reporting.summaries import differences, rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the report summaries from the enrollments, follow-ups, activities and attendance. "
        "With --check, change nothing: list every difference between the summaries and a fresh "
        "computation, and exit with status 1 if there is any."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Compare only; list differences, change nothing.")

    def handle(self, *args, check, **options):
        if check:
            found = differences()
            for line in found:
                self.stdout.write(line)
            if found:
                self.stderr.write(f"{len(found)} differences: run rebuild_figures to rebuild the summaries.")
                sys.exit(1)
            self.stdout.write(self.style.SUCCESS("The summaries agree with the data."))
            return
        rows, counts = rebuild(progress=lambda what, done, total: self.stdout.write(f"{what}: {done:,} of {total:,}"))
        self.stdout.write(self.style.SUCCESS(f"Summaries rebuilt: {rows:,} rows, {counts:,} counts."))
