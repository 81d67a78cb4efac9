"""Print the consolidated text of a regulation on a date, in the JSON shape of ``import_regulation``."""
import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from perda.amendments.selectors import consolidated
from perda.amendments.tree import strip_uids
from perda.models import Regulation


class Command(BaseCommand):
    help = "Consolidated body of regulation ID in force on --date (default: today), with each provision's history."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int)
        parser.add_argument("--date", default="", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, **opts):
        try:
            on = dt.date.fromisoformat(opts["date"]) if opts["date"] else dt.date.today()
        except ValueError:
            raise CommandError(f"tanggal tidak sah: {opts['date']!r} (gunakan YYYY-MM-DD)")
        reg = Regulation.objects.select_related("enacted_version", "pemrakarsa").filter(pk=opts["id"]).first()
        if reg is None:
            raise CommandError(f"peraturan {opts['id']} tidak ditemukan")
        result = consolidated(reg, on)
        out = {
            "kind": reg.kind, "number": str(reg.number) if reg.number is not None else None, "year": reg.year,
            "title": reg.title, "date": on.isoformat(), "in_force": not result["not_yet_in_force"],
            "amended_by": result["applied"], "pending": result["pending"], "notes": result["notes"],
            "body": strip_uids(result["import_body"]),
        }
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
