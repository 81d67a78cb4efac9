"""Reads shared by the formation pages, the public pages and the deadline checker, with a bounded number of
queries whatever the number of rows."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from workflows.models import PositionKind

from .models import Consultation, Formation, PublicComment, Regulation, StageRecord, Version
from .numbering import number_tree
from .states import DEADLINE_CODES, TERMINAL, Stage, path_for


@dataclass(frozen=True)
class Deadline:
    """A statutory deadline running for a formation: when it started, when it falls due, its rule."""

    key: str  # DEADLINE_CODES key
    code: str
    name: str
    start: dt.date
    # The date reminders and escalations go by: the earliest due date of the rule's readings.
    due: dt.date
    days: int
    day_kind: str
    legal_basis: str
    to_confirm: bool
    # Position kinds reminded before it passes (escalation adds Kabag Hukum).
    responsible: tuple[str, ...]
    # Why it is counted so (``LegalDeadline.article`` / ``wording`` / ``day_definition``).
    article: str = ""
    wording: str = ""
    day_definition: str = ""
    # A second reading when two laws count it differently: its day kind, due date and source.
    alt_day_kind: str = ""
    alt_due: dt.date | None = None
    alt_reading: str = ""
    # The due date under the rule's own day kind (``due`` may be the alternative reading's, if earlier).
    own_due: dt.date | None = None

    def days_left(self, today: dt.date | None = None) -> int:
        return (self.due - (today or timezone.localdate())).days

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.days_left(today) < 0

    @property
    def latest_due(self) -> dt.date:
        """The day after which the deadline has passed under every reading (decides legal consequences)."""
        return max(self.due, self.alt_due) if self.alt_due else self.due

    @property
    def day_kind_label(self) -> str:
        return "hari kerja" if self.day_kind == "working" else "hari kalender"

    @property
    def alt_day_kind_label(self) -> str:
        if not self.alt_day_kind:
            return ""
        return "hari kerja" if self.alt_day_kind == "working" else "hari kalender"


_RESPONSIBLE = {
    "harmonisasi": (PositionKind.KABAG_HUKUM,),
    "fasilitasi": (PositionKind.KABAG_HUKUM,),
    "penyerahan": (PositionKind.SEKRETARIS_DPRD, PositionKind.KABAG_HUKUM),
    "perbaikan_evaluasi": (PositionKind.PEMRAKARSA, PositionKind.KABAG_HUKUM),
    "noreg_send": (PositionKind.KABAG_HUKUM,),
    "noreg_issue": (PositionKind.KABAG_HUKUM,),
    "penetapan": (PositionKind.WALI_KOTA, PositionKind.KABAG_HUKUM),
    "penetapan_evaluasi": (PositionKind.WALI_KOTA, PositionKind.KABAG_HUKUM),
}


class DeadlineRules:
    """Every ``LegalDeadline`` row loaded once (one query), so a list of many drafts does not query per row.
    ``due`` counts exactly as ``workflows.calendar.deadline_due`` does (the rule in force on the start date,
    calendar or working days)."""

    def __init__(self):
        from workflows.models.calendar import LegalDeadline

        self._rows: dict[str, list] = {}
        for row in LegalDeadline.objects.order_by("code", "-effective_from"):
            self._rows.setdefault(row.code, []).append(row)

    def rule(self, code: str, start: dt.date):
        for row in self._rows.get(code, []):
            if row.effective_from <= start:
                return row
        return None

    @staticmethod
    def due(rule, start: dt.date) -> dt.date:
        """The due date under the rule's own day kind (``workflows.calendar.deadline_due``)."""
        from workflows.calendar import count_days

        return count_days(start, rule.days, rule.day_kind)


def _deadline(key: str, start: dt.date | None, rules: DeadlineRules) -> Deadline | None:
    from workflows.calendar import rule_dues

    if start is None:
        return None
    code = DEADLINE_CODES[key]
    rule = rules.rule(code, start)
    if rule is None:
        return None
    dues = rule_dues(rule, start)
    return Deadline(
        key=key, code=code, name=rule.name, start=start, due=dues.earliest, days=rule.days,
        day_kind=rule.day_kind, legal_basis=rule.legal_basis, to_confirm=rule.to_confirm,
        responsible=_RESPONSIBLE[key], article=rule.article, wording=rule.wording,
        day_definition=rule.day_definition, alt_day_kind=rule.alt_day_kind if dues.alt_due else "",
        alt_due=dues.alt_due, alt_reading=rule.alt_reading if dues.alt_due else "", own_due=dues.due,
    )


