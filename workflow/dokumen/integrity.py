"""The consistency checker behind ``sakip check``: what a crash, a restore or a hand
edit could have left half done.

For every document: its status agrees with its revisions (a draft's current revision
open, a submitted one locked, signed by all its signatories once signed, approved once
reviewed), each signature signed the hash its revision holds and that hash is still
the hash of the stored content, and the audit trail's transitions replay to the
stored status and account for every lock, signature and review. Then the audit chain
itself is walked with its key, up to every anchor given (``workflow.audit``). Problems
come back as sentences, one per finding.

Everything is loaded in bulk (a fixed number of statements, plus one round per batch
of locked revisions whose content is hashed again), in a session of its own on the
caller's connection, so the caller's objects are left alone.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload

from workflow import audit
from workflow.dokumen import canonical
from workflow.dokumen.models import Dokumen, HasilTinjauan, Revisi, Status
from workflow.dokumen.signature import TandaTangan

TRANSISI = ("submit", "sign", "approve", "send_back", "revise")
# Locked revisions hashed per round: their content is loaded with it and let go after.
BATCH = 200


def periksa(session: Session, anchors: Iterable[audit.Anchor] = ()) -> list[str]:
    """Every inconsistency found, in words; an empty list when all is well."""
    with Session(bind=session.connection()) as s:
        masalah = _periksa_dokumen(s)
        hasil = audit.verify(s, anchors)
    if not hasil.ok:
        masalah.append(f"Jejak audit rusak pada entri nomor {hasil.broken.seq}: {hasil.broken.reason}.")
    return masalah


def _periksa_dokumen(s: Session) -> list[str]:
    dokumen = s.scalars(select(Dokumen).order_by(Dokumen.id)).all()  # with their satker (joined)
    revisi = s.execute(select(
        Revisi.id, Revisi.dokumen_id, Revisi.nomor, Revisi.terkunci, Revisi.hash_isi, Revisi.kode_verifikasi,
        Revisi.hasil_tinjauan).order_by(Revisi.dokumen_id, Revisi.nomor)).all()
    tanda_tangan = s.execute(select(
        TandaTangan.revisi_id, TandaTangan.urutan, TandaTangan.kapasitas, TandaTangan.hash_isi)
        .order_by(TandaTangan.revisi_id, TandaTangan.urutan)).all()
    riwayat = s.execute(select(
        audit.AuditEntry.dokumen_id, audit.AuditEntry.seq, audit.AuditEntry.aksi, audit.AuditEntry.dari,
        audit.AuditEntry.ke, audit.AuditEntry.revisi_nomor)
        .where(audit.AuditEntry.aksi.in_(TRANSISI)).order_by(audit.AuditEntry.seq)).all()

    revisi_dokumen: dict[int, list] = defaultdict(list)
    for r in revisi:
        revisi_dokumen[r.dokumen_id].append(r)
    ttd_revisi: dict[int, list] = defaultdict(list)
    for t in tanda_tangan:
        ttd_revisi[t.revisi_id].append(t)
    riwayat_dokumen: dict[int, list] = defaultdict(list)
    for e in riwayat:
        riwayat_dokumen[e.dokumen_id].append(e)
    hash_ulang = _hash_ulang(s, [r.id for r in revisi if r.terkunci])

    masalah: list[str] = []
    for d in dokumen:
        nama = f"{d.jenis.label} {d.satker.nama} {d.tahun} (dokumen {d.id})"
        found = _satu_dokumen(d, revisi_dokumen[d.id], ttd_revisi, riwayat_dokumen[d.id], hash_ulang)
        masalah += [f"{nama}: {m}" for m in found]
    return masalah


def _hash_ulang(s: Session, ids: list[int]) -> dict[int, str]:
    """The canonical hash of each locked revision's stored content, computed again."""
    hashes: dict[int, str] = {}
    for start in range(0, len(ids), BATCH):
        batch = s.scalars(select(Revisi).where(Revisi.id.in_(ids[start:start + BATCH]))
                          .options(lazyload(Revisi.tanda_tangan))).all()
        for r in batch:
            hashes[r.id] = canonical.hash_isi(r)
        for r in batch:  # the documents stay: the next batch's revisions point at them
            s.expunge(r)
    return hashes


