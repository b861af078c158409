"""The only writers of follow-ups: made from a final evaluation's recommendations, reported,
closed or returned (``workflow.tindaklanjut.flow``), given another owner or due date. Each
checks (policy, state, version, every value), changes, logs with ``workflow.audit``, tells
whoever must act now (``workflow.notifikasi``, in the same transaction), flushes, and never
commits.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenants import scoping
from tenants.people import Membership, Peran, User
from tenants.satker import Satker
from tenants.teks import _, dalam_bahasa
from workflow import audit
from workflow.errors import Ditolak, IsiTidakValid, Konflik
from workflow.evaluasi import operations as ev_operations
from workflow.evaluasi.models import Evaluasi
from workflow.jadwal.queries import tanggal_lokal
from workflow.notifikasi.models import JenisNotifikasi
from workflow.notifikasi.operations import beri_tahu
from workflow.notifikasi.penerima import pemegang_peran
from workflow.tindaklanjut import policy
from workflow.tindaklanjut.flow import EVENT_KONFIRMASI, EVENT_LABELS, AlurTindakLanjut, kolom_audit, rincian_audit
from workflow.tindaklanjut.models import StatusTindakLanjut, TindakLanjut

# The usual follow-up window of an LHE: its covering letter asks the office to act on the
# recommendations within 60 days of receiving it (the window BPK's findings have by law,
# UU 15/2004 Pasal 20, which inspektorat letters follow). The evaluator may set another date.
HARI_TENGGAT = 60
MAKS_ID = 2**31 - 1  # an id past the column's range is nobody's (and PostgreSQL would refuse the query)


# -- made at finalisation -----------------------------------------------------------------------

def sesudah_evaluasi(session: Session, ev: Evaluasi, event: str, user: User, info: dict) -> None:
    """The hook in ``workflow.evaluasi.operations.SESUDAH_TRANSISI``: a final evaluation's
    recommendations become follow-ups."""
    if event == "finalkan":
        buat_dari_evaluasi(session, ev, user)


def pemilik_bawaan(session: Session, satker: Satker) -> User | None:
    """The office's Sekretaris today (the acting one when the post is held by a Plh/Plt)."""
    found = pemegang_peran(session, satker.id, Peran.SEKRETARIS)
    return found[0] if found else None


def buat_dari_evaluasi(session: Session, ev: Evaluasi, user: User | None) -> list[TindakLanjut]:
    """One follow-up per finding with a recommendation, owned by the office's Sekretaris and
    due ``HARI_TENGGAT`` days after finalisation; its owner is told. Made once."""
    ada = set(session.scalars(select(TindakLanjut.temuan_id).where(TindakLanjut.evaluasi_id == ev.id)))
    pemilik = pemilik_bawaan(session, ev.satker)
    tenggat = (tanggal_lokal(ev.difinalkan_pada) or date.today()) + timedelta(days=HARI_TENGGAT)
    dibuat = []
    for temuan in ev.temuan:
        if not (temuan.rekomendasi or "").strip() or temuan.id in ada:
            continue
        tl = TindakLanjut(evaluasi_id=ev.id, temuan_id=temuan.id, satker_id=ev.satker_id, tahun=ev.tahun,
                          nomor=temuan.nomor, pemilik_id=pemilik.id if pemilik else None, tenggat=tenggat,
                          status=StatusTindakLanjut.TERBUKA)
        tl.satker, tl.temuan, tl.pemilik = ev.satker, temuan, pemilik
        session.add(tl)
        dibuat.append(tl)
    if not dibuat:
        return []
    session.flush()
    for tl in dibuat:
        audit.append(session, aksi="tindak_lanjut_dibuat", rincian=rincian_audit(
            tl, tenggat=tl.tenggat.isoformat(), pemilik=pemilik.username if pemilik else None),
            **kolom_audit(tl, user, None))
    if pemilik is not None:
        _kabari(session, dibuat, [pemilik], JenisNotifikasi.PENGINGAT, user)
    return dibuat


