"""Evidence pages (issue 17 point 3): a realisation cell's files with the upload form
(``/dokumen/<id>/bukti?kunci=&periode=``, linked as "Bukti (n)" from the realisation grid),
a document's files with its own attachments ("Lampiran", the scan of the signed paper),
the download, the withdrawal, and an office's files per year and period
(``/satker/<kode>/bukti``).

Every object is loaded through the gate (``dokumen_or_404``, ``visible_satker_or_404``):
another office's file answers exactly like a missing one. An upload is read from the
request's spooled file in chunks, checked (``workflow.bukti.periksa``), stored while its
SHA-256 is computed, and sent back the same way (a generator response), never whole in
memory. Larger bodies than the app's usual limit are allowed on the two upload routes only
(``batas_kiriman``, read by ``webapp.gate``).
"""
from __future__ import annotations

from datetime import date
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, \
    stream_with_context, url_for
from flask_babel import format_decimal, gettext as _
from flask_login import current_user
from sqlalchemy import select

from tenants.db import db
from tenants.satker import Satker
from workflow.bukti import operations, queries
from workflow.bukti.models import Bukti, Sasaran
from workflow.bukti.operations import Tempat
from workflow.bukti.periksa import JENIS
from workflow.bukti.penyimpanan import Direktori, Penyimpanan, backend, daftarkan
from workflow.dokumen.models import Dokumen
from workflow.dokumen.queries import bentuk_jadwal_kantor
from workflow.errors import IsiTidakValid, WorkflowError
from workflow.realisasi.operations import nama_bulan, periode as periode_kantor
from webapp.common import dokumen_or_404, saving
from webapp.gate import gated, visible_satker_or_404

bp = Blueprint("bukti", __name__)

MB = 1024 * 1024
# A body somewhat larger than the limit is read (spooled to a temporary file by Werkzeug),
# so that a file just over the limit is refused by its name; far larger, unread (413).
SELISIH_KIRIMAN = MB


def batas_berkas() -> int:
    return int(current_app.config.get("SAKIP_BUKTI_MAX_MB", 20)) * MB


def kiriman_besar(view):
    """The body may be as large as one file and its form: a larger one is refused unread
    (413); one file just over the limit is read up to the limit and refused by name."""
    view.batas_kiriman = lambda: batas_berkas() + batas_berkas() // 4 + SELISIH_KIRIMAN
    return view


def penyimpanan() -> Penyimpanan:
    """Where new files go: a directory every server mounts when SAKIP_BUKTI_DIR is set,
    else the database."""
    akar = current_app.config.get("SAKIP_BUKTI_DIR")
    if not akar:
        return backend("db")
    daftarkan(Direktori(akar))
    return backend("dir")


@bp.app_template_global()
def ukuran_berkas(n: int) -> str:
    """A file's size as people read it: 840 B, 12 KB, 1,4 MB."""
    if n < 1024:
        return f"{n} B"
    if n < MB:
        return f"{format_decimal(round(n / 1024))} KB"
    return f"{format_decimal(round(n / MB, 1))} MB"


@bp.app_template_global()
def jenis_berkas(mime: str) -> str:
    return next((j.label for j in JENIS.values() if j.mime == mime), mime)


# -- loading ------------------------------------------------------------------------------------

def _tempat_sel(dokumen: Dokumen, kunci: str | None, periode: int | None) -> Tempat:
    """A realisation cell of this document, or 404 (no such row, period, or no periods)."""
    sasaran = operations.sasaran_dokumen(dokumen)
    if sasaran is None or kunci not in operations.baris_periode(dokumen):
        abort(404)
    bentuk = bentuk_jadwal_kantor(db.session, dokumen.satker, dokumen.tahun)
    if periode not in {p.bulan for p in periode_kantor(bentuk)}:
        abort(404)
    return Tempat(sasaran, kunci, periode)


def _sel_sah(dokumen: Dokumen, tempat: Tempat) -> Tempat | None:
    """The cell a refused form was sent from, when it is one (else the document's page shows)."""
    if tempat.sasaran is Sasaran.DOKUMEN or tempat.kunci not in operations.baris_periode(dokumen):
        return None
    bentuk = bentuk_jadwal_kantor(db.session, dokumen.satker, dokumen.tahun)
    return tempat if tempat.periode in {p.bulan for p in periode_kantor(bentuk)} else None


