from django.core.management.base import BaseCommand

from demo.synthetic import SCALES, generate


class Command(BaseCommand):
    help = (
        "Generate deterministic synthetic data (DEBUG only): the demo data at pilot scale, "
        "plus bulk data at region or national scale."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["pilot", *SCALES], default="pilot")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale, seed, **options):
        counts = generate(scale, seed, progress=self.stdout.write)
        if counts is None:
            self.stdout.write("Demo data already present; nothing changed.")
        else:
            self.stdout.write(self.style.SUCCESS(", ".join(f"{name}: {n}" for name, n in counts.items())))