# -- the steps ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Tautan:
    bukti: tuple[int, ...] = ()  # evidence files (workflow.bukti) of the office's documents
    kode: tuple[str, ...] = ()   # verification codes of the office's signed documents


def periksa_tautan(session: Session, satker: Satker, tautan: Tautan) -> list[dict]:
    """The links as stored, each checked to be the office's own (as an evaluation answer's)."""
    return ev_operations.periksa_tautan(session, satker, tautan.bukti, tautan.kode)


def _periksa_versi(tl: TindakLanjut, versi: int | None) -> None:
    if versi is not None and versi != tl.versi:
        raise Konflik(_("Tindak lanjut ini baru saja diubah orang lain (statusnya kini %(status)s); muat ulang "
                        "halaman lalu ulangi.", status=tl.status.label))


def transisi(session: Session, tl: TindakLanjut, event: str, user: User, *, versi: int | None = None,
             uraian: str | None = None, tautan: Tautan | None = None, alasan: str | None = None) -> TindakLanjut:
    """The only caller of the follow-up's state machine; tells whoever must act now."""
    if event not in EVENT_LABELS:
        raise Ditolak(_("Aksi tidak dikenal."))
    _periksa_versi(tl, versi)
    alur = AlurTindakLanjut(tl, session)
    if event not in {e.id for e in alur.allowed_events}:
        raise Ditolak(_("Tindak lanjut berstatus %(status)s: aksi '%(aksi)s' tidak tersedia.",
                        status=tl.status.label, aksi=_(EVENT_LABELS[event])))
    kwargs: dict = {"alasan": alasan} if event == "kembalikan" else {}
    if event == "laporkan":
        # Who and what first: a stranger learns nothing of the office's evidence from the refusal.
        alur.may_report(user)
        alur.has_note(uraian)
        found = periksa_tautan(session, tl.satker, tautan or Tautan())
        kwargs = {"uraian": uraian, "tautan": json.dumps(found, sort_keys=True) if found else None}
    alur.send(event, user=user, **kwargs)
    session.flush()
    if event == "laporkan":
        _kabari(session, [tl], evaluator_satker(session, tl.satker), JenisNotifikasi.TINJAUAN, user)
    elif event == "kembalikan" and tl.pemilik is not None:
        _kabari(session, [tl], [tl.pemilik], JenisNotifikasi.DIKEMBALIKAN, user, alasan)
    return tl


def ubah(session: Session, tl: TindakLanjut, user: User, *, pemilik_id: int | None, tenggat: date | None,
         versi: int | None = None) -> TindakLanjut:
    """The evaluator gives the follow-up another owner (a member of the office) or due date."""
    decision = policy.evaluator(user, tl)
    if not decision:
        raise Ditolak(decision.alasan)
    if tl.status is StatusTindakLanjut.SELESAI:
        raise Ditolak(_("Tindak lanjut yang selesai tidak dapat diubah."))
    _periksa_versi(tl, versi)
    if tenggat is None:
        raise IsiTidakValid(_("Tenggat wajib diisi (tanggal)."))
    if not 2000 <= tenggat.year <= 2100:
        raise IsiTidakValid(_("Tenggat tidak wajar."))
    pemilik = _anggota(session, tl.satker, pemilik_id)
    berubah = {}
    if tl.tenggat != tenggat:
        berubah["tenggat"] = [tl.tenggat.isoformat(), tenggat.isoformat()]
        tl.tenggat = tenggat
    if tl.pemilik_id != pemilik.id:
        berubah["pemilik"] = [tl.pemilik.username if tl.pemilik else None, pemilik.username]
        tl.pemilik_id, tl.pemilik = pemilik.id, pemilik
    if not berubah:
        return tl
    session.flush()
    audit.append(session, aksi="tindak_lanjut_ubah", rincian=rincian_audit(tl, **berubah),
                 **kolom_audit(tl, user, decision.membership))
    if "pemilik" in berubah:
        _kabari(session, [tl], [pemilik], JenisNotifikasi.PENGINGAT, user)
    return tl