def _bukti_or_404(dokumen: Dokumen, bukti_id: int) -> Bukti:
    bukti = queries.bukti_dokumen(db.session, dokumen.id, bukti_id)
    if bukti is None:
        abort(404)
    return bukti


def _boleh(dokumen: Dokumen, tempat: Tempat) -> str | None:
    """None when the reader may add to (and withdraw from) ``tempat``, else the reason."""
    try:
        operations.izin(db.session, dokumen, current_user, tempat)
    except WorkflowError as exc:
        return exc.message
    return None


# -- pages ---------------------------------------------------------------------------------------

def _judul_sel(dokumen: Dokumen, tempat: Tempat) -> str:
    row = operations.baris_periode(dokumen)[tempat.kunci]
    uraian = row.uraian if tempat.sasaran is Sasaran.INDIKATOR else f"{row.urutan}. {row.indikator}"
    bentuk = bentuk_jadwal_kantor(db.session, dokumen.satker, dokumen.tahun)
    return _("%(uraian)s, %(periode)s", uraian=uraian, periode=nama_bulan(tempat.periode, bentuk))


def _halaman(dokumen: Dokumen, tempat: Tempat | None, *, error: WorkflowError | None = None, status: int = 200):
    """A cell's files and form (``tempat``), or the document's files with its own form."""
    if tempat is not None:
        daftar, judul = queries.daftar_sel(db.session, dokumen.id, tempat.sasaran, tempat.kunci,
                                          tempat.periode), _judul_sel(dokumen, tempat)
    else:
        daftar, judul = queries.daftar_dokumen(db.session, dokumen.id), None
    lampiran = Tempat(Sasaran.DOKUMEN)
    return render_template(
        "bukti/daftar.html", dokumen=dokumen, tempat=tempat, judul=judul, daftar=daftar, error=error,
        alasan=_boleh(dokumen, tempat or lampiran), boleh_tarik=_boleh_tarik(dokumen, daftar),
        batas_mb=batas_berkas() // MB, label_tempat=_label_tempat(dokumen),
    ), status


def _boleh_tarik(dokumen: Dokumen, daftar) -> set[int]:
    keputusan: dict[Tempat, bool] = {}
    for b in daftar:
        tempat = operations.tempat_bukti(b)
        if tempat not in keputusan:
            keputusan[tempat] = _boleh(dokumen, tempat) is None
    return {b.id for b in daftar if keputusan[operations.tempat_bukti(b)]}


def _label_tempat(dokumen: Dokumen):
    rows = operations.baris_periode(dokumen)
    bentuk = bentuk_jadwal_kantor(db.session, dokumen.satker, dokumen.tahun)

    def label(b: Bukti) -> str:
        if b.sasaran == Sasaran.DOKUMEN.value:
            return _("Lampiran dokumen (revisi ke-%(n)s)", n=b.revisi_nomor)
        row = rows.get(b.kunci)
        nama = (row.uraian if hasattr(row, "uraian") else row.indikator) if row else _("(tidak ada lagi pada revisi ini)")
        return f"{nama}, {nama_bulan(b.periode, bentuk)}"

    return label


@bp.get("/dokumen/<int:dokumen_id>/bukti")
@gated
def daftar(dokumen_id: int):
    dokumen = dokumen_or_404(dokumen_id)
    kunci, periode = request.args.get("kunci"), request.args.get("periode", type=int)
    tempat = _tempat_sel(dokumen, kunci, periode) if kunci or periode else None
    return _halaman(dokumen, tempat)


@bp.post("/dokumen/<int:dokumen_id>/bukti")
@gated
@kiriman_besar
def unggah(dokumen_id: int):
    dokumen = dokumen_or_404(dokumen_id)
    if operations.sasaran_dokumen(dokumen) is None:
        abort(404)
    kunci, periode = request.form.get("kunci", ""), request.form.get("periode", type=int)
    tempat = Tempat(operations.sasaran_dokumen(dokumen), kunci, periode)
    return _simpan(dokumen, tempat, url_for(".daftar", dokumen_id=dokumen.id, kunci=kunci, periode=periode))


@bp.post("/dokumen/<int:dokumen_id>/lampiran")
@gated
@kiriman_besar
def lampirkan(dokumen_id: int):
    dokumen = dokumen_or_404(dokumen_id)
    return _simpan(dokumen, Tempat(Sasaran.DOKUMEN), url_for("documents.lihat", dokumen_id=dokumen.id) + "#lampiran")