def _satu_dokumen(d: Dokumen, revisi: list, ttd_revisi: dict, riwayat: list, hash_ulang: dict) -> list[str]:
    masalah: list[str] = []
    if not revisi:
        return ["tidak punya revisi satu pun."]
    nomor = [r.nomor for r in revisi]
    if nomor != list(range(len(revisi))):
        masalah.append(f"nomor revisinya tidak berurutan dari 0: {nomor}.")
    kini = next((r for r in revisi if r.nomor == d.nomor_revisi), None)
    if kini is None:
        return masalah + [f"revisi terkininya (ke-{d.nomor_revisi}) tidak ada."]
    if max(nomor) != d.nomor_revisi:
        masalah.append(f"Revisi ke-{max(nomor)} ada, padahal revisi terkininya ke-{d.nomor_revisi}.")

    urutan = d.jenis.penandatangan
    for r in revisi:
        label = f"Revisi ke-{r.nomor}"
        ttd = ttd_revisi.get(r.id, [])
        if r.terkunci and (not r.hash_isi or not r.kode_verifikasi):
            masalah.append(f"{label} terkunci tanpa hash isi atau kode verifikasi.")
        if r.terkunci and r.hash_isi and hash_ulang.get(r.id) != r.hash_isi:
            masalah.append(f"isi {label} tidak cocok lagi dengan hash yang diajukan dan ditandatangani.")
        if ttd and not r.terkunci:
            masalah.append(f"{label} belum terkunci tetapi sudah ditandatangani.")
        if [t.urutan for t in ttd] != list(range(1, len(ttd) + 1)):
            masalah.append(f"urutan tanda tangan {label} tidak bersambung: {[t.urutan for t in ttd]}.")
        for t in ttd:
            if t.hash_isi != r.hash_isi:
                masalah.append(f"tanda tangan ke-{t.urutan} {label} menandatangani hash lain dari hash revisinya.")
        if len(ttd) > len(urutan):
            masalah.append(f"{label} punya {len(ttd)} tanda tangan, padahal penanda tangannya {len(urutan)}.")
        for t, harus in zip(ttd, urutan):
            if t.kapasitas != harus.kapasitas:
                masalah.append(f"tanda tangan ke-{t.urutan} {label} selaku {t.kapasitas.label}, "
                               f"seharusnya {harus.kapasitas.label}.")
        if r.hasil_tinjauan is HasilTinjauan.DISETUJUI and len(ttd) != len(urutan):
            masalah.append(f"{label} disetujui sebelum semua penanda tangan menandatanganinya.")
        if r.nomor < d.nomor_revisi and (not r.terkunci or r.hasil_tinjauan is None):
            masalah.append(f"{label} sudah digantikan revisi berikutnya tetapi tidak terkunci dan ditinjau.")

    masalah += _status_dan_revisi_terkini(d.status, kini, len(ttd_revisi.get(kini.id, [])), urutan)
    masalah += _riwayat(d, revisi, ttd_revisi, riwayat)
    return masalah


def _status_dan_revisi_terkini(status: Status, kini, jumlah_ttd: int, urutan) -> list[str]:
    label = f"Revisi ke-{kini.nomor}"
    perlu = len(urutan) if urutan is not None else None
    masalah = []
    if status is Status.DRAFT:
        if kini.terkunci:
            masalah.append(f"berstatus Draf, tetapi {label} terkunci.")
        if kini.hasil_tinjauan is not None:
            masalah.append(f"berstatus Draf, tetapi {label} sudah ditinjau.")
        return masalah
    if not kini.terkunci:
        masalah.append(f"berstatus {status.label}, tetapi {label} tidak terkunci.")
    if status is Status.REVIEWED:
        if kini.hasil_tinjauan is not HasilTinjauan.DISETUJUI:
            masalah.append(f"berstatus Disetujui, tetapi {label} tidak punya catatan persetujuan.")
    elif kini.hasil_tinjauan is not None:
        masalah.append(f"berstatus {status.label}, tetapi {label} sudah ditinjau.")
    if perlu is not None:
        if status is Status.SUBMITTED and jumlah_ttd >= perlu:
            masalah.append(f"berstatus Diajukan, tetapi {label} sudah lengkap ditandatangani ({jumlah_ttd}).")
        if status in (Status.SIGNED, Status.REVIEWED) and jumlah_ttd != perlu:
            masalah.append(f"berstatus {status.label}, tetapi {label} punya {jumlah_ttd} dari {perlu} tanda tangan.")
    return masalah


def _riwayat(d: Dokumen, revisi: list, ttd_revisi: dict, riwayat: list) -> list[str]:
    """The transitions in the audit trail replay to the stored status, and account for
    exactly the locks, signatures and reviews the revisions hold."""
    masalah = []
    status = Status.DRAFT.value
    for e in riwayat:
        if e.dari != status:
            masalah.append(f"riwayat: entri audit nomor {e.seq} ({e.aksi}) berangkat dari status "
                           f"'{e.dari}', padahal statusnya saat itu '{status}'.")
        status = e.ke
    if status != d.status.value:
        masalah.append(f"berstatus {d.status.label}, tetapi riwayatnya berakhir di status '{status}'.")

    tercatat = Counter((e.revisi_nomor, e.aksi) for e in riwayat)
    seharusnya: Counter = Counter()
    for r in revisi:
        seharusnya[(r.nomor, "submit")] += 1 if r.terkunci else 0
        seharusnya[(r.nomor, "sign")] += len(ttd_revisi.get(r.id, []))
        seharusnya[(r.nomor, "approve")] += 1 if r.hasil_tinjauan is HasilTinjauan.DISETUJUI else 0
        seharusnya[(r.nomor, "send_back")] += 1 if r.hasil_tinjauan is HasilTinjauan.DIKEMBALIKAN else 0
        seharusnya[(r.nomor, "revise")] += 1 if (
            r.hasil_tinjauan is HasilTinjauan.DISETUJUI and r.nomor < d.nomor_revisi) else 0
    for key in sorted(set(tercatat) | set(seharusnya), key=lambda k: (k[0] or 0, TRANSISI.index(k[1]))):
        if tercatat[key] != seharusnya[key]:
            nomor, aksi = key
            masalah.append(f"riwayat mencatat {tercatat[key]} kali '{aksi}' pada Revisi ke-{nomor}, "
                           f"revisinya menunjukkan {seharusnya[key]}.")
    return masalah