def penetapan_deadline(formation: Formation, rules: DeadlineRules | None = None) -> Deadline | None:
    """The signing clock of a Perda (None for a Perwali, or before the clock starts).

    A Perda that goes through evaluasi (APBD, pajak, retribusi, tata ruang, RPJPD/RPJMD) counts from the
    Gubernur's evaluasi decision (Permendagri 80/2015 Pasal 102 ayat (3)); every other Perda from persetujuan
    bersama (UU 12/2011 Pasal 79; UU 23/2014 Pasal 242)."""
    if formation.is_perwali:
        return None
    rules = rules or DeadlineRules()
    if formation.is_evaluasi:
        return _deadline("penetapan_evaluasi", formation.evaluasi_decided_on, rules)
    return _deadline("penetapan", formation.persetujuan_bersama_on, rules)


def formation_deadlines(formation: Formation, rules: DeadlineRules | None = None) -> list[Deadline]:
    """The deadlines running now: the current stage's, plus the 30-day penetapan clock of a Perda, which runs
    from persetujuan bersama (or, for an evaluated Perda, from the Gubernur's evaluasi decision) through
    handover, evaluasi and noreg until it is signed."""
    rules = rules or DeadlineRules()
    stage = formation.stage
    result: list[Deadline | None] = []
    if stage == Stage.HARMONISASI:
        result.append(_deadline("harmonisasi", formation.stage_since, rules))
    elif stage == Stage.FASILITASI:
        result.append(_deadline("fasilitasi", formation.stage_since, rules))
    elif stage == Stage.PENYERAHAN:
        result.append(_deadline("penyerahan", formation.persetujuan_bersama_on, rules))
    elif stage == Stage.PERBAIKAN_EVALUASI:
        result.append(_deadline("perbaikan_evaluasi", formation.evaluasi_finding_on, rules))
    elif stage == Stage.NOREG:
        if formation.noreg_sent_on is None:
            result.append(_deadline("noreg_send", formation.noreg_clock_from, rules))
        else:
            result.append(_deadline("noreg_issue", formation.noreg_sent_on, rules))
    if stage in (Stage.PENYERAHAN, Stage.EVALUASI, Stage.PERBAIKAN_EVALUASI, Stage.NOREG, Stage.PENETAPAN):
        result.append(penetapan_deadline(formation, rules))
    return [d for d in result if d is not None]


def draft_is_editable(regulation: Regulation) -> bool:
    """The text may change while it is being drafted or fixed after evaluasi, and during DPRD debate (the
    debate changes it); not while an outside party reviews a frozen version, nor once signed."""
    formation = getattr(regulation, "formation", None)
    if formation is None:
        return True
    return formation.stage in (Stage.PERENCANAAN, Stage.PENYUSUNAN, Stage.PEMBAHASAN_1, Stage.PEMBAHASAN_2,
                               Stage.PERBAIKAN_EVALUASI)


# --- staff lists and pages ------------------------------------------------------------------------------

def formation_list(*, stage: str | None = None, kind: str | None = None, q: str = "") -> QuerySet[Formation]:
    qs = Formation.objects.select_related("regulation", "regulation__pemrakarsa").order_by("-updated_at")
    if stage == "aktif":
        qs = qs.exclude(stage__in=TERMINAL)
    elif stage:
        qs = qs.filter(stage=stage)
    if kind:
        qs = qs.filter(regulation__kind=kind)
    if q:
        qs = qs.filter(regulation__title__icontains=q)
    return qs


def drafts_outside_formation(*, kind: str | None = None, q: str = "") -> QuerySet[Regulation]:
    """Drafts still being written (no formation started yet, not enacted), for the formation list."""
    qs = (Regulation.objects.filter(formation__isnull=True, promulgated_on__isnull=True)
          .select_related("pemrakarsa").order_by("-updated_at"))
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(title__icontains=q)
    return qs


def formation_for_page(regulation_id: int) -> Formation:
    """One formation with everything its page shows, in a fixed number of queries."""
    return (
        Formation.objects.select_related("regulation", "regulation__pemrakarsa", "regulation__drafter")
        .prefetch_related(
            Prefetch("records", queryset=StageRecord.objects.select_related("recorded_by", "version")
                     .order_by("recorded_at", "id")),
        )
        .get(regulation_id=regulation_id)
    )


def versions_of(regulation: Regulation) -> QuerySet[Version]:
    return Version.objects.filter(regulation=regulation).defer("snapshot").select_related("created_by").order_by("-seq")


def consultations_of(regulation: Regulation) -> QuerySet[Consultation]:
    return (
        Consultation.objects.filter(version__regulation=regulation).select_related("version", "opened_by")
        .annotate(n_comments=Count("comments"),
                  n_pending=Count("comments", filter=Q(comments__disposition="pending")))
        .order_by("-opens_on", "-id")
    )


