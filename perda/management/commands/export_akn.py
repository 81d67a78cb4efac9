"""Akoma Ntoso 3.0 export: ``export_akn ID`` prints one regulation; ``export_akn --all DIR`` writes one file
per regulation. The enacted version is exported when there is one, else the latest version, else the live
draft. Every document is validated against the shipped OASIS schema unless ``--no-validate``."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from perda.models import Regulation
from perda.render.akn import akn_errors, render_akn
from perda.snapshot import snapshot_build


def snapshot_for_export(regulation: Regulation) -> dict:
    if regulation.enacted_version_id:
        snap = dict(regulation.enacted_version.snapshot)
    else:
        return snapshot_build(regulation)
    # Enactment facts recorded after the freeze (number, dates) come from the regulation row.
    from perda.snapshot import regulation_meta

    snap["regulation"] = {**snap.get("regulation", {}), **regulation_meta(regulation)}
    return snap


class Command(BaseCommand):
    help = "Export regulations as Akoma Ntoso 3.0 XML."

    def add_arguments(self, parser):
        parser.add_argument("target", nargs="?", help="regulation id (prints to stdout), or DIR with --all")
        parser.add_argument("--all", dest="all_dir", nargs="?", const="", default=None, metavar="DIR",
                            help="write every regulation to DIR")
        parser.add_argument("--no-validate", action="store_true")

    def handle(self, *args, **opts):
        validate = not opts["no_validate"]
        if opts["all_dir"] is not None:
            directory = opts["all_dir"] or opts["target"]
            if not directory:
                raise CommandError("usage: export_akn --all DIR")
            out = Path(directory)
            out.mkdir(parents=True, exist_ok=True)
            count = 0
            for reg in Regulation.objects.select_related("pemrakarsa", "enacted_version").order_by("pk"):
                xml = self._render(reg, validate)
                (out / f"regulation-{reg.pk}.akn.xml").write_bytes(xml)
                count += 1
            self.stderr.write(f"{count} file(s) written to {out}")
            return
        if not opts["target"]:
            raise CommandError("usage: export_akn ID | export_akn --all DIR")
        try:
            reg = Regulation.objects.select_related("pemrakarsa", "enacted_version").get(pk=int(opts["target"]))
        except (ValueError, Regulation.DoesNotExist):
            raise CommandError(f"no regulation {opts['target']}")
        self.stdout.write(self._render(reg, validate).decode("utf-8"), ending="")

    def _render(self, reg: Regulation, validate: bool) -> bytes:
        xml = render_akn(snapshot_for_export(reg))
        if validate:
            errors = akn_errors(xml)
            if errors:
                raise CommandError(f"regulation {reg.pk}: invalid Akoma Ntoso: {errors[:3]}")
        return xml
