"""Load the city's organisation and the demo data of every app. Safe to run twice."""
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Memuat organisasi Kota Tangerang Selatan dan data demo (aman dijalankan berulang)."

    def handle(self, *args, **options):
        for dotted in settings.PAMONG_SEEDERS:
            seeder = import_string(dotted)
            summary = seeder()
            self.stdout.write(f"{dotted}: {summary}")
        self.stdout.write(self.style.SUCCESS("Data demo siap."))
