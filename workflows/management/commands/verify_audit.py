"""Walk the audit trail: exit 0 when intact, exit 1 naming the first broken event."""
import sys

from django.core.management.base import BaseCommand

from workflows.models import AuditEvent
from workflows.services.audit import audit_verify


class Command(BaseCommand):
    help = "Memeriksa keutuhan jejak audit (rantai hash dan segel)."

    def handle(self, *args, **options):
        broken = audit_verify()
        if broken is not None:
            self.stderr.write(f"JEJAK AUDIT RUSAK — first broken link: {broken}")
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"Jejak audit utuh: {AuditEvent.objects.count()} peristiwa diperiksa."))