def _simpan(dokumen: Dokumen, tempat: Tempat, kembali: str):
    berkas = request.files.get("berkas")
    try:
        with saving():
            if berkas is None or not berkas.filename:
                operations.izin(db.session, dokumen, current_user, tempat)  # a refusal says who may, first
                raise IsiTidakValid(_("Pilih berkas yang akan diunggah."))
            bukti = operations.unggah(db.session, dokumen, current_user, tempat, berkas.stream, berkas.filename,
                                      batas=batas_berkas(), penyimpanan=penyimpanan())
            nama, sha256 = bukti.nama, bukti.sha256
    except WorkflowError as exc:
        dokumen = dokumen_or_404(dokumen.id)
        return _halaman(dokumen, _sel_sah(dokumen, tempat), error=exc, status=exc.status)
    flash(_("%(nama)s diunggah (SHA-256 %(sha)s).", nama=nama, sha=sha256), "success")
    return redirect(kembali)


@bp.get("/dokumen/<int:dokumen_id>/bukti/<int:bukti_id>")
@gated
def unduh(dokumen_id: int, bukti_id: int):
    dokumen = dokumen_or_404(dokumen_id)
    bukti = _bukti_or_404(dokumen, bukti_id)
    isi = backend(bukti.penyimpanan).baca(db.session, bukti.lokasi)
    response = Response(stream_with_context(isi), mimetype=bukti.mime, direct_passthrough=True)
    response.content_length = bukti.ukuran
    ascii_ = bukti.nama.encode("ascii", "replace").decode().replace('"', "").replace("?", "_")
    response.headers["Content-Disposition"] = f"attachment; filename=\"{ascii_}\"; filename*=UTF-8''{quote(bukti.nama)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Bukti-SHA256"] = bukti.sha256
    return response


@bp.post("/dokumen/<int:dokumen_id>/bukti/<int:bukti_id>/tarik")
@gated
def tarik(dokumen_id: int, bukti_id: int):
    dokumen = dokumen_or_404(dokumen_id)
    bukti = _bukti_or_404(dokumen, bukti_id)
    tempat = operations.tempat_bukti(bukti)
    try:
        with saving():
            operations.tarik(db.session, bukti, current_user)
            nama = bukti.nama
    except WorkflowError as exc:
        dokumen = dokumen_or_404(dokumen_id)
        return _halaman(dokumen, _sel_sah(dokumen, tempat), error=exc, status=exc.status)
    flash(_("%(nama)s ditarik.", nama=nama), "success")
    if tempat.sasaran is Sasaran.DOKUMEN:
        return redirect(url_for("documents.lihat", dokumen_id=dokumen_id) + "#lampiran")
    return redirect(url_for(".daftar", dokumen_id=dokumen_id, kunci=tempat.kunci, periode=tempat.periode))


@bp.errorhandler(413)
def _terlalu_besar(_exc):
    """A body far over the limit, refused unread (so its file's name is not known)."""
    if "_login_user" not in g:  # an error page never fails for want of a user
        g._login_user = current_app.login_manager.anonymous_user()
    pesan = _("Kiriman terlalu besar: berkas bukti paling besar %(mb)s MB. Tidak ada yang disimpan.",
              mb=batas_berkas() // MB)
    return render_template("errors/error.html", code=413, pesan=pesan), 413


@bp.get("/satker/<kode>/bukti")
@gated
def satker(kode: str):
    satker = visible_satker_or_404(db.session.scalar(select(Satker).where(Satker.kode == kode)))
    tahun = request.args.get("tahun", type=int) or _tahun_terakhir(satker)
    if not 2000 <= tahun <= 2100:
        abort(404)
    bentuk = bentuk_jadwal_kantor(db.session, satker, tahun)
    pilihan = periode_kantor(bentuk)
    periode = request.args.get("periode", type=int)
    if periode is not None and periode not in {p.bulan for p in pilihan}:
        abort(404)
    daftar = queries.daftar_satker(db.session, satker.id, tahun, periode)
    label = {d.id: _label_tempat(d) for d in {b.dokumen for b in daftar}}
    return render_template("bukti/satker.html", satker=satker, tahun=tahun, periode=periode, pilihan=pilihan,
                           daftar=daftar, label=label)


def _tahun_terakhir(satker: Satker) -> int:
    return db.session.scalar(select(Dokumen.tahun).where(Dokumen.satker_id == satker.id)
                             .order_by(Dokumen.tahun.desc()).limit(1)) or date.today().year
