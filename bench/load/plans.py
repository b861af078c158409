"""Which tables each page's statements read whole, on the national data, as the application
role: the plans PostgreSQL really chooses, with its statistics and row-level security.

    .venv/bin/python bench/load/plans.py APP_ROLE_URL LOAD.json

Called by run.py after pages.py (the same signed-in Sekretaris and the same pages). Each
page is requested once while its statements and parameters are recorded; then they are
replayed in one transaction on the same connection settings, every SELECT under
``EXPLAIN (ANALYZE, FORMAT JSON)``, and every sequential scan of a table of more than
``BIG`` rows is reported with the time it took. A page on one office's documents has no
reason to read the whole country's rows: a line here is a missing index, a join the
planner could not push through a policy, or statistics that were never gathered (the
kegiatan of every RAK were read for each RAK page until the rows' statement stopped
joining them).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import sqlalchemy as sa

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

BIG = 10_000  # rows: more than one office's share of any table


def record(url: str, data: dict) -> dict[str, list[tuple[str, dict]]]:
    """{page: [(statement, parameters)]} for one request of each GET page."""
    from pages import signed_in_client
    from tenants.db import db

    client, paths = signed_in_client(url, data)
    found: dict[str, list[tuple[str, dict]]] = {}
    current: list[tuple[str, dict]] = []
    with client.application.app_context():
        sa.event.listen(db.engine, "before_cursor_execute",
                        lambda _c, _cur, statement, parameters, _ctx, _many: current.append((statement, parameters)))
    for name, path in paths.items():
        if name == "sehat" or "pdf" in name:
            continue
        client.get(path)  # warm
        current.clear()
        assert client.get(path).status_code == 200, name
        found[name] = list(current)
    with client.application.app_context():
        db.session.remove()
        db.engine.dispose()
    return found


def whole_reads(conn, statements: list[tuple[str, dict]], sizes: dict[str, float]) -> tuple[float, list[str]]:
    """(total execution ms, ["Seq Scan on kegiatan: 44 160 rows read, 5.2 ms"]) for one page."""
    total, reads = 0.0, []
    for statement, parameters in statements:
        if not statement.lstrip().upper().startswith("SELECT"):
            continue
        if "set_config" in statement:  # the row-level security setting: run it as the app did
            conn.exec_driver_sql(statement, parameters)
            continue
        plan = conn.exec_driver_sql(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", parameters).scalar()[0]
        total += plan["Execution Time"]

        def walk(node):
            relation = node.get("Relation Name")
            if node["Node Type"] == "Seq Scan" and sizes.get(relation, 0) > BIG:
                read = node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
                rows = f"{read * node['Actual Loops']:,}".replace(",", " ")
                reads.append(f"Seq Scan on {relation}: {rows} rows read, "
                             f"{node['Actual Total Time'] * node['Actual Loops']:.1f} ms")
            for child in node.get("Plans", []):
                walk(child)
        walk(plan["Plan"])
    return total, reads


def check(url: str, data: dict) -> dict[str, tuple[float, list[str]]]:
    recorded = record(url, data)
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            sizes = dict(conn.execute(sa.text(
                "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' "
                "AND relnamespace = current_schema()::regnamespace")).all())
            conn.rollback()
            results = {}
            for name, statements in recorded.items():
                with conn.begin() as transaction:
                    results[name] = whole_reads(conn, statements, sizes)
                    transaction.rollback()
            return results
    finally:
        engine.dispose()


def report(results: dict[str, tuple[float, list[str]]]) -> None:
    print(f"{'plans, one request':<22}{'db ms':>8}   whole-table reads (tables of more than {BIG} rows)")
    for name, (total, reads) in results.items():
        print(f"{name:<22}{total:>8.1f}   {'; '.join(reads) or 'none'}")


if __name__ == "__main__":
    from webapp.config import normalise_database_url

    report(check(normalise_database_url(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text())))
