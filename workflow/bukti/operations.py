"""The evidence's writers: ``unggah`` (attach a file) and ``tarik`` (withdraw it). Like
every operation they check (who, what it attaches to, the period's lock, the file itself),
change, log with ``workflow.audit.catat`` on the document (aksi ``unggah_bukti`` /
``tarik_bukti``, with the file's name and SHA-256), flush, and never commit.

Who (docs/akses.md, "Bukti dukung"): a period's file of an indikator or a RAK row, whoever
may enter that realisation (``policy.isi_realisasi``); a document's own file (the scan of
the signed paper, at any status), its penyusun (``policy.lampirkan``). A file is never
changed; it is withdrawn (its bytes removed, its record kept) only while its period is not
locked (``workflow.bukti.PERIODE_TERKUNCI``); a document's own file has no period.
"""
from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy.orm import Session

from tenants.db import utcnow
from tenants.people import Membership, User
from tenants.teks import _
from workflow.audit import catat
from workflow.bukti import periode_terkunci, periksa
from workflow.bukti.models import Bukti, Sasaran
from workflow.bukti.penyimpanan import POTONGAN, Penyimpanan, backend
from workflow.dokumen import policy
from workflow.dokumen.models import Bentuk, Dokumen
from workflow.dokumen.queries import bentuk_jadwal_kantor
from workflow.errors import Ditolak, IsiTidakValid
from workflow.realisasi.operations import nama_bulan, periode as periode_kantor


@dataclass(frozen=True)
class Tempat:
    """What a file attaches to: the document, and for a period's file its row and period."""

    sasaran: Sasaran
    kunci: str | None = None
    periode: int | None = None


def sasaran_dokumen(dokumen: Dokumen) -> Sasaran | None:
    """What a period's file of this document attaches to (None: it has no periods)."""
    return {Bentuk.PK: Sasaran.INDIKATOR, Bentuk.RAK: Sasaran.BARIS}.get(dokumen.jenis.bentuk)


def baris_periode(dokumen: Dokumen) -> dict:
    """The rows a period's file may name: the indikator of a PK's current revision, a RAK's rows."""
    if dokumen.jenis.bentuk is Bentuk.PK:
        return {i.kunci: i for s in dokumen.revisi_aktif.sasaran for i in s.indikator}
    if dokumen.jenis.bentuk is Bentuk.RAK:
        return {b.kunci: b for b in dokumen.revisi_aktif.baris}
    return {}


def _izin(keputusan: policy.Keputusan) -> Membership:
    if not keputusan:
        raise Ditolak(keputusan.alasan)
    return keputusan.membership


def izin(session: Session, dokumen: Dokumen, user: User | None, tempat: Tempat) -> Membership:
    """The membership that lets ``user`` attach to or withdraw from ``tempat``, or Ditolak /
    IsiTidakValid with the reason (the lock of the period last: it names the period)."""
    if tempat.sasaran is Sasaran.DOKUMEN:
        return _izin(policy.lampirkan(user, dokumen))
    if sasaran_dokumen(dokumen) is not tempat.sasaran:
        raise Ditolak(_("Bukti realisasi dilampirkan pada indikator Perjanjian Kinerja atau baris Rencana Aksi."))
    # The document's status first, so a draft refuses the same way whatever the row.
    if not policy.boleh_isi_realisasi(user, dokumen):
        _izin(policy.isi_realisasi(user, dokumen, None))
    row = baris_periode(dokumen).get(tempat.kunci or "")
    if row is None:
        raise IsiTidakValid(_("Indikator atau baris ini tidak ada lagi pada revisi yang berlaku."))
    membership = _izin(policy.isi_realisasi(user, dokumen, row.pelaksana))
    bentuk = bentuk_jadwal_kantor(session, dokumen.satker, dokumen.tahun)
    if tempat.periode not in {p.bulan for p in periode_kantor(bentuk)}:
        raise IsiTidakValid(_("Periode ini bukan periode pelaporan %(satker)s.", satker=dokumen.satker.nama))
    if periode_terkunci(session, dokumen.id, tempat.periode):
        raise Ditolak(_("Periode %(periode)s sudah dikunci: bukti tidak dapat ditambah atau ditarik lagi.",
                        periode=nama_bulan(tempat.periode, bentuk)))
    return membership


def _potongan(berkas: BinaryIO, hash_) -> Iterator[bytes]:
    while isi := berkas.read(POTONGAN):
        hash_.update(isi)
        yield isi


def unggah(session: Session, dokumen: Dokumen, user: User, tempat: Tempat, berkas: BinaryIO, nama: str, *,
           batas: int = periksa.BATAS_BAWAAN, penyimpanan: Penyimpanan | None = None) -> Bukti:
    """Attach the file read from ``berkas`` (seekable, read in chunks, never whole) to
    ``tempat`` of ``dokumen``; checked first, then stored while its SHA-256 is computed."""
    membership = izin(session, dokumen, user, tempat)
    hasil = periksa.periksa(berkas, nama, batas)
    penyimpanan = penyimpanan or backend("db")
    lokasi, hash_ = uuid.uuid4().hex, hashlib.sha256()
    penyimpanan.tulis(session, lokasi, _potongan(berkas, hash_))
    if hash_.hexdigest() != hasil.sha256:  # the stream changed under us: keep nothing
        penyimpanan.hapus(session, lokasi)
        raise IsiTidakValid(_("%(nama)s berubah selama diunggah; unggah sekali lagi.", nama=hasil.nama))
    bukti = Bukti(dokumen_id=dokumen.id, sasaran=tempat.sasaran.value, kunci=tempat.kunci, periode=tempat.periode,
                  revisi_nomor=dokumen.nomor_revisi, nama=hasil.nama, mime=hasil.jenis.mime, ukuran=hasil.ukuran,
                  sha256=hasil.sha256, penyimpanan=penyimpanan.nama, lokasi=lokasi, diunggah_oleh_id=user.id,
                  diunggah_pada=utcnow())
    session.add(bukti)
    session.flush()
    catat(session, dokumen, user, membership, aksi="unggah_bukti", rincian=_rincian(bukti))
    return bukti


def tarik(session: Session, bukti: Bukti, user: User) -> Bukti:
    """Withdraw a file: its bytes removed, its record (name, hash, who, when) kept."""
    if bukti.ditarik:
        raise IsiTidakValid(_("%(nama)s sudah ditarik.", nama=bukti.nama))
    dokumen = bukti.dokumen
    membership = izin(session, dokumen, user, tempat_bukti(bukti))
    bukti.ditarik_pada, bukti.ditarik_oleh_id = utcnow(), user.id
    backend(bukti.penyimpanan).hapus(session, bukti.lokasi)
    session.flush()
    catat(session, dokumen, user, membership, aksi="tarik_bukti", rincian=_rincian(bukti))
    return bukti


def tempat_bukti(bukti: Bukti) -> Tempat:
    return Tempat(Sasaran(bukti.sasaran), bukti.kunci, bukti.periode)


def _rincian(bukti: Bukti) -> dict:
    return {"bukti_id": bukti.id, "nama": bukti.nama, "sha256": bukti.sha256, "ukuran": bukti.ukuran,
            "sasaran": bukti.sasaran, "kunci": bukti.kunci, "periode": bukti.periode}
