"""The document page: a document, one of its revisions, its history, what it waits for and
what the reader may do, rendered. Shown by the documents blueprint, and again by any
blueprint whose action on the page was refused (the editors), with the refusal on it."""
from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import lazyload
from sqlalchemy.orm.attributes import set_committed_value

from tenants.db import db
from tenants.people import User
from tenants.satker import Tingkat
from workflow.bukti import queries as bukti_queries
from workflow.bukti.models import Sasaran
from workflow import audit, schedule
from workflow.anggaran.pagu import ringkasan_dokumen
from workflow.dokumen import bab_lkj as lkj, canonical, cascade, checks, keadaan, operations, policy
from workflow.dokumen.content import Indikator, Kegiatan, ProgramAnggaran, RakBaris, TargetMixin
from workflow.dokumen.content import Sasaran as SasaranKinerja
from workflow.dokumen.models import ALASAN_RESMI, Bentuk, Dokumen, Revisi, Status
from workflow.dokumen.queries import baca
from workflow.errors import WorkflowError
from workflow.jadwal.queries import tenggat_dokumen
from workflow.lkj import tabel as laporan
from workflow.pelaporan import queries as pelaporan_queries
from webapp import document_tables, rls


def _lkj_context(dokumen: Dokumen, revisi: Revisi) -> dict:
    if dokumen.jenis.bentuk is not Bentuk.LKJ:
        return {}
    data = laporan.tabel(db.session, revisi)
    return {"lkj_data": data, "lkj_ringkasan": laporan.ringkasan(data), "lkj_pegawai": lkj.pegawai(revisi.lkj),
            "lkj_selisih": lkj.selisih_tertulis(data, revisi.lkj.angka_tertulis if revisi.lkj else None)}


# The document page shows the newest entries; a draft edited all January has thousands.
RIWAYAT_SINGKAT = 25


def _riwayat_query():
    e = audit.AuditEntry
    jumlah = select(func.count()).select_from(e).where(e.dokumen_id == bindparam("dokumen")).scalar_subquery()
    return (select(e.waktu, e.username, e.peran, e.revisi_nomor, e.aksi, e.dari, e.ke, e.alasan, jumlah.label("jumlah"))
            .where(e.dokumen_id == bindparam("dokumen")).order_by(e.seq.desc()))


# Built once, the document bound per call (composing the select cost about as much as running it).
_RIWAYAT_SEMUA = _riwayat_query()
_RIWAYAT_SINGKAT = _RIWAYAT_SEMUA.limit(RIWAYAT_SINGKAT)


def _history(dokumen: Dokumen, semua: bool) -> tuple[list, int]:
    """The document's audit entries, newest first (the newest ``RIWAYAT_SINGKAT`` unless
    ``semua``), and how many there are in all, in one statement: the columns the page
    shows, not the entries' details and hashes. The count is a subquery of its own (read
    from the index), not a window over the rows: that read every entry of a document
    edited a thousand times to show ten."""
    rows = baca(db.session, _RIWAYAT_SEMUA if semua else _RIWAYAT_SINGKAT, {"dokumen": dokumen.id})
    return rows, rows[0].jumlah if rows else 0


def _perubahan_induk(dokumen: Dokumen, revisi: Revisi) -> list:
    # Only an inherited indikator has a parent to read: without one, nothing reaches across.
    # A RAK has none, and its sasaran are not loaded (asking would load them).
    if dokumen.jenis.bentuk is Bentuk.RAK or not any(i.induk_kunci for s in revisi.sasaran for i in s.indikator):
        return []
    with rls.sistem():  # the parent office's PK, read for its targets only
        return cascade.perubahan_induk(db.session, revisi)


# The revisions table names each revision; their content stays in the database.
_TANPA_ISI = tuple(lazyload(r) for r in (Revisi.program, Revisi.sasaran, Revisi.baris, Revisi.lkj, Revisi.tanda_tangan))
# The current revision's content the page reads through the ORM, per kind; a RAK's rows it
# reads itself (``_baris``). A Laporan Kinerja's content is loaded as a whole (``_revisi_aktif``).
_ISI = {Bentuk.PK: (Revisi.program, Revisi.tanda_tangan, Revisi.sasaran),
        Bentuk.RKT: (Revisi.program, Revisi.tanda_tangan, Revisi.sasaran),
        Bentuk.RAK: (Revisi.program, Revisi.tanda_tangan)}


class _Baris:
    """A RAK row as the page reads it: its columns and its kegiatan, without the ORM's
    bookkeeping (40 mapped rows and their kegiatan cost a third of the page)."""

    __slots__ = (*(c.key for c in RakBaris.__table__.c), "kegiatan")
    target_lengkap = TargetMixin.target_lengkap  # what the checks before submitting ask
    satuan_lengkap = TargetMixin.satuan_lengkap


