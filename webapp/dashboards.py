"""Dashboards and the realisation entry page (issue 4).

- ``/dasbor``: the dashboard of the user's own office;
- ``/satker/<kode>/dasbor?tahun=``: an office's dashboard; for a province (KPU RI) the
  matrix of the offices directly below it, with ``?tampilan=kantor`` for its own;
- ``/dokumen/<id>/realisasi``: the grid of a PK's realisations by period, and the money
  spent per row of the RAK that carries it out.

Handlers load -> check -> act: offices through ``visible_satker_or_404``, documents through
``documents.dokumen_or_404`` (both answer 404 for what is out of reach, exactly like
what does not exist), writes through ``workflow.realisasi_ops`` inside ``saving()``.
Charts read their data from ``data-chart`` attributes (``static/dashboard.js``): no
inline script.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import select

from tenants import hierarchy
from tenants.db import db
from tenants.satker import Satker, Tingkat
from webapp.documents import dokumen_or_404, saving, status_label
from webapp.gate import gated, visible_satker_or_404
from workflow import dashboard, operations, policy, realisasi_ops
from workflow.capaian import Lampu
from workflow.document import Bentuk, Dokumen, Status
from workflow.errors import Ditolak, IsiTidakValid, Konflik, WorkflowError
from workflow.realisasi_ops import Isian, IsianAnggaran

bp = Blueprint("dashboards", __name__)

LAMPU_CSS = {Lampu.HIJAU: "success", Lampu.KUNING: "warning", Lampu.MERAH: "danger", Lampu.ABU: "secondary"}
LAMPU_LABEL = {Lampu.HIJAU: _l("Hijau"), Lampu.KUNING: _l("Kuning"), Lampu.MERAH: _l("Merah"), Lampu.ABU: _l("Abu-abu")}


@bp.app_template_global()
def lampu_css(lampu: Lampu) -> str:
    return LAMPU_CSS[lampu]


@bp.app_template_global()
def lampu_label(lampu: Lampu) -> str:
    return str(LAMPU_LABEL[lampu])


def _tahun(satker: Satker) -> int:
    tahun = request.args.get("tahun", type=int) or dashboard.tahun_default(db.session, satker)
    if not 2000 <= tahun <= 2100:
        abort(404)
    return tahun


def _satker_or_404(kode: str) -> Satker:
    return visible_satker_or_404(db.session.scalar(select(Satker).where(Satker.kode == kode)))


@bp.get("/dasbor")
@gated
def saya():
    """The dashboard of the first office where the user holds a role."""
    membership = next(iter(current_user.memberships), None)
    if membership is None:
        abort(404)
    return redirect(url_for(".dasbor", kode=membership.satker.kode))


@bp.get("/satker/<kode>/dasbor")
@gated
def dasbor(kode: str):
    satker = _satker_or_404(kode)
    tahun = _tahun(satker)
    ancestors = list(db.session.scalars(hierarchy.ancestors(satker)))
    years = sorted(set(dashboard.tahun_tersedia(db.session, satker)) | {tahun})
    punya_anak = satker.tingkat is not Tingkat.KABKOTA
    if punya_anak and request.args.get("tampilan") != "kantor":
        m = dashboard.matriks(db.session, satker, tahun, current_user)
        turun = request.args.get("arah") == "turun"
        urut = m.urutkan(request.args.get("urut"), turun)
        return render_template("dashboards/matriks.html", satker=satker, tahun=tahun, years=years, m=m,
                               urut=urut, turun=turun, ancestors=ancestors, ringkasan=m.ringkasan_kolom(),
                               sel=_sel_html(m, tahun))
    d = dashboard.dasbor_kantor(db.session, satker, tahun)
    return render_template("dashboards/kantor.html", satker=satker, tahun=tahun, years=years, d=d,
                           ancestors=ancestors, punya_anak=punya_anak,
                           boleh_isi={b.dokumen.id for b in d.pk if b.dokumen and _boleh_isi(b.dokumen.id, satker)})


def _sel_html(m: dashboard.Matriks, tahun: int) -> dict[str, Markup]:
    """Each row's cells as HTML, built here rather than in the template: KPU RI's matrix
    has 760 cells and Jinja's per-cell lookups and escapes were half the page's time.
    Every value put in is escaped; the fixed texts are translated once per page."""
    lampu_sel = {lampu: (LAMPU_CSS[lampu], escape(_("Lampu %(warna)s", warna=lampu_label(lampu)))) for lampu in Lampu}
    judul = _("realisasi %(realisasi)s dari target %(target)s")
    tidak = escape(_("tidak diturunkan"))
    rows = {}
    for b in m.baris:
        link = escape(url_for(".dasbor", kode=b.satker.kode, tahun=tahun))
        cells = []
        for k in m.kolom:
            h = b.sel.get(k.kunci)
            if h is None:
                isi = f'<a class="text-muted small" href="{link}">{tidak}</a>'
            elif h.lampu is Lampu.ABU:
                teks = escape(h.capaian.teks)
                isi = (f'<a class="text-muted" href="{link}" title="{teks}"><span aria-hidden="true">–</span>'
                       f'<span class="sr-only">{teks}</span></a>')
            else:
                css, title = lampu_sel[h.lampu]
                isi = (f'<a href="{link}" title="{escape(judul % {"realisasi": h.realisasi_teks, "target": h.target_teks})}">'
                       f'<span class="badge badge-{css}" data-lampu="{h.lampu.value}" title="{title}">'
                       f'{escape(h.capaian.teks)}</span></a>')
            cells.append(f'<td class="text-center" data-testid="sel-{escape(b.satker.kode)}-{escape(k.kunci)}">{isi}</td>')
        rows[b.satker.kode] = Markup("".join(cells))
    return rows


def _boleh_isi(dokumen_id: int, satker: Satker) -> bool:
    """Whether to offer 'Isi realisasi' for a PK (or the RAK that carries it out)."""
    dokumen = db.session.get(Dokumen, dokumen_id)
    if policy.boleh_isi_realisasi(current_user, dokumen):
        return True
    rak = _rak_of(dokumen)
    return rak is not None and policy.boleh_isi_realisasi(current_user, rak)


def _rak_of(pk: Dokumen) -> Dokumen | None:
    jenis = realisasi_ops.RAK_DARI_PK.get(pk.jenis)
    return operations.cari_dokumen(db.session, pk.satker, pk.tahun, jenis) if jenis else None


# -- the realisation entry page ------------------------------------------------------------------

def _cell_keys(prefix: str, kunci: str, bulan: int) -> str:
    return f"{prefix}-{kunci}-{bulan}"


def _render_realisasi(pk: Dokumen | None, rak: Dokumen | None, *, error: WorkflowError | None = None,
                      typed: dict | None = None, status: int = 200, versi: dict | None = None):
    anchor = pk or rak
    bentuk = operations.bentuk_jadwal_kantor(db.session, anchor.satker, anchor.tahun)
    periode = realisasi_ops.periode(bentuk)
    indikator = realisasi_ops.realisasi_dokumen(db.session, pk) if pk else []
    baris = realisasi_ops.anggaran_dokumen(db.session, rak) if rak else []
    boleh_indikator = {i.kunci for i in indikator if policy.isi_realisasi(current_user, pk, i.pelaksana)}
    boleh_baris = {b.kunci for b in baris if policy.isi_realisasi(current_user, rak, b.pelaksana)}
    alasan = None
    if pk is not None and not boleh_indikator:
        alasan = policy.isi_realisasi(current_user, pk, None).alasan
    context = dict(
        pk=pk, rak=rak, dokumen=anchor, periode=periode, bentuk=bentuk, indikator=indikator, baris=baris,
        boleh_indikator=boleh_indikator, boleh_baris=boleh_baris, alasan=alasan,
        alasan_rak=(policy.isi_realisasi(current_user, rak, None).alasan if rak and not boleh_baris else None),
        error=error, typed=typed or {}, key=_cell_keys,
        versi=versi or {"pk": pk.versi if pk else None, "rak": rak.versi if rak else None},
        total_rencana=sum(b.biaya or 0 for b in baris), total_realisasi=sum(b.realisasi or 0 for b in baris),
        serapan=realisasi_ops.persen_serapan(sum(b.biaya or 0 for b in baris), sum(b.realisasi or 0 for b in baris)),
    )
    return render_template("dashboards/realisasi.html", **context), status


def _versi_form(name: str) -> int | None:
    text = request.form.get(name) or ""
    return int(text) if text.isascii() and text.isdigit() else None


@bp.route("/dokumen/<int:dokumen_id>/realisasi", methods=["GET", "POST"])
@gated
def realisasi(dokumen_id: int):
    dokumen = dokumen_or_404(dokumen_id)
    if dokumen.jenis.bentuk is Bentuk.PK:
        pk, rak = dokumen, _rak_of(dokumen)
    elif dokumen.jenis.bentuk is Bentuk.RAK:
        pk, rak = None, dokumen
    else:
        abort(404)
    if request.method == "GET":
        return _render_realisasi(pk, rak)

    bentuk = operations.bentuk_jadwal_kantor(db.session, dokumen.satker, dokumen.tahun)
    periode = realisasi_ops.periode(bentuk)
    isian, isian_anggaran = [], []
    if pk is not None:
        for s in pk.revisi_aktif.sasaran:
            for i in s.indikator:
                for p in periode:
                    name = _cell_keys("r", i.kunci, p.bulan)
                    if name in request.form:
                        isian.append(Isian(i.kunci, p.bulan, request.form.get(name, ""),
                                           request.form.get(_cell_keys("b", i.kunci, p.bulan), "")))
    if rak is not None:
        for b in rak.revisi_aktif.baris:
            for p in periode:
                name = _cell_keys("a", b.kunci, p.bulan)
                if name in request.form:
                    isian_anggaran.append(IsianAnggaran(b.kunci, p.bulan, request.form.get(name, "")))
    versi_pk, versi_rak = _versi_form("versi"), _versi_form("versi_rak")
    # Every save says which versions it was typed on; without them there is no save.
    if (isian and versi_pk is None) or (isian_anggaran and versi_rak is None):
        abort(400)
    typed = {k: v for k, v in request.form.items() if k[:2] in ("r-", "b-", "a-")}
    try:
        with saving():
            masalah: list[str] = []
            if isian:
                try:
                    realisasi_ops.simpan_realisasi(db.session, pk, current_user, isian, versi=versi_pk)
                except IsiTidakValid as exc:
                    masalah += exc.masalah
            if isian_anggaran:
                try:
                    realisasi_ops.simpan_realisasi_anggaran(db.session, rak, current_user, isian_anggaran,
                                                            versi=versi_rak)
                except IsiTidakValid as exc:
                    masalah += exc.masalah
            if masalah:
                raise IsiTidakValid(_("Tidak ada yang disimpan: %(n)s isian perlu diperbaiki.", n=len(masalah)),
                                    masalah)
    except WorkflowError as exc:
        status = {Konflik: 409, Ditolak: 403, IsiTidakValid: 422}.get(type(exc), 409)
        pk = dokumen_or_404(pk.id) if pk else None
        rak = dokumen_or_404(rak.id) if rak else None
        versi = None
        if not isinstance(exc, Konflik):
            # Keep the versions the page was typed on: a later save still checks them.
            versi = {"pk": versi_pk if versi_pk is not None else (pk.versi if pk else None),
                     "rak": versi_rak if versi_rak is not None else (rak.versi if rak else None)}
        return _render_realisasi(pk, rak, error=exc, typed=typed, status=status, versi=versi)
    flash(_("Realisasi disimpan."), "success")
    return redirect(url_for(".realisasi", dokumen_id=dokumen_id))


@bp.app_template_global()
def status_dokumen_label(status: Status | None) -> str:
    return status_label(status) if status else _("belum ada PK")
