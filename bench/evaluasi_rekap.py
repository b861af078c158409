"""The national recap of the evaluations (issue 18 points 5 and 7).

Usage:
    .venv/bin/python bench/evaluasi_rekap.py [--database-url URL] [--runs 15] [--year 2025] [--reuse] [--full]

Builds the 553 offices and, with ``workflow.generate.evaluasi_tahun`` (what ``sakip
generate`` adds for its year: the evaluations of the 552 offices below KPU RI, most
final), the year's evaluations and the three years before (so the recap's year-over-year
columns are full). ``--full`` runs the whole ``workflow.generate.generate`` first (PKs,
RAKs, realisation, reports, evidence: tables the recap never reads; a few minutes more).
Then it signs KPU RI's inspektorat in through the real form,
then times, median of ``--runs``, the measured things taking turns run by run:

- rekap(): ``workflow.evaluasi.rekap.rekap`` for KPU RI's inspektorat, in an empty session
  as a request starts: what the page pays for its data (552 offices, four years);
- rekap(), sorted: the same, sorted by the total, descending (``?urut=skor&arah=turun``);
- HTTP GET: ``/evaluasi/rekap?tahun=`` through the Flask test client: gate, data,
  template (552 rows and the predikat per province), response;
- HTTP GET .xlsx: the same as Excel;
- the floor: what any recap must read, built once and run alone: (1) every visible office
  below KPU RI (its id and parent), (2) the evaluations of the four years of those offices
  (office, year, status, total, predikat), (3) the year's component scores of the final
  ones aggregated in SQL (GROUP BY evaluation and component over the sub-component
  grades). No names, no labels, no sorting, no HTML.

Prints milliseconds, the ratio to the floor, SQL statements per measured thing and
PASS/FAIL against the targets: rekap() within 3x the floor and, on PostgreSQL, the page
under 300 ms. For PostgreSQL pass an empty schema:

    psql -h 127.0.0.1 -d test -c 'CREATE SCHEMA bench_rekap'
    .venv/bin/python bench/evaluasi_rekap.py \\
        --database-url 'postgresql://127.0.0.1:5432/test?options=-csearch_path%3Dbench_rekap'
    psql -h 127.0.0.1 -d test -c 'DROP SCHEMA bench_rekap CASCADE'
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable

from sqlalchemy import Integer, case, cast, event, func, select

from _common import app_nasional
from tenants import accounts, scoping
from tenants.db import db, refresh_statistics
from tenants.people import Peran, User
from tenants.satker import Satker, Tingkat
from workflow.evaluasi import rekap
from workflow.evaluasi.lke import LkeSubkomponen
from workflow.evaluasi.models import Evaluasi, NilaiSubkomponen, StatusEvaluasi
from workflow.evaluasi.skor import NILAI_ANGKA
from workflow.generate import evaluasi_tahun, generate

USERNAME, PASSWORD = "bench.rekap.ri", "bench-rekap-rahasia-2025"
TARGET_RATIO, TARGET_MS_PG = 3.0, 300.0


class Counter:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self, *_args) -> None:
        self.n += 1


def floor_statements(user: User, tahun: int) -> list:
    """The three reads a recap of ``tahun`` cannot do without (module docstring)."""
    visible = select(Satker.id).where(scoping.satker_filter(user), Satker.parent_id.is_not(None))
    angka = case({n.value: int(v) for n, v in NILAI_ANGKA.items()}, value=NilaiSubkomponen.nilai, else_=0)
    return [
        select(Satker.id, Satker.parent_id).where(scoping.satker_filter(user), Satker.parent_id.is_not(None)),
        select(Evaluasi.satker_id, Evaluasi.tahun, Evaluasi.status, Evaluasi.skor_total, Evaluasi.predikat)
        .where(Evaluasi.tahun.between(tahun - rekap.TAHUN_SEBELUMNYA, tahun), Evaluasi.satker_id.in_(visible)),
        select(Evaluasi.satker_id, LkeSubkomponen.komponen_id,
               func.sum(angka * cast(func.round(LkeSubkomponen.bobot * 10), Integer)))
        .join(NilaiSubkomponen, NilaiSubkomponen.evaluasi_id == Evaluasi.id)
        .join(LkeSubkomponen, LkeSubkomponen.id == NilaiSubkomponen.subkomponen_id)
        .where(Evaluasi.tahun == tahun, Evaluasi.status == StatusEvaluasi.FINAL, Evaluasi.satker_id.in_(visible))
        .group_by(Evaluasi.satker_id, LkeSubkomponen.komponen_id),
    ]


def build(year: int, reuse: bool, full: bool) -> str:
    ri = db.session.scalar(select(Satker).where(Satker.tingkat == Tingkat.PUSAT))
    have = db.session.scalar(select(func.count()).select_from(Evaluasi).where(Evaluasi.tahun == year))
    if have and not reuse:
        raise SystemExit(f"the database already holds {year}'s evaluations: pass an empty one, or --reuse")
    if have:
        done = f"reused ({have} evaluations of {year} already there)"
    else:
        start = time.perf_counter()
        ini = generate(db.session, year)["evaluasi"] if full else evaluasi_tahun(db.session, year)
        lalu = sum(evaluasi_tahun(db.session, t) for t in range(year - rekap.TAHUN_SEBELUMNYA, year))
        refresh_statistics(db.session.connection())
        db.session.commit()
        done = (f"built in {time.perf_counter() - start:.1f} s ({'the whole generate, ' if full else ''}"
                f"{ini} evaluations of {year}, {lalu} of the {rekap.TAHUN_SEBELUMNYA} years before)")
    user = db.session.scalar(select(User).where(User.username == USERNAME))
    if user is None:
        user = accounts.create_user(db.session, USERNAME, "Inspektorat Bench", ri, PASSWORD)
    accounts.grant(db.session, user, ri, Peran.INSPEKTORAT)
    db.session.commit()
    return done


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--reuse", action="store_true", help="keep the data set already in the database")
    parser.add_argument("--full", action="store_true", help="the whole `sakip generate` data set, not only evaluations")
    args = parser.parse_args()
    app = app_nasional(args.database_url)
    backend = app.config["SQLALCHEMY_DATABASE_URI"].split("?")[0].split(":")[0].split("+")[0]
    with app.app_context():
        built = build(args.year, args.reuse, args.full)
        user_id = db.session.scalar(select(User.id).where(User.username == USERNAME))
        floors = floor_statements(db.session.get(User, user_id), args.year)
        db.session.remove()

        client = app.test_client()
        page = client.get("/masuk")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
        signed_in = client.post("/masuk", data={"username": USERNAME, "password": PASSWORD, "csrf_token": token})
        assert signed_in.status_code == 302, signed_in.text[:500]

        counter = Counter()
        event.listen(db.engine, "before_cursor_execute", counter)

        def in_fresh_session(fn: Callable) -> Callable[[], tuple]:
            def once():
                # A request starts with an empty session; the signed-in user is loaded before
                # the page asks for its data, so that is not timed.
                db.session.remove()
                user = db.session.get(User, user_id)
                _ = [m.satker.path for m in user.memberships]
                counter.n = 0
                start = time.perf_counter()
                result = fn(user)
                return time.perf_counter() - start, counter.n, result
            return once

        def http(path: str) -> Callable[[], tuple]:
            def once():
                db.session.remove()
                counter.n = 0
                start = time.perf_counter()
                response = client.get(path)
                elapsed = time.perf_counter() - start
                assert response.status_code == 200, response.status_code
                return elapsed, counter.n, response
            return once

        measured = {
            "floor": in_fresh_session(lambda _u: [db.session.execute(s).all() for s in floors]),
            "rekap()": in_fresh_session(lambda u: rekap.rekap(db.session, u, args.year)),
            "rekap(), sorted": in_fresh_session(lambda u: rekap.rekap(db.session, u, args.year, urut="skor",
                                                                      turun=True)),
            "HTTP GET": http(f"/evaluasi/rekap?tahun={args.year}"),
            "HTTP GET, sorted": http(f"/evaluasi/rekap?tahun={args.year}&urut=skor&arah=turun"),
            "HTTP GET .xlsx": http(f"/evaluasi/rekap.xlsx?tahun={args.year}"),
        }
        print("measuring", file=sys.stderr)
        results = {name: once() for name, once in measured.items()}  # one untimed warm-up each
        r = results["rekap()"][2]
        rows_on_page = len(re.findall(r'data-testid="rekap-[0-9]', results["HTTP GET"][2].text))
        floor_rows = [len(rows) for rows in results["floor"][2]]
        times: dict[str, list[float]] = {name: [] for name in measured}
        statements: dict[str, int] = {}
        for _ in range(args.runs):
            for name, once in measured.items():
                elapsed, n, _result = once()
                times[name].append(elapsed)
                statements[name] = n
        event.remove(db.engine, "before_cursor_execute", counter)
        db.session.remove()
    report(backend, built, r, rows_on_page, floor_rows, times, statements, args.runs)


def report(backend, built, r, rows_on_page, floor_rows, times, statements, runs) -> None:
    print(f"database:              {backend}")
    print(f"data set:              {built}")
    print(f"recap:                 {len(r.baris)} offices ({r.total.final} final, {r.total.belum_final} not), "
          f"{len(r.komponen)} components, {len(r.distribusi)} provinces; {rows_on_page} rows on the page; "
          f"the floor returns {' + '.join(map(str, floor_rows))} rows")
    floor = median_ms(times["floor"])
    for name, samples in times.items():
        ms = median_ms(samples)
        print(f"{name + ':':22s} {ms:8.2f} ms (median of {runs}, min {min(samples) * 1000:.2f}), "
              f"{ms / floor:5.1f}x the floor, {statements[name]} SQL statements")
    checks = [(f"rekap() <= {TARGET_RATIO:g}x floor", median_ms(times["rekap()"]) <= TARGET_RATIO * floor,
               f"{median_ms(times['rekap()']) / floor:.1f}x")]
    if backend == "postgresql":
        for name in ("HTTP GET", "HTTP GET, sorted"):
            ms = median_ms(times[name])
            checks.append((f"{name} < {TARGET_MS_PG:g} ms", ms < TARGET_MS_PG, f"{ms:.0f} ms"))
    else:
        print(f"(the {TARGET_MS_PG:g} ms target is PostgreSQL's; on SQLite only the ratio is checked)")
    for label, ok, value in checks:
        print(f"target: {label:36s} {value:>8s}  {'PASS' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