class _Kegiatan:
    __slots__ = ("uraian",)

    def __init__(self, uraian: str):
        self.uraian = uraian


def _baris(revisi: Revisi) -> list:
    """The rows of a RAK revision, in order, each with its kegiatan: two statements. Mapped
    rows when they are loaded already or when a signed revision's hash reads them."""
    if "baris" in revisi.__dict__ or revisi.terkunci:
        return revisi.baris
    tabel = RakBaris.__table__
    rows, by_id = [], {}
    for values in db.session.execute(select(*tabel.c).where(tabel.c.revisi_id == revisi.id).order_by(tabel.c.urutan)):
        row = _Baris()
        for key, value in zip(_Baris.__slots__, values):
            setattr(row, key, value)
        row.kegiatan = by_id[row.id] = []
        rows.append(row)
    # By the revision's id, not the rows' ids: one short statement (kegiatan.revisi_id is indexed).
    kegiatan = Kegiatan.__table__.c
    for baris_id, uraian in db.session.execute(
            select(kegiatan.baris_id, kegiatan.uraian).where(kegiatan.revisi_id == revisi.id)
            .order_by(kegiatan.baris_id, kegiatan.urutan)):
        if (daftar := by_id.get(baris_id)) is not None:
            daftar.append(_Kegiatan(uraian))
    return rows



def _revisi_aktif(dokumen: Dokumen) -> Revisi:
    return db.session.scalars(
        select(Revisi).where(Revisi.dokumen_id == dokumen.id, Revisi.nomor == dokumen.nomor_revisi)).one()


class _Isi:
    """A row of a revision's content as the page reads it: its columns, without the ORM's
    bookkeeping (twenty mapped indikator and their sasaran cost a fifth of a PK's page)."""

    __slots__ = ()

    def __init__(self, values):
        for key, value in zip(self.__slots__, values):
            setattr(self, key, value)


class _Program(_Isi):
    __slots__ = tuple(c.key for c in ProgramAnggaran.__table__.c)


class _Sasaran(_Isi):
    __slots__ = (*(c.key for c in SasaranKinerja.__table__.c), "indikator")


class _Indikator(_Isi):
    __slots__ = tuple(c.key for c in Indikator.__table__.c)
    target = TargetMixin.target  # what the checks and the parent's changes ask
    target_lengkap = TargetMixin.target_lengkap
    satuan_lengkap = TargetMixin.satuan_lengkap


# Built once, the revision bound per call. The sasaran with their indikator in one statement
# (the relationships took two): each sasaran's columns, then its indikator's or NULLs.
_SASARAN, _INDIKATOR = SasaranKinerja.__table__, Indikator.__table__
_BACA_SASARAN = (select(*_SASARAN.c, *_INDIKATOR.c)
                 .select_from(_SASARAN.outerjoin(_INDIKATOR, _INDIKATOR.c.sasaran_id == _SASARAN.c.id))
                 .where(_SASARAN.c.revisi_id == bindparam("revisi"))
                 .order_by(_SASARAN.c.urutan, _SASARAN.c.id, _INDIKATOR.c.urutan, _INDIKATOR.c.id))
_BACA_PROGRAM = (select(*ProgramAnggaran.__table__.c).where(ProgramAnggaran.revisi_id == bindparam("revisi"))
                 .order_by(ProgramAnggaran.urutan, ProgramAnggaran.id))


def _sasaran(revisi_id: int) -> list:
    n = len(_SASARAN.c)
    daftar, by_id = [], {}
    for values in baca(db.session, _BACA_SASARAN, {"revisi": revisi_id}):
        s = by_id.get(values[0])
        if s is None:
            s = by_id[values[0]] = _Sasaran(values[:n])
            s.indikator = []
            daftar.append(s)
        if values[n] is not None:
            s.indikator.append(_Indikator(values[n:]))
    return daftar


class _RevisiBaca:
    """An unlocked PK, RKT or RAK revision with its content read as columns (``_Isi``): the page,
    its checks and the parent's changes read ``sasaran``, ``program`` and ``tanda_tangan``
    here; anything else is the mapped revision's. A locked one stays mapped: its hash
    check reads the mapped content."""

    total_program = Revisi.total_program
    selisih_pagu = Revisi.selisih_pagu

    def __init__(self, revisi: Revisi, sasaran: bool):
        self.mapped = revisi
        self.program = [_Program(v) for v in baca(db.session, _BACA_PROGRAM, {"revisi": revisi.id})]
        # Not asked: a signature is written only after the submit that locks the revision
        # (workflow.dokumen.flow), and a locked revision is never unlocked (its trigger).
        self.tanda_tangan = []
        if sasaran:  # a RAK has none, and its own rows are read by ``_baris``
            self.sasaran = _sasaran(revisi.id)

    def __getattr__(self, name: str):
        return getattr(self.mapped, name)


