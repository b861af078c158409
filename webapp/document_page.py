"""The document page: a document, one of its revisions, its history, what it waits for and
what the reader may do, rendered. Shown by the documents blueprint, and again by any
blueprint whose action on the page was refused (the editors), with the refusal on it."""
from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload, selectinload

from tenants.db import db
from tenants.people import User
from tenants.satker import Tingkat
from workflow.bukti import queries as bukti_queries
from workflow.bukti.models import Sasaran
from workflow import audit, schedule
from workflow.anggaran.pagu import ringkasan_dokumen
from workflow.dokumen import bab_lkj as lkj, canonical, cascade, checks, keadaan, operations, policy
from workflow.dokumen.content import RakBaris
from workflow.dokumen.models import ALASAN_RESMI, Bentuk, Dokumen, Revisi, Status
from workflow.errors import WorkflowError
from workflow.jadwal.queries import tenggat_dokumen
from workflow.lkj import tabel as laporan
from workflow.pelaporan import queries as pelaporan_queries
from webapp import rls


def _lkj_context(dokumen: Dokumen, revisi: Revisi) -> dict:
    if dokumen.jenis.bentuk is not Bentuk.LKJ:
        return {}
    data = laporan.tabel(db.session, revisi)
    return {"lkj_data": data, "lkj_ringkasan": laporan.ringkasan(data), "lkj_pegawai": lkj.pegawai(revisi.lkj),
            "lkj_selisih": lkj.selisih_tertulis(data, revisi.lkj.angka_tertulis if revisi.lkj else None)}


# The document page shows the newest entries; a draft edited all January has thousands.
RIWAYAT_SINGKAT = 25


def _history(dokumen: Dokumen, semua: bool) -> tuple[list, int]:
    """The document's audit entries, newest first (the newest ``RIWAYAT_SINGKAT`` unless
    ``semua``), and how many there are in all, in one statement: the columns the page
    shows, not the entries' details and hashes."""
    e = audit.AuditEntry
    query = (select(e.waktu, e.username, e.peran, e.revisi_nomor, e.aksi, e.dari, e.ke, e.alasan,
                    func.count().over().label("jumlah"))
             .where(e.dokumen_id == dokumen.id).order_by(e.seq.desc()))
    rows = db.session.execute(query if semua else query.limit(RIWAYAT_SINGKAT)).all()
    return rows, rows[0].jumlah if rows else 0


def _perubahan_induk(dokumen: Dokumen, revisi: Revisi) -> list:
    # Only an inherited indikator has a parent to read: without one, nothing reaches across.
    # A RAK has none, and its sasaran are not loaded (asking would load them).
    if dokumen.jenis.bentuk is Bentuk.RAK or not any(i.induk_kunci for s in revisi.sasaran for i in s.indikator):
        return []
    with rls.sistem():  # the parent office's PK, read for its targets only
        return cascade.perubahan_induk(db.session, revisi)


# The content a kind of document never holds: the page loads it only if something asks.
_ISI_LAIN = {Bentuk.PK: (lazyload(Revisi.baris), lazyload(Revisi.lkj)),
             Bentuk.RKT: (lazyload(Revisi.baris), lazyload(Revisi.lkj)),
             # A RAK's kegiatan in a statement of their own, by the rows' ids: joined to the
             # rows, PostgreSQL read all kegiatan of the country behind their row-level
             # security policy (6 ms a page on the national data, bench/README.md "load/").
             Bentuk.RAK: (lazyload(Revisi.sasaran), lazyload(Revisi.lkj),
                          selectinload(Revisi.baris).selectinload(RakBaris.kegiatan))}
# The revisions table names each revision; their content stays in the database.
_TANPA_ISI = tuple(lazyload(r) for r in (Revisi.program, Revisi.sasaran, Revisi.baris, Revisi.lkj, Revisi.tanda_tangan))


def _revisi_aktif(dokumen: Dokumen) -> Revisi:
    """``dokumen.revisi_aktif`` without the kinds of content this document cannot have."""
    query = select(Revisi).where(Revisi.dokumen_id == dokumen.id, Revisi.nomor == dokumen.nomor_revisi)
    return db.session.scalars(query.options(*_ISI_LAIN.get(dokumen.jenis.bentuk, ()))).one()


