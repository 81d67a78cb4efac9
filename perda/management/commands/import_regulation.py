"""Parse a regulation's plain text and print the recovered structure as JSON; ``--save`` creates a draft."""
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from perda.importer import RegulationTextError, parse_regulation, save_regulation


class Command(BaseCommand):
    help = "Recover the structure of a published regulation from plain text (FILE, or - for stdin)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--save", action="store_true", help="create a draft through the editor services")
        parser.add_argument("--pemrakarsa", default="", help="org unit code of the pemrakarsa (default: Bagian Hukum)")
        parser.add_argument("--drafter", default="", help="username of the responsible drafter")

    def handle(self, *args, **opts):
        path = opts["file"]
        try:
            text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}")
        try:
            parsed = parse_regulation(text)
        except RegulationTextError as exc:
            raise CommandError(str(exc))
        for w in parsed.get("warnings", []):  # stdout stays pure JSON; the drafter's checks go to stderr
            where = f"baris {w['line']}: " if w.get("line") else ""
            self.stderr.write(f"Periksa {where}{w['text']!r} — {w['message']}")
        if not opts["save"]:
            self.stdout.write(json.dumps(parsed, ensure_ascii=False, indent=2))
            return
        from workflows.models import OrgUnit, User

        if opts["pemrakarsa"]:
            unit = OrgUnit.objects.filter(code=opts["pemrakarsa"]).first()
        else:
            unit = (OrgUnit.objects.filter(code__icontains="hukum").order_by("depth").first()
                    or OrgUnit.objects.order_by("depth", "pk").first())
        if unit is None:
            raise CommandError("no org unit found for the pemrakarsa (load the org tree first)")
        drafter = (User.objects.filter(username=opts["drafter"]).first() if opts["drafter"]
                   else User.objects.filter(is_superuser=True).order_by("pk").first())
        if drafter is None:
            raise CommandError("no drafter: pass --drafter USERNAME")
        from workflows.policy import Denied

        try:
            reg = save_regulation(parsed, actor=drafter, pemrakarsa=unit, drafter=drafter)
        except Denied as exc:
            raise CommandError(f"{drafter.username}: {exc.message}")
        out = {"regulation_id": reg.pk, "title": reg.title}
        if parsed.get("amends"):  # save_regulation linked it to its base in the JDIH
            reg.refresh_from_db(fields=["amends"])
            out["amends_id"] = reg.amends_id
        self.stdout.write(json.dumps(out, ensure_ascii=False))
