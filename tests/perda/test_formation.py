"""The formation stages: FSM paths, the flow following them, withdrawal rules, recorded results."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from viewflow.workflow.status import PROCESS, STATUS

from perda.flows import STAGE_TASKS, FormationFlow
from perda.models import Formation, StageRecord, Version
from perda.services import enactment, formation as svc
from perda.states import Stage
from workflows.models import AuditEvent
from workflows.policy import Denied

from .formation_support import fill_jdih_metadata, make_draft, people  # noqa: F401

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def open_tasks(formation: Formation):
    return list(formation.process.task_set.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED])
                .exclude(flow_task_type__in=["START", "END"]))


def assert_flow_matches(formation: Formation) -> None:
    """The flow's open task is the task of the stage the FSM is in; a terminal stage ends the process."""
    formation = Formation.objects.get(pk=formation.pk)
    tasks = open_tasks(formation)
    if formation.stage in STAGE_TASKS:
        assert [t.flow_task.name for t in tasks] == [STAGE_TASKS[formation.stage]]
        assert formation.process.status == PROCESS.NEW
    else:
        assert tasks == []
        assert formation.process.status == PROCESS.DONE


def stages_seen(formation: Formation) -> list[str]:
    return [e.after["stage"] for e in AuditEvent.objects.filter(
        stream=f"perda.regulation:{formation.regulation_id}", action__startswith="formation.").order_by("seq")
        if e.after and "stage" in e.after]


def record(formation, people, outcome, on, number="", **kw):
    rec = svc.formation_record(formation=formation, actor=people.kabag, outcome=outcome, received_on=on,
                               document_number=number, **kw)
    assert_flow_matches(formation)
    return rec


def walk_to_penetapan(people, reg, *, fasilitasi_findings=0, harmonisasi_returns=0, evaluasi_failures=0):
    f = svc.formation_start(regulation=reg, actor=people.perancang)
    assert_flow_matches(f)
    if not f.is_perwali:
        svc.formation_start_drafting(formation=f, actor=people.kabag, on=dt.date(2026, 2, 2))
        assert_flow_matches(f)
    day = dt.date(2026, 2, 3)
    for _ in range(harmonisasi_returns + 1):
        svc.formation_submit(formation=f, actor=people.pemrakarsa, on=day)
        assert_flow_matches(f)
        day += dt.timedelta(days=3)
        if _ < harmonisasi_returns:
            record(f, people, "dikembalikan", day)
            day += dt.timedelta(days=1)
    record(f, people, "selesai", day, "BA-01/HARM/2026")
    if f.is_perwali:
        return Formation.objects.get(pk=f.pk)
    for _ in range(fasilitasi_findings + 1):
        day += dt.timedelta(days=5)
        record(f, people, "selesai", day)  # pembahasan I
        if not f.is_evaluasi:
            day += dt.timedelta(days=5)
            outcome = "ada_temuan" if _ < fasilitasi_findings else "sesuai"
            record(f, people, outcome, day, "180/123-Huk/2026")
    day = dt.date(2026, 3, 16)
    record(f, people, "disetujui", day, "Keputusan DPRD 12/2026")
    record(f, people, "diterima", dt.date(2026, 3, 18))
    day = dt.date(2026, 3, 18)
    if f.is_evaluasi:
        for _ in range(evaluasi_failures):
            record(f, people, "tidak_sesuai", day + dt.timedelta(days=1))
            record(f, people, "diperbaiki", day + dt.timedelta(days=3))
            day += dt.timedelta(days=3)
        record(f, people, "sesuai", day + dt.timedelta(days=1))
        day += dt.timedelta(days=1)
    record(f, people, "dikirim", day + dt.timedelta(days=1))
    record(f, people, "diterbitkan", day + dt.timedelta(days=4), "3-52/2026")
    return Formation.objects.get(pk=f.pk)


def finish(people, f, *, signed_on=dt.date(2026, 4, 1), promulgated_on=dt.date(2026, 4, 2)):
    enactment.formation_enact(formation=f, actor=people.walikota, signed_on=signed_on)
    assert_flow_matches(f)
    enactment.formation_promulgate(formation=f, actor=people.sekda, promulgated_on=promulgated_on)
    assert_flow_matches(f)
    return Formation.objects.get(pk=f.pk)


# --- paths ----------------------------------------------------------------------------------------------