def timeline(formation: Formation) -> list[dict]:
    """The path of this kind of draft with what happened at each stage so far (records grouped by stage)."""
    records: dict[str, list[StageRecord]] = {}
    for record in formation.records.all():
        records.setdefault(record.stage, []).append(record)
    path = path_for(is_perwali=formation.is_perwali, is_evaluasi=formation.is_evaluasi)
    current = formation.stage
    reached = path.index(current) if current in path else len(path)
    rows = []
    for i, stage in enumerate(path):
        if stage == Stage.SELESAI:
            continue
        status = "done" if i < reached else ("current" if i == reached else "todo")
        if current == Stage.DITARIK:
            status = "done" if stage in records else "todo"
        rows.append({"stage": stage, "label": Stage(stage).label, "status": status,
                     "records": records.get(stage, [])})
    # A loop stage visited off the straight path (perbaikan evaluasi) still shows its records.
    for stage, recs in records.items():
        if stage not in path:
            rows.append({"stage": stage, "label": Stage(stage).label, "status": "done", "records": recs})
    return rows


# --- consultation ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Commentable:
    uid: str
    label: str  # "Pasal 5 ayat (2)"
    kind: str


def commentable_provisions(snapshot: dict) -> list[Commentable]:
    """Every Pasal and ayat of a version, in document order, with its citation."""
    labels = number_tree(snapshot)
    return [Commentable(uid=uid, label=lab.citation, kind=lab.kind) for uid, lab in labels.items()
            if lab.kind in ("pasal", "ayat")]


def open_consultations(today: dt.date | None = None) -> QuerySet[Consultation]:
    today = today or timezone.localdate()
    return (
        Consultation.objects.filter(opens_on__lte=today, closes_on__gte=today)
        .select_related("version__regulation", "version__regulation__pemrakarsa")
        .defer("version__snapshot")
        .annotate(n_comments=Count("comments")).order_by("closes_on", "id")
    )


def public_consultations(today: dt.date | None = None) -> QuerySet[Consultation]:
    """Open and past consultations (past ones stay public with their answers)."""
    today = today or timezone.localdate()
    return (
        Consultation.objects.filter(opens_on__lte=today)
        .select_related("version__regulation", "version__regulation__pemrakarsa")
        .defer("version__snapshot")
        .annotate(n_comments=Count("comments")).order_by("-closes_on", "-id")
    )


def comments_of(consultation: Consultation) -> QuerySet[PublicComment]:
    return consultation.comments.select_related("decided_by").order_by("created_at", "id")


def comments_by_provision(consultation: Consultation, snapshot: dict | None = None) -> list[dict]:
    """Comments grouped per provision in document order, general comments first."""
    snapshot = snapshot if snapshot is not None else consultation.version.snapshot
    provisions = commentable_provisions(snapshot)
    groups: dict[str, list[PublicComment]] = {}
    for comment in comments_of(consultation):
        key = str(comment.provision_uid) if comment.provision_uid else ""
        groups.setdefault(key, []).append(comment)
    result = []
    if "" in groups:
        result.append({"uid": "", "label": "Umum", "comments": groups.pop("")})
    for p in provisions:
        if p.uid in groups:
            result.append({"uid": p.uid, "label": p.label, "comments": groups.pop(p.uid)})
    for uid, comments in groups.items():  # a provision missing from the version (should not happen)
        result.append({"uid": uid, "label": comments[0].provision_label or uid, "comments": comments})
    return result


# --- JDIH -----------------------------------------------------------------------------------------------

def jdih_list(*, q: str = "", number: int | None = None, year: int | None = None, kind: str = "") -> QuerySet[Regulation]:
    """Enacted and published regulations, searchable by number, year, title and text.

    Text search is a case-insensitive match over the enacted version's snapshot (portable; PostgreSQL
    full-text would be faster on a large collection)."""
    qs = (
        Regulation.objects.filter(formation__stage=Stage.SELESAI, enacted_version__isnull=False)
        .select_related("formation", "pemrakarsa").order_by("-year", "-number")
    )
    if kind:
        qs = qs.filter(kind=kind)
    if number:
        qs = qs.filter(number=number)
    if year:
        qs = qs.filter(year=year)
    if q:
        q = q.strip()
        qs = qs.filter(Q(title__icontains=q) | Q(enacted_version__in=_text_matches(q)))
    return qs


def _text_matches(q: str) -> QuerySet[Version]:
    # JSONField has no portable icontains on SQLite; cast to text by filtering on the stored JSON string.
    from django.db.models import TextField
    from django.db.models.functions import Cast

    return Version.objects.annotate(body_text=Cast("snapshot", TextField())).filter(body_text__icontains=q).values("pk")
