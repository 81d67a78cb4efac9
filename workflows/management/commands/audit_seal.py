"""Seal the audit events committed since the previous seal now (beat runs the same every hour)."""
from django.core.management.base import BaseCommand

from workflows.services.audit import audit_seal


class Command(BaseCommand):
    help = "Menyegel peristiwa jejak audit sejak segel terakhir."

    def handle(self, *args, **options):
        seal = audit_seal()
        if seal is None:
            self.stdout.write("Tidak ada peristiwa baru untuk disegel.")
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Segel #{seal.seq}: {seal.after['count']} peristiwa, nilai hash {seal.after['digest']}."))
