"""Worker throughput: messages per second from the outbox to a local SMTP server (aiosmtpd).

    .venv/bin/python bench/notifikasi_worker.py [N]   (DATABASE_URL: PostgreSQL; default a temp SQLite)

Creates N queued e-mails (default 2000) for throw-away accounts in a fresh database, runs
`pengirim.kirim_antrean` once and prints messages/second.
"""
from __future__ import annotations

import os
import socket
import sys
import tempfile
import time

from aiosmtpd.controller import Controller
from flask_migrate import upgrade
from sqlalchemy import select

from tenants.db import db
from tenants.hierarchy import load_hierarchy
from tenants.people import User
from tenants.satker import Satker
from webapp import create_app
from workflow.notifikasi import operations, pengirim
from workflow.notifikasi.models import JenisNotifikasi


class Handler:
    count = 0

    async def handle_DATA(self, server, session, envelope):
        Handler.count += 1
        return "250 OK"


def main(n: int) -> None:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    with app.app_context():
        upgrade()
        load_hierarchy(db.session)
        satker = db.session.scalar(select(Satker).where(Satker.kode == "RI"))
        users = [User(username=f"bench{i}", full_name=f"Bench {i}", satker=satker, password_hash="x",
                      email=f"bench{i}@bench.kpu.go.id") for i in range(n)]
        db.session.add_all(users)
        db.session.flush()
        operations.beri_tahu(db.session, users, jenis=JenisNotifikasi.PENGINGAT, judul="Bench", isi="x", tautan="/")
        db.session.commit()
        start = time.perf_counter()
        hasil = pengirim.kirim_antrean(db.session, pengirim.SetelanSmtp(host="127.0.0.1", port=port, starttls=False))
        took = time.perf_counter() - start
    controller.stop()
    print(f"{hasil.terkirim} sent ({Handler.count} received) in {took:.1f} s: {hasil.terkirim / took:.0f} messages/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
