"""Load (or update) a city's organisation file: units and positions only, no demo people. Idempotent."""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from workflows.services.org import org_load_file


class Command(BaseCommand):
    help = "Memuat pohon organisasi dan jabatan dari berkas JSON (tanpa pengguna demo)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="berkas organisasi; bawaan: PAMONG_ORG_FILE")

    def handle(self, *args, file=None, **options):
        path = file or settings.PAMONG_ORG_FILE
        try:
            result = org_load_file(path=path)
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"Berkas organisasi tidak dapat dimuat ({path}): {exc}") from exc
        self.stdout.write(self.style.SUCCESS(
            f"{result.units} unit dan {result.positions} jabatan dimuat ({len(result.created)} unit baru)."
        ))
