"""`sakip generate`: a national-shaped data set, here on the small test tree."""
import hashlib

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
                      "laporan_periode": 7 * 4, "bukti": 7 * INDIKATOR}
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
                     "bukti": 0} and before == after



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
