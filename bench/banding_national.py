"""The LKj's benchmark on the national data set (issue 18 point 5).

Usage:
    .venv/bin/python bench/banding_national.py [--database-url URL] [--runs 15] [--year 2025] [--kode 35.79] [--reuse]

Builds the national data set (``bench/_common.app_nasional`` + ``workflow.generate``: 553
offices, KPU RI's 20 indikator cascaded to every office, January to March verified), then
signs every kabupaten/kota's PK Komisi through ``workflow.dokumen.operations`` (generate
leaves them drafts, and only signed PKs count), and times, median of ``--runs`` runs in an
empty session each (as a request starts), for the LKj of one kabupaten/kota (``--kode``):

- banding: ``workflow.banding.queries.perbandingan`` alone: its two statements (the
  office's roots, then every kabupaten/kota's verified realisation aggregated per
  indikator: 514 offices x 20 indikator) and the quartiles;
- LKj tables: ``workflow.lkj.tabel.susun``, everything the LKj's page computes, benchmark
  included: what the benchmark adds to it.

Prints milliseconds, SQL statements, and the first row's n (province, country). ``--reuse``
measures a database a previous run built (pass its URL: the default SQLite file is kept).

For PostgreSQL pass an empty schema, as for ``dashboards_national.py``:

    psql -h 127.0.0.1 -d test -c 'CREATE SCHEMA bench_banding'
    .venv/bin/python bench/banding_national.py \\
        --database-url 'postgresql://127.0.0.1:5432/test?options=-csearch_path%3Dbench_banding'
    psql -h 127.0.0.1 -d test -c 'DROP SCHEMA bench_banding CASCADE'
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, select  # noqa: E402

from bench._common import PASSWORD, app_nasional  # noqa: E402
from tenants import accounts  # noqa: E402
from tenants.db import db, refresh_statistics  # noqa: E402
from tenants.people import Peran  # noqa: E402
from tenants.satker import Satker, Tingkat  # noqa: E402
from workflow.banding import queries as banding  # noqa: E402
from workflow.dokumen import operations  # noqa: E402
from workflow.dokumen.models import Dokumen, JenisDokumen, Status  # noqa: E402
from workflow.generate import generate  # noqa: E402
from workflow.lkj import tabel  # noqa: E402


def tandatangani_semua(tahun: int) -> int:
    """Every kabupaten/kota's PK Komisi submitted and signed by a Ketua account of its own."""
    rows = db.session.execute(select(Dokumen, Satker).join(Satker, Satker.id == Dokumen.satker_id).where(
        Satker.tingkat == Tingkat.KABKOTA, Dokumen.tahun == tahun, Dokumen.jenis == JenisDokumen.PK_KOMISI,
        Dokumen.status == Status.DRAFT)).all()
    for n, (dokumen, satker) in enumerate(rows, start=1):
        ketua = accounts.create_user(db.session, f"bench.banding.{satker.kode}", f"Ketua {satker.nama}", satker,
                                     PASSWORD)
        accounts.grant(db.session, ketua, satker, Peran.KETUA)
        operations.ajukan(db.session, dokumen, ketua)
        operations.tandatangani(db.session, dokumen, ketua)
        if n % 50 == 0:
            db.session.commit()
            print(f"  signed {n}/{len(rows)}", flush=True)
    db.session.commit()
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--kode", default="35.79")
    parser.add_argument("--reuse", action="store_true", help="the database already holds the signed data set")
    args = parser.parse_args()
    app = app_nasional(args.database_url)
    with app.app_context():
        if not args.reuse:
            start = time.perf_counter()
            generate(db.session, args.year)
            db.session.commit()
            signed = tandatangani_semua(args.year)
            refresh_statistics(db.session.connection())  # the planner learns the signed statuses, as autovacuum would
            db.session.commit()
            print(f"data set: built in {time.perf_counter() - start:.1f} s, {signed} kabupaten/kota PKs signed")
        satker_id = db.session.scalar(select(Satker.id).where(Satker.kode == args.kode))
        count = [0]
        event.listen(db.engine, "before_cursor_execute", lambda *_a: count.__setitem__(0, count[0] + 1))
        samples: dict[str, list[float]] = {"banding": [], "LKj tables": []}
        statements: dict[str, int] = {}
        for _run in range(args.runs):
            for name in samples:  # taking turns: a busy machine slows both alike
                db.session.expire_all()
                satker = db.session.get(Satker, satker_id)
                sendiri = tabel._per_indikator(*_dasbor(satker, args.year)) if name == "banding" else None
                count[0] = 0
                t0 = time.perf_counter()
                data = (banding.perbandingan(db.session, satker, args.year, sendiri) if name == "banding"
                        else tabel.susun(db.session, satker, args.year)["banding"])
                samples[name].append(time.perf_counter() - t0)
                statements[name] = count[0]
        first = data["baris"][0] if data["baris"] else None
        backend = db.engine.dialect.name
        for name, values in samples.items():
            print(f"{backend:10} {name:12} {statistics.median(values) * 1000:8.1f} ms (median of {args.runs}), "
                  f"{statements[name]} statements")
        if first:
            print(f"first row: {first['uraian'][:50]!r}: province n={first['provinsi']['n']}, "
                  f"country n={first['nasional']['n']}, median {first['nasional']['median_teks']}; "
                  f"{len(data['baris'])} indikator compared")


def _dasbor(satker: Satker, tahun: int):
    from workflow.realisasi.dashboard import dasbor_kantor

    dasbor = dasbor_kantor(db.session, satker, tahun)
    return dasbor, tabel._terverifikasi(db.session, dasbor)


if __name__ == "__main__":
    main()
