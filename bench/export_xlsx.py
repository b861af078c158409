"""Benchmark: Excel exports (webapp.exports.xlsx) of a large RAK and of the national recap.

* a RAK of ``--rows`` rows (3 kegiatan each, monthly schedule), fed to the writer as plain
  rows (``tulis_dokumen``); with ``--db`` also built in a throw-away SQLite database through
  ``workflow.dokumen.operations`` and exported from there (``dokumen_xlsx``: load + write);
* the national recap: ``--offices`` offices x ``--indikator`` indikator, streamed from a
  generator into the writer in constant-memory mode (``tulis_rekap``), to a file as
  ``sakip export rekap`` writes it.

For each: the median time of ``--runs`` runs (without tracing), then one traced run for the
peak of Python allocations (tracemalloc), and the process's peak resident size
(``resource.getrusage(...).ru_maxrss``, which includes the interpreter and the imports).

Targets (issue 5): the national recap under 5 s and under 200 MB peak.

    .venv/bin/python bench/export_xlsx.py [--rows 300] [--offices 553] [--indikator 20] [--runs 5] [--db]

Nothing here is asserted: tests never check wall-clock times.
"""
from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_SECONDS = 5.0
TARGET_MB = 200.0


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def measure(label: str, fn, runs: int) -> tuple[float, float]:
    fn()  # warm up (first-use imports, format caches)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    fn()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<34} {statistics.median(times) * 1000:9.1f} ms (median of {runs}), "
          f"peak traced {peak / 2**20:6.1f} MB, process max RSS so far {rss_mb():6.1f} MB")
    return statistics.median(times), peak / 2**20


def rak_data(rows: int):
    from webapp.exports import xlsx
    from workflow import schedule
    from workflow.dokumen.models import JenisDokumen
    from workflow.schedule import BentukJadwal
    from workflow.target import JenisTarget, Target

    baris = [xlsx.BarisRakData(
        sasaran=f"Terwujudnya sasaran program nomor {no % 7 + 1} sesuai jadwal tahapan Pemilu dan Pemilihan",
        indikator=f"Persentase capaian kegiatan {no} yang dilaksanakan tepat waktu",
        target=Target(JenisTarget.PERSEN, Decimal("97.5"), satuan="%"),
        kegiatan=[f"Rapat koordinasi pelaksanaan {no}", f"Monitoring dan evaluasi {no}", f"Bimbingan teknis {no}"],
        kode_output="CQ.6709.QGE.003", jadwal=schedule.dari_sel(BentukJadwal.BULAN, [1, 2, 3, (no % 12) + 1]),
        biaya=1_000_000 + no * 1_500, pelaksana="Subbagian Keuangan, Umum dan Logistik", kunci=f"{no:012x}",
    ) for no in range(1, rows + 1)]
    return xlsx.DokumenData(
        jenis=JenisDokumen.RAK_SEKRETARIAT,
        judul=xlsx.Judul("RENCANA AKSI KINERJA SEKRETARIAT KPU KOTA BATU TAHUN 2024", "KPU KOTA BATU", 2024),
        meta={"format": "sakip-kpu/1", "dokumen_id": 1, "satker": "35.79", "tahun": 2024,
              "jenis": "rak_sekretariat", "revisi": 0, "versi": 1, "bentuk_jadwal": "bulan"},
        tempat="Batu", baris=baris,
        penandatangan=[xlsx.PenandatanganData("Sekretaris selaku Kuasa Pengguna Anggaran", "Sekretaris KPU Kota Batu"),
                       xlsx.PenandatanganData("Mengetahui, Ketua", "Ketua KPU Kota Batu")],
        keterangan="RAK Sekretariat KPU Kota Batu 2024 · Revisi ke-0 · Draf",
    )


def recap_data(offices: int, indikator: int):
    from webapp.exports import xlsx
    from workflow.target import JenisTarget, Target

    columns = [f"Persentase indikator kinerja nomor {i + 1} yang tercapai sesuai Perjanjian Kinerja"
               for i in range(indikator)]
    kinds = [Target(JenisTarget.PERSEN, Decimal("97.5"), satuan="%"),
             Target(JenisTarget.ANGKA, Decimal("2498"), satuan="Orang"),
             Target(JenisTarget.PREDIKAT, kode="BB"), Target(JenisTarget.OPINI, kode="WTP")]

    def rows():  # generated one at a time, as rekap_data yields them
        for n in range(offices):
            status, revisi = ("Belum ada", None) if n % 10 == 9 else ("Disetujui", n % 3)
            cells = [None] * indikator if revisi is None else [
                xlsx.TIDAK_ADA if (n + i) % 17 == 0 else kinds[(n + i) % 4] for i in range(indikator)]
            yield xlsx.BarisRekapData(f"{n // 14 + 11:02d}.{n % 14 + 1:02d}", f"KPU Kabupaten Contoh {n + 1}",
                                      status, revisi, cells)

    return lambda: xlsx.RekapData(
        judul=xlsx.Judul("REKAPITULASI TARGET PERJANJIAN KINERJA SATKER KPU KPU RI TAHUN 2024", "KPU RI", 2024),
        indikator=columns, baris=rows(), meta={"format": "sakip-kpu/1", "satker": "RI", "tahun": 2024,
                                               "jenis": "rekap"},
        kolom_satker="Satker", keterangan="Rekap PK Komisi KPU RI 2024")


