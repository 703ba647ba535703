"""Show the current sign-in code of a demo login, so the demo can be tried without a phone.

Only where demo logins are allowed (development and test settings), and only for the demo
logins that load_demo_content created.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from doorvertellen import demo_content


class Command(BaseCommand):
    help = "Print the current two-step code of a demo login (development only)."

    def add_arguments(self, parser):
        parser.add_argument("username", choices=[user[0] for user in demo_content.DEMO_USERS])

    def handle(self, *args, username, **options):
        if not settings.DOORVERTELLEN_ALLOW_DEMO_USERS:
            raise CommandError("Demo logins are off under these settings.")
        device = TOTPDevice.objects.filter(
            user__username=username, name="Demo", confirmed=True
        ).first()
        if device is None:
            raise CommandError(f"{username} has no demo second step (run load_demo_content).")
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")
