"""The load bench (issue 6, point 6): gunicorn on PostgreSQL with the national data set,
the mixed scenario of bench/load/locustfile.py, and the ceiling beside it.

    .venv/bin/python bench/load/run.py [--database-url URL] [--users 100] [--duration 60]

Without ``--database-url`` it creates a schema ``load_<random>`` in the PostgreSQL of
``SAKIP_LOAD_POSTGRES_URL`` (default: ``SAKIP_TEST_POSTGRES_URL`` or
postgresql://127.0.0.1:5432/test), fills it with ``sakip generate --year 2025`` (about a
minute; an existing database gets ``sakip init`` for new migrations), and drops it at the end unless ``--keep`` (then pass the printed URL next time
to skip the generation). Then:

1. ``bench/load/prepare.py``: accounts for ``--offices`` kabupaten/kota spread over
   every province (their Sekretaris) and for the reviewers of those provinces, and an
   RKT Sekretariat per office to cycle through the workflow; then
   ``bench/load/pages.py``: what one request of each kind costs alone (CPU of the app
   and of PostgreSQL, SQL statements), and what the mix would allow on these cores;
2. gunicorn with ``gunicorn.conf.py`` (``--workers`` processes, ``--threads`` each),
   connected as a temporary role that owns nothing (``sakip db app-role``), so the
   row-level security policies bind it as in production (dropped at the end);
3. locust, headless: ``--users`` simulated people (a tenth of them reviewers, one per
   province; the rest one Sekretaris per office) for ``--duration`` seconds; the
   statistics count from the moment every user is spawned;
4. locust again on ``GET /sehat`` only (the ceiling: the same server doing nothing);
5. one table: requests per second, p50/p95/p99 per class, error rate, the ceiling, and
   PASS/FAIL against the targets (>= 100 requests/s; p95 < 500 ms for reads and
   < 1000 ms for saves and for transitions and exports; errors < 0.1%).

Everything runs on this machine: locust, gunicorn and PostgreSQL share its cores, so the
figures are those of the whole stack on one box. The load average is printed with them.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from tenants.db import refresh_statistics  # noqa: E402
from webapp.config import normalise_database_url  # noqa: E402

BIN = Path(sys.executable).parent
HERE = Path(__file__).resolve().parent
CLASSES = {  # request-name prefix -> class
    "baca": "reads", "simpan": "saves", "transisi": "transitions+exports", "ekspor": "transitions+exports",
    "masuk": "sign-in",
}
TARGET_RPS = 100
TARGET_P95 = {"reads": 500, "saves": 1000, "transitions+exports": 1000}
TARGET_ERRORS = 0.001


def base_url() -> str:
    return os.environ.get("SAKIP_LOAD_POSTGRES_URL") or os.environ.get("SAKIP_TEST_POSTGRES_URL") \
        or "postgresql://127.0.0.1:5432/test"


def new_schema() -> tuple[str, str]:
    engine = sa.create_engine(normalise_database_url(base_url()), poolclass=NullPool)
    schema = f"load_{uuid.uuid4().hex[:10]}"
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()
    url = sa.make_url(normalise_database_url(base_url())).update_query_dict({"options": f"-csearch_path={schema}"})
    return schema, url.render_as_string(hide_password=False)


def drop_schema(schema: str) -> None:
    engine = sa.create_engine(normalise_database_url(base_url()), poolclass=NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    engine.dispose()


def app_role(url: str) -> tuple[str, str]:
    """A login role that owns nothing, granted the data rights (`sakip db app-role`), as in
    production: the row-level security policies bind it. (role, its URL)."""
    role = f"load_app_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(normalise_database_url(url), poolclass=NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
    engine.dispose()
    return role, sa.make_url(normalise_database_url(url)).set(username=role).render_as_string(hide_password=False)


def drop_role(role: str) -> None:
    engine = sa.create_engine(normalise_database_url(base_url()), poolclass=NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
        conn.exec_driver_sql(f'DROP ROLE "{role}"')
    engine.dispose()


def vacuum_analyze(url: str) -> str:
    """What autovacuum keeps doing on a production server: dead rows of earlier runs' saves
    cleared and the planner's statistics fresh. The PostgreSQL of this machine runs with
    autovacuum off, and a kept schema would otherwise be measured with stale plans."""
    engine = sa.create_engine(normalise_database_url(url), poolclass=NullPool,
                              isolation_level="AUTOCOMMIT")  # VACUUM runs outside a transaction
    try:
        with engine.connect() as conn:
            autovacuum = conn.exec_driver_sql("SHOW autovacuum").scalar()
            began = time.time()
            refresh_statistics(conn, vacuum=True)
    finally:
        engine.dispose()
    return f"VACUUM (ANALYZE) of every table, {time.time() - began:.1f} s (this server: autovacuum {autovacuum})"


def generated(url: str, tahun: int) -> bool:
    engine = sa.create_engine(normalise_database_url(url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return bool(conn.execute(sa.text("SELECT count(*) FROM dokumen WHERE tahun = :t AND jenis = 'rak_sekretariat'"),
                                     {"t": tahun}).scalar())
    except sa.exc.ProgrammingError:
        return False
    finally:
        engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer {url} within {seconds} s")


def percentile(sorted_ms: list[float], p: float) -> float:
    if not sorted_ms:
        return float("nan")
    k = max(0, min(len(sorted_ms) - 1, int(round(p / 100 * len(sorted_ms) + 0.5)) - 1))
    return sorted_ms[k]


def cpu_seconds(server_sid: int, role: str) -> dict[str, float]:
    """CPU seconds used so far by the app servers (gunicorn's session), the PostgreSQL
    backends serving them (connected as ``role``), PostgreSQL's other processes (its
    background workers, other clients), and the whole machine (every core's busy time),
    from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {"app": 0.0, "db": 0.0, "db_other": 0.0}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, _, rest = stat.read_text().rpartition(")")
        except OSError:  # gone meanwhile
            continue
        fields = rest.split()
        used = (int(fields[11]) + int(fields[12])) / tick
        if int(fields[3]) == server_sid:
            found["app"] += used
        elif head.endswith("(postgres"):
            try:
                title = (stat.parent / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            found["db" if f" {role} " in title else "db_other"] += used
    cpu = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    found["machine"] = (sum(map(int, cpu)) - int(cpu[3]) - int(cpu[4])) / tick  # all but idle and iowait
    return found


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_locust(env: dict, host: str, users: int, spawn_rate: float, duration: int, classes: list[str],
               records: Path, csv_prefix: Path) -> dict:
    cmd = [str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless", "-u", str(users),
           "-r", str(spawn_rate), "-t", f"{duration}s", "--host", host, "--csv", str(csv_prefix),
           "--only-summary", "--reset-stats", "--loglevel", "WARNING", "--stop-timeout", "10", *classes]
    subprocess.run(cmd, env={**env, "SAKIP_LOAD_RECORDS": str(records)}, check=False,
                   stdout=subprocess.DEVNULL, stderr=open(csv_prefix.with_suffix(".log"), "w"))
    return json.loads(records.read_text())


def summarise(found: dict) -> tuple[float, dict[str, dict], int, int]:
    """(window seconds, per-class figures, requests, failures) from spawn-complete to stop."""
    marks = found["marks"]
    start = marks.get("spawned", marks.get("start"))
    stop = marks["stop"]
    per: dict[str, list[tuple[float, bool]]] = {}
    for at, name, ms, failed in found["records"]:
        if at < start:
            continue
        cls = CLASSES.get(name.split(":")[0], name)
        per.setdefault(cls, []).append((ms, failed))
    window = stop - start
    figures = {}
    for cls, rows in per.items():
        times = sorted(ms for ms, _ in rows)
        figures[cls] = {"n": len(rows), "rps": len(rows) / window, "fail": sum(f for _, f in rows),
                        "p50": percentile(times, 50), "p95": percentile(times, 95), "p99": percentile(times, 99)}
    total = sum(f["n"] for f in figures.values())
    failures = sum(f["fail"] for f in figures.values())
    return window, figures, total, failures


def task_exceptions(csv_file: Path) -> int:
    if not csv_file.exists():
        return 0
    with csv_file.open() as fh:
        return sum(int(row["Count"]) for row in csv.DictReader(fh))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL database already generated (else a new schema)")
    parser.add_argument("--keep", action="store_true", help="keep the new schema and print its URL")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--offices", type=int, default=120, help="kabupaten/kota with a signed-in Sekretaris")
    parser.add_argument("--users", type=int, default=100, help="simulated people (reviewers included)")
    parser.add_argument("--rate", type=float, default=None,
                        help="requests/s the users ask for in all, each pacing its own requests (rate / users); "
                             "without it each user waits 0.3 to 1.2 s after each task, which drives the server to "
                             "its limit")
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", type=int, default=60, help="seconds of the mixed run after ramp-up")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"])
    parser.add_argument("--ceiling-users", type=int, default=20)
    parser.add_argument("--ceiling-duration", type=int, default=20)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="sakip-load-"))
    schema = role = None
    server = None
    env = {"SAKIP_AUDIT_KEY": secrets.token_hex(32), **os.environ, "SAKIP_INSTANCE_PATH": str(work / "instance"),
           "SECRET_KEY": secrets.token_hex(32), "SAKIP_ACCESS_LOG": "", "PYTHONUNBUFFERED": "1"}
    try:
        url = args.database_url
        if url is None:
            schema, url = new_schema()
            print(f"database:          new schema {schema}")
        env["DATABASE_URL"] = url
        if not generated(url, args.year):
            began = time.time()
            done = subprocess.run([str(BIN / "sakip"), "generate", "--year", str(args.year)], env=env,
                                  capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"sakip generate failed:\n{done.stderr[-3000:]}")
            print(f"sakip generate:    {time.time() - began:.0f} s (553 offices, year {args.year})")
        else:  # generated earlier: bring its schema up to date
            done = subprocess.run([str(BIN / "sakip"), "init"], env=env, capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"sakip init failed:\n{done.stderr[-3000:]}")
        print(f"statistics:        {vacuum_analyze(url)}")
        role, app_url = app_role(url)
        done = subprocess.run([str(BIN / "sakip"), "db", "app-role", role], env=env, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"sakip db app-role failed:\n{done.stderr[-3000:]}")

        os.environ.update({k: env[k] for k in ("SAKIP_INSTANCE_PATH", "DATABASE_URL", "SAKIP_AUDIT_KEY")})
        from bench.load.prepare import prepare
        from webapp import create_app

        app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(url), "SECRET_KEY": env["SECRET_KEY"]})
        data_file = work / "load.json"
        data = prepare(app, args.year, args.offices, data_file)
        reviewers = min(len(data["reviewers"]), max(1, args.users // 10))
        print(f"load accounts:     {len(data['offices'])} offices (Sekretaris), {len(data['reviewers'])} "
              f"province reviewers; {args.users} users run: {args.users - reviewers} offices, {reviewers} reviewers")

        from bench.load import plans
        from bench.load.pages import measure, report

        print()
        report(*measure(normalise_database_url(app_url), data))
        print()
        plans.report(plans.check(normalise_database_url(app_url), data))
        print()

        port = free_port()
        host = f"http://127.0.0.1:{port}"
        server_log = open(work / "gunicorn.log", "w")
        env["DATABASE_URL"] = app_url  # the app servers connect as the application role
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "-b", f"127.0.0.1:{port}",
             "-w", str(args.workers), "--threads", str(args.threads), "-k", args.worker_class, "webapp:create_app()"],
            cwd=ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(f"{host}/sehat")
        time.sleep(3)  # every worker booted
        shape = f"{args.threads} threads (gthread)" if args.worker_class == "gthread" else "1 thread (sync)"
        print(f"server:            gunicorn, {args.workers} workers x {shape}, {host}")

        load_before = os.getloadavg()
        locust_env = {**env, "SAKIP_LOAD_DATA": str(data_file), "SAKIP_LOAD_REVIEWERS": str(reviewers)}
        if args.rate:
            locust_env["SAKIP_LOAD_PACE"] = str(args.rate / args.users)  # requests/s per user
        cpu_before, locust_before, wall_before = cpu_seconds(server.pid, role), children_cpu(), time.monotonic()
        mixed = run_locust(locust_env, host, args.users, args.spawn_rate, args.duration + int(args.users / args.spawn_rate),
                           ["Kantor", "Reviewer"], work / "mixed.json", work / "mixed")
        cpu_after, locust_after, wall_after = cpu_seconds(server.pid, role), children_cpu(), time.monotonic()
        load_mixed = os.getloadavg()
        ceiling = run_locust(locust_env, host, args.ceiling_users, args.ceiling_users, args.ceiling_duration,
                             ["Sehat"], work / "ceiling.json", work / "ceiling")
        load_after = os.getloadavg()

        window, figures, total, failures = summarise(mixed)
        # A task that raised (a page not shaped as expected) sent no request: count it as failed.
        crashed = task_exceptions(work / "mixed_exceptions.csv")
        failures += crashed
        total += crashed
        c_window, c_figures, c_total, c_failures = summarise(ceiling)
        classes = [c for c in ("reads", "saves", "transitions+exports") if c in figures]
        counted = sum(figures[c]["n"] for c in classes)
        rps = counted / window
        error_rate = failures / total if total else 1.0

        print()
        pacing = f"asking for {args.rate:g} requests/s in all" if args.rate else "0.3 to 1.2 s between tasks"
        print(f"mixed run: {args.users} users ({pacing}), {window:.0f} s after ramp-up; load average "
              f"{load_before[0]:.1f} before, {load_mixed[0]:.1f} after (1 min), {os.cpu_count()} cores")
        used = {k: cpu_after[k] - cpu_before[k] for k in cpu_after}
        locust_cpu = locust_after - locust_before
        elapsed = wall_after - wall_before
        other = max(0.0, used["machine"] - used["app"] - used["db"] - used["db_other"] - locust_cpu)
        print(f"cores busy:        {used['machine'] / elapsed:.2f} of {os.cpu_count()} during the run (ramp-up included): "
              f"app servers {used['app'] / elapsed:.2f}, their PostgreSQL backends {used['db'] / elapsed:.2f}, "
              f"PostgreSQL's other processes {used['db_other'] / elapsed:.2f}, locust {locust_cpu / elapsed:.2f}, "
              f"everything else {other / elapsed:.2f}")
        print(f"{'class':<22}{'share':>7}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>9}  target")
        verdicts = []
        for cls in classes + [c for c in figures if c not in classes]:
            f = figures[cls]
            share = f"{100 * f['n'] / counted:.0f}%" if cls in classes else "-"
            target = ""
            if cls in TARGET_P95:
                ok = f["p95"] < TARGET_P95[cls]
                verdicts.append(ok)
                target = f"p95 < {TARGET_P95[cls]} ms {'PASS' if ok else 'FAIL'}"
            print(f"{cls:<22}{share:>7}{f['rps']:>9.1f}{f['p50']:>9.0f}{f['p95']:>9.0f}{f['p99']:>9.0f}"
                  f"{f['fail']:>9}  {target}")
        ok_rps = rps >= TARGET_RPS
        ok_err = error_rate < TARGET_ERRORS
        verdicts += [ok_rps, ok_err]
        print(f"{'all (3 classes)':<22}{'100%':>7}{rps:>9.1f}{'':>27}{'':>9}  >= {TARGET_RPS} req/s "
              f"{'PASS' if ok_rps else 'FAIL'}")
        print(f"error rate:        {failures} of {total} requests{f' (with {crashed} task exceptions)' if crashed else ''}"
              f" = {100 * error_rate:.3f}% "
              f"(target < {100 * TARGET_ERRORS:.1f}%) {'PASS' if ok_err else 'FAIL'}")
        sehat = c_figures.get("sehat", {"rps": 0, "p50": 0, "p95": 0, "fail": 0})
        print(f"ceiling GET /sehat: {sehat['rps']:.0f} req/s with {args.ceiling_users} users, no wait "
              f"(p50 {sehat['p50']:.0f} ms, p95 {sehat['p95']:.0f} ms, {c_failures} errors; load average "
              f"{load_after[0]:.1f}); mixed / ceiling = {100 * rps / max(sehat['rps'], 1e-9):.0f}%")
        errors = [line for line in (work / "gunicorn.log").read_text().splitlines()
                  if "Traceback" in line or "[ERROR]" in line or "[CRITICAL]" in line]
        print(f"server log:        {len(errors)} error lines")
        for line in errors[:5]:
            print("   ", line)
        failed_by_name = {}
        for _at, name, _ms, failed in mixed["records"]:
            if failed:
                failed_by_name[name] = failed_by_name.get(name, 0) + 1
        for name, n in sorted(failed_by_name.items()):
            print(f"    failed: {name}: {n} (locust's reasons: {work / 'mixed_failures.csv'})")
        print("RESULT:", "PASS" if all(verdicts) else "FAIL")
        if schema and args.keep:
            print(f"kept: --database-url '{url}'")
        return 0 if all(verdicts) else 1
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if schema and not args.keep:
            drop_schema(schema)
        if role:
            drop_role(role)
        if os.environ.get("SAKIP_LOAD_KEEP_FILES"):
            print(f"files:             {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
