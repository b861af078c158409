"""Accounts and documents the load scenario needs, on top of `sakip generate`.

`sakip generate` fills the 553 offices with documents but creates no accounts. This step
(bench only) picks ``offices`` kabupaten/kota spread over every province and gives each:

- an account ``beban.<kode>.sekretaris`` holding the Sekretaris role there: it reads its
  office's pages, edits rows of the generated RAK Sekretariat (a draft of 40 rows), and
  submits and signs the office's RKT Sekretariat;
- an RKT Sekretariat of the same year with five indikator, ready to submit (the cycle of
  transitions: submit, sign, returned by the province's reviewer, submit again, ...);
- the period of its PK Komisi whose report page the load reads (``periode``: month 3);

and each province of those offices an account ``beban.<kode>.reviewer`` (reviewer there,
with an authenticator secret the locustfile computes codes from): it reads its
province's dashboard and inbox and returns signed RKTs with a reason.

Every account gets the same password, hashed once. Writes a JSON description for the
locustfile and returns it.
"""
from __future__ import annotations

import json
from pathlib import Path

import pyotp
import sqlalchemy as sa

from tenants import accounts
from tenants.db import db
from tenants.passwords import hash_password
from tenants.people import Peran, User
from tenants.satker import Satker, Tingkat
from workflow.dokumen import operations
from workflow.dokumen.content import RakBaris
from workflow.dokumen.models import JenisDokumen
from workflow.dokumen.operations import SasaranData
from workflow.pelaporan import queries as queries_pelaporan
from workflow.target import Polaritas

PASSWORD = "Beban-SAKIP-2025"
RKT_SASARAN = [
    SasaranData("Meningkatnya kualitas layanan kesekretariatan", indikator=[
        ("Persentase layanan administrasi yang diselesaikan tepat waktu", "95%", Polaritas.NAIK),
        ("Jumlah laporan keuangan tepat waktu", "2 Laporan", Polaritas.NAIK),
        ("Nilai Akuntabilitas Kinerja", "BB", Polaritas.NAIK),
    ]),
    SasaranData("Meningkatnya tertib administrasi SDM", indikator=[
        ("Persentase pegawai yang mendapat layanan kepegawaian tepat waktu", "97,5%", Polaritas.NAIK),
        ("Persentase tindak lanjut rekomendasi BPK", "75%", Polaritas.NAIK),
    ]),
]


def _user(session, username: str, satker: Satker, peran: Peran, password_hash: str) -> User:
    user = session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        # create_user hashes with argon2id (slow on purpose); every bench account shares one hash.
        real_hash, accounts.hash_password = accounts.hash_password, lambda _password: password_hash
        try:
            user = accounts.create_user(session, username, f"Pengguna beban {satker.kode} {peran.value}", satker,
                                        PASSWORD)
        finally:
            accounts.hash_password = real_hash
    accounts.grant(session, user, satker, peran)
    if peran is Peran.REVIEWER and hasattr(user, "totp_secret") and not user.totp_secret:
        # Reviewers must sign in with a second factor: the bench holds their authenticator.
        user.totp_secret = pyotp.random_base32(32)
    return user


def _periode(session, pk) -> int:
    """The period whose report the load reads: the first quarter's (month 3 is TW I where the
    office plans by quarter, March where it plans by month). The page needs nothing more:
    the realisation, period targets and reports `sakip generate` made, or none."""
    return next(p.bulan for p in queries_pelaporan.periode_dokumen(session, pk) if p.bulan >= 3)


def prepare(app, tahun: int, offices: int, out: Path) -> dict:
    with app.app_context():
        s = db.session
        password_hash = hash_password(PASSWORD)
        kabkota = s.scalars(sa.select(Satker).where(Satker.tingkat == Tingkat.KABKOTA).order_by(Satker.path)).all()
        step = max(1, len(kabkota) // offices)
        chosen = kabkota[::step][:offices]
        described = {"password": PASSWORD, "tahun": tahun, "offices": [], "reviewers": []}
        provinces: dict[int, Satker] = {}
        for satker in chosen:
            provinces[satker.parent_id] = satker.parent
            sekretaris = _user(s, f"beban.{satker.kode}.sekretaris", satker, Peran.SEKRETARIS, password_hash)
            rak = operations.cari_dokumen(s, satker, tahun, JenisDokumen.RAK_SEKRETARIAT)
            pk = operations.cari_dokumen(s, satker, tahun, JenisDokumen.PK_KOMISI)
            if rak is None or pk is None:
                raise SystemExit(f"{satker.nama} has no generated RAK/PK of {tahun}: run `sakip generate --year {tahun}`")
            rkt = operations.cari_dokumen(s, satker, tahun, JenisDokumen.RKT_SEKRETARIAT)
            if rkt is None:
                rkt = operations.buat_dokumen(s, satker, tahun, JenisDokumen.RKT_SEKRETARIAT, sekretaris)
                operations.isi_sasaran_massal(s, rkt, RKT_SASARAN, sekretaris)
            kunci = s.scalars(sa.select(RakBaris.kunci).where(RakBaris.revisi_id == rak.revisi_aktif.id)
                              .order_by(RakBaris.urutan)).all()
            described["offices"].append({
                "kode": satker.kode, "provinsi": satker.parent.kode, "username": sekretaris.username,
                "rak": rak.id, "rak_kunci": list(kunci), "pk": pk.id, "rkt": rkt.id, "periode": _periode(s, pk),
            })
        for province in provinces.values():
            reviewer = _user(s, f"beban.{province.kode}.reviewer", province, Peran.REVIEWER, password_hash)
            described["reviewers"].append({"kode": province.kode, "username": reviewer.username,
                                           "totp": getattr(reviewer, "totp_secret", None)})
        s.commit()
    out.write_text(json.dumps(described, indent=1))
    return described
