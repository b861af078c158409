"""Operations on accounts and memberships: they validate, change and flush, never commit.

Callers (the back office, the CLI) commit, and they ask the gate first whether the
acting user may manage the office concerned.
"""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenants import otp
from tenants.passwords import hash_password, password_problem
from tenants.people import Divisi, Membership, Peran, Subbagian, User
from tenants.satker import Satker, Tingkat
from tenants.teks import _


class AccountError(ValueError):
    """A refused change to accounts or memberships; the message is for the user."""


def find_satker(session: Session, kode: str) -> Satker:
    satker = session.scalar(select(Satker).where(Satker.kode == kode.strip()))
    if satker is None:
        raise AccountError(f"Kode satker tidak dikenal: {kode}")
    return satker


def find_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise AccountError(f"Pengguna tidak dikenal: {username}")
    return user


USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


def username_problem(username: str) -> str | None:
    if not USERNAME_PATTERN.match(username):
        return _("Nama pengguna 2-64 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung.")
    return None


def create_user(session: Session, username: str, full_name: str, satker: Satker, password: str) -> User:
    username = username.strip().lower()
    if problem := username_problem(username):
        raise AccountError(problem)
    if not full_name.strip() or len(full_name.strip()) > 120:
        raise AccountError(_("Nama lengkap wajib diisi, paling banyak 120 karakter."))
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError(_("Nama pengguna sudah dipakai: %(nama)s", nama=username))
    if problem := password_problem(password, username):
        raise AccountError(problem)
    user = User(username=username, full_name=full_name.strip(), satker=satker, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user


def set_password(user: User, password: str) -> None:
    if problem := password_problem(password, user.username):
        raise AccountError(problem)
    user.password_hash = hash_password(password)
    user.end_sessions()


def reset_second_factor(user: User) -> None:
    """Forget the account's authenticator (a lost phone) and end its sessions: an admin or
    reviewer is asked to enrol again at the next sign-in."""
    otp.remove(user)
    user.end_sessions()


def set_active(user: User, active: bool) -> None:
    user.active = active
    if not active:
        user.end_sessions()


def check_membership(satker: Satker, peran: Peran, divisi: Divisi | None, subbagian: Subbagian | None) -> None:
    """Raise AccountError when the combination cannot exist in a KPU office."""
    # The roles by their labels (Peran.label), never by their codes ("subbag").
    if peran is Peran.ANGGOTA and divisi is None:
        raise AccountError(_("Anggota harus memiliki divisi."))
    if peran is not Peran.ANGGOTA and divisi is not None:
        raise AccountError(_("Divisi hanya untuk peran anggota."))
    if peran is Peran.SUBBAG and subbagian is None:
        raise AccountError(_("Peran %(peran)s harus memilih subbagian.", peran=Peran.SUBBAG.label))
    if peran is not Peran.SUBBAG and subbagian is not None:
        raise AccountError(_("Subbagian hanya untuk peran %(peran)s.", peran=Peran.SUBBAG.label))
    if peran is Peran.REVIEWER and satker.tingkat is Tingkat.KABKOTA:
        raise AccountError(_("Reviewer hanya di KPU Provinsi atau KPU RI: KPU Kabupaten/Kota tidak memiliki satker di "
                             "bawahnya."))


def grant(
    session: Session,
    user: User,
    satker: Satker,
    peran: Peran,
    divisi: Divisi | None = None,
    subbagian: Subbagian | None = None,
) -> Membership:
    check_membership(satker, peran, divisi, subbagian)
    for m in user.memberships:
        if (m.satker_id, m.peran, m.divisi, m.subbagian) == (satker.id, peran, divisi, subbagian):
            return m
    membership = Membership(user=user, satker=satker, peran=peran, divisi=divisi, subbagian=subbagian)
    session.add(membership)
    session.flush()
    return membership


def revoke(
    session: Session,
    user: User,
    satker: Satker,
    peran: Peran,
    divisi: Divisi | None = None,
    subbagian: Subbagian | None = None,
) -> int:
    """Remove matching memberships (all divisi/subbagian when none is given)."""
    removed = [
        m for m in user.memberships
        if m.satker_id == satker.id and m.peran is peran
        and (divisi is None or m.divisi is divisi)
        and (subbagian is None or m.subbagian is subbagian)
    ]
    if not removed:
        raise AccountError(f"{user.username} tidak memiliki peran {peran.value} di {satker.nama}.")
    for m in removed:
        user.memberships.remove(m)
    session.flush()
    return len(removed)
