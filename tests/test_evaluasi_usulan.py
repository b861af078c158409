"""The evaluation's pre-fill (issue 18, point 3): per rule, the proposal and its facts from the
office's own records, kept beside the office's answer and shown to the evaluator with the
verification codes they rest on."""
from __future__ import annotations

from datetime import date

from tests.test_pelaporan import INDIKATOR, _analisis
from tests.test_pelaporan import pk as pk  # noqa: F401 - the fixture
from tests.test_realisasi import buat_pk
from workflow.dokumen import operations as dokumen_ops
from workflow.dokumen.models import AlasanRevisi, JenisDokumen
from workflow.evaluasi import lke, operations, queries, usulan
from workflow.evaluasi.operations import IsianKriteria
from workflow.jadwal import operations as jadwal_ops
from workflow.jadwal.models import Butir
from workflow.jadwal.queries import hari_ini
from workflow.pelaporan import operations as lap_ops

TAHUN = 2024


def test_every_rule_answers_a_criterion_of_the_worksheet(db):
    kriteria = {k.kode for k in lke.versi_berlaku(db.session).kriteria}
    assert set(usulan.ATURAN) <= kriteria and len(usulan.ATURAN) == 7


def test_pk_signed_by_its_due_date(db, tree, people):
    batu, admin = tree["35.79"], people("RI").admin
    pk = buat_pk(db, tree, people)
    u = usulan.pk_tepat_waktu(db.session, batu, TAHUN)
    # no DIPA date and no calendar date: the records cannot tell
    assert u.jawaban is None and u.fakta[0].kode == pk.revisi_aktif.kode_verifikasi
    jadwal_ops.atur(db.session, tree["RI"], TAHUN, Butir.PK, date(2024, 2, 29), admin)
    u = usulan.pk_tepat_waktu(db.session, batu, TAHUN)
    assert u.jawaban == "T" and "tenggat 29-02-2024" in u.fakta[0].teks and not u.fakta[0].ok
    tahun = hari_ini().year
    buat_pk(db, tree, people, tahun=tahun)
    jadwal_ops.atur(db.session, tree["RI"], tahun, Butir.PK, date(tahun + 1, 12, 31), admin)
    assert usulan.pk_tepat_waktu(db.session, batu, tahun).jawaban == "Y"
    assert usulan.pk_tepat_waktu(db.session, tree["35"], tahun).jawaban == "T"  # no PK at all


def test_cascade_every_parent_indikator_present_none_below(db, tree, people):
    from workflow.dokumen import cascade

    jatim = people("35")
    induk = buat_pk(db, tree, people, kode="35")
    assert usulan.cascade_selaras(db.session, tree["35.79"], TAHUN).jawaban is None  # nothing cascaded yet
    cascade.turunkan(db.session, induk, jatim.ketua)
    u = usulan.cascade_selaras(db.session, tree["35.79"], TAHUN)
    assert u.jawaban == "Y" and "5 dari 5 indikator" in u.fakta[0].teks, u.fakta
    pk = queries_dokumen(db, "35.79")
    ind = [i for s in pk.revisi_aktif.sasaran for i in s.indikator]
    pk.revisi_aktif.sasaran[0].indikator.remove(ind[0])
    db.session.flush()
    u = usulan.cascade_selaras(db.session, tree["35.79"], TAHUN)
    assert u.jawaban == "T" and "4 dari 5 indikator" in u.fakta[0].teks and "Tidak diturunkan" in u.fakta[1].teks


def queries_dokumen(db, kode):
    from sqlalchemy import select

    from tenants.satker import Satker
    from workflow.dokumen.models import Dokumen
    return db.session.scalar(select(Dokumen).join(Satker).where(Satker.kode == kode, Dokumen.tahun == TAHUN))


def test_rak_and_period_reports_analysis_and_verification(db, tree, people, pk):  # noqa: F811
    batu, ketua = tree["35.79"], people("35.79").ketua
    assert usulan.rak_dipantau(db.session, batu, TAHUN).jawaban == "T"  # no RAK
    lap_ops.simpan_analisis(db.session, pk, 3, ketua, _analisis(pk))
    lap_ops.ajukan(db.session, pk, 3, ketua)
    # one of twelve months reported (the year is over: every month is due)
    real = usulan.realisasi_tepat_waktu(db.session, batu, TAHUN)
    assert real.jawaban == "T" and "0 dari 12 periode" in real.fakta[0].teks
    assert any("belum diverifikasi" in f.teks for f in real.fakta)
    analisis = usulan.analisis_kekurangan(db.session, batu, TAHUN)
    assert analisis.jawaban == "Y" and "1 dari 1 capaian" in analisis.fakta[0].teks
    rak = usulan.rak_dipantau(db.session, batu, TAHUN)
    assert rak.jawaban == "T" and "Belum ada Rencana Aksi" in rak.fakta[0].teks


def test_lkj_on_time_and_revisions_with_official_reasons(db, tree, people, make_dokumen):
    batu = tree["35.79"]
    assert usulan.lkj_tepat_waktu(db.session, batu, TAHUN).jawaban == "T"
    assert usulan.revisi_beralasan(db.session, batu, TAHUN).jawaban is None
    rak = make_dokumen("rak_sekretariat")
    sek, ketua = people("35.79").sekretaris, people("35.79").ketua
    dokumen_ops.ajukan(db.session, rak, sek)
    dokumen_ops.tandatangani(db.session, rak, sek)
    dokumen_ops.tandatangani(db.session, rak, ketua)
    dokumen_ops.setujui(db.session, rak, people("35").reviewer)
    dokumen_ops.revisi(db.session, rak, sek, AlasanRevisi.PERUBAHAN_ANGGARAN)
    u = usulan.revisi_beralasan(db.session, batu, TAHUN)
    assert u.jawaban == "Y" and "Revisi ke-1" in u.fakta[0].teks and u.fakta[0].kode


def test_the_proposals_are_kept_on_open_and_submit_and_shown_beside_the_answer(db, tree, people, client, login):
    batu, sek, insp = tree["35.79"], people("35.79").sekretaris, people("RI").inspektorat
    pk = buat_pk(db, tree, people)
    ev = operations.buka(db.session, batu, TAHUN, sek)
    rows = queries.jawaban(db.session, ev)
    assert {k for k, j in rows.items() if j.usulan_fakta} == set(usulan.ATURAN)
    assert rows["3.a.6"].usulan == "T" and rows["3.a.6"].jawaban is None
    # the office answers over the proposal (its form showed no version for the row)
    operations.simpan_jawaban(db.session, batu, TAHUN, sek, {
        k.kode: IsianKriteria("Y", versi=None) for k in ev.lke.kriteria})
    operations.transisi(db.session, batu, TAHUN, "ajukan", sek)
    db.session.commit()
    assert (rows["3.a.6"].jawaban, rows["3.a.6"].usulan) == ("Y", "T")  # both kept
    assert "evaluasi_usulan" in [e.aksi for e in queries.riwayat(db.session, batu, TAHUN)]
    login(insp)
    page = client.get(f"/satker/35.79/evaluasi/{TAHUN}/1.b")
    kode = pk.revisi_aktif.kode_verifikasi
    assert 'data-testid="usulan-1.b.2"' in page.text and f'href="/verifikasi/{kode}"' in page.text
    assert "Usulan sistem dari data SAKIP" in page.text