def _daftar_revisi(dokumen: Dokumen) -> list:
    """The revisions table: each revision with the name of who opened it (None: the
    system), without loading every old revision's content or its author's account."""
    return db.session.execute(
        select(Revisi, User.full_name).outerjoin(User, User.id == Revisi.dibuat_oleh_id)
        .where(Revisi.dokumen_id == dokumen.id).order_by(Revisi.nomor).options(*_TANPA_ISI)).all()


def render_dokumen(dokumen: Dokumen, revisi: Revisi | None = None, *, error: WorkflowError | None = None,
                   status: int = 200, form_values: dict | None = None):
    user = current_user._get_current_object()  # one lookup for the page's permission checks
    aktif = _revisi_aktif(dokumen)
    revisi = revisi or aktif
    is_current = revisi.id == aktif.id
    editable = is_current and policy.boleh_menyunting(user, dokumen)
    # Whether a RAK row may be edited depends on its pelaksana alone: asked once per unit.
    per_pelaksana: dict[str | None, bool] = {}

    def bisa_baris(b) -> bool:
        if b.pelaksana not in per_pelaksana:
            per_pelaksana[b.pelaksana] = is_current and bool(policy.ubah_baris(user, dokumen, b.pelaksana))
        return per_pelaksana[b.pelaksana]

    history, history_total = _history(dokumen, semua=request.args.get("riwayat") == "semua")
    daftar_revisi = _daftar_revisi(dokumen)
    context = dict(
        history=history, history_total=history_total,
        dokumen=dokumen, revisi=revisi, aktif=aktif, is_current=is_current, editable=editable,
        daftar_revisi=daftar_revisi,
        edit_all=is_current and bool(policy.ubah_semua(user, dokumen)),
        tombol=operations.tombol(dokumen, aktif, user) if is_current else [],
        masalah=checks.masalah_sebelum_ajukan(revisi) if is_current and dokumen.status is Status.DRAFT else [],
        peringatan=checks.peringatan(revisi),
        penandatangan=dokumen.jenis.penandatangan, berikut=policy.penandatangan_berikut(dokumen, revisi),
        bentuk=revisi.bentuk_jadwal or schedule.BentukJadwal.BULAN,
        alasan_resmi=ALASAN_RESMI, error=error, form_values=form_values or {},
        ringkasan_anggaran=ringkasan_dokumen(db.session, dokumen, revisi),
        hash_cocok=(canonical.hash_isi(revisi) == revisi.hash_isi) if revisi.terkunci else None,
        bisa_baris=bisa_baris,
        dikembalikan=keadaan.pengembalian(db.session, [dokumen]).get(dokumen.id) if is_current else None,
        menunggu=keadaan.menunggu(user, dokumen, aktif) if is_current else None,
        pelaksana_berikut=keadaan.pelaksana_berikut(dokumen, aktif) if is_current else None,
        perubahan_induk=_perubahan_induk(dokumen, revisi) if is_current and editable else [],
        bisa_turunkan=is_current and dokumen.jenis.diturunkan and dokumen.satker.tingkat is not Tingkat.KABKOTA
        and bool(policy.turunkan(user, dokumen)),
        tenggat=tenggat_dokumen(db.session, dokumen, revisi=[r for r, _nama in daftar_revisi]) if is_current else None,
        # Evidence (webapp/bukti.py): the document's own files, the scan of the signed paper.
        lampiran=bukti_queries.daftar_sel(db.session, dokumen.id, Sasaran.DOKUMEN, None, None),
        boleh_lampirkan=bool(policy.lampirkan(user, dokumen)),
        laporan_periode=(pelaporan_queries.ringkasan_periode(db.session, dokumen) if is_current
                         and dokumen.jenis.bentuk is Bentuk.PK and dokumen.status in policy.STATUS_REALISASI else []),
        **_lkj_context(dokumen, revisi),
    )
    return render_template("documents/detail.html", **context), status