def test_perda_full_path_passes_fasilitasi_and_ends_with_the_flow(people, monkeypatch):
    monkeypatch.setattr("perda.services.enactment.render_version_pdf", lambda version: PDF)
    reg = make_draft(people)
    f = walk_to_penetapan(people, reg)
    assert f.stage == Stage.PENETAPAN
    seen = stages_seen(f)
    assert "fasilitasi" in seen and "evaluasi" not in seen and "pembahasan_2" in seen
    f = finish(people, f)
    assert f.stage == Stage.PENYEBARLUASAN
    enactment.enacted_pdf_freeze(regulation_id=reg.pk)
    fill_jdih_metadata(f, people.kabag)
    svc.formation_publish(formation=f, actor=people.perancang)
    assert_flow_matches(f)
    f = Formation.objects.get(pk=f.pk)
    assert f.stage == Stage.SELESAI and f.published_at is not None
    reg.refresh_from_db()
    assert reg.noreg == "3-52/2026"


def test_perwali_path_skips_every_dprd_and_province_stage(people, monkeypatch):
    monkeypatch.setattr("perda.services.enactment.render_version_pdf", lambda version: PDF)
    reg = make_draft(people, kind="perwali", title="Tata Kelola Layanan Kota Cerdas")
    f = walk_to_penetapan(people, reg)
    assert f.stage == Stage.PENETAPAN
    f = finish(people, f)
    enactment.enacted_pdf_freeze(regulation_id=reg.pk)
    fill_jdih_metadata(f, people.kabag)
    svc.formation_publish(formation=f, actor=people.kabag)
    seen = stages_seen(f)
    assert seen[0] == "penyusunan"
    assert set(seen) == {"penyusunan", "harmonisasi", "penetapan", "pengundangan", "penyebarluasan", "selesai"}
    done = [t.flow_task.name for t in f.process.task_set.filter(flow_task_type="HUMAN").order_by("pk")]
    assert done == ["penyusunan", "harmonisasi", "penetapan", "pengundangan", "penyebarluasan"]
    reg.refresh_from_db()
    # Berita Daerah; the sample Perwali has a penjelasan, which goes in the Tambahan Berita Daerah
    assert reg.gazette_number == 1 and reg.tambahan_number == 1


def test_perwali_without_penjelasan_has_no_tambahan_number(people, monkeypatch):
    from perda.models import Provision, Regulation

    monkeypatch.setattr("perda.services.enactment.render_version_pdf", lambda version: PDF)
    reg = make_draft(people, kind="perwali", title="Jam Layanan Wi-Fi Publik")
    Provision.objects.filter(regulation=reg).update(penjelasan="  ")
    Regulation.objects.filter(pk=reg.pk).update(penjelasan_umum="")
    finish(people, walk_to_penetapan(people, reg))
    reg.refresh_from_db()
    assert reg.gazette_number == 1 and reg.tambahan_number is None


def test_perwali_cannot_be_recorded_as_dprd_result(people):
    reg = make_draft(people, kind="perwali")
    f = svc.formation_start(regulation=reg, actor=people.kabag)
    svc.formation_submit(formation=f, actor=people.pemrakarsa, on=dt.date(2026, 2, 3))
    with pytest.raises(svc.FormationError):
        svc.formation_record(formation=f, actor=people.kabag, outcome="disetujui", received_on=dt.date(2026, 2, 4),
                             document_number="x")
    assert Formation.objects.get(pk=f.pk).stage == Stage.HARMONISASI


def test_evaluasi_perda_skips_fasilitasi_and_loops_on_not_compliant(people):
    reg = make_draft(people, evaluasi_kind="pajak", title="Pajak Daerah")
    f = walk_to_penetapan(people, reg, evaluasi_failures=2)
    seen = stages_seen(f)
    assert "fasilitasi" not in seen
    assert seen.count("perbaikan_evaluasi") == 2 and seen.count("evaluasi") == 3
    assert f.stage == Stage.PENETAPAN
    names = [t.flow_task.name for t in f.process.task_set.filter(flow_task_type="HUMAN").order_by("pk")]
    assert "fasilitasi" not in names and names.count("perbaikan_evaluasi") == 2


def test_loops_back_from_harmonisasi_and_fasilitasi(people):
    reg = make_draft(people)
    f = walk_to_penetapan(people, reg, harmonisasi_returns=1, fasilitasi_findings=1)
    seen = stages_seen(f)
    assert seen.count("harmonisasi") == 2 and seen.count("penyusunan") == 2
    assert seen.count("fasilitasi") == 2 and seen.count("pembahasan_1") == 2
    # Every submission and stage result froze a version.
    assert Version.objects.filter(regulation=reg).count() >= StageRecord.objects.filter(formation=f).count() - 1


