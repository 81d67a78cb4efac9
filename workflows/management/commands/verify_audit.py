"""Walk the audit trail: exit 0 when intact, exit 1 naming every broken event, stream or seal.

``--against FILE`` also compares the seals with a list saved earlier outside the database: the JSON or CSV
offered on the public transparency page (``/publik/segel-jejak-audit.json`` or ``.csv``), i.e.
``{"seals": [{"seq", "sealed_at", "count", "digest", "hash"}, …]}`` or CSV with the header
``seq,sealed_at,count,digest,hash`` (``hash`` may be left out). Every listed seal must still be in the database
with the same digest (and hash): a missing or different seal exits 1, naming it. Seals newer than the file are
only checked by the chain.
"""
import csv
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workflows.models import AuditEvent
from workflows.selectors import audit_seal_list
from workflows.services.audit import audit_breaks

MAX_REPORTED = 50


def read_seal_file(path: Path) -> list[dict]:
    """The seals listed in a saved JSON or CSV file (see the module doc), as dicts with ``seq`` an int."""
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith(("{", "[")):
        data = json.loads(text)
        rows = data["seals"] if isinstance(data, dict) else data
    else:
        rows = list(csv.DictReader(text.splitlines()))
    return [{**row, "seq": int(row["seq"])} for row in rows]


def seal_file_mismatches(listed: list[dict]) -> list[str]:
    """What differs between the seals of a saved list and those in the database, one line per seal."""
    stored = {s.seq: s for s in audit_seal_list()}
    problems = []
    for row in listed:
        seal = stored.get(row["seq"])
        if seal is None:
            problems.append(f"seal #{row['seq']} is missing from the database")
            continue
        for name in ("digest", "hash"):
            if row.get(name) and row[name] != getattr(seal, name):
                problems.append(f"seal #{row['seq']}: {name} {getattr(seal, name)} differs from the saved {row[name]}")
    return problems


class Command(BaseCommand):
    help = "Memeriksa keutuhan jejak audit (rantai hash, kepala aliran, segel; --against: daftar segel tersimpan)."

    def add_arguments(self, parser):
        parser.add_argument("--against", metavar="FILE", type=Path,
                            help="daftar segel yang disimpan dari halaman transparansi (JSON atau CSV)")

    def handle(self, *args, against: Path | str | None = None, **options):
        listed = None
        if against is not None:
            against = Path(against)
            try:
                listed = read_seal_file(against)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise CommandError(f"cannot read the seal list {against}: {exc}") from exc
        broken = [str(b) for b in audit_breaks(limit=MAX_REPORTED)]
        if listed is not None:
            broken += seal_file_mismatches(listed)
        if broken:
            self.stderr.write("JEJAK AUDIT RUSAK — broken links:")
            for line in broken:
                self.stderr.write(f"  {line}")
            sys.exit(1)
        checked = f", {len(listed)} segel cocok dengan {against.name}" if listed is not None else ""
        self.stdout.write(self.style.SUCCESS(
            f"Jejak audit utuh: {AuditEvent.objects.count()} peristiwa diperiksa{checked}."))
