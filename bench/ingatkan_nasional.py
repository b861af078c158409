"""The national reminder run (issue 16, point 7): `sakip ingatkan` for 553 offices on the
national data set, on a day that calls for a reminder of every document kind everywhere.

    .venv/bin/python bench/ingatkan_nasional.py [--database-url URL] [--year 2025] [--rak-rows 5]

Builds the data set with ``workflow.generate.generate`` (what `sakip generate` runs: 553
offices, KPU RI's PK cascaded to every office as drafts, a RAK Sekretariat each, twelve
months of realisation), gives every office its people (Ketua, Sekretaris, four Subbagian;
a reviewer at KPU RI and each province, all with an e-mail address), sets KPU RI's
calendar (PK, RKT and RAK due the same day, realisation on the 10th, reviews in 5
working days), then runs the reminders three working days before that day: every office
is reminded of six documents (3318 reminders, as many notifications and e-mails, which
go to the outbox in one statement). Then the same run again: it must send nothing.
Prints seconds and SQL statements of each run. Target: under a minute.

The default database is a throw-away SQLite file. For PostgreSQL pass an empty schema:

    psql -h 127.0.0.1 -d test -c 'CREATE SCHEMA bench_ingat'
    .venv/bin/python bench/ingatkan_nasional.py \\
        --database-url 'postgresql://127.0.0.1:5432/test?options=-csearch_path%3Dbench_ingat'
    psql -h 127.0.0.1 -d test -c 'DROP SCHEMA bench_ingat CASCADE'
"""
from __future__ import annotations

import argparse
import os
import secrets
import time
from collections import Counter as Counter_
from datetime import date, timedelta

from sqlalchemy import event, func, insert, select

from _common import app_nasional
from tenants.db import db
from tenants.people import Membership, Peran, Subbagian, User
from tenants.satker import Satker, Tingkat
from workflow.generate import UNITS, generate
from workflow.jadwal.hari_kerja import hari_kerja
from workflow.jadwal.models import Butir, Jadwal
from workflow.notifikasi import pengingat
from workflow.notifikasi.models import Notifikasi, SuratKeluar

TARGET_S = 60.0


class Counter:
    def __init__(self) -> None:
        self.n = 0
        self.kinds: Counter_[str] = Counter_()

    def __call__(self, _conn, _cursor, statement, *_args) -> None:
        self.n += 1
        self.kinds[" ".join(statement.split()[:3])] += 1


def people(session) -> int:
    """Every office's Ketua, Sekretaris and four Subbagian; a reviewer above the kabupaten/kota."""
    offices = session.scalars(select(Satker)).all()
    rows, roles = [], []
    for s in offices:
        wanted = [("ketua", Peran.KETUA, None), ("sekretaris", Peran.SEKRETARIS, None)]
        wanted += [(f"subbag_{u}", Peran.SUBBAG, Subbagian(u)) for u in UNITS]
        if s.tingkat is not Tingkat.KABKOTA:
            wanted.append(("reviewer", Peran.REVIEWER, None))
        for name, peran, unit in wanted:
            username = f"{name}.{s.kode}".lower()
            rows.append({"username": username, "full_name": f"{name} {s.nama}", "satker_id": s.id,
                         "password_hash": "x", "email": f"{username}@bench.kpu.go.id", "active": True,
                         "session_token": secrets.token_hex(16)})
            roles.append((username, s.id, peran, unit))
    session.execute(insert(User), rows)
    ids = dict(session.execute(select(User.username, User.id)).all())
    session.execute(insert(Membership), [{"user_id": ids[u], "satker_id": s, "peran": p, "subbagian": unit,
                                          "divisi": None} for u, s, p, unit in roles])
    return len(rows)


def calendar(session, year: int) -> date:
    """KPU RI's calendar: PK, RKT and RAK all due on the first working day of March."""
    due = date(year, 3, 1)
    while not hari_kerja(due):
        due = due.replace(day=due.day + 1)
    ri = session.scalar(select(Satker).where(Satker.tingkat == Tingkat.PUSAT))
    values = {Butir.PK: due, Butir.RKT: due, Butir.RAK: due, Butir.LKJ: date(year + 1, 2, 28),
              Butir.REALISASI_BULAN: 10, Butir.REALISASI_TRIWULAN: 15, Butir.TINJAUAN: 5}
    for butir, value in values.items():
        session.add(Jadwal(satker_id=ri.id, tahun=year, butir=butir, tanggal=None if butir.berhari else value,
                           hari=value if butir.berhari else None))
    return due


def working_days_before(due: date, n: int) -> date:
    day = due
    while n:
        day -= timedelta(days=1)
        n -= hari_kerja(day)
    return day


def run(session, counter: Counter, year: int, day: date) -> tuple[float, int, pengingat.Ringkasan]:
    session.expunge_all()  # as a fresh cron process starts
    counter.n, start = 0, time.perf_counter()
    hasil = pengingat.jalankan(session, year, day)
    session.commit()
    return time.perf_counter() - start, counter.n, hasil


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--rak-rows", type=int, default=5)
    args = parser.parse_args()
    app = app_nasional(args.database_url)
    with app.app_context():
        start = time.perf_counter()
        counts = generate(db.session, args.year, rak_rows=args.rak_rows)
        n_people = people(db.session)
        due = calendar(db.session, args.year)
        db.session.commit()
        print(f"database:        {db.engine.dialect.name}")
        print(f"data set:        built in {time.perf_counter() - start:.1f} s ({counts['satker']} offices, "
              f"{n_people} people)")
        day = working_days_before(due, pengingat.HARI_SEBELUM)
        counter = Counter()
        event.listen(db.engine, "before_cursor_execute", counter)
        took, statements, hasil = run(db.session, counter, args.year, day)
        print(f"run on {day}: {hasil.jumlah} reminders ({', '.join(hasil.baris())}), {hasil.notifikasi} "
              f"notifications, {db.session.scalar(select(func.count()).select_from(SuratKeluar))} e-mails queued")
        print(f"first run:       {took:6.2f} s, {statements} SQL statements")
        if os.environ.get("BENCH_STATEMENTS"):
            print(counter.kinds.most_common(5))
        took2, statements2, hasil2 = run(db.session, counter, args.year, day)
        print(f"second run:      {took2:6.2f} s, {statements2} SQL statements, {hasil2.jumlah} reminders")
        assert hasil2.jumlah == 0 and db.session.scalar(select(func.count()).select_from(Notifikasi)) == hasil.notifikasi
        print(f"target: first run < {TARGET_S:.0f} s   {took:.2f} s  {'PASS' if took < TARGET_S else 'FAIL'}")


if __name__ == "__main__":
    main()
