from django.core.management.base import BaseCommand

from ksr_portal.demo import generate_demo_data


class Command(BaseCommand):
    help = (
        "Generate deterministic demo networks, partners, participants and activities for the pilot clubs. DEBUG only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, seed, **options):
        counts = generate_demo_data(seed)
        if counts is None:
            self.stdout.write("Demo data already present; nothing changed.")
            return
        self.stdout.write(self.style.SUCCESS(", ".join(f"{name}: {n}" for name, n in counts.items())))
