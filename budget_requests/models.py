"""IT-repair spending: assets, the delegation matrix, budget envelopes with their ledger, repair requests.

DOMAIN.md §2 and §6. Rows here hold data and database constraints only; every write goes through
``budget_requests.services`` (the envelope totals in particular are written only by the ledger service under
a row lock, and the request's ``state`` only by its FSM transitions).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from viewflow.workflow.models import Process

from workflows.models import OrgUnit, Position, PositionKind

from .levels import LEVEL_CHOICES, LEVELS, default_level_code


# --- Assets -----------------------------------------------------------------------------------------------
class AssetKind(models.TextChoices):
    PC = "pc", _("Komputer (PC)")
    PRINTER = "printer", _("Printer")
    NETWORK = "network", _("Perangkat jaringan")
    CCTV = "cctv", _("CCTV")
    WIFI_PUBLIK = "wifi_publik", _("Titik Wi-Fi publik")
    KIOSK = "kiosk", _("Anjungan layanan mandiri")
    SERVER = "server", _("Server")


class OwnerAuthority(models.TextChoices):
    KOTA = "kota", _("Pemerintah Kota")
    PROVINSI = "provinsi", _("Pemerintah Provinsi")


class Asset(models.Model):
    """An IT asset at an office or a public site. A province-owned asset is not repaired from city money."""

    tag = models.CharField(_("nomor aset"), max_length=64, unique=True)
    kind = models.CharField(_("jenis"), max_length=16, choices=AssetKind.choices)
    description = models.CharField(_("uraian"), max_length=300)
    location = models.CharField(_("lokasi"), max_length=300, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="assets"
    )
    owner_authority = models.CharField(
        _("pemilik aset"), max_length=16, choices=OwnerAuthority.choices, default=OwnerAuthority.KOTA
    )
    technical_owner = models.ForeignKey(
        OrgUnit, verbose_name=_("pemilik teknis"), on_delete=models.PROTECT, related_name="technical_assets",
        null=True, blank=True, help_text=_("Biasanya Diskominfo."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("aset TI")
        verbose_name_plural = _("aset TI")
        ordering = ["tag"]

    def __str__(self) -> str:
        return f"{self.tag} — {self.description}"

    @property
    def is_province_owned(self) -> bool:
        return self.owner_authority == OwnerAuthority.PROVINSI


# --- Delegation matrix ------------------------------------------------------------------------------------
class RepairCategory(models.TextChoices):
    HARDWARE = "hardware", _("Perangkat keras")
    NETWORK = "network", _("Jaringan")
    CCTV = "cctv", _("CCTV")
    WIFI = "wifi", _("Wi-Fi publik")
    SOFTWARE = "software", _("Perangkat lunak")
    OTHER = "other", _("Lainnya")


class StepKind(models.TextChoices):
    APPROVE = "approve", _("Persetujuan")
    TECHNICAL_VERIFICATION = "technical_verification", _("Verifikasi teknis")
    FINANCE = "finance", _("Persetujuan keuangan")


class ResponseUnit(models.TextChoices):
    HOURS = "hours", _("jam kerja")
    WORKING_DAYS = "working_days", _("hari kerja")


class DelegationRule(models.Model):
    """One row of the delegation matrix (set by the Wali Kota's decree; data, not code).

    In force on day D when ``fiscal_year == D.year`` and ``effective_from <= D <= effective_until`` (open when
    empty). ``category`` empty means every category; a category-specific rule for the same position kind
    wins over the general one. See ``budget_requests.routing`` for how a route is built from these rows.
    """

    fiscal_year = models.PositiveSmallIntegerField(_("tahun anggaran"))
    effective_from = models.DateField(_("berlaku mulai"))
    effective_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    position_kind = models.CharField(_("jenis jabatan"), max_length=32, choices=PositionKind.choices)
    category = models.CharField(
        _("kategori perbaikan"), max_length=16, choices=RepairCategory.choices, null=True, blank=True,
        help_text=_("Kosong berarti semua kategori."),
    )
    max_single_amount = models.PositiveBigIntegerField(_("batas per permohonan (Rp)"))
    monthly_cap_per_unit = models.PositiveBigIntegerField(
        _("batas kumulatif per unit per bulan (Rp)"), null=True, blank=True
    )
    acting_allowed = models.BooleanField(_("Plh/Plt boleh memutus"), default=False)
    acting_share_pct = models.PositiveSmallIntegerField(
        _("porsi batas untuk Plh/Plt (%)"), default=100,
        help_text=_("Mis. 50 berarti Plh/Plt hanya boleh memutus sampai 50% dari batas."),
    )
    endorses_above_limit = models.BooleanField(
        _("meneruskan dengan rekomendasi di atas batas"), default=False,
        help_text=_("Jika dicentang, permohonan di atas batas tetap melewati jabatan ini (mis. camat sebagai "
                    "Pengguna Anggaran) sebelum naik ke tingkat berikutnya."),
    )
    step_order = models.PositiveSmallIntegerField(_("urutan tingkat"))
    step_kind = models.CharField(_("jenis langkah"), max_length=32, choices=StepKind.choices, default=StepKind.APPROVE)
    response_time_value = models.PositiveIntegerField(_("waktu tanggap"), default=1)
    response_time_unit = models.CharField(
        _("satuan waktu tanggap"), max_length=16, choices=ResponseUnit.choices, default=ResponseUnit.WORKING_DAYS
    )
    level = models.CharField(
        _("tingkat keputusan"), max_length=16, choices=LEVEL_CHOICES, blank=True,
        help_text=_("Peran anggaran jabatan ini (KPA, PA, verifikasi teknis, BUD). Kosong: menurut jenis jabatan."),
    )
    applies_above = models.PositiveBigIntegerField(
        _("berlaku untuk nilai di atas (Rp)"), null=True, blank=True,
        help_text=_("Untuk verifikasi teknis: hanya permohonan di atas nilai ini yang diverifikasi."),
    )
    legal_basis = models.CharField(_("dasar hukum / SK"), max_length=300, blank=True)
    needs_confirmation = models.BooleanField(
        _("perlu dikonfirmasi"), default=True, help_text=_("Dasar hukum atau angka ini masih perlu dikonfirmasi."),
    )
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("aturan pelimpahan wewenang")
        verbose_name_plural = _("matriks pelimpahan wewenang")
        ordering = ["fiscal_year", "step_order", "category", "-effective_from"]
        constraints = [
            models.CheckConstraint(condition=Q(max_single_amount__gt=0), name="delegationrule_max_positive"),
            models.CheckConstraint(
                condition=Q(acting_share_pct__gte=0) & Q(acting_share_pct__lte=100),
                name="delegationrule_share_0_100",
            ),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True) | Q(effective_until__gte=F("effective_from")),
                name="delegationrule_until_after_from",
            ),
            models.CheckConstraint(condition=Q(response_time_value__gt=0), name="delegationrule_response_positive"),
        ]
        indexes = [models.Index(fields=["fiscal_year", "effective_from"])]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        level = LEVELS[self.level or default_level_code(self.position_kind, self.step_kind)]
        if self.position_kind not in level.position_kinds:
            raise ValidationError({"level": _("Jabatan ini tidak dapat berada pada tingkat %(level)s.")
                                   % {"level": level.label}})
        if not level.in_route:
            raise ValidationError({"level": _("%(level)s tidak menyetujui belanja atas nama Pengguna Anggaran; "
                                              "perannya ada pada penerbitan SP2D.") % {"level": level.label}})

    def __str__(self) -> str:
        cat = self.get_category_display() if self.category else _("semua kategori")
        return f"{self.fiscal_year} · {self.get_position_kind_display()} · {cat} · Rp{self.max_single_amount:,}".replace(
            ",", "."
        )


# --- Envelopes and ledger ---------------------------------------------------------------------------------
class Envelope(models.Model):
    """A budget envelope (pagu): a unit's money for one account code in one fiscal year.

    ``allocated``, ``reserved`` and ``paid`` are running totals of the ledger, written only by
    ``services.ledger`` under ``select_for_update``; the database refuses any row whose room would go negative.
    """

    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="envelopes")
    account_code = models.CharField(_("kode rekening"), max_length=64)
    sub_kegiatan = models.CharField(_("sub kegiatan"), max_length=32, blank=True,
                                    help_text=_("Kode sub kegiatan DPA (Permendagri 90/2019 dan perubahannya)."))
    code_list_version = models.CharField(
        _("versi kodefikasi"), max_length=32, blank=True,
        help_text=_("Versi daftar kodefikasi yang dipakai memvalidasi kode saat pagu dibuat."))
    fiscal_year = models.PositiveSmallIntegerField(_("tahun anggaran"))
    name = models.CharField(_("nama"), max_length=200)
    allocated = models.BigIntegerField(_("pagu"), default=0)
    reserved = models.BigIntegerField(_("terikat"), default=0)
    paid = models.BigIntegerField(_("terbayar"), default=0)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("pagu anggaran")
        verbose_name_plural = _("pagu anggaran")
        ordering = ["fiscal_year", "org_unit__path", "account_code"]
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "account_code", "fiscal_year"], name="envelope_unique_unit_account_year"),
            models.CheckConstraint(condition=Q(allocated__gte=0), name="envelope_allocated_nonneg"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="envelope_reserved_nonneg"),
            models.CheckConstraint(condition=Q(paid__gte=0), name="envelope_paid_nonneg"),
            models.CheckConstraint(
                condition=Q(allocated__gte=F("reserved") + F("paid")), name="envelope_room_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.account_code}, {self.fiscal_year})"

    @property
    def room(self) -> int:
        """Allocation − reserved − paid."""
        return self.allocated - self.reserved - self.paid


class LedgerKind(models.TextChoices):
    ALLOCATE = "allocate", _("Alokasi")
    RESERVE = "reserve", _("Pencadangan")
    PAY = "pay", _("Pembayaran")
    RELEASE = "release", _("Pelepasan")


class LedgerEntry(models.Model):
    """One append-only movement on an envelope. Written only by ``services.ledger``."""

    envelope = models.ForeignKey(Envelope, verbose_name=_("pagu"), on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("jenis"), max_length=16, choices=LedgerKind.choices)
    amount = models.PositiveBigIntegerField(_("jumlah (Rp)"))
    request = models.ForeignKey(
        "RepairRequest", verbose_name=_("permohonan"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="ledger_entries",
    )
    spp_number = models.CharField(_("nomor SPP"), max_length=64, blank=True)
    spm_number = models.CharField(_("nomor SPM"), max_length=64, blank=True)
    sp2d_number = models.CharField(_("nomor SP2D"), max_length=64, blank=True)
    paid_on = models.DateField(_("tanggal bayar"), null=True, blank=True)
    room_after = models.BigIntegerField(_("sisa pagu setelahnya"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("pelaku"), on_delete=models.PROTECT, null=True)
    capacity = models.CharField(_("kapasitas"), max_length=200, blank=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("entri buku besar")
        verbose_name_plural = _("buku besar pagu")
        ordering = ["envelope", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="ledgerentry_amount_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} Rp{self.amount:,}".replace(",", ".")


# --- Repair requests --------------------------------------------------------------------------------------
class RequestState(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    UNDER_REVIEW = "under_review", _("Dalam penelaahan")
    RETURNED = "returned", _("Dikembalikan untuk perbaikan")
    APPROVED = "approved", _("Disetujui")
    SPP_SUBMITTED = "spp_submitted", _("SPP diajukan, menunggu verifikasi PPK-SKPD")
    SPP_VERIFIED = "spp_verified", _("SPP terverifikasi, menunggu SPM")
    SPM_ISSUED = "spm_issued", _("SPM terbit, menunggu SP2D")
    REJECTED = "rejected", _("Ditolak")
    FORWARDED_TO_PROVINCE = "forwarded_to_province", _("Diteruskan ke Provinsi")
    PAID = "paid", _("Dibayar")
    CLOSED = "closed", _("Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")


class Urgency(models.TextChoices):
    LOW = "low", _("Rendah")
    NORMAL = "normal", _("Sedang")
    HIGH = "high", _("Tinggi")
    CRITICAL = "critical", _("Darurat (layanan berhenti)")


class PaymentRoute(models.TextChoices):
    UP = "UP", _("Uang Persediaan (UP)")
    LS = "LS", _("Langsung (LS)")


S = RequestState


class RepairRequest(models.Model):
    """A request to pay for repairing one IT asset.

    ``route`` is frozen at submission: a list of step dicts (see ``routing.RouteStep.as_dict``) with the rule
    that put each step there; ``current_step`` indexes into it. ``state`` changes only through the transition
    methods below, called by the services.
    """

    number = models.CharField(_("nomor"), max_length=32, unique=True, null=True, blank=True)
    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="repair_requests")
    asset = models.ForeignKey(Asset, verbose_name=_("aset"), on_delete=models.PROTECT, related_name="repair_requests")
    category = models.CharField(_("kategori"), max_length=16, choices=RepairCategory.choices)
    problem = models.TextField(_("uraian kerusakan"))
    amount = models.PositiveBigIntegerField(_("nilai (Rp)"))
    urgency = models.CharField(_("urgensi"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    payment_route = models.CharField(_("mekanisme bayar"), max_length=2, choices=PaymentRoute.choices, default=PaymentRoute.UP)
    envelope = models.ForeignKey(Envelope, verbose_name=_("pagu"), on_delete=models.PROTECT, related_name="requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pemohon"), on_delete=models.PROTECT, related_name="repair_requests"
    )
    requester_position = models.ForeignKey(
        Position, verbose_name=_("jabatan pemohon"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("terakhir diubah oleh"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )
    state = FSMField(_("status"), default=S.DRAFT, choices=RequestState.choices, protected=True, db_index=True)
    route = models.JSONField(_("rute persetujuan"), default=list, blank=True)
    route_date = models.DateField(_("tanggal aturan rute"), null=True, blank=True)
    current_step = models.PositiveSmallIntegerField(_("langkah saat ini"), default=0)
    escalation_level = models.PositiveSmallIntegerField(_("tingkat eskalasi langkah ini"), default=0)
    escalated_to = models.ForeignKey(
        Position, verbose_name=_("dieskalasi ke"), on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("Jabatan satu tingkat di atas yang boleh memutus langkah ini setelah terlambat."),
    )
    step_started_at = models.DateTimeField(_("langkah dimulai"), null=True, blank=True)
    is_flagged = models.BooleanField(_("bertanda merah"), default=False)
    revision = models.PositiveSmallIntegerField(_("revisi ke"), default=0)
    process = models.OneToOneField(
        Process, verbose_name=_("proses"), on_delete=models.SET_NULL, null=True, blank=True, related_name="repair_request"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    decided_at = models.DateTimeField(_("diputus"), null=True, blank=True)
    paid_at = models.DateTimeField(_("dibayar"), null=True, blank=True)
    closed_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("diteruskan ke provinsi"), null=True, blank=True)
    status_note = models.TextField(_("catatan status terakhir"), blank=True)

    class Meta:
        verbose_name = _("permohonan perbaikan")
        verbose_name_plural = _("permohonan perbaikan")
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="repairrequest_amount_positive")]
        indexes = [
            models.Index(fields=["org_unit", "state"]),
            models.Index(fields=["asset", "submitted_at"]),
            models.Index(fields=["state", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.number or _("Draf #%(pk)s") % {"pk": self.pk}

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        """``state`` is a protected FSM field (only transitions assign it); reloading must still work."""
        if fields is None or "state" in fields:
            self.__dict__.pop("state", None)
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)

    # --- route helpers (no queries) ---
    @property
    def current_route_step(self) -> dict | None:
        if 0 <= self.current_step < len(self.route):
            return self.route[self.current_step]
        return None

    @property
    def is_last_step(self) -> bool:
        return self.current_step >= len(self.route) - 1

    # --- FSM (the only writer of ``state``; callers save) ---
    @transition(field=state, source=S.DRAFT, target=S.SUBMITTED)
    def submit(self) -> None:
        pass

    @transition(field=state, source=S.RETURNED, target=S.SUBMITTED)
    def resubmit(self) -> None:
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.UNDER_REVIEW)
    def start_review(self) -> None:
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.FORWARDED_TO_PROVINCE)
    def forward_to_province(self) -> None:
        pass

    @transition(field=state, source=S.UNDER_REVIEW, target=S.UNDER_REVIEW)
    def advance(self) -> None:
        """An intermediate step approved (endorsed/verified): the next step of the route starts."""

    @transition(field=state, source=S.UNDER_REVIEW, target=S.APPROVED)
    def approve(self) -> None:
        pass

    @transition(field=state, source=S.UNDER_REVIEW, target=S.RETURNED)
    def return_for_revision(self) -> None:
        pass

    @transition(field=state, source=S.UNDER_REVIEW, target=S.REJECTED)
    def reject(self) -> None:
        pass

    # Payment (Permendagri 77/2020): LS goes SPP → verification by the PPK-SKPD → SPM → SP2D; each refusal
    # goes back one document. UP is spent from the bendahara's UP cash against its evidence.
    @transition(field=state, source=S.APPROVED, target=S.SPP_SUBMITTED)
    def submit_spp(self) -> None:
        """The SPP-LS is prepared and submitted for verification."""

    @transition(field=state, source=S.SPP_SUBMITTED, target=S.SPP_VERIFIED)
    def verify_spp(self) -> None:
        """The PPK-SKPD found the SPP complete."""

    @transition(field=state, source=S.SPP_SUBMITTED, target=S.APPROVED)
    def refuse_spp(self) -> None:
        """The PPK-SKPD sent the SPP back (reason recorded)."""

    @transition(field=state, source=S.SPP_VERIFIED, target=S.SPM_ISSUED)
    def issue_spm(self) -> None:
        """The PA/KPA signed the SPM."""

    @transition(field=state, source=S.SPP_VERIFIED, target=S.APPROVED)
    def refuse_spm(self) -> None:
        """The PA/KPA refused to sign the SPM: back to the SPP (reason recorded)."""

    @transition(field=state, source=S.SPM_ISSUED, target=S.PAID)
    def issue_sp2d(self) -> None:
        """The Kuasa BUD issued the SP2D: the vendor is paid."""

    @transition(field=state, source=S.SPM_ISSUED, target=S.SPP_VERIFIED)
    def refuse_sp2d(self) -> None:
        """The Kuasa BUD refused the SPM: back to the PA/KPA (reason recorded)."""

    @transition(field=state, source=S.APPROVED, target=S.PAID)
    def spend_from_up(self) -> None:
        """Paid from the bendahara's UP cash against its evidence (accounted in the SPJ, replenished by GU)."""

    @transition(field=state, source=[S.PAID, S.FORWARDED_TO_PROVINCE], target=S.CLOSED)
    def close(self) -> None:
        pass

    @transition(field=state, source=[S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED, S.APPROVED], target=S.CANCELLED)
    def cancel(self) -> None:
        pass


class RequestNumberSequence(models.Model):
    """The last number given per year, locked while a number is taken (gap-free within a year)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("urutan nomor permohonan")
        verbose_name_plural = _("urutan nomor permohonan")


class Quote(models.Model):
    request = models.ForeignKey(RepairRequest, verbose_name=_("permohonan"), on_delete=models.PROTECT, related_name="quotes")
    vendor_name = models.CharField(_("nama penyedia"), max_length=200)
    vendor_npwp = models.CharField(_("NPWP penyedia"), max_length=32, blank=True)
    amount = models.PositiveBigIntegerField(_("nilai penawaran (Rp)"))
    file = models.FileField(_("berkas penawaran"), upload_to="budget_requests/quotes/%Y/%m/", blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("penawaran")
        verbose_name_plural = _("penawaran")
        ordering = ["request", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="quote_amount_positive")]

    def __str__(self) -> str:
        return f"{self.vendor_name}: Rp{self.amount:,}".replace(",", ".")


class Photo(models.Model):
    request = models.ForeignKey(RepairRequest, verbose_name=_("permohonan"), on_delete=models.PROTECT, related_name="photos")
    file = models.FileField(_("berkas"), upload_to="budget_requests/photos/%Y/%m/")
    content_type = models.CharField(_("jenis isi"), max_length=64)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("diunggah oleh"), on_delete=models.PROTECT, null=True)
    created_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        verbose_name = _("foto")
        verbose_name_plural = _("foto")
        ordering = ["request", "pk"]


class DecisionOutcome(models.TextChoices):
    APPROVE = "approve", _("Setuju")
    RETURN = "return", _("Kembalikan untuk perbaikan")
    REJECT = "reject", _("Tolak")
    FORWARD = "forward", _("Teruskan ke Provinsi")


class Decision(models.Model):
    """One decision on one step of a request, with the capacity and the rule that allowed it."""

    request = models.ForeignKey(RepairRequest, verbose_name=_("permohonan"), on_delete=models.PROTECT, related_name="decisions")
    step_index = models.PositiveSmallIntegerField(_("langkah"))
    revision = models.PositiveSmallIntegerField(_("revisi"), default=0)
    position = models.ForeignKey(Position, verbose_name=_("jabatan"), on_delete=models.PROTECT, null=True, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("pejabat"), on_delete=models.PROTECT, null=True, related_name="+")
    capacity_label = models.CharField(_("kapasitas"), max_length=200, blank=True)
    outcome = models.CharField(_("keputusan"), max_length=16, choices=DecisionOutcome.choices)
    is_final = models.BooleanField(_("keputusan akhir"), default=False)
    amount = models.PositiveBigIntegerField(_("nilai saat diputus (Rp)"))
    reason = models.TextField(_("alasan"), blank=True)
    justification = models.TextField(_("justifikasi tanda merah"), blank=True)
    rule = models.ForeignKey(DelegationRule, verbose_name=_("aturan dasar"), on_delete=models.PROTECT, null=True, related_name="decisions")
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("keputusan")
        verbose_name_plural = _("keputusan")
        ordering = ["request", "pk"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} — {self.capacity_label}"


class RedFlagKind(models.TextChoices):
    SPLIT_PURCHASE = "split_purchase", _("Dugaan pemecahan paket (Perpres 16/2018 Ps. 20(2)(d))")


class RedFlagFinding(models.TextChoices):
    SPLIT = "split", _("Pemecahan paket — ditindaklanjuti")
    NOT_SPLIT = "not_split", _("Bukan pemecahan paket")
    FOLLOW_UP = "follow_up", _("Perlu pemeriksaan lanjutan")


class RedFlag(models.Model):
    """A warning for the Inspektorat. It does not block; approving a flagged request needs a justification.
    ``explanation`` names the requests and the rule crossed; the Inspektorat records its ``finding``."""

    kind = models.CharField(_("jenis"), max_length=32, choices=RedFlagKind.choices, default=RedFlagKind.SPLIT_PURCHASE)
    request = models.ForeignKey(RepairRequest, verbose_name=_("permohonan"), on_delete=models.PROTECT, related_name="red_flags")
    related_requests = models.ManyToManyField(RepairRequest, verbose_name=_("permohonan terkait"), related_name="+", blank=True)
    basis = models.CharField(_("dasar pengelompokan"), max_length=16)  # redflags.BASIS_ORDER (older: unit, category)
    basis_value = models.CharField(_("nilai pengelompokan"), max_length=200, blank=True)
    window_days = models.PositiveSmallIntegerField(_("jendela (hari)"))
    window_start = models.DateTimeField(_("awal jendela"))
    window_end = models.DateTimeField(_("akhir jendela"))
    total = models.PositiveBigIntegerField(_("jumlah dalam jendela (Rp)"))
    threshold = models.PositiveBigIntegerField(_("batas yang terlampaui (Rp)"))
    threshold_kind = models.CharField(_("jenis batas"), max_length=32)  # approver_limit | procurement
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ditelaah oleh"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("ditelaah"), null=True, blank=True)
    review_note = models.TextField(_("catatan telaah"), blank=True)
    finding = models.CharField(_("temuan telaah"), max_length=16, choices=RedFlagFinding.choices, blank=True)
    explanation = models.TextField(_("penjelasan"), blank=True)
    legal_basis = models.CharField(_("dasar aturan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tanda merah")
        verbose_name_plural = _("tanda merah")
        ordering = ["-created_at", "-pk"]
        # The dashboard shows the newest flags: walked in this order, the database stops after a page of them
        # instead of joining every flag with its request.
        indexes = [models.Index(fields=["-created_at", "-id"], name="redflag_newest_first")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.request}"


class PaymentDocumentKind(models.TextChoices):
    SPP = "spp", _("SPP-LS")
    VERIFICATION = "verifikasi", _("Verifikasi SPP oleh PPK-SKPD")
    SPM = "spm", _("SPM-LS")
    SP2D = "sp2d", _("SP2D")
    UP_SPEND = "bukti_up", _("Bukti belanja dari UP")


class PaymentDocument(models.Model):
    """One act of the payment chain of a request, by the official who signed it: an SPP prepared, a
    verification, an SPM signed, an SP2D issued, a spend from UP with its evidence, or a refusal of one of
    them (``refused`` with its reason). Append-only; written only by ``services.payments``."""

    request = models.ForeignKey(RepairRequest, verbose_name=_("permohonan"), on_delete=models.PROTECT,
                                related_name="payment_documents")
    kind = models.CharField(_("jenis"), max_length=16, choices=PaymentDocumentKind.choices)
    refused = models.BooleanField(_("ditolak"), default=False)
    reason = models.TextField(_("alasan penolakan"), blank=True)
    number = models.CharField(_("nomor"), max_length=64, blank=True)
    issued_on = models.DateField(_("tanggal"))
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("penanda tangan"), on_delete=models.PROTECT,
                               related_name="+")
    signer_name = models.CharField(_("nama penanda tangan"), max_length=200)
    position = models.ForeignKey(Position, verbose_name=_("jabatan"), on_delete=models.PROTECT, related_name="+")
    capacity_label = models.CharField(_("kapasitas"), max_length=200)
    amount = models.PositiveBigIntegerField(_("nilai bruto (Rp)"))
    # LS: the vendor paid directly, and the taxes withheld (whole rupiah).
    payee_name = models.CharField(_("nama penerima"), max_length=200, blank=True)
    payee_npwp = models.CharField(_("NPWP penerima"), max_length=32, blank=True)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account = models.CharField(_("nomor rekening"), max_length=40, blank=True)
    ppn = models.PositiveBigIntegerField(_("PPN (Rp)"), default=0)
    pph = models.PositiveBigIntegerField(_("PPh (Rp)"), default=0)
    pph_article = models.CharField(_("pasal PPh"), max_length=32, blank=True)
    # SPP-LS: the contract (SPK/surat perjanjian) the vendor is paid under and its evidence, as SIPD asks.
    contract_number = models.CharField(_("nomor kontrak"), max_length=64, blank=True)
    contract_date = models.DateField(_("tanggal kontrak"), null=True, blank=True)
    evidence = models.CharField(_("bukti (kuitansi/faktur/BAST)"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("dokumen pembayaran")
        verbose_name_plural = _("dokumen pembayaran")
        ordering = ["request", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="paymentdocument_amount_positive"),
            models.CheckConstraint(condition=Q(ppn__gte=0) & Q(pph__gte=0), name="paymentdocument_taxes_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()

    @property
    def net_amount(self) -> int:
        """What reaches the payee: the gross amount less the taxes withheld."""
        return self.amount - self.ppn - self.pph


class RepairProcess(Process):
    """The viewflow process of one repair request (``process.repair_request`` is the document)."""

    class Meta:
        proxy = True
        verbose_name = _("proses permohonan perbaikan")
        verbose_name_plural = _("proses permohonan perbaikan")

    @property
    def request_obj(self) -> RepairRequest | None:
        return RepairRequest.objects.filter(process_id=self.pk).select_related("org_unit", "asset").first()


# Finance tracking (issue 5): monthly reports and what-if scenarios live in budget_requests.finance.
from .finance.models import EnvelopeFigure, FigureChange, MonthlyReport, RequestFigure, Scenario  # noqa: E402,F401
# File exchange with SIPD penatausahaan (export of SPP/SPM, import and reconciliation of SP2D).
from .sipd.models import Sp2dImport, Sp2dLine, SipdExport, SipdExportLine  # noqa: E402,F401

# Complaints from SIARAN and SP4N-LAPOR! live in budget_requests.complaints.
from .complaints.models import (  # noqa: E402,F401
    Complaint, ComplaintProcess, ComplaintSource, ComplaintUpdate,
)
