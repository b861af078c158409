"""Notifications reach the one person who must act next, in the app and by e-mail through a
real SMTP server (aiosmtpd) started here; the worker sends each message once, retries while
the server is down, and nothing of a rolled-back step is ever sent."""
from __future__ import annotations

import email
import socket
import threading
from datetime import timedelta
from email import policy as email_policy

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tenants.db import utcnow
from tests.conftest import csrf_token_from, masked
from webapp.cli import worker_command
from workflow.dokumen import operations
from workflow.notifikasi import operations as notif_ops, pengirim
from workflow.notifikasi.models import JenisNotifikasi, Notifikasi, StatusSurat, SuratKeluar

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Kotak:
    """What the test's SMTP server received."""

    def __init__(self) -> None:
        self.pesan: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email_policy.default)
        with self.lock:
            self.pesan.append(msg)
        return "250 OK"

    def untuk(self, alamat: str) -> list:
        return [m for m in self.pesan if m["To"] == alamat]


class SmtpUji:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.kotak = Kotak()
        self.controller = aiosmtpd_controller.Controller(self.kotak, hostname="127.0.0.1", port=self.port)

    def setelan(self, **extra) -> pengirim.SetelanSmtp:
        return pengirim.SetelanSmtp(host="127.0.0.1", port=self.port, starttls=False,
                                    pengirim="SAKIP KPU <sakip@uji.kpu.go.id>", **extra)


@pytest.fixture
def smtp():
    server = SmtpUji()
    server.controller.start()
    yield server
    server.controller.stop()


@pytest.fixture
def smtp_app(app, smtp, monkeypatch):
    for key, value in {"SAKIP_SMTP_HOST": "127.0.0.1", "SAKIP_SMTP_PORT": smtp.port,
                       "SAKIP_SMTP_STARTTLS": False}.items():
        monkeypatch.setitem(app.config, key, value)
    return app


def notifikasi_of(db, user) -> list[Notifikasi]:
    return list(db.session.scalars(sa.select(Notifikasi).where(Notifikasi.user_id == user.id)))


def with_email(db, user, bahasa="id"):
    user.email = f"{user.username}@uji.kpu.go.id"
    user.bahasa = bahasa
    db.session.commit()
    return user


def naive(moment):
    """SQLite gives moments back without their zone (stored in UTC)."""
    return moment.replace(tzinfo=None)


def body(msg, subtype: str) -> str:
    return msg.get_body(preferencelist=(subtype,)).get_content()


def test_submit_tells_the_next_signatory_only_and_the_worker_mails_it(smtp_app, smtp, db, people, make_dokumen):
    batu = people("35.79")
    ketua = with_email(db, batu.ketua, "en")
    sekretaris = with_email(db, batu.sekretaris)
    others = [with_email(db, u) for u in (batu.subbag_kul, people("35").reviewer, people("35.73").ketua)]
    dokumen = make_dokumen("pk_sekretariat")  # signed by the Sekretaris (Pihak Pertama), then the Ketua

    operations.ajukan(db.session, dokumen, sekretaris)
    db.session.commit()
    assert [n.jenis for n in notifikasi_of(db, sekretaris)] == [JenisNotifikasi.TANDA_TANGAN]
    assert all(not notifikasi_of(db, u) for u in [ketua, *others])
    operations.tandatangani(db.session, dokumen, sekretaris)
    db.session.commit()

    [n] = notifikasi_of(db, ketua)
    assert n.jenis is JenisNotifikasi.TANDA_TANGAN and n.tautan == f"/dokumen/{dokumen.id}"
    assert "waiting for your signature" in n.judul  # written in the Ketua's language
    assert len(notifikasi_of(db, sekretaris)) == 1 and all(not notifikasi_of(db, u) for u in others)

    result = smtp_app.test_cli_runner().invoke(worker_command, ["--once"])
    assert result.exit_code == 0, result.output
    assert "2 terkirim" in result.output
    [mail] = smtp.kotak.untuk(ketua.email)
    assert mail["To"] == ketua.email and "waiting for your signature" in mail["Subject"]
    assert "Your turn to sign" in body(mail, "plain") and f"/dokumen/{dokumen.id}" in body(mail, "plain")
    assert "<a href=" in body(mail, "html") and "Your turn to sign" in body(mail, "html")
    assert set(db.session.scalars(sa.select(SuratKeluar.status))) == {StatusSurat.SENT}
    # Run again: nothing is sent twice.
    smtp_app.test_cli_runner().invoke(worker_command, ["--once"])
    assert len(smtp.kotak.pesan) == 2