def test_flow_tasks_are_addressed_to_positions(people):
    reg = make_draft(people)
    f = svc.formation_start(regulation=reg, actor=people.kabag)
    svc.formation_start_drafting(formation=f, actor=people.kabag)
    task = open_tasks(f)[0]
    assert task.flow_task.name == "penyusunan"
    assert people.pemrakarsa.has_perm(task.owner_permission)
    assert not people.kabag.has_perm(task.owner_permission)
    assert FormationFlow.penyusunan.can_assign(people.pemrakarsa, task)


# --- rules ----------------------------------------------------------------------------------------------

def test_only_bagian_hukum_records_results(people):
    reg = make_draft(people)
    f = svc.formation_start(regulation=reg, actor=people.kabag)
    svc.formation_start_drafting(formation=f, actor=people.kabag)
    svc.formation_submit(formation=f, actor=people.pemrakarsa)
    with pytest.raises(Denied):
        svc.formation_record(formation=f, actor=people.pemrakarsa, outcome="selesai",
                             received_on=dt.date.today())
    assert Formation.objects.get(pk=f.pk).stage == Stage.HARMONISASI


def test_submission_blocked_by_structural_errors(people):
    reg = make_draft(people)
    reg.konsiderans.update(text="untuk mewujudkan sesuatu;")  # does not start with "bahwa"
    f = svc.formation_start(regulation=reg, actor=people.kabag)
    svc.formation_start_drafting(formation=f, actor=people.kabag)
    with pytest.raises(svc.FormationError) as exc:
        svc.formation_submit(formation=f, actor=people.pemrakarsa)
    assert "bahwa" in " ".join(exc.value.messages)
    assert Formation.objects.get(pk=f.pk).stage == Stage.PENYUSUNAN
    assert not Version.objects.filter(regulation=reg).exists()


def test_attachment_is_sniffed_by_content(people):
    reg = make_draft(people)
    f = svc.formation_start(regulation=reg, actor=people.kabag)
    svc.formation_start_drafting(formation=f, actor=people.kabag, on=dt.date(2026, 2, 2))
    svc.formation_submit(formation=f, actor=people.pemrakarsa, on=dt.date(2026, 2, 3))
    fake = SimpleUploadedFile("ba.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(svc.FormationError):
        svc.formation_record(formation=f, actor=people.kabag, outcome="selesai", received_on=dt.date(2026, 2, 9),
                             attachment=fake)
    real = SimpleUploadedFile("berita-acara.pdf", PDF, content_type="application/pdf")
    rec = svc.formation_record(formation=f, actor=people.kabag, outcome="selesai", received_on=dt.date(2026, 2, 9),
                               document_number="BA-7", attachment=real)
    assert rec.attachment.name.endswith(".pdf") and rec.attachment_name == "berita-acara.pdf"
    assert rec.capacity == "Kepala Bagian Hukum" and rec.version is not None


def test_withdrawal_free_before_pembahasan(people):
    reg = make_draft(people)
    f = svc.formation_start(regulation=reg, actor=people.kabag)
    svc.formation_start_drafting(formation=f, actor=people.kabag)
    svc.formation_withdraw(formation=f, actor=people.kabag, reason="Materi diatur Perwali")
    assert_flow_matches(f)
    assert Formation.objects.get(pk=f.pk).stage == Stage.DITARIK


def test_withdrawal_in_pembahasan_needs_joint_agreement(people):
    reg = make_draft(people)
    f = svc.formation_start(regulation=reg, actor=people.kabag)
    svc.formation_start_drafting(formation=f, actor=people.kabag, on=dt.date(2026, 2, 2))
    svc.formation_submit(formation=f, actor=people.pemrakarsa, on=dt.date(2026, 2, 3))
    record(f, people, "selesai", dt.date(2026, 2, 9))
    with pytest.raises(Denied) as exc:
        svc.formation_withdraw(formation=f, actor=people.kabag, reason="Ditunda")
    assert exc.value.code == "withdrawal_needs_agreement"
    assert Formation.objects.get(pk=f.pk).stage == Stage.PEMBAHASAN_1
    svc.formation_withdraw(formation=f, actor=people.kabag, reason="Ditunda",
                           agreement="Berita Acara Persetujuan Bersama Penarikan 1/2026")
    f = Formation.objects.get(pk=f.pk)
    assert f.stage == Stage.DITARIK and f.withdrawal_agreement.startswith("Berita Acara")
    assert_flow_matches(f)


def test_no_withdrawal_after_persetujuan_bersama(people):
    reg = make_draft(people)
    f = walk_to_penetapan(people, reg)
    with pytest.raises(Denied) as exc:
        svc.formation_withdraw(formation=f, actor=people.kabag, reason="x", agreement="y")
    assert exc.value.code == "withdrawal_not_allowed"


def test_enactment_assigns_numbers_and_freezes_text_and_pdf(people, monkeypatch):
    calls = []

    def fake_pdf(version):
        calls.append(version.pk)
        return PDF + str(version.sha256).encode()

    monkeypatch.setattr("perda.services.enactment.render_version_pdf", fake_pdf)
    first = finish(people, walk_to_penetapan(people, make_draft(people, title="Kota Cerdas")))
    second = finish(people, walk_to_penetapan(people, make_draft(people, title="Data Terpadu")))
    a, b = first.regulation, second.regulation
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.number, a.year, a.gazette_number, a.tambahan_number) == (1, 2026, 1, 1)
    assert (b.number, b.year, b.gazette_number, b.tambahan_number) == (2, 2026, 2, 2)
    assert a.enacted_version.snapshot["regulation"]["number"] == 1
    assert a.enacted_version.label == "Diundangkan" and a.sekda_name == "SEKRETARIS UJI"
    digest = enactment.enacted_pdf_freeze(regulation_id=a.pk)
    import hashlib

    a.refresh_from_db()
    assert a.enacted_pdf_sha256 == digest == hashlib.sha256(a.enacted_pdf.read()).hexdigest()
    assert enactment.enacted_pdf_freeze(regulation_id=a.pk) == digest and len(calls) == 1  # frozen once
    with pytest.raises(Exception):
        from perda.services.editor import provision_edit

        provision_edit(actor=people.kabag, provision=a.provisions.filter(kind="pasal").first(), text="diubah")


