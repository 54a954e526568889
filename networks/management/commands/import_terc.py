from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from networks.terc import TercError, load


class Command(BaseCommand):
    help = "Load the official TERC register (GUS CSV: WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA); safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, verbosity, **options):
        try:
            result = load(file.read_bytes())
        except FileNotFoundError as error:
            raise CommandError(f"No such file: {file}") from error
        except (TercError, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        for label, items in (("added", result.added), ("changed", result.changed)):
            if verbosity > 1:
                for item in items:
                    self.stdout.write(f"  {label}: {item}")
        for item in result.skipped:
            self.stdout.write(self.style.WARNING(f"  skipped {item}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {len(result.added)}, changed {len(result.changed)}, left {result.unchanged} unchanged, "
                f"skipped {len(result.skipped)}."
            )
        )
