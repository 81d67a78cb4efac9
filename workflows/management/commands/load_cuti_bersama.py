"""Load (or reload) the cuti bersama file into the calendar. Safe to run twice."""
from django.core.management.base import BaseCommand

from workflows.services.calendar import cuti_bersama_load_file


class Command(BaseCommand):
    help = "Memuat hari cuti bersama dari berkas JSON (aman dijalankan berulang)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Berkas JSON; bawaan: PAMONG_CUTI_BERSAMA_FILE")

    def handle(self, *args, **options):
        changed = cuti_bersama_load_file(path=options.get("path"))
        self.stdout.write(self.style.SUCCESS(f"Cuti bersama dimuat: {changed} baris baru atau berubah."))