def test_promulgation_refuses_a_number_already_used(people, monkeypatch):
    monkeypatch.setattr("perda.services.enactment.render_version_pdf", lambda version: PDF)
    finish(people, walk_to_penetapan(people, make_draft(people, title="Satu")))
    f = walk_to_penetapan(people, make_draft(people, title="Dua"))
    enactment.formation_enact(formation=f, actor=people.walikota, signed_on=dt.date(2026, 4, 1))
    with pytest.raises(svc.FormationError):
        enactment.formation_promulgate(formation=f, actor=people.sekda, promulgated_on=dt.date(2026, 4, 2), number=1)
    assert Formation.objects.get(pk=f.pk).stage == Stage.PENGUNDANGAN


def test_only_the_walikota_signs_and_only_the_sekda_promulgates(people):
    f = walk_to_penetapan(people, make_draft(people))
    with pytest.raises(Denied):
        enactment.formation_enact(formation=f, actor=people.kabag, signed_on=dt.date(2026, 4, 1))
    enactment.formation_enact(formation=f, actor=people.walikota, signed_on=dt.date(2026, 4, 1))
    with pytest.raises(Denied):
        enactment.formation_promulgate(formation=f, actor=people.walikota, promulgated_on=dt.date(2026, 4, 2))


def test_task_appears_in_queue_and_opens_the_formation_page(client, people):
    from workflows.site import ensure_urls_loaded

    reg = make_draft(people, title="Kota Cerdas Antrean")
    f = svc.formation_start(regulation=reg, actor=people.kabag)
    svc.formation_start_drafting(formation=f, actor=people.kabag)
    svc.formation_submit(formation=f, actor=people.pemrakarsa)
    task = open_tasks(f)[0]
    assert task.flow_task.name == "harmonisasi"
    client.force_login(people.kabag)
    html = client.get("/workflow/queue/").content.decode()
    assert "Kota Cerdas Antrean" in html  # the inbox entry says what it is about
    ensure_urls_loaded()
    # take the task through viewflow's own assign view, then its page is the formation page
    assign = task.flow_task.reverse("assign", args=[task.process_id, task.pk])
    assert client.post(assign).status_code == 302
    execute = task.flow_task.reverse("execute", args=[task.process_id, task.pk])
    r = client.get(execute)
    assert r.status_code == 302 and r["Location"] == f"/perda/{reg.pk}/pembentukan/"
    # the pemrakarsa cannot take Bagian Hukum's task
    client.force_login(people.pemrakarsa)
    assert "Kota Cerdas Antrean" not in client.get("/workflow/queue/").content.decode()
    # recording the result completes the (assigned) task and opens the next one
    svc.formation_record(formation=f, actor=people.perancang, outcome="selesai", received_on=dt.date.today())
    assert_flow_matches(f)
    task.refresh_from_db()
    assert task.status == STATUS.DONE and task.owner == people.perancang


