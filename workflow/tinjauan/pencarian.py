"""Finding an office or a document from the navigation bar (``/cari?q=``).

Offices by name or code ("batu", "35.79"); documents by their office's name or code, their
kind and their year ("batu rak 2024"); a revision by its verification code. Every result is
limited to what the person may see (``tenants.scoping``, ``policy.terlihat``): a search
never tells that something out of reach exists.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import Session

from tenants import scoping
from tenants.people import User
from tenants.satker import Satker
from workflow.dokumen import policy
from workflow.dokumen.models import Dokumen, JenisDokumen, Revisi
from workflow.tinjauan.queries import TAHUN_MAX, TAHUN_MIN

PER_HALAMAN = 20
MAKS_KATA = 8
MAKS_PANJANG = 100
_KATA = re.compile(r"[^\W_]+(?:[.\-][^\W_]+)*")


@dataclass
class Hasil:
    satker: list[Satker] = field(default_factory=list)
    dokumen: list[Dokumen] = field(default_factory=list)
    satker_lagi: bool = False   # a next page has more offices
    dokumen_lagi: bool = False  # ... or more documents


@dataclass(frozen=True)
class Kueri:
    """What was typed, read as office words, kinds and a year."""

    kata: tuple[str, ...]               # matched against an office's name or code
    jenis: frozenset[JenisDokumen] | None  # None: any kind
    tahun: int | None

    @classmethod
    def baca(cls, q: str) -> Kueri:
        kata, jenis, tahun = [], None, None
        for token in _KATA.findall(q.casefold()[:MAKS_PANJANG])[:MAKS_KATA]:
            if token.isascii() and token.isdigit() and len(token) == 4 and TAHUN_MIN <= int(token) <= TAHUN_MAX:
                tahun = int(token)
            elif cocok := _jenis_dari(token):
                jenis = cocok if jenis is None else (jenis & cocok)
            else:
                kata.append(token)
        return cls(tuple(kata), jenis, tahun)


def _jenis_dari(token: str) -> frozenset[JenisDokumen]:
    """The kinds a word names: a word of the kind's code ("rak", "komisi", "lkj"), or the
    start of one of four letters or more ("sekre", "komisio")."""
    return frozenset(j for j in JenisDokumen for word in j.value.split("_")
                     if token == word or (len(token) >= 4 and word.startswith(token)))


def _satker_cocok(kata: tuple[str, ...]) -> ColumnElement[bool]:
    nama = func.lower(Satker.nama)
    return and_(*(or_(nama.contains(k, autoescape=True), Satker.kode.startswith(k, autoescape=True)) for k in kata))


def cari(session: Session, user: User, q: str, halaman: int = 1) -> Hasil:
    """One page (``PER_HALAMAN`` of each) of the offices and documents ``q`` names."""
    kueri = Kueri.baca(q)
    awal = (max(halaman, 1) - 1) * PER_HALAMAN
    hasil = Hasil()
    if kueri.kata and kueri.jenis is None and kueri.tahun is None:
        hasil.satker = list(session.scalars(
            select(Satker).where(scoping.satker_filter(user), _satker_cocok(kueri.kata))
            .order_by(Satker.kode).offset(awal).limit(PER_HALAMAN + 1)))
        hasil.satker_lagi = len(hasil.satker) > PER_HALAMAN
        del hasil.satker[PER_HALAMAN:]
    if kueri.kata or kueri.jenis is not None or kueri.tahun is not None:
        hasil.dokumen = list(session.scalars(
            select(Dokumen).join(Satker, Satker.id == Dokumen.satker_id)
            .where(policy.terlihat(user), *_dokumen_cocok(kueri))
            .order_by(Dokumen.tahun.desc(), Satker.kode, Dokumen.jenis).offset(awal).limit(PER_HALAMAN + 1)))
        hasil.dokumen_lagi = len(hasil.dokumen) > PER_HALAMAN
        del hasil.dokumen[PER_HALAMAN:]
    return hasil


def _dokumen_cocok(kueri: Kueri) -> list[ColumnElement[bool]]:
    clauses = [_satker_cocok(kueri.kata)] if kueri.kata else []
    if kueri.jenis is not None:
        clauses.append(Dokumen.jenis.in_(kueri.jenis) if kueri.jenis else false())
    if kueri.tahun is not None:
        clauses.append(Dokumen.tahun == kueri.tahun)
    return clauses


def dengan_kode(session: Session, user: User, kode: str) -> Revisi | None:
    """The revision printed with verification code ``kode`` (as printed: ``K7QM-4XPA``),
    when its document is one ``user`` may see."""
    return session.scalar(select(Revisi).join(Dokumen, Dokumen.id == Revisi.dokumen_id)
                          .where(Revisi.kode_verifikasi == kode, policy.terlihat(user)))
