"""Walk the audit trail: exit 0 when intact, exit 1 naming every broken event, stream or seal.

``--against FILE [FILE …]`` also compares the seals with a list saved earlier outside the database: the pages
of the JSON or CSV offered on the public transparency page (``/publik/segel-jejak-audit.json`` or ``.csv``, then
``?setelah=N`` for each following page), i.e. ``{"seals": [{"seq", "sealed_at", "count", "digest", "hash"}, …],
"next": …}`` or CSV with the header ``seq,sealed_at,count,digest,hash`` (``hash`` may be left out; CSV pages
may also be joined into one file, header lines repeated). Every listed seal must still be in the database with
the same digest (and hash): a missing or different seal exits 1, naming it. Seals newer than the files are
only checked by the chain; a gap in the listed seal numbers (a page not given) is reported as a warning.
"""
import csv
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from workflows.models import AuditEvent
from workflows.selectors import PublishedSeal, audit_seal_list
from workflows.services.audit import audit_breaks

MAX_REPORTED = 50


def read_seal_file(path: Path) -> list[dict]:
    """The seals listed in a saved JSON or CSV file (see the module doc), as dicts with ``seq`` an int."""
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith(("{", "[")):
        data = json.loads(text)
        rows = data["seals"] if isinstance(data, dict) else data
    else:
        # Joined CSV pages repeat the header line: skip it.
        rows = [row for row in csv.DictReader(text.splitlines()) if row.get("seq") != "seq"]
    return [{**row, "seq": int(row["seq"])} for row in rows]


def listed_gaps(listed: list[dict]) -> list[tuple[int, int]]:
    """Ranges of seal numbers missing between the first and the last listed seal (a page left out)."""
    seqs = sorted({row["seq"] for row in listed})
    return [(a + 1, b - 1) for a, b in zip(seqs, seqs[1:]) if b > a + 1]


# Saved seals compared per database read: the check holds one chunk of stored seals at a time, so its memory does
# not grow with the trail (an hourly seal makes ~8,800 a year).
SEAL_CHECK_CHUNK = 500


def _seal_problems(row: dict, seal: PublishedSeal | None) -> list[str]:
    if seal is None:
        return [f"seal #{row['seq']} is missing from the database"]
    return [f"seal #{row['seq']}: {name} {getattr(seal, name)} differs from the saved {row[name]}"
            for name in ("digest", "hash") if row.get(name) and row[name] != getattr(seal, name)]


def seal_file_mismatches(listed: list[dict]) -> list[str]:
    """What differs between the seals of a saved list and those in the database, one line per seal, in the
    order of the list. The stored seals are read ``SEAL_CHECK_CHUNK`` listed numbers at a time (one query
    each), never all at once."""
    rows_of: dict[int, list[int]] = {}  # seal number -> positions in ``listed`` (pages may overlap)
    for i, row in enumerate(listed):
        rows_of.setdefault(row["seq"], []).append(i)
    found: dict[int, list[str]] = {}
    seqs = sorted(rows_of)
    for start in range(0, len(seqs), SEAL_CHECK_CHUNK):
        chunk = seqs[start:start + SEAL_CHECK_CHUNK]
        stored = {s.seq: s for s in audit_seal_list(seqs=chunk)}
        for seq in chunk:
            for i in rows_of[seq]:
                if problems := _seal_problems(listed[i], stored.get(seq)):
                    found[i] = problems
    return [line for i in sorted(found) for line in found[i]]


class Command(BaseCommand):
    help = "Memeriksa keutuhan jejak audit (rantai hash, kepala aliran, segel; --against: daftar segel tersimpan)."

    def add_arguments(self, parser):
        parser.add_argument("--against", metavar="FILE", type=Path, nargs="+",
                            help="daftar segel yang disimpan dari halaman transparansi (JSON atau CSV; "
                                 "semua halamannya)")

    def handle(self, *args, against=None, **options):
        listed = None
        if against is not None:
            files = [Path(f) for f in ([against] if isinstance(against, (str, Path)) else against)]
            listed = []
            for path in files:
                try:
                    listed += read_seal_file(path)
                except (OSError, ValueError, KeyError, TypeError) as exc:
                    raise CommandError(f"cannot read the seal list {path}: {exc}") from exc
            for first, last in listed_gaps(listed):
                self.stdout.write(self.style.WARNING(_(
                    "Daftar tersimpan melompati segel #%(first)s–#%(last)s (ada halaman yang tidak diberikan?): "
                    "segel itu hanya diperiksa lewat rantai hash.") % {"first": first, "last": last}))
        broken = [str(b) for b in audit_breaks(limit=MAX_REPORTED)]
        if listed is not None:
            broken += seal_file_mismatches(listed)
        if broken:
            self.stderr.write("JEJAK AUDIT RUSAK — broken links:")
            for line in broken:
                self.stderr.write(f"  {line}")
            sys.exit(1)
        checked = ""
        if listed is not None:
            checked = f", {len({row['seq'] for row in listed})} segel cocok dengan {', '.join(f.name for f in files)}"
        self.stdout.write(self.style.SUCCESS(
            f"Jejak audit utuh: {AuditEvent.objects.count()} peristiwa diperiksa{checked}."))
