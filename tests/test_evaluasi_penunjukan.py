"""An acting Sekretaris (Plh/Plt, issue 18 point 6): within the appointment the appointee
fills and submits the office's self-assessment and may dispute its provisional result; the
audit names the appointee and the position acted in, as a document's signature does;
outside the period the refusal names it."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tenants.penunjukan import JenisPenunjukan
from tenants.people import Peran
from tests.conftest import csrf_token_from
from tests.test_evaluasi import TAHUN, _isi_semua, _nilai_semua
from tests.test_penunjukan import tunjuk
from workflow import audit
from workflow.errors import Ditolak
from workflow.evaluasi import operations, policy, queries
from workflow.evaluasi.models import StatusEvaluasi
from workflow.evaluasi.operations import IsianKriteria

PLH_SEKRETARIS = "Plh. Sekretaris KPU Kota Batu"


def _entries(db, aksi: str) -> list[audit.AuditEntry]:
    return list(db.session.scalars(select(audit.AuditEntry).where(audit.AuditEntry.aksi == aksi)
                                   .order_by(audit.AuditEntry.seq)))


def test_a_plh_sekretaris_fills_and_submits_and_the_audit_names_both(db, tree, people, batu):
    pelaksana = batu.subbag_rendatin
    assert not policy.isi(pelaksana, tree["35.79"])
    p = tunjuk(db, batu.admin, tree, pelaksana)

    _isi_semua(db, tree["35.79"], pelaksana)
    operations.transisi(db.session, tree["35.79"], TAHUN, "ajukan", pelaksana)
    db.session.commit()
    assert queries.evaluasi(db.session, tree["35.79"].id, TAHUN).status is StatusEvaluasi.DIAJUKAN

    for aksi in ("evaluasi_isi", "evaluasi_ajukan"):
        entry = _entries(db, aksi)[-1]
        rincian = json.loads(entry.rincian)
        assert (entry.username, entry.peran) == (pelaksana.username, PLH_SEKRETARIS), aksi
        assert (rincian["penunjukan_id"], rincian["sebagai"], rincian["nomor_surat"]) == \
            (p.id, PLH_SEKRETARIS, "123/KPU-Kot/XII/2026"), aksi


def test_a_plt_ketua_disputes_and_a_plh_outside_the_period_is_told_the_period(db, tree, people, batu):
    batu_satker, insp = tree["35.79"], people("RI").inspektorat
    _isi_semua(db, batu_satker, batu.sekretaris)
    operations.transisi(db.session, batu_satker, TAHUN, "ajukan", batu.sekretaris)
    _nilai_semua(db, batu_satker, insp)
    operations.tulis_temuan(db.session, batu_satker, TAHUN, insp, "RAK belum selaras", "Selaraskan RAK")
    operations.transisi(db.session, batu_satker, TAHUN, "terbitkan", insp)
    db.session.commit()
    # The Sekretaris in person is named as ever, without an appointment.
    own = _entries(db, "evaluasi_ajukan")[-1]
    assert own.username == batu.sekretaris.username and "penunjukan_id" not in json.loads(own.rincian)

    lewat = batu.subbag_kul
    tunjuk(db, batu.admin, tree, lewat, mulai=-30, sampai=-10, nomor="9/KPU-Kot/XI/2026")
    with pytest.raises(Ditolak, match="di luar masa itu"):
        operations.sanggah(db.session, batu_satker, TAHUN, lewat, {1: "Sudah selaras"})
    db.session.rollback()
    with pytest.raises(Ditolak, match="di luar masa itu"):
        operations.simpan_jawaban(db.session, batu_satker, TAHUN, lewat, {"1.a.1": IsianKriteria("T")})
    db.session.rollback()

    plt = batu.anggota_teknis
    p = tunjuk(db, batu.admin, tree, plt, peran=Peran.KETUA, jenis=JenisPenunjukan.PLT, nomor="5/KPU-Kot/XII/2026")
    operations.sanggah(db.session, batu_satker, TAHUN, plt, {1: "RAK sudah direviu Maret"})
    db.session.commit()
    assert queries.evaluasi(db.session, batu_satker.id, TAHUN).status is StatusEvaluasi.DISANGGAH
    entry = _entries(db, "evaluasi_sanggah")[-1]
    assert (entry.username, entry.peran) == (plt.username, "Plt. Ketua KPU Kota Batu")
    assert json.loads(entry.rincian)["penunjukan_id"] == p.id


def test_the_page_offers_the_plh_the_form_and_its_submit_button(db, tree, batu, client, login):
    pelaksana = batu.subbag_rendatin
    login(pelaksana)
    before = client.get(f"/satker/35.79/evaluasi/{TAHUN}/1.a")
    assert before.status_code == 200 and 'name="jawaban-1.a.1"' not in before.text

    tunjuk(db, batu.admin, tree, pelaksana)
    page = client.get(f"/satker/35.79/evaluasi/{TAHUN}/1.a")
    assert 'name="jawaban-1.a.1"' in page.text
    saved = client.post(f"/satker/35.79/evaluasi/{TAHUN}/1.a/jawab", data={
        "csrf_token": csrf_token_from(page.text), "tampil-1.a.1": "1", "jawaban-1.a.1": "Y",
        "catatan-1.a.1": "Diisi Plh."})
    assert saved.status_code == 302
    row = queries.jawaban(db.session, queries.evaluasi(db.session, tree["35.79"].id, TAHUN))["1.a.1"]
    assert (row.jawaban, row.catatan, row.diisi_oleh_id) == ("Y", "Diisi Plh.", pelaksana.id)


def test_the_history_is_read_through_the_office_index(db, tree, batu):
    """The evaluation's history (queries.riwayat) filters the country's audit log by office:
    it must come through the partial (satker_kode, seq) index, not a walk of the log."""
    import sqlalchemy as sa

    _isi_semua(db, tree["35.79"], batu.sekretaris)
    db.session.commit()
    captured = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        captured.append((statement, parameters))

    engine = db.session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", capture)
    try:
        assert [e.aksi for e in queries.riwayat(db.session, tree["35.79"], TAHUN)] == ["evaluasi_usulan", "evaluasi_isi"]
    finally:
        sa.event.remove(engine, "before_cursor_execute", capture)
    (statement, parameters), = [c for c in captured if "audit_log" in c[0]]
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        plan = " ".join(str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters))
    else:  # a test's log is small enough to read whole: price that out to see the chosen index
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = " ".join(connection.exec_driver_sql(f"EXPLAIN {statement}", parameters).scalars())
    assert "ix_audit_log_satker_kode_seq" in plan and "uq_audit_log_seq" not in plan, plan
