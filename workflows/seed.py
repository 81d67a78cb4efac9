"""Demo data of the shared engine: the Tangsel org tree, one demo login per position, and a Plh example.

Every demo login has the password ``DEMO_PASSWORD``. Safe to run twice: rows are matched by natural keys.
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from .acting import local_date
from .models import Assignment, Capacity, Position, PositionKind, User
from .services.org import org_load_file

DEMO_PASSWORD = "pamong-demo"

# The logins a newcomer is shown: username -> position code. Every other position gets "<position code>".
HIGHLIGHTED_LOGINS = {
    "operator.babakan": "operator-kelurahan-kel-babakan",
    "lurah.babakan": "lurah-kel-babakan",
    "camat.setu": "camat-kec-setu",
    "sekcam.setu": "sekcam-kec-setu",
    "teknisi.diskominfo": "teknisi-diskominfo",
    "kadis.diskominfo": "kepala-diskominfo",
    "kepala.bpkad": "kepala-bpkad",
    "analis.bpkad": "analis-bpkad",
    "bendahara.setu": "bendahara-kec-setu",
    "pptk.setu": "pptk-kec-setu",
    "ppk.setu": "ppk-skpd-kec-setu",
    "kuasa.bud": "kuasa-bud",
    "kabag.hukum": "kabag-hukum",
    "perancang": "perancang-1",
    "pemrakarsa.diskominfo": "pemrakarsa-diskominfo",
    "inspektur": "inspektur",
    "auditor": "auditor",
    "sekda": "sekda",
    "walikota": "wali-kota",
}
ADMIN_USERNAME = "admin"


def _username_for(position: Position) -> str:
    for username, code in HIGHLIGHTED_LOGINS.items():
        if code == position.code:
            return username
    return position.code


def _display_name(position: Position) -> tuple[str, str]:
    # Demo people are named after their post so a screen shows at a glance who is who.
    return "Demo", position.title


@transaction.atomic
def seed_demo(*, today: dt.date | None = None, stdout=None) -> dict[str, int]:
    today = today or local_date()
    result = org_load_file(path=settings.PAMONG_ORG_FILE)
    password_hash = make_password(DEMO_PASSWORD)  # one hash for every demo login: seeding stays fast

    admin, created = User.objects.get_or_create(
        username=ADMIN_USERNAME,
        defaults={"is_staff": True, "is_superuser": True, "first_name": "Administrator", "password": password_hash},
    )
    users = 0
    start_of_year = today.replace(month=1, day=1)
    positions = list(Position.objects.select_related("org_unit"))
    existing = set(Assignment.objects.filter(capacity=Capacity.DEFINITIF).values_list("position_id", flat=True))
    existing_users = {u.username: u for u in User.objects.all()}
    for position in positions:
        username = _username_for(position)
        user = existing_users.get(username)
        if user is None:
            first, last = _display_name(position)
            user = User.objects.create(
                username=username, first_name=first, last_name=last, password=password_hash,
                email=f"{username}@demo.tangerangselatankota.go.id",
            )
            users += 1
        if position.pk not in existing:
            Assignment.objects.create(
                position=position, user=user, capacity=Capacity.DEFINITIF, starts_on=start_of_year,
                decree=f"SK Wali Kota (demo) {today.year}",
            )

    # Plh example: the Sekcam of Setu acts for the Camat for three days from today (the camat is on leave).
    camat_setu = Position.objects.get(code="camat-kec-setu")
    sekcam_setu = User.objects.get(username="sekcam.setu")
    Assignment.objects.get_or_create(
        position=camat_setu, user=sekcam_setu, capacity=Capacity.PLH, starts_on=today,
        defaults={"ends_on": today + dt.timedelta(days=2), "decree": "Surat Perintah Plh. (demo)",
                  "note": "Camat cuti tahunan"},
    )
    # Cuti bersama of the years in the shipped file (the migration loads them too; this picks up new years).
    from .services.calendar import cuti_bersama_load_file

    cuti_bersama = cuti_bersama_load_file()
    return {"units": result.units, "positions": result.positions, "users": users, "cuti_bersama": cuti_bersama}


def demo_logins() -> list[tuple[str, str]]:
    """(username, what they are) for the README and ``make run``'s banner."""
    titles = dict(Position.objects.filter(code__in=HIGHLIGHTED_LOGINS.values()).values_list("code", "title"))
    return [(u, titles.get(c, c)) for u, c in HIGHLIGHTED_LOGINS.items()] + [(ADMIN_USERNAME, "Administrator")]


assert all(k in PositionKind.values for k in ("lurah", "camat"))