def _end_selesai(people, f):
    f = finish(people, f)
    enactment.enacted_pdf_freeze(regulation_id=f.regulation_id)
    fill_jdih_metadata(f, people.kabag)
    svc.formation_publish(formation=f, actor=people.kabag)
    return f


SCENARIOS = {
    "perda": lambda p: _end_selesai(p, walk_to_penetapan(p, make_draft(p))),
    "perda-loops": lambda p: _end_selesai(p, walk_to_penetapan(p, make_draft(p), harmonisasi_returns=2,
                                                               fasilitasi_findings=2)),
    "evaluasi": lambda p: _end_selesai(p, walk_to_penetapan(p, make_draft(p, evaluasi_kind="apbd", title="APBD"),
                                                            evaluasi_failures=1)),
    "perwali": lambda p: _end_selesai(p, walk_to_penetapan(p, make_draft(p, kind="perwali"))),
    "dinyatakan-sah": lambda p: _declared(p),
    "ditarik-bebas": lambda p: _withdrawn(p, after_pembahasan=False),
    "ditarik-bersama": lambda p: _withdrawn(p, after_pembahasan=True),
}


def _declared(people):
    f = walk_to_penetapan(people, make_draft(people))
    # Persetujuan bersama 16 March 2026: 30 days have passed under both readings (hari kalender 15 April,
    # hari kerja 6 May) only from 7 May.
    enactment.formation_declare_valid(formation=f, actor=people.kabag, on=dt.date(2026, 5, 7))
    assert_flow_matches(f)
    enactment.formation_promulgate(formation=f, actor=people.sekda, promulgated_on=dt.date(2026, 5, 8))
    enactment.enacted_pdf_freeze(regulation_id=f.regulation_id)
    fill_jdih_metadata(f, people.kabag)
    svc.formation_publish(formation=f, actor=people.kabag)
    return f


def _withdrawn(people, *, after_pembahasan):
    f = svc.formation_start(regulation=make_draft(people), actor=people.kabag)
    svc.formation_start_drafting(formation=f, actor=people.kabag, on=dt.date(2026, 2, 2))
    svc.formation_submit(formation=f, actor=people.pemrakarsa, on=dt.date(2026, 2, 3))
    if after_pembahasan:
        record(f, people, "selesai", dt.date(2026, 2, 5))
        record(f, people, "selesai", dt.date(2026, 2, 9))  # pembahasan I → fasilitasi
    svc.formation_withdraw(formation=f, actor=people.kabag, reason="Ditarik",
                           agreement="BA Penarikan 2/2026" if after_pembahasan else "")
    return f


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_every_path_ends_where_the_flow_ends(people, monkeypatch, scenario):
    monkeypatch.setattr("perda.services.enactment.render_version_pdf", lambda version: PDF)
    f = Formation.objects.get(pk=SCENARIOS[scenario](people).pk)
    assert f.stage == (Stage.DITARIK if scenario.startswith("ditarik") else Stage.SELESAI)
    assert f.process.status == PROCESS.DONE and f.process.finished is not None
    human = f.process.task_set.filter(flow_task_type="HUMAN")
    assert human.exists() and not human.exclude(status=STATUS.DONE).exists()
    # every human task that was done stands for a stage the FSM passed through, in the same order
    stages = [s for s in stages_seen(f) if s in STAGE_TASKS]
    names = [t.flow_task.name for t in human.order_by("pk")]
    collapsed = [s for i, s in enumerate(stages) if i == 0 or s != stages[i - 1] or s == "noreg"]
    assert names == [STAGE_TASKS[s] for s in collapsed]


def test_pemrakarsa_of_another_office_may_not_submit(people):
    from tests.factories import AssignmentFactory, OrgUnitFactory, PositionFactory, UserFactory
    from workflows.models import OrgUnitKind, PositionKind

    other = PositionFactory(code="pemrakarsa-bpkad", kind=PositionKind.PEMRAKARSA, title="Pemrakarsa BPKAD",
                            org_unit=OrgUnitFactory(code="bpkad-uji", kind=OrgUnitKind.PERANGKAT_DAERAH))
    stranger = UserFactory(username="pemrakarsa.lain")
    AssignmentFactory(position=other, user=stranger)
    f = svc.formation_start(regulation=make_draft(people), actor=people.kabag)
    svc.formation_start_drafting(formation=f, actor=people.kabag)
    with pytest.raises(Denied) as exc:
        svc.formation_submit(formation=f, actor=stranger)
    assert exc.value.code == "not_pemrakarsa"
    svc.formation_submit(formation=f, actor=people.pemrakarsa)
    assert Formation.objects.get(pk=f.pk).stage == Stage.HARMONISASI
