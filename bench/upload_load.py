"""Benchmark: a document page while eight huge workbooks are uploaded (issue 14, point 6).

    .venv/bin/python bench/upload_load.py [--uploads 8] [--rows 20000] [--reads 40]
                                          [--workers 4] [--threads 2] [--database-url URL]

On a new PostgreSQL schema (``SAKIP_LOAD_POSTGRES_URL``, default the tests' database;
dropped at the end) or the empty one given, as the production stack runs it: gunicorn with
``gunicorn.conf.py`` connected as a role that owns nothing (row-level security binds it).
``--uploads`` kabupaten/kota each get a Sekretaris with a draft RAK; one more office's
Sekretaris reads their 40-row RAK page. The workbook is tests/import_corpus/besar.py's:
a valid office RAK of ``--rows`` rows x 20 cells (about 4 MB at 20 000 rows), refused
for its length (the import takes 2000 rows).

1. in this process, through the Flask test client on the same database: the SQL
   statements of the page and of one upload, and the rows openpyxl's parser read for it;
2. over HTTP: the page alone (``--reads`` times, one after another), one upload alone;
3. every upload at once (released together), while the reader loads the page again and
   again until the last upload is answered.

It prints ratios to the lone figures (what to compare between commits: this machine's
speed changes by the hour) and the uploads' answers. Nothing is asserted.
"""
from __future__ import annotations

import argparse
import html
import http.client
import io
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench.load.run import app_role, drop_role, drop_schema, free_port, new_schema, wait_for  # noqa: E402
from webapp.config import normalise_database_url  # noqa: E402

BIN = Path(sys.executable).parent
PASSWORD = "Bench-Unggah-2024!"


# -- the data ----------------------------------------------------------------------------------------

def build(app, uploads: int) -> dict:
    """Offices, their Sekretaris and draft RAKs: {"reader": (username, dokumen id), "uploaders": [...]}."""
    from flask_migrate import upgrade

    from tenants import accounts
    from tenants.db import db
    from tenants.hierarchy import Office, load_hierarchy
    from tenants.people import Peran
    from tenants.satker import Satker, Tingkat
    from workflow.dokumen import operations
    from workflow.dokumen.models import JenisDokumen
    from workflow.dokumen.operations import BarisData

    kodes = [f"35.{n:02d}" for n in range(1, uploads + 2)]
    with app.app_context():
        upgrade()
        load_hierarchy(db.session, [Office("RI", "KPU RI", Tingkat.PUSAT, None),
                                    Office("35", "KPU Provinsi Jawa Timur", Tingkat.PROVINSI, "RI"),
                                    *(Office(k, f"KPU Kabupaten Bench {k}", Tingkat.KABKOTA, "35") for k in kodes)])
        out = []
        for kode in kodes:
            satker = db.session.scalar(sa.select(Satker).where(Satker.kode == kode))
            username = f"bench.{kode}.sekretaris"
            user = accounts.create_user(db.session, username, f"Sekretaris {kode}", satker, PASSWORD)
            accounts.grant(db.session, user, satker, Peran.SEKRETARIS)
            dokumen = operations.buat_dokumen(db.session, satker, 2024, JenisDokumen.RAK_SEKRETARIAT, user)
            operations.isi_baris_massal(db.session, dokumen, [
                BarisData(sasaran=f"Sasaran {no % 5 + 1}", indikator=f"Persentase capaian kegiatan {no}", target="97,5%",
                          kegiatan=[f"Rapat koordinasi {no}", f"Monitoring {no}"], kode_output="CQ.6709.QGE.003",
                          sel_jadwal=[1, 2, (no % 12) + 1], biaya=1_000_000 + no, pelaksana="kul")
                for no in range(1, 41)], user)
            db.session.commit()
            out.append((username, dokumen.id))
        db.session.remove()
    return {"reader": out[-1], "uploaders": out[:-1]}


# -- a browser over plain HTTP -------------------------------------------------------------------------

