"""Uploads fail politely and cheaply (issue 14, point 6).

* A body over MAX_CONTENT_LENGTH answers 413 with the Indonesian message on the import
  form, also where row-level security binds (the app connecting as a role that owns
  nothing, as in production): the gate reads the body only once the database knows the
  user. A visitor whose session ended is sent to sign in, the body unread.
* A valid but huge workbook is refused at the row limit having read no further: the rows
  the real openpyxl parser turned into cells are counted (nothing of the parser is faked).
* Previews take turns on a real threaded server: a user's second simultaneous preview,
  and a second one in a busy process, are refused in words with Retry-After, and the
  uploaded file is kept for the retry.
"""
from __future__ import annotations

import http.client
import io
import os
import re
import threading
import uuid
from dataclasses import dataclass
from functools import partial
from http.cookies import SimpleCookie

import pytest
import sqlalchemy as sa
import xlsxwriter
from flask_migrate import upgrade
from openpyxl.worksheet._reader import WorkSheetParser

from tenants import scoping
from tenants.db import db
from tenants.hierarchy import load_hierarchy
from tests.conftest import TREE, app_role, csrf_token_from
from tests.documents import isi_contoh
from tests.factories import TEST_PASSWORD, UserFactory, grant
from tests.import_corpus import corpus
from tests.import_corpus.besar import buku_besar
from tests.test_concurrency import Browser, at_once, message_of, site  # noqa: F401 - site is a fixture
from webapp import create_app
from workflow import imports
from workflow.dokumen import operations
from workflow.dokumen.models import JenisDokumen
from workflow.imports import berkas

TERLALU_BESAR = "Kiriman terlalu besar; berkas paling besar 5 MB."
OVERSIZED = b"PK" + b"\0" * (7 * 1024 * 1024)  # over MAX_CONTENT_LENGTH (6 MB): refused unread


def _error(html: str) -> str:
    match = re.search(r'data-testid="error">(.*?)</', html, re.DOTALL)
    assert match, f"no message on the page: {html[:600]}"
    return " ".join(match.group(1).split())


# -- 413, where row-level security binds ---------------------------------------------------------

@dataclass
class Dinding:
    app: object
    dokumen_id: int


@pytest.fixture(scope="module")
def dinding(backend, fresh_database_url):
    """Kota Batu's Sekretaris and a draft RAK, served by an app connected as production
    connects: on PostgreSQL as a role that owns nothing, so row-level security binds it."""
    url = fresh_database_url(backend)
    owner = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with owner.app_context():
        upgrade()
        load_hierarchy(db.session, TREE)
        satker = db.session.scalar(sa.select(scoping.Satker).where(scoping.Satker.kode == "35.79"))
        sekretaris = UserFactory(username="sekretaris.batu", satker=satker)
        grant(sekretaris, satker, "sekretaris")
        dokumen = operations.buat_dokumen(db.session, satker, 2024, JenisDokumen.RAK_SEKRETARIAT, sekretaris)
        isi_contoh(db.session, dokumen, sekretaris, baris=2)
        db.session.commit()
        dokumen_id = dokumen.id
        db.session.remove()
    # A failure shows as the page a user would get (500), not as an exception in the test.
    config = {"TESTING": True, "PROPAGATE_EXCEPTIONS": False, "SECRET_KEY": "x", "SAKIP_RLS": True}
    if backend == "sqlite":
        yield Dinding(create_app({**config, "SQLALCHEMY_DATABASE_URI": url}), dokumen_id)
        return
    with app_role(owner, "sakip_impor") as role:
        app = create_app({**config, "SQLALCHEMY_DATABASE_URI": sa.make_url(url).set(username=role)
                          .render_as_string(hide_password=False)})
        yield Dinding(app, dokumen_id)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _sign_in(app):
    client = app.test_client()
    page = client.get("/masuk")
    response = client.post("/masuk", data={"username": "sekretaris.batu", "password": TEST_PASSWORD,
                                           "csrf_token": csrf_token_from(page.text)})
    assert response.status_code == 302, response.text
    return client


