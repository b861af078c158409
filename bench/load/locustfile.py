"""The load scenario (issue 6, point 6): people of many offices at once, in deadline week.

Run through ``bench/load/run.py``, which prepares the database and the server and sets
``SAKIP_LOAD_DATA`` (the offices and accounts of ``bench/load/prepare.py``) and
``SAKIP_LOAD_RECORDS`` (where every request's class, time and outcome is written).

``Kantor``: one per office, signed in as that office's Sekretaris. Per iteration it
picks, by weight, a page read (80% of requests: the RAK and the PK, the dashboard, the
document list, the home page with the to-do list, the notifications, the realisation
page, the PK's period report), a save (15%: opens a row of its
RAK draft, changes the amount and saves it with the form's CSRF token and version), or
a transition or an export (5%: the next step of its RKT's cycle, submit or sign, or,
while the RKT waits for review, an Excel or PDF download).

``Reviewer``: one per province of those offices. Reads its inbox and the province's
dashboard, opens its offices' RKTs and returns a signed one with a reason, which opens
the next revision and closes the cycle.

``Sehat``: only ``GET /sehat`` as fast as it can, for the ceiling (run on its own).

A request is a failure when its status is not the expected one (200, or 302 after a
POST); sign-in requests are counted apart from the three classes.
"""
from __future__ import annotations

import html
import itertools
import json
import os
import random
import re
import threading
import time
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import pyotp
from locust import FastHttpUser, between, events, task

DATA = json.loads(Path(os.environ["SAKIP_LOAD_DATA"]).read_text()) if os.environ.get("SAKIP_LOAD_DATA") else {
    "offices": [], "reviewers": [], "password": ""}
RECORDS: list[tuple[float, str, float, bool]] = []  # (time, name, ms, failed)
MARKS: dict[str, float] = {}
_lock = threading.Lock()
_next_office = itertools.count()
_next_reviewer = itertools.count()

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
VERSI = re.compile(r'name="versi"(?: type="hidden")? value="([^"]*)"')
HASH = re.compile(r'name="hash_dibaca" value="([^"]*)"')


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **_kw):
    RECORDS.append((time.time(), name, response_time, exception is not None))


@events.spawning_complete.add_listener
def _spawned(user_count, **_kw):
    MARKS.setdefault("spawned", time.time())


@events.test_start.add_listener
def _started(**_kw):
    MARKS["start"] = time.time()


@events.quitting.add_listener
def _write(**_kw):
    if target := os.environ.get("SAKIP_LOAD_RECORDS"):
        MARKS["stop"] = time.time()
        Path(target).write_text(json.dumps({"marks": MARKS, "records": RECORDS}))


