"""What one request of each kind costs, alone: the CPU of the app and of PostgreSQL.

Called by run.py before the load (or on its own: ``python bench/load/pages.py URL
LOAD.json``). One signed-in Sekretaris, in this process (Flask's test client, no
network), on one pooled connection whose PostgreSQL backend's CPU is read from
``/proc``: per page the app's CPU (``time.process_time``), the database's CPU (the mean:
``/proc`` counts in 10 ms ticks), the wall time and the SQL statements sent (medians of
``runs``). The PDF is measured cold, as the load run meets it: each office downloads its
own PK, mostly for the first time, so its layout is paid at nearly every download (the
cache keyed by the HTML helps only on a repeat), and laid out in this process (the server
uses a renderer process of lower priority, webapp/pdf_render.py: the same CPU, which
``process_time`` counts only here). With the scenario's mix
(the weights of locustfile.py) this gives the CPU one average request costs, and so the
most requests per second the machine's cores could serve if nothing else ran there.
"""
from __future__ import annotations

import contextlib
import gc
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

import sqlalchemy as sa

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

# Share of all requests per kind (locustfile.py's weights: reads 80, saves 15, the rest 5).
MIX = {"dokumen RAK": 11, "laporan periode": 4, "notifikasi": 3, "dokumen PK": 12, "dasbor satker": 10, "daftar dokumen": 8, "beranda": 6,
       "realisasi PK": 6, "formulir baris RAK": 15, "dokumen RKT": 5, "simpan: baris RAK": 15,
       "transisi (submit/sign/send_back)": 2.5, "ekspor: RAK xlsx": 1.25, "ekspor: PK pdf dingin": 1.25}


def signed_in_client(url: str, data: dict):
    """(Flask test client signed in as the last office's Sekretaris, {page name: path}),
    on one pooled connection (StaticPool), as both pages.py and instructions.py measure."""
    from sqlalchemy.pool import StaticPool

    from webapp import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "pages", "SAKIP_PDF_NICE": 0,
                      "SQLALCHEMY_ENGINE_OPTIONS": {"poolclass": StaticPool}})
    office = data["offices"][-1]
    client = app.test_client()
    page = client.get("/masuk")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    assert client.post("/masuk", data={"username": office["username"], "password": data["password"],
                                       "csrf_token": token}).status_code == 302
    paths = {"dokumen RAK": f"/dokumen/{office['rak']}", "dokumen PK": f"/dokumen/{office['pk']}",
             "dasbor satker": f"/satker/{office['kode']}/dasbor", "daftar dokumen": f"/satker/{office['kode']}/dokumen",
             "beranda": "/", "notifikasi": "/notifikasi", "realisasi PK": f"/dokumen/{office['pk']}/realisasi",
             "laporan periode": f"/dokumen/{office['pk']}/periode/{office.get('periode', 3)}",
             "formulir baris RAK": f"/dokumen/{office['rak']}/baris/{office['rak_kunci'][0]}",
             "dokumen RKT": f"/dokumen/{office['rkt']}", "ekspor: RAK xlsx": f"/dokumen/{office['rak']}/unduh.xlsx",
             "ekspor: PK pdf dingin": f"/dokumen/{office['pk']}/unduh.pdf", "sehat": "/sehat"}
    return client, paths


def measure(url: str, data: dict, runs: int = 9) -> tuple[list[tuple[str, float, float, float, int]], float]:
    """[(page, app cpu ms, db cpu ms, wall ms, statements)], weighted cpu ms per request."""
    from werkzeug.datastructures import MultiDict

    from locustfile import form_fields
    from tenants.db import db

    client, paths = signed_in_client(url, data)
    app, office = client.application, data["offices"][-1]
    statements = [0]
    with app.app_context():
        backend = db.session.execute(sa.text("SELECT pg_backend_pid()")).scalar()
        db.session.rollback()
        sa.event.listen(db.engine, "before_cursor_execute", lambda *_a: statements.__setitem__(0, statements[0] + 1))
    tick = os.sysconf("SC_CLK_TCK")

    def db_cpu() -> float:
        fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    def timed(call) -> tuple[float, float, float, int]:
        statements[0] = 0
        cpu, dbc, wall = time.process_time(), db_cpu(), time.perf_counter()
        call()
        return ((time.process_time() - cpu) * 1000, (db_cpu() - dbc) * 1000, (time.perf_counter() - wall) * 1000,
                statements[0])

    def get(path: str):
        def call():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        return call

    warm(client, paths)

    rows = []
    for name, path in paths.items():
        with _cold_pdf("pdf" in name):
            samples = [timed(get(path)) for _ in range(runs)]
        rows.append((name, *_summary(samples)))

    def save():
        path = f"/dokumen/{office['rak']}/baris/{random.choice(office['rak_kunci'])}"
        fields = form_fields(client.get(path).text)
        amount = random.randint(1, 500) * 1_000_000
        form = MultiDict([(k, f"Rp {amount:,}".replace(",", ".") if k == "biaya" else v) for k, v in fields])

        def call():
            assert client.post(path, data=form).status_code == 302
        return timed(call)

    samples = [save() for _ in range(runs)]
    rows.append(("simpan: baris RAK", *_summary(samples)))
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    cost = {name: app_ms + db_ms for name, app_ms, db_ms, _w, _n in rows}
    # A transition is about as dear as a save (a locked revision and an audit entry).
    cost["transisi (submit/sign/send_back)"] = cost["simpan: baris RAK"]
    weighted = sum(MIX[name] * cost[name] for name in MIX) / sum(MIX.values())
    return rows, weighted


def warm(client, paths: dict[str, str]) -> None:
    """Each page once (templates compiled, statement caches filled), then what was allocated
    moved out of the garbage collector's sight, as gunicorn.conf.py does after a worker
    builds the app."""
    for name, path in paths.items():
        assert client.get(path).status_code == 200, name
    gc.collect()
    gc.freeze()


def _cold_pdf(cold: bool):
    """Every PDF laid out anew: the cache of finished PDFs misses."""
    from webapp import pdf_pool

    return mock.patch.object(pdf_pool, "cache_get", return_value=None) if cold else contextlib.nullcontext()


def _summary(samples) -> tuple[float, float, float, int]:
    """Medians, except the database's CPU: /proc counts it in 10 ms ticks, so the mean."""
    app_ms, _db, wall, n = (statistics.median(s[i] for s in samples) for i in range(4))
    return app_ms, statistics.fmean(s[1] for s in samples), wall, n


def report(rows, weighted: float) -> None:
    print(f"{'one request alone':<22}{'app cpu':>9}{'db cpu':>8}{'wall':>8}{'SQL':>5}   (ms, median)")
    for name, app_ms, db_ms, wall, n in rows:
        print(f"{name:<22}{app_ms:>9.1f}{db_ms:>8.1f}{wall:>8.1f}{n:>5.0f}")
    cores = os.cpu_count() or 1
    print(f"the mix costs {weighted:.1f} ms of CPU per request (app + database): {cores} cores could serve at most "
          f"{cores * 1000 / weighted:.0f} requests/s with nothing else running, locust included")


if __name__ == "__main__":
    import json

    from webapp.config import normalise_database_url

    found, cost = measure(normalise_database_url(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text()))
    report(found, cost)