def _post_upload(client, url: str, csrf: str, data: bytes, name: str = "rak.xlsx"):
    return client.post(url, data={"csrf_token": csrf, "teks": "", "berkas": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_an_oversized_upload_answers_413_in_indonesian_and_the_page_stays_usable(dinding):
    client = _sign_in(dinding.app)
    url = f"/dokumen/{dinding.dokumen_id}/impor"
    page = client.get(url)
    response = _post_upload(client, url, csrf_token_from(page.text), OVERSIZED, "besar.xlsx")
    assert response.status_code == 413, response.text[:800]
    assert _error(response.text) == TERLALU_BESAR
    assert 'data-testid="import-form"' in response.text
    # Still signed in, and the form on the refusal page takes a file of the right size.
    again = _post_upload(client, url, csrf_token_from(response.text), corpus.batu_xlsx())
    assert again.status_code == 200 and 'data-testid="import-summary"' in again.text, again.text[:800]
    assert client.get(f"/dokumen/{dinding.dokumen_id}").status_code == 200


def test_an_oversized_upload_after_the_session_ended_goes_to_sign_in(dinding):
    response = _post_upload(dinding.app.test_client(), f"/dokumen/{dinding.dokumen_id}/impor", "x", OVERSIZED)
    assert response.status_code == 302 and response.location.startswith("/masuk"), response.status_code


def test_an_oversized_upload_as_the_session_expires_goes_to_sign_in_saying_so(dinding):
    # The session's end comes first, as for any request (webapp.kept_input keeps nothing of
    # a body it cannot read); the size is told once the person is back.
    from webapp import security

    client = _sign_in(dinding.app)
    url = f"/dokumen/{dinding.dokumen_id}/impor"
    page = client.get(url)
    with client.session_transaction() as s:  # idle past its lifetime while the file was chosen
        s[security.LAST_SEEN] -= dinding.app.config["SAKIP_SESSION_IDLE_SECONDS"] + 60
    response = _post_upload(client, url, csrf_token_from(page.text), OVERSIZED, "besar.xlsx")
    assert response.status_code == 302 and response.location.startswith("/masuk"), response.text[:800]
    assert "Sesi Anda telah berakhir." in client.get(response.location).text


def test_an_oversized_post_elsewhere_gets_the_indonesian_page(dinding):
    client = _sign_in(dinding.app)
    response = client.post("/bahasa", data={"lang": "id", "next": "x" * (7 * 1024 * 1024)})
    assert response.status_code == 413
    assert _error(response.text) == "Kiriman terlalu besar untuk diterima."


# -- reading stops at the limits --------------------------------------------------------------------

@pytest.fixture
def parsed(monkeypatch):
    """Rows and cells openpyxl's worksheet parser produced (the real parser, counted), and
    the nice values of the threads it ran in."""
    counts = {"rows": 0, "cells": 0, "nice": set()}
    parse_row = WorkSheetParser.parse_row

    def counting(self, element):
        row = parse_row(self, element)
        counts["rows"] += 1
        counts["cells"] += len(row[1])
        counts["nice"].add(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        return row

    monkeypatch.setattr(WorkSheetParser, "parse_row", counting)
    return counts


@pytest.fixture(scope="module")
def huge() -> bytes:
    return buku_besar(20_000)


def test_a_huge_workbook_is_refused_at_the_row_limit_having_read_no_further(db, client, login, make_dokumen,
                                                                             people, huge, parsed):
    assert 3_000_000 < len(huge) < imports.MAX_BYTES  # 20 000 rows x 20 cells, a valid table
    rak = make_dokumen("rak_sekretariat", baris=2)
    login(people("35.79").sekretaris)
    url = f"/dokumen/{rak.id}/impor"
    page = client.get(url)
    parsed.update(rows=0, cells=0, nice=set())
    response = _post_upload(client, url, csrf_token_from(page.text), huge, "besar.xlsx")
    assert response.status_code == 422
    assert _error(response.text) == "Tabel berisi lebih dari 2000 baris; bagi menjadi beberapa berkas."
    # The header and one row past the limit: not the 18 000 rows behind them.
    assert parsed["rows"] <= imports.MAX_BARIS + 2, parsed
    assert parsed["cells"] <= (imports.MAX_BARIS + 2) * 20, parsed
    # Read at a lower CPU priority than the request's own thread: on busy cores pages go first.
    assert parsed["nice"] == {min(19, os.getpriority(os.PRIO_PROCESS, 0) + 10)}, parsed


def test_a_refusal_read_in_the_reader_thread_speaks_the_reader_s_language(db, client, login, make_dokumen, people):
    rak = make_dokumen("rak_sekretariat", baris=2)
    login(people("35.79").sekretaris)
    url = f"/dokumen/{rak.id}/impor"
    client.post("/bahasa", data={"lang": "en", "next": url, "csrf_token": csrf_token_from(client.get(url).text)})
    page = client.get(url)
    response = _post_upload(client, url, csrf_token_from(page.text), corpus.too_many_rows(), "panjang.xlsx")
    assert response.status_code == 422
    assert _error(response.text) == "The table has more than 2000 rows; split it into several files."


def _continued_rows(n: int) -> bytes:
    """An office RAK with one numbered row followed by ``n`` rows that only continue its text."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = wb.add_worksheet("RAK")
    ws.write_row(0, 0, ["No", "Sasaran", "Indikator Kinerja", "Target", "Kegiatan", "Pelaksana"])
    ws.write_row(1, 0, [1, "Sasaran", "Indikator", "100%", "Rapat", "Subbag KUL"])
    for i in range(2, n + 2):
        ws.write_row(i, 0, ["", "", "", "", f"- kegiatan lanjutan {i}"])
    wb.close()
    return out.getvalue()


def test_rows_that_only_continue_the_row_above_are_read_up_to_the_table_limit(parsed):
    data = _continued_rows(10_000)
    with pytest.raises(imports.BerkasDitolak) as refused:
        imports.baca_berkas(data, "lanjutan.xlsx", JenisDokumen.RAK_SEKRETARIAT)
    assert refused.value.message.startswith("Tabel terlalu panjang: lebih dari 6000 baris lembar kerja")
    assert parsed["rows"] <= berkas.MAX_BARIS_TABEL + 3, parsed


def test_a_sheet_is_read_up_to_its_cell_limit(parsed):
    # An exported-style table (its Kunci column makes the reader look below the totals row
    # for rows left out) with 2 600 rows x 79 filled cells under it: 205 400 cells.
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = wb.add_worksheet("RAK")
    ws.write_row(0, 0, ["No", "Sasaran", "Indikator Kinerja", "Target", "Kegiatan", "Pelaksana", "Kunci"])
    ws.write_row(1, 0, [1, "Sasaran", "Indikator", "100%", "Rapat", "Subbag KUL", "k1"])
    ws.write_row(2, 0, ["Jumlah"])
    for i in range(4, 2604):
        ws.write_row(i, 0, [f"catatan {i}.{c}" for c in range(79)])
    wb.close()
    with pytest.raises(imports.BerkasDitolak) as refused:
        imports.baca_berkas(out.getvalue(), "catatan.xlsx", JenisDokumen.RAK_SEKRETARIAT)
    assert refused.value.message == "Lembar 'RAK' berisi lebih dari 200000 sel terisi; bukan tabel RAK, PK atau RKT."
    assert parsed["cells"] <= berkas.MAX_SEL + 79, parsed


# -- turns, on a real threaded server ------------------------------------------------------------

@dataclass
class Jawaban:
    status: int
    headers: dict[str, str]
    text: str


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[str, bytes]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


def _unggah(browser: Browser, path: str, fields: dict, files: dict,
            conn: http.client.HTTPConnection | None = None) -> Jawaban:
    """A multipart POST as the browser sends the import form (its cookies kept up to date)."""
    conn = conn or browser.connect()
    try:
        content_type, body = _multipart(fields, files)
        headers = {"Connection": "close", "Content-Type": content_type,
                   "Cookie": "; ".join(f"{k}={v}" for k, v in browser.cookies.items())}
        conn.request("POST", path, body=body, headers=headers)
        raw = conn.getresponse()
        text = raw.read().decode("utf-8", "replace")
        for header in raw.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                browser.cookies[name] = morsel.value
        return Jawaban(raw.status, dict(raw.headers.items()), text)
    finally:
        conn.close()


def _serentak(jobs: list[tuple[Browser, str, dict, dict]]) -> list[Jawaban]:
    """Every upload from its own thread, released together once all are connected."""
    return at_once([(browser, partial(_unggah, browser, path, fields, files)) for browser, path, fields, files in jobs],
                   Jawaban)


@pytest.fixture(scope="module")
def table_1500() -> bytes:
    return buku_besar(1500)  # a valid office table: about a second to read and compare


def _jobs(site, dokumen_id: int, browsers: list[Browser], data: bytes) -> list[tuple]:
    path = f"/dokumen/{dokumen_id}/impor"
    jobs = []
    for browser in browsers:
        page = browser.get(path)
        assert page.status == 200, page.text[:500]
        jobs.append((browser, path, {"csrf_token": csrf_token_from(page.text), "teks": ""}, {"berkas": ("rak.xlsx", data)}))
    return jobs


def test_a_user_s_simultaneous_previews_take_turns_and_the_file_is_kept(site, table_1500):
    dokumen_id = site.new_rak("draft")
    tabs = site.browsers("sekretaris", 3)
    results = _serentak(_jobs(site, dokumen_id, tabs, table_1500))
    statuses = [r.status for r in results]
    assert statuses.count(200) == 1 and statuses.count(429) == 2, statuses
    for tab, refused in zip(tabs, results):
        if refused.status != 429:
            continue
        assert message_of(refused) == ("Pratinjau impor Anda yang lain masih diperiksa. Tunggu sampai selesai, lalu "
                                       "tekan Periksa lagi.")
        assert refused.headers.get("Retry-After") == "5"
        assert 'data-testid="import-kept"' in refused.text and "rak.xlsx" in refused.text
    # Once the first is done, the button again, no file chosen: the kept one is read.
    tab = next(tab for tab, r in zip(tabs, results) if r.status == 429)
    refused = next(r for r in results if r.status == 429)
    again = _unggah(tab, f"/dokumen/{dokumen_id}/impor",
                    {"csrf_token": csrf_token_from(refused.text), "teks": "", "tunda": "1"}, {})
    assert again.status == 200, again.text[:800]
    assert 'data-testid="import-summary">Ditambah 1498, diubah 2 ' in again.text  # its 1500 rows, the draft's 2 first
    assert 'data-testid="import-apply"' in again.text
    site.assert_no_server_error()


@pytest.fixture
def tunggu(site):
    """Set how long a preview waits for the process's turn (SAKIP_IMPOR_TUNGGU)."""
    giliran = site.app.extensions["sakip_impor_giliran"]
    before = giliran.tunggu

    def set_(seconds: float) -> None:
        giliran.tunggu = seconds
    yield set_
    giliran.tunggu = before


def test_two_users_previews_at_once_take_turns_within_the_wait(site, table_1500, tunggu):
    tunggu(60)
    dokumen_id = site.new_rak("draft")
    browsers = [site.signed_in["sekretaris"].clone(), site.signed_in["kul"].clone()]
    results = _serentak(_jobs(site, dokumen_id, browsers, table_1500))
    assert [r.status for r in results] == [200, 200], [r.text[:300] for r in results]
    site.assert_no_server_error()


def test_a_busy_process_refuses_a_second_preview_with_retry_after(site, table_1500, tunggu):
    tunggu(0)
    dokumen_id = site.new_rak("draft")
    browsers = [site.signed_in["sekretaris"].clone(), site.signed_in["kul"].clone()]
    results = _serentak(_jobs(site, dokumen_id, browsers, table_1500))
    assert sorted(r.status for r in results) == [200, 503], [r.status for r in results]
    busy = next(r for r in results if r.status == 503)
    assert message_of(busy) == "Server sedang memeriksa impor lain. Tunggu sebentar, lalu tekan Periksa lagi."
    assert busy.headers.get("Retry-After") == "5" and 'data-testid="import-kept"' in busy.text
    # The refusal is the app's own answer, not a failure.
    site.server_errors[:] = [e for e in site.server_errors if not e.endswith("/impor -> 503 SERVICE UNAVAILABLE")]
    site.assert_no_server_error()
