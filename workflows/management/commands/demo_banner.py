"""Print where Pamong is served and which demo logins to use (called by ``make run``)."""
from django.core.management.base import BaseCommand

from workflows.seed import DEMO_PASSWORD, demo_logins
from workflows.signing.seed import DEMO_PASSPHRASE


class Command(BaseCommand):
    help = "Menampilkan alamat aplikasi dan akun demo."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, url, **options):
        w = self.stdout.write
        w("")
        w(self.style.SUCCESS(f"Pamong berjalan di {url}  (Ctrl-C untuk berhenti)"))
        w(f"Akun demo (kata sandi semuanya: {DEMO_PASSWORD}):")
        for username, what in demo_logins():
            w(f"  {username:<24} {what}")
        w(f"Passphrase tanda tangan elektronik (TTE) demo: {DEMO_PASSPHRASE}")
        w("")