class Klien:
    def __init__(self, port: int) -> None:
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str | None = None):
        """(status, milliseconds, text)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        headers = {"Connection": "close", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        began = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            text = raw.read().decode("utf-8", "replace")
        finally:
            conn.close()
        ms = (time.perf_counter() - began) * 1000
        for header in raw.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            self.cookies.update({name: morsel.value for name, morsel in jar.items()})
        return raw.status, ms, text

    def sign_in(self, username: str) -> None:
        page = self.request("GET", "/masuk")[2]
        body = f"username={username}&password={PASSWORD}&csrf_token={csrf(page)}".encode()
        status = self.request("POST", "/masuk", body, "application/x-www-form-urlencoded")[0]
        if status != 302:
            raise SystemExit(f"{username} could not sign in ({status})")

    def upload(self, dokumen_id: int, data: bytes):
        path = f"/dokumen/{dokumen_id}/impor"
        page = self.request("GET", path)[2]
        boundary = uuid.uuid4().hex
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf(page)}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="berkas"; filename="besar.xlsx"\r\n'
                f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        return self.request("POST", path, body, f"multipart/form-data; boundary={boundary}")


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def message(page: str) -> str:
    found = re.search(r'data-testid="error">(.*?)<', page, re.DOTALL)
    return html.unescape(" ".join(found.group(1).split())) if found else "(no message)"


# -- in this process: SQL statements and rows parsed ------------------------------------------------------

def in_process(app_url: str, secret: str, reader: tuple[str, int], uploader: tuple[str, int], data: bytes) -> dict:
    from openpyxl.worksheet._reader import WorkSheetParser

    from tenants.db import db
    from webapp import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(app_url), "SECRET_KEY": secret})
    statements: list[str] = []
    rows = [0]
    parse_row = WorkSheetParser.parse_row

    def counting(self, element):
        rows[0] += 1
        return parse_row(self, element)

    def count(_conn, _cursor, statement, *_):
        statements.append(statement)

    def signed_in(username: str):
        client = app.test_client()
        page = client.get("/masuk").text
        client.post("/masuk", data={"username": username, "password": PASSWORD, "csrf_token": csrf(page)})
        return client

    with app.app_context():
        engine = db.engine
    figures = {}
    page_client, upload_client = signed_in(reader[0]), signed_in(uploader[0])
    csrf_upload = csrf(upload_client.get(f"/dokumen/{uploader[1]}/impor").text)
    sa.event.listen(engine, "before_cursor_execute", count)
    WorkSheetParser.parse_row = counting
    try:
        page_client.get(f"/dokumen/{reader[1]}")
        figures["page_sql"] = len(statements)
        statements.clear()
        response = upload_client.post(f"/dokumen/{uploader[1]}/impor", content_type="multipart/form-data", data={
            "csrf_token": csrf_upload, "berkas": (io.BytesIO(data), "besar.xlsx")})
        figures.update(upload_sql=len(statements), upload_rows=rows[0], upload_status=response.status_code,
                       upload_message=message(response.text))
    finally:
        WorkSheetParser.parse_row = parse_row
        sa.event.remove(engine, "before_cursor_execute", count)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return figures


# -- over HTTP ---------------------------------------------------------------------------------------------

def together(port: int, uploaders: list[tuple[str, int]], data: bytes, reader: Klien, page: str) -> dict:
    """Every upload at once; the reader loads ``page`` until the last one is answered."""
    clients = []
    for username, _dokumen in uploaders:
        client = Klien(port)
        client.sign_in(username)
        clients.append(client)
    barrier = threading.Barrier(len(clients) + 1)
    answers: list = [None] * len(clients)

    def upload(i: int) -> None:
        barrier.wait()
        began = time.perf_counter()
        status, _ms, text = clients[i].upload(uploaders[i][1], data)
        answers[i] = (status, time.perf_counter() - began, message(text) if status != 200 else "")

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    barrier.wait()
    began = time.perf_counter()
    pages = []
    while any(t.is_alive() for t in threads):
        status, ms, _text = reader.request("GET", page)
        pages.append(ms if status == 200 else float("inf"))
    for t in threads:
        t.join()
    return {"answers": answers, "pages": pages, "window": time.perf_counter() - began}


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--uploads", type=int, default=8)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--reads", type=int, default=40)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--database-url", help="an empty PostgreSQL schema (default: a new one, dropped afterwards)")
    args = parser.parse_args()

    from tests.import_corpus.besar import buku_besar
    from webapp import create_app

    work = Path(tempfile.mkdtemp(prefix="sakip-upload-"))
    secret = secrets.token_hex(32)
    env = {**os.environ, "SAKIP_INSTANCE_PATH": str(work / "instance"), "SECRET_KEY": secret, "SAKIP_ACCESS_LOG": "",
           "PYTHONUNBUFFERED": "1", "SAKIP_AUDIT_KEY": secrets.token_hex(32)}
    os.environ.update({k: env[k] for k in ("SAKIP_INSTANCE_PATH", "SAKIP_AUDIT_KEY")})
    schema = role = server = None
    try:
        url = args.database_url
        if url is None:
            schema, url = new_schema()
        owner = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(url), "SECRET_KEY": secret})
        data = build(owner, args.uploads)
        env["DATABASE_URL"] = url
        role, app_url = app_role(url)
        done = subprocess.run([str(BIN / "sakip"), "db", "app-role", role], env=env, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"sakip db app-role failed:\n{done.stderr[-3000:]}")
        workbook = buku_besar(args.rows)
        reader_name, reader_doc = data["reader"]
        page = f"/dokumen/{reader_doc}"
        figures = in_process(app_url, secret, data["reader"], data["uploaders"][0], workbook)

        port = free_port()
        env["DATABASE_URL"] = app_url
        log = open(work / "gunicorn.log", "w")
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "-b", f"127.0.0.1:{port}",
             "-w", str(args.workers), "--threads", str(args.threads), "webapp:create_app()"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(f"http://127.0.0.1:{port}/sehat")
        time.sleep(3)  # every worker booted
        reader = Klien(port)
        reader.sign_in(reader_name)
        for _ in range(5):  # warm up: templates compiled, connections open
            reader.request("GET", page)
        alone = [reader.request("GET", page)[1] for _ in range(args.reads)]
        lone = Klien(port)
        lone.sign_in(data["uploaders"][0][0])
        began = time.perf_counter()
        lone_status, _ms, lone_text = lone.upload(data["uploaders"][0][1], workbook)
        lone_seconds = time.perf_counter() - began
        run = together(port, data["uploaders"], workbook, reader, page)

        base = statistics.median(alone)
        during = run["pages"]
        outcomes = Counter(f"{status} {text}" for status, _s, text in run["answers"])
        slowest_of = {o: max(s for st, s, t in run["answers"] if f"{st} {t}" == o) for o in outcomes}
        print(f"server:                 gunicorn, {args.workers} workers x {args.threads} threads (gthread), "
              f"PostgreSQL as the application role; load average {os.getloadavg()[0]:.1f}")
        print(f"workbook:               {args.rows} rows x 20 cells, {len(workbook) / 1e6:.1f} MB")
        print(f"one upload, in process: {figures['upload_status']} {figures['upload_message']}")
        print(f"                        rows parsed by openpyxl {figures['upload_rows']}, "
              f"SQL statements {figures['upload_sql']}")
        print(f"document page (40 rows): SQL statements {figures['page_sql']}; alone p50 {base:.0f} ms, "
              f"p95 {p(alone, 95):.0f} ms ({args.reads} reads)")
        print(f"one upload alone:       {lone_seconds:.2f} s -> {lone_status} {message(lone_text)}")
        print(f"{args.uploads} uploads at once:    last answered after {run['window']:.2f} s "
              f"= {run['window'] / lone_seconds:.1f}x one alone")
        for outcome, n in sorted(outcomes.items()):
            print(f"                        {n} x {outcome} (slowest {slowest_of[outcome] / lone_seconds:.1f}x one alone)")
        print(f"page meanwhile:         {len(during)} reads, p50 {statistics.median(during):.0f} ms "
              f"= {statistics.median(during) / base:.1f}x alone, p95 {p(during, 95):.0f} ms = "
              f"{p(during, 95) / base:.1f}x, max {max(during):.0f} ms = {max(during) / base:.1f}x")
        errors = [line for line in (work / "gunicorn.log").read_text().splitlines() if "Traceback" in line]
        print(f"server tracebacks:      {len(errors)}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)
        if role is not None:
            drop_role(role)
        if schema is not None:
            drop_schema(schema)


if __name__ == "__main__":
    main()