def test_each_step_tells_whoever_acts_next(db, people, make_dokumen):
    batu = people("35.79")
    sekretaris, ketua, reviewer = batu.sekretaris, batu.ketua, people("35").reviewer
    dokumen = make_dokumen("rak_sekretariat")

    operations.ajukan(db.session, dokumen, sekretaris)  # the Sekretaris signs first, as KPA
    assert [n.jenis for n in notifikasi_of(db, sekretaris)] == [JenisNotifikasi.TANDA_TANGAN]
    assert not notifikasi_of(db, ketua)
    operations.tandatangani(db.session, dokumen, sekretaris)
    assert [n.jenis for n in notifikasi_of(db, ketua)] == [JenisNotifikasi.TANDA_TANGAN]
    operations.tandatangani(db.session, dokumen, ketua)
    assert [n.jenis for n in notifikasi_of(db, reviewer)] == [JenisNotifikasi.TINJAUAN]
    operations.kembalikan(db.session, dokumen, reviewer, "Target TW II belum diisi.")
    returned = [n for n in notifikasi_of(db, sekretaris) if n.jenis is JenisNotifikasi.DIKEMBALIKAN]
    assert len(returned) == 1 and "Target TW II belum diisi." in returned[0].isi
    assert len(notifikasi_of(db, ketua)) == 1 and len(notifikasi_of(db, reviewer)) == 1


def test_a_rolled_back_step_sends_nothing(db, people, make_dokumen):
    batu = people("35.79")
    sekretaris = with_email(db, batu.sekretaris)
    dokumen = make_dokumen("pk_sekretariat")
    nested = db.session.begin_nested()
    operations.ajukan(db.session, dokumen, sekretaris)
    assert notifikasi_of(db, sekretaris)  # written in the step's own transaction ...
    nested.rollback()
    assert not notifikasi_of(db, sekretaris)  # ... and gone with it
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SuratKeluar)) == 0


def test_server_down_is_retried_with_backoff_then_delivered(db, make_user):
    user = with_email(db, make_user("35.79", "ketua"))
    notif_ops.beri_tahu(db.session, [user], jenis=JenisNotifikasi.PENGINGAT, judul="PK jatuh tempo", isi="Besok.",
                        tautan="/")
    db.session.commit()
    port = free_port()  # nothing listens there yet
    down = SmtpUji(port)
    t0 = utcnow()
    first = pengirim.kirim_antrean(db.session, down.setelan(), sekarang=t0)
    surat = db.session.scalar(sa.select(SuratKeluar))
    assert (first.ditunda, surat.status, surat.percobaan) == (1, StatusSurat.QUEUED, 1)
    assert naive(surat.coba_lagi_pada) - naive(t0) == timedelta(minutes=1) and "tidak dapat dihubungi" in surat.galat_terakhir
    assert pengirim.kirim_antrean(db.session, down.setelan(), sekarang=t0 + timedelta(seconds=30)).ditunda == 0
    pengirim.kirim_antrean(db.session, down.setelan(), sekarang=t0 + timedelta(minutes=1))
    db.session.refresh(surat)
    assert surat.percobaan == 2 and naive(surat.coba_lagi_pada) - naive(t0) == timedelta(minutes=1 + 2)  # doubled

    down.controller.start()  # the server is back
    try:
        later = pengirim.kirim_antrean(db.session, down.setelan(), sekarang=t0 + timedelta(minutes=3))
    finally:
        down.controller.stop()
    db.session.refresh(surat)
    assert later.terkirim == 1 and surat.status is StatusSurat.SENT and len(down.kotak.pesan) == 1


def test_given_up_after_the_last_attempt_and_shown_as_failed(db, make_user, login, client):
    user = with_email(db, make_user("35.79", "ketua"))
    notif_ops.beri_tahu(db.session, [user], jenis=JenisNotifikasi.PENGINGAT, judul="PK jatuh tempo", isi="Besok.",
                        tautan="/")
    db.session.commit()
    setelan = SmtpUji().setelan(maks_percobaan=2)
    t0 = utcnow()
    pengirim.kirim_antrean(db.session, setelan, sekarang=t0)
    pengirim.kirim_antrean(db.session, setelan, sekarang=t0 + timedelta(hours=1))
    assert db.session.scalar(sa.select(SuratKeluar.status)) is StatusSurat.FAILED
    login(user)
    assert 'data-testid="surel-gagal"' in client.get("/notifikasi").text


def test_preferences_off_keep_it_in_the_app(db, make_user, login, client):
    user = with_email(db, make_user("35.79", "ketua"))
    login(user)
    page = client.get("/akun/notifikasi")
    assert 'data-testid="surel-mati"' in page.text  # no SMTP in the tests' app: said so
    response = client.post("/akun/notifikasi", data={"csrf_token": csrf_token_from(page.text)})  # both unticked
    assert response.status_code == 302
    notif_ops.beri_tahu(db.session, [user], jenis=JenisNotifikasi.PENGINGAT, judul="PK", isi="x", tautan="/")
    db.session.commit()
    assert len(notifikasi_of(db, user)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SuratKeluar)) == 0


