"""Every page the demo's people can reach, saved as HTML: the before/after check for a change
that must not change what anyone sees (a refactoring, a move of modules).

    .venv/bin/python bench/snapshot_pages.py OUT_DIR [--per-user 120]
    diff -r BEFORE_DIR AFTER_DIR          # nothing: the pages are byte-identical

On a throw-away SQLite database loaded with ``sakip demo``, each demo account signs in (the
authenticator's code for those that need one) and follows the links of the pages it sees,
breadth first in the order of the links on each page, GET only, HTML only. What differs from one run to the next
whatever the code (the CSRF token, the CSP nonce, the clock: times and moments of the
seeding) is masked, so the same code gives the same files.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

_MASKS = [
    (re.compile(r'(name="csrf_token"[^>]*value=")[^"]*'), r"\1CSRF"),
    (re.compile(r'(<meta name="csrf-token" content=")[^"]*'), r"\1CSRF"),
    (re.compile(r'nonce="[^"]*"'), 'nonce="NONCE"'),
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?"), "MOMENT"),
    # a time printed after its date ("7 Des 2026 05.43"); an office's code (35.79) stays
    (re.compile(r"(\b\d{4},? )\d{1,2}[:.]\d{2}([:.]\d{2})?( WIB| UTC)?\b"), r"\1TIME"),
    (re.compile(r"[0-9a-f]{64}|[0-9a-f]{16}…"), "HASH"),  # content hashes include the seeding's moments
    (re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b"), "KODE-VERIF"),  # a signed revision's random code
    (re.compile(r'src="data:image/svg\+xml[^"]*"'), 'src="QR"'),  # a new authenticator key each time
    (re.compile(r'(data-testid="totp-secret">)[A-Z2-7]+'), r"\1SECRET"),
    (re.compile(r"(?<![0-9a-f])[0-9a-f]{12}(?![0-9a-f])"), "KUNCI"),  # a row's random key
    (re.compile(r'(name="sidik" type="hidden" value=")[0-9a-f]{32}'), r"\1SIDIK"),  # a hash over those keys
]
_SKIP = ("/keluar", "/static/", "/favicon")
_HREF = re.compile(r'href="(/[^"]*)"')


def masked(html: str) -> str:
    for pattern, repl in _MASKS:
        html = pattern.sub(repl, html)
    return html


def sign_in(client, username: str, password: str, totp_secret: str) -> bool:
    import pyotp

    page = client.get("/masuk").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]*)"', page).group(1)
    answer = client.post("/masuk", data={"username": username, "password": password, "csrf_token": token})
    if answer.status_code == 302 and "/masuk/kode" in answer.headers.get("Location", ""):
        page = client.get("/masuk/kode").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]*)"', page).group(1)
        answer = client.post("/masuk/kode", data={"kode": pyotp.TOTP(totp_secret).now(), "csrf_token": token})
    return answer.status_code == 302 and "/masuk" not in answer.headers.get("Location", "")


def file_name(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9._=-]+", "_", masked(path).strip("/")) or "_root"


def crawl(client, out: Path, limit: int) -> int:
    seen, queue, saved = {"/"}, deque(["/"]), 0
    while queue and saved < limit:
        path = queue.popleft()
        answer = client.get(path)
        if answer.status_code != 200 or not answer.mimetype == "text/html":
            continue
        html = answer.get_data(as_text=True)
        # Numbered in the order reached: rows' random keys make paths differ from run to run.
        (out / f"{saved:03d}_{file_name(path)}.html").write_text(masked(html), encoding="utf-8")
        saved += 1
        for href in dict.fromkeys(_HREF.findall(html)):  # in page order, each once
            link = urldefrag(href.replace("&amp;", "&"))[0]
            if link not in seen and not link.startswith(_SKIP) and not urlsplit(link).netloc:
                seen.add(link)
                queue.append(link)
    return saved


def load(app) -> None:
    from flask_migrate import upgrade

    from tenants.db import db
    from tenants.hierarchy import load_hierarchy
    from webapp.demo import load_demo

    with app.app_context():  # as `sakip demo` does: migrations, the 553 offices, the demo
        upgrade()
        load_hierarchy(db.session)
        load_demo(db.session)
        db.session.commit()
        db.session.remove()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--per-user", type=int, default=120)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sakip-snapshot-") as tmp:
        os.environ["SAKIP_INSTANCE_PATH"] = tmp  # never touch the project's instance/
        from webapp import create_app
        from webapp.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_accounts

        # Requests outside any app context of ours: each gets its own, as on a server.
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/snapshot.sqlite3", "SECRET_KEY": "snapshot"})
        load(app)
        total = 0
        for account in demo_accounts():
            client = app.test_client()
            if not sign_in(client, account.username, DEMO_PASSWORD, DEMO_TOTP_SECRET):
                print(f"{account.username}: could not sign in", file=sys.stderr)
                continue
            folder = args.out / account.username
            folder.mkdir(parents=True, exist_ok=True)
            total += crawl(client, folder, args.per_user)
        print(f"{total} pages saved under {args.out}")


if __name__ == "__main__":
    main()
