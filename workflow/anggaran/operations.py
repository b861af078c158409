"""The only writers of money per output code and of the absorption targets.

``simpan_serapan``: a grid of (output code, month, amount as typed) for one office and
year, all or nothing: every cell is checked first and nothing is written when any is
wrong (``IsiTidakValid`` lists each problem with its place: the code and month, or the
file's row and column when ``letak`` says where the value came from). An empty amount
removes that month's figure (empty is not zero). Each changed cell is one audit entry
(aksi ``realisasi_output``). ``atur_target_serapan``: KPU RI's quarterly targets of a
year (aksi ``target_serapan``). Both flush and never commit.

Who may enter money: the office's Sekretaris and its Subbagian Keuangan, Umum dan
Logistik (KUL): SAKTI is kept by the Sekretariat's finance staff, the Sekretaris being
the KPA (docs/akses.md, "Realisasi anggaran per output").
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenants import scoping
from tenants.db import utcnow
from tenants.people import Membership, Peran, Subbagian, User
from tenants.satker import KODE_RI, Satker
from tenants.teks import _
from workflow import audit
from workflow.anggaran.models import RealisasiOutput, TargetSerapan
from workflow.errors import Ditolak, IsiTidakValid, Konflik
from workflow.rupiah import MAX_BIAYA, RupiahBersen, RupiahNegatif, baca_rupiah
from workflow.schedule import nama_bulan

# SMART DJA's absorption targets, cumulative % of the year's budget at each quarter's end.
TARGET_BAWAAN = {1: Decimal(15), 2: Decimal(40), 3: Decimal(60), 4: Decimal(90)}

# CQ.6709.QGE.003 (program, kegiatan, KRO, RO), optionally after the DIPA's 076.01. prefix.
_KODE = re.compile(r"^(?:\d{3}\.\d{2}\.)?([A-Z]{2}\.\d{4}\.[A-Z]{3}\.\d{3})$")


def normalkan_kode(teks: object) -> str | None:
    """``cq.6709.qge.003``, ``076.01.CQ.6709.QGE.003`` -> ``CQ.6709.QGE.003``; None when
    it is no output code."""
    match = _KODE.match("".join(str(teks or "").split()).upper())
    return match.group(1) if match else None


class IsianOutput(NamedTuple):
    kode_output: str
    bulan: int
    jumlah: str | int | None      # as typed (text), or read from a file (int); None/"" = empty
    letak: str | None = None      # where it came from ("Baris 5, kolom C"), for the messages


class MasalahOutput(str):
    """A problem with one cell: the message (a str), and the cell it is about."""

    kode_output: str
    bulan: int

    def __new__(cls, pesan: str, kode_output: str, bulan: int):
        masalah = str.__new__(cls, pesan)
        masalah.kode_output, masalah.bulan = kode_output, bulan
        return masalah


def boleh_isi_serapan(user: User | None, satker: Satker) -> Membership | str:
    """The membership that lets ``user`` enter ``satker``'s spending, or the reason not."""
    held = [m for m in scoping.memberships_at(user, satker, Peran.SEKRETARIS, Peran.SUBBAG)
            if m.peran is Peran.SEKRETARIS or m.subbagian is Subbagian.KUL]
    if held:
        return held[0]
    return _("Realisasi anggaran per output %(nama)s diisi oleh Sekretaris atau Subbagian Keuangan, Umum dan "
             "Logistik satker itu.", nama=satker.nama)


def _izin(hasil: Membership | str) -> Membership:
    if isinstance(hasil, str):
        raise Ditolak(hasil)
    return hasil


def sidik_serapan(session: Session, satker: Satker, tahun: int) -> str:
    """A fingerprint of the office's figures for the year: a dry run shown on one state is
    applied only on that state."""
    rows = session.execute(select(RealisasiOutput.kode_output, RealisasiOutput.bulan, RealisasiOutput.jumlah)
                           .where(RealisasiOutput.satker_id == satker.id, RealisasiOutput.tahun == tahun)
                           .order_by(RealisasiOutput.kode_output, RealisasiOutput.bulan)).all()
    return hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()[:32]


def baca_jumlah(nilai: str | int | None, letak: str) -> int | None | str:
    """An amount as typed or read -> whole rupiah, None (empty), or the problem (a str)."""
    if nilai is None or isinstance(nilai, int):
        jumlah = nilai
    else:
        text = " ".join(nilai.split())
        if not text:
            return None
        try:
            jumlah = baca_rupiah(text)
        except RupiahNegatif:
            return _("%(letak)s: '%(teks)s': jumlah rupiah tidak boleh negatif.", letak=letak, teks=text[:40])
        except RupiahBersen:
            return _("%(letak)s: '%(teks)s': tulis tanpa sen (rupiah utuh).", letak=letak, teks=text[:40])
        except ValueError:
            return _("%(letak)s: '%(teks)s' bukan jumlah rupiah; tulis mis. Rp 1.234.000 atau 1234000.",
                     letak=letak, teks=text[:40])
    if jumlah is not None and jumlah < 0:
        return _("%(letak)s: jumlah rupiah tidak boleh negatif.", letak=letak)
    if jumlah is not None and jumlah >= MAX_BIAYA:
        return _("%(letak)s: jumlah rupiah terlalu besar.", letak=letak)
    return jumlah


