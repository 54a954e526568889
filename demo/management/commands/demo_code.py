import time

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from demo.pilot import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Print the code the demo accounts' authenticator app shows now (second step of signing in)."

    def handle(self, *args, **options):
        totp = TOTP(bytes.fromhex(DEMO_TOTP_KEY))
        self.stdout.write(f"{totp.token():06d} (valid {30 - int(time.time()) % 30} s more)")