def _anggota(session: Session, satker: Satker, user_id: int | None) -> User:
    user = session.scalar(select(User).join(Membership, Membership.user_id == User.id).where(
        User.id == user_id, Membership.satker_id == satker.id, User.active.is_(True))) \
        if user_id is not None and 1 <= user_id <= MAKS_ID else None
    if user is None:
        raise IsiTidakValid(_("Penanggung jawab harus anggota aktif %(satker)s.", satker=satker.nama))
    return user


# -- who is told ------------------------------------------------------------------------------------

def evaluator_satker(session: Session, satker: Satker) -> list[User]:
    """The inspektorat nearest above the office that has anyone in it: its evaluators."""
    for leluhur in reversed(_leluhur(satker)):
        orang = [u for u in pemegang_peran(session, leluhur.id, Peran.INSPEKTORAT)
                 if policy.evaluator_satker(u, satker)]
        if orang:
            return orang
    return []


def _leluhur(satker: Satker) -> list[Satker]:
    """The offices above ``satker``, the top first."""
    found, s = [], satker.parent
    while s is not None:
        found.append(s)
        s = s.parent
    return list(reversed(found))


def _kabari(session: Session, daftar: list[TindakLanjut], penerima: list[User], jenis: JenisNotifikasi,
            oleh: User | None, alasan: str | None = None) -> None:
    """One notification per follow-up and person, in the person's own language."""
    for orang in penerima:
        for tl in daftar:
            with dalam_bahasa(orang.bahasa or "id"):
                judul, isi = teks_notifikasi(tl, jenis, oleh, alasan)
            beri_tahu(session, [orang], jenis=jenis, judul=judul, isi=isi,
                      tautan=f"/satker/{tl.satker.kode}/tindak-lanjut/{tl.id}", satker=tl.satker)


def teks_notifikasi(tl: TindakLanjut, jenis: JenisNotifikasi, oleh: User | None,
                    alasan: str | None = None) -> tuple[str, str]:
    nilai = {"satker": tl.satker.nama, "tahun": tl.tahun, "nomor": tl.nomor,
             "nama": oleh.full_name if oleh else "-", "tenggat": tl.tenggat.strftime("%d-%m-%Y")}
    if jenis is JenisNotifikasi.TINJAUAN:
        return (_("Tindak lanjut %(nomor)s evaluasi %(tahun)s %(satker)s dilaporkan", **nilai),
                _("%(nama)s melaporkan perkembangan tindak lanjut rekomendasi %(nomor)s. Periksa lalu nyatakan "
                  "selesai atau kembalikan dengan alasan.", **nilai))
    if jenis is JenisNotifikasi.DIKEMBALIKAN:
        return (_("Tindak lanjut %(nomor)s evaluasi %(tahun)s %(satker)s dikembalikan", **nilai),
                _("%(nama)s mengembalikan laporan tindak lanjut rekomendasi %(nomor)s. Alasan: %(alasan)s",
                  alasan=(alasan or "").strip() or "-", **nilai))
    return (_("Tindak lanjut %(nomor)s evaluasi %(tahun)s %(satker)s menjadi tanggung jawab Anda", **nilai),
            _("Rekomendasi %(nomor)s hasil evaluasi AKIP %(tahun)s perlu ditindaklanjuti paling lambat "
              "%(tenggat)s. Laporkan perkembangannya beserta buktinya.", **nilai))


@dataclass(frozen=True)
class Tombol:
    event: str
    label: str
    konfirmasi: str | None
    beralasan: bool


def tombol(tl: TindakLanjut, user: User | None) -> list[Tombol]:
    """The evaluator's buttons on a reported follow-up (the report has its own form)."""
    if tl.status is not StatusTindakLanjut.DILAPORKAN or not policy.evaluator(user, tl):
        return []
    return [Tombol(e, _(EVENT_LABELS[e]), _(EVENT_KONFIRMASI[e]) if e in EVENT_KONFIRMASI else None,
                   e == "kembalikan") for e in ("selesaikan", "kembalikan")]
