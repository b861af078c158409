"""The national cascade: KPU RI's PK (20 indikator) into the 38 provinces, then every
province's into its kabupaten/kota (514), as one run of each, on a fresh database.

    .venv/bin/python bench/cascade_national.py [--database-url URL]

Default: a throw-away SQLite file. For PostgreSQL pass an empty database or schema, e.g.
postgresql://127.0.0.1:5432/test?options=-csearch_path%3Dbench (the schema must exist).
Prints seconds and SQL statements per step, and the ratio to a floor: inserting the same
number of indikator rows with one executemany, which no cascade can beat. Target: the
whole national cascade under 10 s.
"""
from __future__ import annotations

import argparse
import time

from sqlalchemy import event, func, insert, select

from _common import app_nasional
from tenants.db import db
from tenants.satker import Satker, Tingkat
from workflow.dokumen import cascade
from workflow.dokumen.content import Indikator
from workflow.dokumen.models import JenisDokumen
from workflow.dokumen.operations import cari_dokumen
from workflow.generate import _pk_ri  # the same 20 national indikator as `sakip generate`


class Counter:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self, *_args) -> None:
        self.n += 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    args = parser.parse_args()
    app = app_nasional(args.database_url)
    with app.app_context():
        counter = Counter()
        event.listen(db.engine, "before_cursor_execute", counter)
        ri = db.session.scalar(select(Satker).where(Satker.tingkat == Tingkat.PUSAT))
        pk = _pk_ri(db.session, ri, 2025)
        db.session.commit()

        counter.n, start = 0, time.perf_counter()
        first = cascade.turunkan(db.session, pk, None)
        db.session.commit()
        t_ri, q_ri = time.perf_counter() - start, counter.n

        provinces = db.session.scalars(select(Satker).where(Satker.tingkat == Tingkat.PROVINSI)).all()
        counter.n, start = 0, time.perf_counter()
        added = 0
        for province in provinces:
            added += cascade.turunkan(db.session, cari_dokumen(db.session, province, 2025, JenisDokumen.PK_KOMISI),
                                      None).indikator_baru
        db.session.commit()
        t_prov, q_prov = time.perf_counter() - start, counter.n
        total_rows = db.session.scalar(select(func.count()).select_from(Indikator))

        # The floor: the same number of indikator rows in one executemany, nothing else.
        template = db.session.execute(select(Indikator.__table__).limit(1)).mappings().one()
        rows = [{k: v for k, v in template.items() if k != "id"} | {"kunci": f"f{n:011d}"}
                for n in range(first.indikator_baru + added)]
        conn = db.session.connection()
        start = time.perf_counter()
        with conn.begin_nested() as floor_tx:
            conn.execute(insert(Indikator.__table__), rows)
            floor_tx.rollback()
        t_floor = time.perf_counter() - start
        db.session.rollback()

    whole = t_ri + t_prov
    print(f"database:                         {(args.database_url or 'sqlite').split(':')[0]}")
    print(f"KPU RI -> 38 provinces:           {t_ri:6.2f} s, {q_ri} statements, {first.indikator_baru} indikator")
    print(f"38 provinces -> 514 kab/kota:     {t_prov:6.2f} s, {q_prov} statements, {added} indikator")
    print(f"whole national cascade:           {whole:6.2f} s (target < 10 s)  {'OK' if whole < 10 else 'OVER'}")
    print(f"floor (one executemany, same rows): {t_floor:5.2f} s; cascade / floor = {whole / t_floor:.1f}x")
    print(f"indikator rows in the database:   {total_rows}")


if __name__ == "__main__":
    main()
