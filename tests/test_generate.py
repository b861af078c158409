"""`sakip generate`: a national-shaped data set, here on the small test tree."""
import hashlib
import json

import sqlalchemy as sa

from workflow import audit
from workflow.dokumen.content import Indikator, RakBaris
from workflow.bukti.models import Sasaran
from workflow.dokumen.models import Dokumen, JenisDokumen
from workflow.generate import OUTPUT, SASARAN, generate
from workflow.realisasi.models import Realisasi

INDIKATOR = sum(len(rows) for _s, rows in SASARAN)


def test_every_office_gets_the_cascaded_pk_a_rak_and_a_year_of_realisation(db, tree):
    counts = generate(db.session, 2025, rak_rows=5)
    db.session.commit()
    assert counts == {"satker": 7, "baris_rak": 35, "realisasi": 7 * INDIKATOR * 12,
                      "realisasi_output": 7 * len(OUTPUT) * 12,
                      "laporan_periode": 7 * 4, "bukti": 7 * INDIKATOR, "evaluasi": 6}
    pks = db.session.scalars(sa.select(Dokumen).where(Dokumen.jenis == JenisDokumen.PK_KOMISI)).all()
    assert len(pks) == 7
    batu = next(d for d in pks if d.satker.kode == "35.79")
    jatim = next(d for d in pks if d.satker.kode == "35")
    inherited = [i for s in batu.revisi_aktif.sasaran for i in s.indikator]
    assert len(inherited) == INDIKATOR and {i.induk_dokumen_id for i in inherited} == {jatim.id}
    assert audit.verify(db.session).ok
    assert _planner_rows(db, "kegiatan") == 7 * 5 * 2, "ANALYZE ran: the planner counts what was written"


def _planner_rows(db, table: str) -> int:
    """The row count the query planner believes (ANALYZE's statistics)."""
    if db.session.get_bind().dialect.name == "sqlite":
        stat = db.session.execute(sa.text("SELECT stat FROM sqlite_stat1 WHERE tbl = :t"), {"t": table}).scalars()
        return max((int(s.split()[0]) for s in stat), default=-1)
    return int(db.session.execute(sa.text("SELECT reltuples FROM pg_class WHERE relname = :t "
                                          "AND relnamespace = current_schema()::regnamespace"), {"t": table}).scalar())


def test_a_second_run_adds_nothing(db, tree):
    generate(db.session, 2025, rak_rows=3)
    before = [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Indikator, RakBaris, Realisasi)]
    again = generate(db.session, 2025, rak_rows=3)
    after = [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Indikator, RakBaris, Realisasi)]
    assert again == {"satker": 7, "baris_rak": 0, "realisasi": 0, "realisasi_output": 0, "laporan_periode": 0,
                     "bukti": 0, "evaluasi": 0} and before == after



def test_every_pk_gets_quarterly_targets_and_reported_periods(db, tree):
    import json

    from workflow.pelaporan import queries as lapor
    from workflow.pelaporan.models import StatusLaporan

    generate(db.session, 2025, rak_rows=2)
    db.session.commit()
    batu = db.session.scalar(sa.select(Dokumen).join(Dokumen.satker).where(
        Dokumen.jenis == JenisDokumen.PK_KOMISI, sa.text("satker.kode = '35.79'")))
    laporan = next(i for s in batu.revisi_aktif.sasaran for i in s.indikator if i.uraian == "Jumlah laporan evaluasi tahapan")
    assert json.loads(laporan.target_periode) == ["3", "6", "9", "12"]  # carried down from KPU RI
    status = {p: lapor.status_periode(db.session, batu.id, p) for p in (1, 3, 4, 5)}
    assert status == {1: StatusLaporan.TERVERIFIKASI, 3: StatusLaporan.TERVERIFIKASI, 4: StatusLaporan.DIAJUKAN,
                      5: StatusLaporan.DRAFT}
    assert len(lapor.analisis_terverifikasi(db.session, batu.id)[laporan.kunci]) == 3
    assert lapor.kunci_periode(db.session, batu.id, 3)
    from workflow.bukti import queries as bukti_queries
    from workflow.bukti.penyimpanan import backend

    [berkas] = bukti_queries.daftar_sel(db.session, batu.id, Sasaran.INDIKATOR, laporan.kunci, 3)
    isi = b"".join(backend(berkas.penyimpanan).baca(db.session, berkas.lokasi))
    assert isi.startswith(b"%PDF") and hashlib.sha256(isi).hexdigest() == berkas.sha256


def test_a_year_of_evaluations_varied_final_ones_verify_and_the_same_every_run(db, tree, client):
    """Every office below KPU RI evaluated (KPU RI's own evaluation is outside the system),
    mostly final with varied predikat, some on the way; a final one is what finalising
    writes (the verification page recomputes it from the rows and finds it unchanged);
    the same seed gives the same evaluations."""
    from tenants.hierarchy import Office, load_hierarchy
    from tenants.satker import Tingkat
    from workflow.evaluasi import canonical
    from workflow.evaluasi.models import Evaluasi, StatusEvaluasi
    from workflow.generate import evaluasi_tahun

    load_hierarchy(db.session, [Office("52", "KPU Provinsi Nusa Tenggara Barat", Tingkat.PROVINSI, "RI"),
                                *[Office(f"52.{n:02d}", f"KPU Kabupaten Uji {n}", Tingkat.KABKOTA, "52")
                                  for n in range(1, 35)]])

    def dibuat():
        return sorted((e.satker.kode, e.status.value, e.skor_total, e.predikat, e.kode_verifikasi, e.hash_isi)
                      for e in db.session.scalars(sa.select(Evaluasi).where(Evaluasi.tahun == 2025)))

    savepoint = db.session.begin_nested()
    assert evaluasi_tahun(db.session, 2025) == 6 + 35
    pertama = dibuat()
    savepoint.rollback()
    assert evaluasi_tahun(db.session, 2025) == 41 and evaluasi_tahun(db.session, 2025) == 0
    db.session.commit()
    assert dibuat() == pertama, "deterministic: the same seed, the same evaluations"
    semua = list(db.session.scalars(sa.select(Evaluasi).where(Evaluasi.tahun == 2025)))
    status = {e.status for e in semua}
    final = [e for e in semua if e.final]
    assert StatusEvaluasi.FINAL in status and len(status) >= 3 and len(final) >= 0.7 * len(semua)
    assert len({e.predikat for e in final}) >= 3 and all(e.skor_total is None for e in semua if not e.final)
    for ev in final[:5]:
        assert canonical.teks(canonical.isi(db.session, ev)) == ev.isi_final
        assert canonical.hash_teks(ev.isi_final) == ev.hash_isi and str(ev.skor_total) == json.loads(ev.isi_final)["total"]
    assert {(e.difinalkan_nama, e.difinalkan_jabatan, e.difinalkan_tempat) for e in final} == {
        ("Evaluator Data Uji", "Inspektorat Utama", "Jakarta")}, "the LHE's signer, as finalising writes it"
    page = client.get(f"/verifikasi/{final[0].kode_verifikasi}", follow_redirects=True)
    assert page.status_code == 200 and "masih sama dengan yang difinalkan" in page.text