def test_the_digest_is_one_mail_with_several_items(db, make_user, smtp):
    user = with_email(db, make_user("35.79", "ketua"))
    notif_ops.simpan_preferensi(db.session, user, surel=True, ringkasan_harian=True)
    for judul in ("Satu", "Dua", "Tiga"):
        notif_ops.beri_tahu(db.session, [user], jenis=JenisNotifikasi.PENGINGAT, judul=judul, isi="-", tautan="/")
    db.session.commit()
    assert pengirim.kirim_antrean(db.session, smtp.setelan()).terkirim == 0  # nothing until the digest
    assert pengirim.buat_ringkasan(db.session) == 1
    assert pengirim.kirim_antrean(db.session, smtp.setelan()).terkirim == 1
    [mail] = smtp.kotak.pesan
    assert "3 pemberitahuan" in mail["Subject"]
    assert all(judul in body(mail, "plain") for judul in ("Satu", "Dua", "Tiga"))
    assert pengirim.buat_ringkasan(db.session) == 0


def test_another_persons_notification_answers_like_a_missing_one(db, make_user, login, client):
    owner, other = make_user("35.79", "ketua"), make_user("35.79", "sekretaris")
    [n] = notif_ops.beri_tahu(db.session, [owner], jenis=JenisNotifikasi.PENGINGAT, judul="PK", isi="x",
                              tautan="/dokumen/1")
    db.session.commit()
    login(other)
    token = csrf_token_from(client.get("/notifikasi").text)
    foreign = client.post(f"/notifikasi/{n.id}/baca", data={"csrf_token": token})
    missing = client.post("/notifikasi/999999/baca", data={"csrf_token": token})
    assert foreign.status_code == missing.status_code == 404
    # The same page, once the path each was asked at (the language form's return address) is aligned.
    assert masked(foreign.text).replace(f"/notifikasi/{n.id}/", "/notifikasi/999999/") == masked(missing.text)
    db.session.refresh(n)
    assert n.dibaca_pada is None

    client.post("/keluar", data={"csrf_token": token})
    login(owner)
    page = client.get("/notifikasi")
    assert 'data-testid="jumlah-belum-dibaca">1<' in page.text
    opened = client.post(f"/notifikasi/{n.id}/baca", data={"csrf_token": csrf_token_from(page.text)})
    assert opened.status_code == 302 and opened.location.endswith("/dokumen/1")
    assert 'data-testid="jumlah-belum-dibaca"' not in client.get("/notifikasi").text


def test_the_bell_costs_one_statement(db, make_user, login, client, count_statements):
    user = make_user("35.79", "ketua")
    for judul in ("Satu", "Dua"):
        notif_ops.beri_tahu(db.session, [user], jenis=JenisNotifikasi.PENGINGAT, judul=judul, isi="-", tautan="/")
    db.session.commit()
    login(user)
    with count_statements() as counter:
        page = client.get("/akun/keamanan")
    assert 'data-testid="jumlah-belum-dibaca">2<' in page.text
    assert len([s for s in counter.statements if "notifikasi" in s]) == 1


def test_two_workers_send_each_message_exactly_once_on_postgresql(fresh_database_url, smtp):
    from tenants.hierarchy import load_hierarchy
    from tests.conftest import TREE, migrated_app
    from tests.factories import _TEST_HASH
    from tenants.people import User
    from tenants.satker import Satker
    from tenants.db import db as _db

    with migrated_app(fresh_database_url("postgresql")) as app, app.app_context():
        engine = _db.engine
        with Session(engine) as session:
            load_hierarchy(session, TREE)
            satker = session.scalar(sa.select(Satker).where(Satker.kode == "35.79"))
            users = [User(username=f"penerima{i}", full_name=f"Penerima {i}", satker=satker,
                          password_hash=_TEST_HASH, email=f"penerima{i}@uji.kpu.go.id") for i in range(60)]
            session.add_all(users)
            session.flush()
            notif_ops.beri_tahu(session, users, jenis=JenisNotifikasi.PENGINGAT, judul="PK", isi="x", tautan="/")
            session.commit()

        hasil = []

        def worker():
            with Session(engine) as session:
                hasil.append(pengirim.kirim_antrean(session, smtp.setelan(), batas=5))

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ids = [m["X-SAKIP-Surat"] for m in smtp.kotak.pesan]
        assert len(ids) == len(set(ids)) == 60
        assert sum(h.terkirim for h in hasil) == 60 and all(h.terkirim for h in hasil)  # both took part
        with Session(engine) as session:
            assert set(session.scalars(sa.select(SuratKeluar.status))) == {StatusSurat.SENT}