def _periksa(isian: Sequence[IsianOutput]) -> dict[tuple[str, int], int | None]:
    """Every cell read, or IsiTidakValid listing each problem."""
    nilai: dict[tuple[str, int], int | None] = {}
    masalah: list[str] = []
    for item in isian:
        kode = normalkan_kode(item.kode_output)
        letak = item.letak or _("Kode %(kode)s, %(bulan)s", kode=kode or item.kode_output, bulan=nama_bulan(
            item.bulan) if 1 <= item.bulan <= 12 else item.bulan)
        if kode is None:
            masalah.append(MasalahOutput(_("%(letak)s: '%(kode)s' bukan kode output (mis. CQ.6709.QGE.003).",
                                           letak=letak, kode=str(item.kode_output)[:40]), str(item.kode_output), item.bulan))
            continue
        if not 1 <= item.bulan <= 12:
            masalah.append(MasalahOutput(_("%(letak)s: bulan harus 1 sampai 12.", letak=letak), kode, item.bulan))
            continue
        jumlah = baca_jumlah(item.jumlah, letak)
        if isinstance(jumlah, str):
            masalah.append(MasalahOutput(jumlah, kode, item.bulan))
            continue
        nilai[(kode, item.bulan)] = jumlah
    if masalah:
        raise IsiTidakValid(_("Tidak ada yang disimpan: %(n)s isian perlu diperbaiki.", n=len(masalah)), masalah)
    return nilai


def simpan_serapan(session: Session, satker: Satker, tahun: int, user: User, isian: Sequence[IsianOutput],
                   sidik: str | None = None, sumber: str = "isian") -> int:
    """Money spent per output code and month, all or nothing; unchanged cells are left
    alone. ``sidik`` (from ``sidik_serapan``) refuses with Konflik when the figures changed
    since the page or dry run was shown. Returns how many cells changed."""
    membership = _izin(boleh_isi_serapan(user, satker))
    nilai = _periksa(isian)
    if sidik is not None and sidik != sidik_serapan(session, satker, tahun):
        raise Konflik(_("Realisasi anggaran %(nama)s %(tahun)s diubah orang lain sejak halaman ini dibuka; "
                        "tidak ada yang disimpan. Muat ulang lalu ulangi.", nama=satker.nama, tahun=tahun))
    ada = {(r.kode_output, r.bulan): r for r in session.scalars(select(RealisasiOutput).where(
        RealisasiOutput.satker_id == satker.id, RealisasiOutput.tahun == tahun))}
    changed = 0
    for (kode, bulan), jumlah in nilai.items():
        row = ada.get((kode, bulan))
        sebelum = row.jumlah if row else None
        if sebelum == jumlah:
            continue
        if jumlah is None:
            session.delete(row)
        elif row is None:
            session.add(RealisasiOutput(satker_id=satker.id, tahun=tahun, kode_output=kode, bulan=bulan,
                                        jumlah=jumlah, diisi_oleh_id=user.id, diisi_pada=utcnow()))
        else:
            row.jumlah, row.diisi_oleh_id, row.diisi_pada = jumlah, user.id, utcnow()
        audit.append(session, aksi="realisasi_output", **_oleh(user, membership, satker), rincian={
            "tahun": tahun, "kode_output": kode, "bulan": bulan, "sebelum": sebelum, "sesudah": jumlah,
            "sumber": sumber[:120]})
        changed += 1
    session.flush()
    return changed


def _oleh(user: User, membership: Membership, satker: Satker) -> dict:
    # No document: the figures belong to the office and year (audit.catat is a document's entry).
    return {"user_id": user.id, "username": user.username, "membership_id": membership.id,
            "peran": membership.jabatan, "satker_kode": satker.kode}


def boleh_atur_target(user: User | None) -> Membership | str:
    """Only KPU RI's admin sets the national absorption targets."""
    ri = next((m for m in (getattr(user, "memberships", None) or []) if m.satker.kode == KODE_RI
               and m.peran is Peran.ADMIN), None)
    return ri or _("Hanya admin KPU RI yang dapat mengatur target penyerapan anggaran.")


def baca_persen(teks: str, label: str) -> Decimal:
    """``40``, ``40%``, ``97,5`` -> Decimal, or IsiTidakValid naming the field."""
    text = "".join((teks or "").split()).rstrip("%").replace(",", ".")
    try:
        persen = Decimal(text)
    except InvalidOperation:
        raise IsiTidakValid(_("%(label)s: '%(teks)s' bukan persen (mis. 40 atau 97,5).",
                              label=label, teks=(teks or "")[:20])) from None
    if not persen.is_finite() or not 0 <= persen <= 100 or persen != round(persen, 2):
        raise IsiTidakValid(_("%(label)s: isi persen 0 sampai 100, paling banyak dua desimal.", label=label))
    return persen


def atur_target_serapan(session: Session, tahun: int, persen: dict[int, Decimal], user: User) -> None:
    """The year's cumulative targets per quarter (1..4); each at least the previous one."""
    membership = _izin(boleh_atur_target(user))
    if sorted(persen) != [1, 2, 3, 4]:
        raise IsiTidakValid(_("Isi target keempat triwulan."))
    for tw in (2, 3, 4):
        if persen[tw] < persen[tw - 1]:
            raise IsiTidakValid(_("Target kumulatif: triwulan %(tw)s tidak boleh lebih kecil dari triwulan "
                                  "sebelumnya.", tw=tw))
    ada = {r.triwulan: r for r in session.scalars(select(TargetSerapan).where(TargetSerapan.tahun == tahun))}
    lama = {tw: str(ada[tw].persen) if tw in ada else str(TARGET_BAWAAN[tw]) for tw in persen}
    for tw, nilai in persen.items():
        row = ada.get(tw) or TargetSerapan(tahun=tahun, triwulan=tw)
        row.persen, row.diubah_oleh_id, row.diubah_pada = nilai, user.id, utcnow()
        session.add(row)
    session.flush()
    audit.append(session, aksi="target_serapan", **_oleh(user, membership, membership.satker),
                 rincian={"tahun": tahun, "dari": lama, "ke": {tw: str(v) for tw, v in persen.items()}})
