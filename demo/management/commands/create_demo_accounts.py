from django.core.management.base import BaseCommand

from demo.pilot import DEMO_PASSWORD, create_demo_accounts


class Command(BaseCommand):
    help = "Create (or reset) one demo account per role, all with the published demo password. DEBUG only."

    def handle(self, *args, **options):
        for username, role, scope in create_demo_accounts():
            self.stdout.write(f"{username:22} {role:28} {scope}")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts ready; password: {DEMO_PASSWORD}"))
        self.stdout.write("Second step (where asked): the code `make code` prints.")
