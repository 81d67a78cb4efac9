"""Register a complaint system (SIARAN, SP4N-LAPOR!) and print its API token and HMAC secret once."""
from django.core.management.base import BaseCommand, CommandError

from budget_requests.complaints.models import ComplaintSource, SourceKind
from budget_requests.complaints.services import complaint_source_create


class Command(BaseCommand):
    help = "Daftarkan sistem pengaduan; token dan rahasia HMAC dicetak sekali."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("name")
        parser.add_argument("kind", choices=SourceKind.values)
        parser.add_argument("--id-label", default="ID")
        parser.add_argument("--callback-url", default="")

    def handle(self, *args, code, name, kind, id_label, callback_url, **options):
        if ComplaintSource.objects.filter(code=code).exists():
            raise CommandError(f"source {code!r} already exists")
        source, token = complaint_source_create(actor=None, code=code, name=name, kind=kind,
                                                external_id_label=id_label, callback_url=callback_url)
        self.stdout.write(f"token: {token}\nhmac_secret: {source.hmac_secret}\n")