class FormFields(HTMLParser):
    """The fields a browser would send from the page's own form (``method=post``, no action)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._in_form = self._done = False
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self._done:
            return
        # The editor's own form posts to the page itself (no action); the language and
        # sign-out forms of the page header name theirs.
        if tag == "form" and (a.get("method") or "").lower() == "post" and not a.get("action"):
            self._in_form = True
        if not self._in_form or not a.get("name") and tag not in ("option",):
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields.append((a["name"], ""))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value") or ""))

    def handle_data(self, data):
        if self._textarea and self.fields and self.fields[-1][0] == self._textarea:
            if not self.fields[-1][1]:  # a browser drops the newline that follows <textarea>
                data = data.removeprefix("\r\n") if data.startswith("\r\n") else data.removeprefix("\n")
            self.fields[-1] = (self._textarea, self.fields[-1][1] + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True


def form_fields(page: str) -> list[tuple[str, str]]:
    parser = FormFields()
    parser.feed(page)
    return parser.fields


# run.py --rate: requests per second each user asks for, so that all together ask for the
# rate whatever the answers' latency (a fixed load); else they click as fast as people in a
# hurry, 0.3 to 1.2 s after each answer, which pushes the server to its limit.
PACE = float(os.environ.get("SAKIP_LOAD_PACE") or 0)


class Pengguna(FastHttpUser):
    abstract = True
    username = ""
    totp: str | None = None
    _sent = 0  # requests of the task that just ended
    _task_started: float | None = None

    def wait_time(self) -> float:
        """Paced by requests, not tasks (locust's constant_throughput paces tasks, and
        these send one or two requests): a task that sent n requests is followed by a wait
        that ends n / PACE seconds after it started, or by none if it took longer."""
        if not PACE:
            return random.uniform(0.3, 1.2)
        now = time.monotonic()
        started = now if self._task_started is None else self._task_started
        wait = max(0.0, started + self._sent / PACE - now)
        self._sent, self._task_started = 0, now + wait
        return wait

    def sign_in(self) -> None:
        page = self.client.get("/masuk", name="masuk: formulir")
        token = CSRF.search(page.text or "")
        with self.client.post("/masuk", data={"username": self.username, "password": DATA["password"],
                                              "csrf_token": token.group(1) if token else ""},
                              name="masuk: kirim", allow_redirects=False, catch_response=True) as r:
            if r.status_code != 302:
                r.failure(f"sign-in answered {r.status_code}")
            location = r.headers.get("Location") or ""
        if "/masuk/kode" in location and self.totp:  # the second factor (reviewers)
            page = self.client.get("/masuk/kode", name="masuk: formulir kode")
            token = CSRF.search(page.text or "")
            with self.client.post("/masuk/kode", data={"kode": pyotp.TOTP(self.totp).now(),
                                                       "csrf_token": token.group(1) if token else ""},
                                  name="masuk: kode", allow_redirects=False, catch_response=True) as r:
                if r.status_code != 302:
                    r.failure(f"code answered {r.status_code}")

    def read(self, path: str, name: str) -> str:
        self._sent += 1
        with self.client.get(path, name=f"baca: {name}", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")
            return r.text or ""

    def post(self, path: str, data, name: str) -> int:
        body = urllib.parse.urlencode(data, doseq=True)  # a list of pairs keeps repeated fields (jadwal)
        self._sent += 1
        with self.client.post(path, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"},
                              name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 302:
                message = re.search(r'data-testid="error">(.*?)</div>', r.text or "", re.DOTALL)
                text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", message.group(1))).split()) if message else ""
                r.failure(f"{r.status_code} {text[:160]}")
            return r.status_code


class Kantor(Pengguna):
    """The Sekretaris of one office."""

    def on_start(self) -> None:
        with _lock:
            self.office = DATA["offices"][next(_next_office) % len(DATA["offices"])]
        self.username = self.office["username"]
        self.sign_in()

    # -- reads (one request each) --------------------------------------------------------
    @task(11)
    def rak(self):
        self.read(f"/dokumen/{self.office['rak']}", "dokumen RAK")

    @task(4)
    def laporan_periode(self):
        # The PK's report of a period (prepare.py: March, or TW I where the office plans by quarter).
        self.read(f"/dokumen/{self.office['pk']}/periode/{self.office.get('periode', 3)}", "laporan periode")

    @task(12)
    def pk(self):
        self.read(f"/dokumen/{self.office['pk']}", "dokumen PK")

    @task(10)
    def dasbor(self):
        self.read(f"/satker/{self.office['kode']}/dasbor", "dasbor satker")

    @task(8)
    def daftar(self):
        self.read(f"/satker/{self.office['kode']}/dokumen", "daftar dokumen")

    @task(6)
    def beranda(self):
        self.read("/", "beranda")

    @task(3)
    def notifikasi(self):
        # The bell's unread count is on every page; this is the list behind it.
        self.read("/notifikasi", "notifikasi")

    @task(6)
    def realisasi(self):
        self.read(f"/dokumen/{self.office['pk']}/realisasi", "realisasi PK")

    # -- saves (the form, then the save) ----------------------------------------------------
    @task(15)
    def simpan_baris(self):
        kunci = random.choice(self.office["rak_kunci"])
        path = f"/dokumen/{self.office['rak']}/baris/{kunci}"
        fields = form_fields(self.read(path, "formulir baris RAK"))
        if not fields:
            return
        amount = random.randint(1, 500) * 1_000_000
        data = [(k, f"Rp {amount:,}".replace(",", ".") if k == "biaya" else v) for k, v in fields]
        self.post(path, data, "simpan: baris RAK")

    # -- transitions and exports -------------------------------------------------------------
    @task(5)
    def langkah_rkt(self):
        rkt = self.office["rkt"]
        page = self.read(f"/dokumen/{rkt}", "dokumen RKT")
        token, versi = CSRF.search(page), VERSI.search(page)
        for event in ("submit", "sign"):
            if f'data-testid="btn-{event}"' in page and token and versi:
                data = {"csrf_token": token.group(1), "versi": versi.group(1)}
                if event == "sign" and (found := HASH.search(page)):
                    data["hash_dibaca"] = found.group(1)
                self.post(f"/dokumen/{rkt}/aksi/{event}", data, f"transisi: {event}")
                return
        # Waiting for the reviewer: download something meanwhile.
        if random.random() < 0.5:
            self.download(f"/dokumen/{self.office['rak']}/unduh.xlsx", "ekspor: RAK xlsx")
        else:
            self.download(f"/dokumen/{self.office['pk']}/unduh.pdf", "ekspor: PK pdf")

    def download(self, path: str, name: str) -> None:
        self._sent += 1
        with self.client.get(path, name=name, catch_response=True) as r:
            if r.status_code != 200 or not r.content:
                r.failure(f"{r.status_code}")


class Reviewer(Pengguna):
    """The reviewer of one province, returning its offices' signed RKTs."""

    # Spawned first, this many (run.py sets it: one per province of the chosen offices).
    fixed_count = int(os.environ.get("SAKIP_LOAD_REVIEWERS", "0"))

    def on_start(self) -> None:
        with _lock:
            self.reviewer = DATA["reviewers"][next(_next_reviewer) % len(DATA["reviewers"])]
        self.username, self.totp = self.reviewer["username"], self.reviewer.get("totp")
        self.rkts = [o["rkt"] for o in DATA["offices"] if o["provinsi"] == self.reviewer["kode"]]
        self.sign_in()

    @task(3)
    def dasbor(self):
        self.read(f"/satker/{self.reviewer['kode']}/dasbor", "dasbor provinsi")

    @task(3)
    def inbox(self):
        self.read("/tinjauan", "tinjauan")

    @task(6)
    def kembalikan(self):
        rkt = random.choice(self.rkts)
        page = self.read(f"/dokumen/{rkt}", "dokumen RKT")
        token, versi = CSRF.search(page), VERSI.search(page)
        if 'data-testid="btn-approve"' in page and token and versi:  # signed: return it
            self.post(f"/dokumen/{rkt}/aksi/send_back", {
                "csrf_token": token.group(1), "versi": versi.group(1),
                "alasan": "Mohon perbaiki target indikator sesuai hasil reviu.",
            }, "transisi: send_back")


class Sehat(FastHttpUser):
    """The ceiling: the same server answering its most trivial route."""

    wait_time = between(0, 0)

    @task
    def sehat(self):
        self.client.get("/sehat", name="sehat")