def build_rak_in_sqlite(session, rows: int):
    """A RAK Sekretariat with ``rows`` rows written through workflow.dokumen.operations."""
    from tenants.accounts import create_user, grant
    from tenants.hierarchy import Office, load_hierarchy
    from tenants.people import Peran
    from tenants.satker import Satker, Tingkat
    from workflow.dokumen import operations
    from workflow.dokumen.models import JenisDokumen
    from workflow.dokumen.operations import BarisData, Kepala

    load_hierarchy(session, [Office("RI", "KPU RI", Tingkat.PUSAT, None),
                             Office("35", "KPU Provinsi Jawa Timur", Tingkat.PROVINSI, "RI"),
                             Office("35.79", "KPU Kota Batu", Tingkat.KABKOTA, "35")])
    batu = session.query(Satker).filter_by(kode="35.79").one()
    sekretaris = create_user(session, "bench.sekretaris", "Sekretaris Bench", batu, "Bench-Rahasia-2024!")
    grant(session, sekretaris, batu, Peran.SEKRETARIS)
    dokumen = operations.buat_dokumen(session, batu, 2024, JenisDokumen.RAK_SEKRETARIAT, sekretaris)
    operations.ubah_kepala(session, dokumen, sekretaris, Kepala(tempat="Batu", pagu=20_999_655_000), versi=None)
    for no in range(1, rows + 1):
        operations.simpan_baris(session, dokumen, sekretaris, BarisData(
            sasaran=f"Sasaran {no % 7 + 1}", indikator=f"Persentase capaian kegiatan {no}", target="97,5%",
            kegiatan=[f"Rapat koordinasi {no}", f"Monitoring {no}", f"Evaluasi {no}"], kode_output="CQ.6709.QGE.003",
            sel_jadwal=[1, 2, 3], biaya=1_000_000 + no, pelaksana="kul"))
    session.commit()
    return dokumen.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--offices", type=int, default=553)
    parser.add_argument("--indikator", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", action="store_true", help="also export the RAK from a SQLite database")
    args = parser.parse_args()

    from webapp.exports import xlsx

    rss_imports = rss_mb()
    print(f"process max RSS after imports:     {rss_imports:.1f} MB")
    data = rak_data(args.rows)
    measure(f"RAK, {args.rows} rows (plain rows)", lambda: xlsx.tulis_dokumen(io.BytesIO(), data), args.runs)
    size = io.BytesIO()
    xlsx.tulis_dokumen(size, data)
    print(f"{'':<34} file {len(size.getvalue()) / 1024:.0f} KB")

    with tempfile.TemporaryDirectory() as tmp:
        recap = recap_data(args.offices, args.indikator)
        path = Path(tmp) / "rekap.xlsx"
        seconds, peak = measure(f"recap {args.offices} x {args.indikator} (stream)",
                                lambda: xlsx.tulis_rekap(path, recap()), args.runs)
        rss = rss_mb()
        print(f"{'':<34} file {path.stat().st_size / 1024:.0f} KB")
        verdict = "within" if seconds < TARGET_SECONDS and rss < TARGET_MB else "OVER"
        print(f"targets for the national recap: < {TARGET_SECONDS:.0f} s and < {TARGET_MB:.0f} MB peak -> {verdict} "
              f"({seconds:.2f} s; traced peak {peak:.1f} MB; whole process max RSS {rss:.1f} MB, "
              f"{rss - rss_imports:.1f} MB over the imports)")

        if args.db:
            os.environ["SAKIP_INSTANCE_PATH"] = tmp
            from flask_migrate import upgrade

            from tenants.db import db
            from webapp import create_app
            from workflow.dokumen.models import Dokumen

            app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3", "SECRET_KEY": "bench"})
            with app.app_context():
                upgrade()
                start = time.perf_counter()
                dokumen_id = build_rak_in_sqlite(db.session, args.rows)
                print(f"RAK built through the operations:  {time.perf_counter() - start:.1f} s")

                def from_db():
                    db.session.expunge_all()  # load again, as a request does
                    dokumen = db.session.get(Dokumen, dokumen_id)
                    xlsx.dokumen_xlsx(dokumen)

                measure(f"RAK, {args.rows} rows (load + write)", from_db, args.runs)



if __name__ == "__main__":
    main()