def _boleh_dibaca(revisi: Revisi, isi: tuple) -> bool:
    """Whether the page may read the revision's content as columns: not when it is locked
    (its hash reads the mapped content) nor when some of it is loaded already (an editor's
    refused change is shown as it stands in the session)."""
    return not revisi.terkunci and not any(r.key in revisi.__dict__ for r in isi)


# Built once, the document bound per call: composing the select cost about as much as running it.
_DAFTAR_REVISI = (select(Revisi, User.full_name).outerjoin(User, User.id == Revisi.dibuat_oleh_id)
                  .where(Revisi.dokumen_id == bindparam("dokumen")).order_by(Revisi.nomor).options(*_TANPA_ISI))


def _daftar_revisi(dokumen: Dokumen) -> list:
    """The revisions table: each revision with the name of who opened it (None: the
    system), without loading every old revision's content or its author's account."""
    return db.session.execute(_DAFTAR_REVISI, {"dokumen": dokumen.id}).all()


def _revisi(dokumen: Dokumen, revisi: Revisi | None) -> tuple[Revisi, list]:
    """(the current revision, the revisions table), the current one taken from the table
    rather than asked for again, and with its content when it is the one shown: one
    statement per kind of content, in order, as its relationships would load it. An
    unlocked PK or RKT shown as it stands comes back as read (``_RevisiBaca``)."""
    isi = _ISI.get(dokumen.jenis.bentuk)
    aktif = _revisi_aktif(dokumen) if isi is None else None  # loaded whole, before the table
    daftar = _daftar_revisi(dokumen)
    if aktif is None:
        aktif = next(r for r, _nama in daftar if r.nomor == dokumen.nomor_revisi)
        if revisi is None or revisi is aktif:
            if _boleh_dibaca(aktif, isi):
                return _RevisiBaca(aktif, sasaran=dokumen.jenis.bentuk is not Bentuk.RAK), daftar
            for relasi in isi:
                if relasi.key not in aktif.__dict__:  # loaded already (another revision's page, an editor)
                    kelas = relasi.property.mapper.class_
                    set_committed_value(aktif, relasi.key, db.session.scalars(
                        select(kelas).where(kelas.revisi_id == aktif.id).order_by(kelas.urutan)).all())
    return aktif, daftar


def render_dokumen(dokumen: Dokumen, revisi: Revisi | None = None, *, error: WorkflowError | None = None,
                   status: int = 200, form_values: dict | None = None):
    user = current_user._get_current_object()  # one lookup for the page's permission checks
    aktif, daftar_revisi = _revisi(dokumen, revisi)
    revisi = aktif if revisi is None or revisi is getattr(aktif, "mapped", aktif) else revisi
    is_current = revisi.id == aktif.id
    editable = is_current and policy.boleh_menyunting(user, dokumen)
    # Whether a RAK row may be edited depends on its pelaksana alone: asked once per unit.
    per_pelaksana: dict[str | None, bool] = {}

    def bisa_baris(b) -> bool:
        if b.pelaksana not in per_pelaksana:
            per_pelaksana[b.pelaksana] = is_current and bool(policy.ubah_baris(user, dokumen, b.pelaksana))
        return per_pelaksana[b.pelaksana]

    baris = _baris(getattr(revisi, "mapped", revisi)) if dokumen.jenis.bentuk is Bentuk.RAK else []
    history, history_total = _history(dokumen, semua=request.args.get("riwayat") == "semua")
    context = dict(
        history=history, history_total=history_total,
        dokumen=dokumen, revisi=revisi, aktif=aktif, is_current=is_current, editable=editable,
        daftar_revisi=daftar_revisi,
        edit_all=is_current and bool(policy.ubah_semua(user, dokumen)),
        tombol=operations.tombol(dokumen, aktif, user) if is_current else [],
        # Shown to whoever may edit the draft only (the checks read every indikator).
        masalah=checks.masalah_sebelum_ajukan(revisi, baris) if editable and dokumen.status is Status.DRAFT else [],
        peringatan=checks.peringatan(revisi),
        penandatangan=dokumen.jenis.penandatangan, berikut=policy.penandatangan_berikut(dokumen, revisi),
        bentuk=revisi.bentuk_jadwal or schedule.BentukJadwal.BULAN,
        alasan_resmi=ALASAN_RESMI, error=error, form_values=form_values or {},
        ringkasan_anggaran=ringkasan_dokumen(db.session, dokumen, revisi, baris),
        baris=baris, total_biaya=sum(b.biaya or 0 for b in baris),
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
    return render_template("documents/detail.html", url_dokumen=document_tables.url_dokumen, **context), status
