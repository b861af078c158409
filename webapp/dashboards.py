"""Dashboards and the realisation entry page (issue 4).

- ``/dasbor``: the dashboard of the user's own office;
- ``/satker/<kode>/dasbor?tahun=``: an office's dashboard; for a province (KPU RI) the
  matrix of the offices directly below it, with ``?tampilan=kantor`` for its own;
- ``/dokumen/<id>/realisasi``: the grid of a PK's realisations by period, and the money
  spent per row of the RAK that carries it out.

Handlers load -> check -> act: offices through ``visible_satker_or_404``, documents through
``common.dokumen_or_404`` (both answer 404 for what is out of reach, exactly like
what does not exist), writes through ``workflow.realisasi.operations`` inside ``saving()``.
Charts read their data from ``data-chart`` attributes (``static/dashboard.js``): no
inline script.
"""
from __future__ import annotations

import json
import re
from urllib.parse import quote, urlencode

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import pgettext
from flask_login import current_user
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape
from sqlalchemy import bindparam, func, select

from tenants.db import db
from tenants.satker import Satker, Tingkat
# The request's catalogue as the templates' ``_()`` reads it: Flask-Babel's ``gettext``
# looks the catalogue up again on every call (about four times the cost of the lookup),
# and a dashboard translates a few dozen fixed texts.
from tenants.teks import N_, _
from webapp.common import dokumen_or_404, pelaksana_label, saving, status_badge_class, status_label
from webapp.gate import gated, visible_satker_or_404
from webapp.i18n import rupiah, tanggal
from webapp.markup import fixed_text
from workflow.anggaran import serapan
from workflow.bukti import queries as bukti_queries
from workflow.pelaporan import dasbor as periode_dasbor
from workflow.capaian import Lampu
from workflow.dokumen import operations, policy, queries
from workflow.dokumen.models import Bentuk, Dokumen, Status
from workflow.errors import IsiTidakValid, Konflik, WorkflowError
from workflow.pelaporan import queries as pelaporan_queries
from workflow.realisasi import dashboard, operations as realisasi_ops
from workflow.realisasi.operations import Isian, IsianAnggaran

bp = Blueprint("dashboards", __name__)

LAMPU_CSS = {Lampu.HIJAU: "success", Lampu.KUNING: "warning", Lampu.MERAH: "danger", Lampu.ABU: "secondary"}
LAMPU_LABEL = {Lampu.HIJAU: N_("Hijau"), Lampu.KUNING: N_("Kuning"), Lampu.MERAH: N_("Merah"), Lampu.ABU: N_("Abu-abu")}


@bp.app_template_global()
def lampu_css(lampu: Lampu) -> str:
    return LAMPU_CSS[lampu]


@bp.app_template_global()
def lampu_label(lampu: Lampu) -> str:
    return _(LAMPU_LABEL[lampu])


def makro(template: str, *nama: str) -> dict:
    """Macros of ``template`` to pass to a page, as ``{% from template import ... %}`` gives
    them: the template's own module, built once per process (the pages' globals are the
    environment's, so the import hands back that same module), without the import's
    comparison of the page's globals with the template's, about 0.1 ms per import."""
    modul = current_app.jinja_env.get_template(template).module
    return {n: getattr(modul, n) for n in nama}


@bp.app_template_global()
def sel_serapan(o: serapan.SerapanOutput) -> Markup:
    """An absorption row's six figures (templates/serapan/_tabel.html), written here: a
    macro call per row, and its six lookups, filters and escapes, cost several times more."""
    lampu = o.lampu
    return Markup(
        f'<td class="text-right" data-testid="penyerapan">{escape(o.serapan.teks)}</td>\n'
        f'<td class="text-right" data-testid="lampu"><span class="badge badge-{LAMPU_CSS[lampu]}" '
        f'data-lampu="{lampu.value}">{escape(o.terhadap_target.teks)}</span></td>\n'
        f'<td class="text-right text-nowrap" data-testid="realisasi">{escape(rupiah(o.realisasi_sd))}</td>\n'
        f'<td class="text-right text-nowrap">{escape(rupiah(o.rencana))}</td>\n'
        f'<td class="text-right text-nowrap">{escape(rupiah(o.rencana_sd))}</td>\n'
        f'<td class="text-right" data-testid="thd-rencana">{escape(o.terhadap_rencana.teks)}</td>')


def _tahun(terakhir: int) -> int:
    tahun = request.args.get("tahun", type=int) or terakhir
    if not 2000 <= tahun <= 2100:
        abort(404)
    return tahun


# An office and its ancestors, root first: an ancestor's path is a prefix of the office's
# (as in tenants.hierarchy.ancestors), the office found by its code. Built once.
_SATKER_DAN_INDUK = (
    select(Satker).where(select(Satker.path).where(Satker.kode == bindparam("kode")).scalar_subquery()
                         .startswith(Satker.path))
    .order_by(func.length(Satker.path)))


def _satker_or_404(kode: str) -> tuple[Satker, list[Satker]]:
    """The office with this code, and its ancestors root first (itself last) for the
    breadcrumb, in one statement."""
    ancestors = list(db.session.scalars(_SATKER_DAN_INDUK, {"kode": kode}))
    satker = ancestors[-1] if ancestors and ancestors[-1].kode == kode else None
    return visible_satker_or_404(satker), ancestors


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
    satker, ancestors = _satker_or_404(kode)
    tersedia, terakhir = dashboard.tahun_kantor(db.session, satker)
    tahun = _tahun(terakhir)
    years = sorted(set(tersedia) | {tahun})
    punya_anak = satker.tingkat is not Tingkat.KABKOTA
    if punya_anak and request.args.get("tampilan") != "kantor":
        return _dasbor_matriks(satker, ancestors, tahun, years)
    d = dashboard.dasbor_kantor(db.session, satker, tahun)
    return render_template("dashboards/kantor.html", satker=satker, tahun=tahun, years=years, d=d,
                           serapan=serapan.serapan_kantor(db.session, satker, tahun, rak=(d.rak_baris, d.belanja_baris)),
                           persen=serapan.persen_teks,
                           ancestors=ancestors, punya_anak=punya_anak,
                           **_kantor_html(d, tahun), **_makro_kantor())


def _kantor_html(d: dashboard.DasborKantor, tahun: int) -> dict[str, Markup]:
    """The office dashboard's PK sections (with their lights counted, as the ``lampu_teks``
    macro wrote each) and its RAKs (with their kegiatan rows), written here as the
    template's loops wrote them: a macro call per light and a dozen lookups and filters
    per row cost several times more."""
    badge = {lampu: f'<span class="badge badge-{LAMPU_CSS[lampu]}">{escape(lampu_label(lampu))}</span>'
             for lampu in Lampu}
    tanpa_kode = fixed_text(_("tanpa kode"))
    kegiatan: dict[int, Markup] = {}
    for a in d.anggaran:
        rows = []
        for k in a.kegiatan:
            kode = tanpa_kode if k.kode == dashboard.TANPA_KODE else escape(k.kode)
            output = (f'<br><small class="text-muted">{escape(", ".join(k.kode_output))}</small>'
                      if k.kode_output else "")
            rows.append(f'\n            <tr data-testid="kegiatan-{escape(k.kode)}">\n'
                        f'              <td>{kode} {output}</td>\n'
                        f'              <td class="text-right">{k.baris}</td>\n'
                        f'              <td class="text-right text-nowrap">{escape(rupiah(k.rencana))}</td>\n'
                        f'              <td class="text-right text-nowrap">{escape(rupiah(k.realisasi))}</td>\n'
                        f'              <td class="text-right">{escape(k.serapan.teks)}</td>\n'
                        f'            </tr>\n          ')
        kegiatan[a.dokumen.id] = Markup("".join(rows))
    lampu_bagian = {b.jenis: "".join(f"{badge[lampu]} {n} " for lampu, n in b.hitung_lampu().items() if n)
                    for b in d.pk}
    return {"bagian_pk_html": _bagian_pk_html(d, tahun, lampu_bagian, _boleh_isi_kantor(d)),
            "anggaran_html": _anggaran_html(d, tahun, kegiatan)}


def _tautan_dokumen(dokumen_id: int) -> tuple[str, str, str, str]:
    """A document's page, spreadsheet, PDF and realisation links (escaped, as the template's)."""
    return (escape(url_for("documents.lihat", dokumen_id=dokumen_id)),
            escape(url_for("downloads.dokumen_xlsx", dokumen_id=dokumen_id)),
            escape(url_for("pdf.unduh", dokumen_id=dokumen_id)),
            escape(url_for("dashboards.realisasi", dokumen_id=dokumen_id)))


def _bagian_pk_html(d: dashboard.DasborKantor, tahun: int, lampu_bagian: dict, boleh_isi: set[int]) -> Markup:
    """The office dashboard's PK sections, as the template's loop wrote them (its whitespace
    too): a dozen translations, four ``url_for`` and a status per section cost more in Jinja."""
    sections = []
    kepala = None
    for bagian in d.pk:
        label = escape(bagian.jenis.label)
        out = [f'\n<section class="mb-4" data-testid="pk-{escape(bagian.jenis.value)}">\n  <h2 class="h5">{label}\n    ']
        dok = bagian.dokumen
        if dok:
            lihat, xlsx, pdf, realisasi_url = _tautan_dokumen(dok.id)
            boleh = dok.id in boleh_isi
            tombol = fixed_text(_("Isi realisasi") if boleh else _("Realisasi per periode"))
            # Each _() outside the f-strings, where Babel's extractor finds it.
            dokumen_teks, excel_teks, pdf_teks = fixed_text(_("dokumen")), fixed_text(_("Unduh Excel")), fixed_text(_("Unduh PDF"))
            out.append(
                f'\n      <span class="badge badge-{status_badge_class(dok.status)}">{escape(status_label(dok.status))}</span>\n'
                f'      <a class="small ml-2" href="{lihat}">{dokumen_teks}</a>\n'
                f'      <a class="small ml-2" href="{xlsx}" data-testid="dashboard-xlsx">{excel_teks}</a>\n'
                f'      <a class="small ml-2" href="{pdf}" data-testid="dashboard-pdf">{pdf_teks}</a>\n'
                f'      <a class="btn btn-sm {"btn-primary" if boleh else "btn-outline-secondary"} ml-2"\n'
                f'         href="{realisasi_url}" data-testid="link-realisasi">\n'
                f'        {tombol}</a>\n    ')
        out.append("\n  </h2>\n  ")
        if not dok:
            teks = fixed_text(_("Belum ada %(jenis)s tahun %(tahun)s."), jenis=bagian.jenis.label, tahun=tahun)
            out.append(f'\n    <p class="text-muted">{teks}</p>\n  ')
        elif not bagian.indikator:
            teks = fixed_text(_("%(jenis)s belum memiliki indikator."), jenis=bagian.jenis.label)
            out.append(f'\n    <p class="text-muted">{teks}</p>\n  ')
        else:
            kepala = kepala or _kepala_indikator(d)
            out.append(f'\n  \n  <p class="small mb-1">{lampu_bagian[bagian.jenis]}</p>\n'
                       f'  <table class="table table-sm" data-testid="indikator">\n{kepala}    <tbody>\n'
                       f'    {_tabel_indikator(bagian.indikator, d.periode)}\n    </tbody>\n  </table>\n  ')
        out.append("\n</section>\n")
        sections.append("".join(out))
    return Markup("".join(sections))


def _kepala_indikator(d: dashboard.DasborKantor) -> str:
    grafik = _("Grafik per triwulan") if d.bentuk.value == "triwulan" else _("Grafik per bulan")
    indikator, target = fixed_text(_("Indikator kinerja")), fixed_text(_("Target"))
    sd_kini, capaian = fixed_text(_("Realisasi s.d. kini")), fixed_text(_("Capaian"))
    return (f'    <thead><tr><th>{indikator}</th><th class="text-right">{target}</th>'
            f'<th class="text-right">{sd_kini}</th>\n'
            f'      <th class="text-right">{capaian}</th><th>{fixed_text(grafik)}</th></tr></thead>\n')


def _anggaran_html(d: dashboard.DasborKantor, tahun: int, kegiatan: dict[int, Markup]) -> Markup:
    """The office dashboard's RAKs (their kegiatan, totals and chart), as the template's loop
    wrote them."""
    if not d.anggaran:
        belum_ada = fixed_text(_("Belum ada RAK tahun %(tahun)s."), tahun=tahun)
        return Markup(f'\n    <p class="text-muted">{belum_ada}</p>\n  ')
    dumps = _tojson()
    kode, banyak = fixed_text(_("Kode kegiatan")), fixed_text(pgettext("banyak baris", "Baris"))
    biaya, realisasi = fixed_text(_("Perkiraan biaya")), fixed_text(_("Realisasi"))
    kepala = (f'          <thead><tr><th>{kode}</th>'
              f'<th class="text-right">{banyak}</th>'
              f'<th class="text-right">{biaya}</th>\n'
              f'            <th class="text-right">{realisasi}</th><th class="text-right">%</th></tr></thead>\n')
    per_baris, belum, jumlah = fixed_text(_("realisasi per baris")), fixed_text(_("Belum ada baris.")), fixed_text(_("Jumlah"))
    judul = _("Realisasi anggaran %(jenis)s")
    out = []
    for a in d.anggaran:
        dok = a.dokumen
        label = escape(dok.jenis.label)
        baris = (kegiatan[dok.id] if a.kegiatan else
                 f'\n            <tr><td colspan="5" class="text-muted">{belum}</td></tr>\n          ')
        seri = htmlsafe_json_dumps(a.seri(d.periode), dumps=dumps)
        out.append(
            f'\n    <h3 class="h6 mt-3">{label}\n'
            f'      <span class="badge badge-{status_badge_class(dok.status)}">{escape(status_label(dok.status))}</span>\n'
            f'      <a class="small ml-2" href="{escape(url_for("dashboards.realisasi", dokumen_id=dok.id))}">{per_baris}</a></h3>\n'
            f'    <div class="row">\n      <div class="col-lg-7">\n'
            f'        <table class="table table-sm" data-testid="kegiatan-{escape(dok.jenis.value)}">\n'
            f'{kepala}          <tbody>\n          {baris}\n          </tbody>\n'
            f'          <tfoot><tr class="font-weight-bold"><td>{jumlah}</td><td></td>'
            f'<td class="text-right text-nowrap">{escape(rupiah(a.rencana))}</td>\n'
            f'            <td class="text-right text-nowrap">{escape(rupiah(a.realisasi))}</td>'
            f'<td class="text-right">{escape(a.serapan.teks)}</td></tr></tfoot>\n'
            f'        </table>\n      </div>\n'
            f'      <div class="col-lg-5"><div class="grafik grafik-besar"><canvas class="sakip-chart" role="img" '
            f'aria-label="{fixed_text(judul, jenis=dok.jenis.label)}" width="420" height="220" '
            f"data-chart='{seri}'></canvas></div></div>\n    </div>\n  ")
    return Markup("".join(out))


def _makro_kantor() -> dict:
    return (makro("_macros.html", "breadcrumb") | makro("dashboards/_macros.html", "pilih_tahun", "skrip")
            | makro("serapan/_tabel.html", "tabel_serapan"))


def _dasbor_matriks(satker: Satker, ancestors: list[Satker], tahun: int, years: list[int]):
    """A province's (KPU RI's) matrix for the period chosen (``?periode=``: the month it
    ends), attention first unless sorted otherwise, filtered by report status
    (``?keadaan=``); for KPU RI also the kabupaten/kota counted per province."""
    user = current_user._get_current_object()
    mp = periode_dasbor.matriks_periode(db.session, satker, tahun, user, request.args.get("periode", type=int))
    m, laporan = mp.m, mp.laporan
    saring = _keadaan_diminta()
    if saring is not None:
        m.baris = [b for b in m.baris if laporan[b.satker.id].keadaan is saring]
    turun = request.args.get("arah") == "turun"
    urut = request.args.get("urut")
    if periode_dasbor.urutkan(m.baris, laporan, urut, turun):
        urut = urut or periode_dasbor.URUT_PERHATIAN
    else:
        urut = m.urutkan(urut, turun)
    return render_template("dashboards/matriks.html", satker=satker, tahun=tahun, years=years, m=m,
                           ancestors=ancestors, **_matriks_html(m, satker, tahun, urut, turun, mp.bulan, laporan),
                           pilihan=mp.pilihan, bulan=mp.bulan, nama_periode=mp.nama_periode, saring=saring,
                           rekap=mp.rekap, keadaan_semua=list(periode_dasbor.Keadaan),
                           serapan_bawah=serapan.serapan_bawahan(db.session, satker, tahun, user),
                           persen=serapan.persen_teks)


def _keadaan_diminta() -> periode_dasbor.Keadaan | None:
    """The report status the list is filtered by; anything else shows every office."""
    try:
        return periode_dasbor.Keadaan(request.args.get("keadaan", ""))
    except ValueError:
        return None


def _matriks_html(m: dashboard.Matriks, satker: Satker, tahun: int, urut: str, turun: bool, bulan: int,
                  laporan: dict) -> dict:
    """The matrix's header links, rows and footer as HTML, built here rather than in the
    template: KPU RI's matrix has 760 cells and Jinja's per-cell lookups, escapes, macro
    calls and translations were most of the page's time. Every value put in is escaped;
    the fixed texts are translated once per page (``_teks`` writes them as the template's
    ``_()`` did)."""
    ini = url_for(".dasbor", kode=satker.kode, tahun=tahun, periode=bulan, keadaan=request.args.get("keadaan"))
    return {"urut_satker": _sort_link(ini, urut, turun, "satker", fixed_text(_("Satker"))),
            "urut_status": _sort_link(ini, urut, turun, "status", fixed_text(_("Status PK"))),
            "urut_laporan": _sort_link(ini, urut, turun, "laporan", fixed_text(_("Laporan periode"))),
            "urut_capaian": _sort_link(ini, urut, turun, "capaian", fixed_text(_("Capaian s.d. periode"))),
            "urut_perhatian": _sort_link(ini, urut, turun, "perhatian", fixed_text(_("Perlu perhatian dulu"))),
            "kepala": _kepala(m, ini, urut, turun), "sel": _sel_html(m, tahun, _laporan_html(m, laporan)),
            "kaki": _kaki(m)}


_KEADAAN_CSS = {"belum": "light", "diajukan": "info", "dikembalikan": "warning", "terverifikasi": "success",
                "terlambat": "danger"}


def _laporan_html(m: dashboard.Matriks, laporan: dict) -> dict[str, str]:
    """Each row's report cell (the period, its status, its due date) and capaian cell."""
    tenggat = _("tenggat %(tanggal)s")
    label = {k: escape(k.label) for k in periode_dasbor.Keadaan}
    rows = {}
    for b in m.baris:
        lap = laporan[b.satker.id]
        kode = escape(b.satker.kode)
        batas = (f'<br><span class="text-muted small">{escape(tenggat % {"tanggal": tanggal(lap.tenggat)})}'
                 f'</span>' if lap.tenggat else "")
        c = b.capaian_rata
        capaian = escape(serapan.persen_teks(c)) if c is not None else '<span class="text-muted">–</span>'
        rows[b.satker.kode] = (
            f'<td data-testid="laporan-{kode}" data-keadaan="{lap.keadaan.value}"><span class="small">'
            f'{escape(lap.nama_periode)}</span> <span class="badge badge-{_KEADAAN_CSS[lap.keadaan.value]}">'
            f'{label[lap.keadaan]}</span>{batas}</td>\n      '
            f'<td class="text-right" data-testid="capaian-{kode}">{capaian}</td>\n      ')
    return rows


# What Werkzeug leaves unencoded in a query (werkzeug.urls._urlencode).
_URL_AMAN = "!$'()*,/:;?@"


def _sort_link(ini: str, urut: str, turun: bool, key: str, label) -> Markup:
    """A column's sort link (``label`` escaped unless it is markup). ``ini`` is this page's
    ``url_for`` (office and year, a query already begun); the sort keys follow, encoded as
    Werkzeug encodes a ``url_for``'s query arguments: one ``url_for`` per page, not per column."""
    aktif = urut == key
    # The office, report and attention orders start as read (A-Z, attention first); the
    # capaian columns from the highest.
    naik_dulu = key in ("satker", "laporan", "perhatian")
    arah = ("naik" if aktif and turun else "turun") if not naik_dulu else ("turun" if aktif and not turun else "naik")
    url = escape(f'{ini}&{urlencode((("urut", key), ("arah", arah)), safe=_URL_AMAN)}')
    aria = f'aria-sort="{"descending" if turun else "ascending"}"' if aktif else ""
    panah = f' {"▼" if turun else "▲"}' if aktif else ""
    return Markup(f'<a href="{url}"\n   data-testid="urut-{escape(key)}" {aria}>{escape(label)}{panah}</a>')


def _kepala(m: dashboard.Matriks, ini: str, urut: str, turun: bool) -> dict[str, Markup]:
    """Each column's header content: its sort link and its target."""
    target = _("target %(target)s")
    return {k.kunci: Markup(f'{_sort_link(ini, urut, turun, k.kunci, k.uraian)}<br>'
                            f'<span class="text-muted">{fixed_text(target, target=k.target_teks)}</span>')
            for k in m.kolom}


def _kaki(m: dashboard.Matriks) -> dict[str, Markup]:
    """Each column's count of lights, as the ``lampu_teks`` macro writes them."""
    badge = {lampu: f'<span class="badge badge-{LAMPU_CSS[lampu]}">{escape(lampu_label(lampu))}</span>'
             for lampu in Lampu}
    return {kunci: Markup("".join(f"{badge[lampu]}&nbsp;{n} " for lampu, n in counts.items() if n))
            for kunci, counts in m.ringkasan_kolom().items()}


_KODE_CONTOH = "KODE0SATKER0CONTOH"
_KODE_POLOS = re.compile(r"[A-Za-z0-9_.-]+")


def _tautan_satker(contoh: str, kode: str, tahun: int) -> Markup:
    """An office's dashboard link from the page's one ``url_for`` (``contoh``): a code of
    letters, digits, dots, dashes and underscores is put in the path as is; any other code
    goes through ``url_for``."""
    return escape(contoh.replace(_KODE_CONTOH, kode, 1) if _KODE_POLOS.fullmatch(kode)
                  else url_for(".dasbor", kode=kode, tahun=tahun))


def _sel_html(m: dashboard.Matriks, tahun: int, laporan: dict[str, str]) -> dict[str, Markup]:
    """Each row's office, PK status and cells as HTML. One ``url_for`` per page; the
    column keys escaped once per page, the office code once per row."""
    # Translated outside the f-strings: Babel's extractor does not look inside them.
    lampu_judul = {lampu: escape(_("Lampu %(warna)s", warna=lampu_label(lampu))) for lampu in Lampu}
    lampu_sel = {lampu: f'<span class="badge badge-{LAMPU_CSS[lampu]}" data-lampu="{lampu.value}" '
                        f'title="{lampu_judul[lampu]}">' for lampu in Lampu}
    judul = _("realisasi %(realisasi)s dari target %(target)s")
    tidak = escape(_("tidak diturunkan"))
    belum_ada_pk = fixed_text(_("belum ada PK"))
    tanpa_pk = f'<span class="text-muted small">{belum_ada_pk}</span>'
    status_html = {s: f'<span class="badge badge-{status_badge_class(s)}">{escape(status_label(s))}</span>'
                   for s in Status}
    kolom = [(k.kunci, escape(k.kunci)) for k in m.kolom]
    # A province's cells repeat a few dozen texts (capaian, realisation of target): each
    # escaped once per page.
    teks_html: dict[str, Markup] = {}
    judul_html: dict[tuple[str, str], Markup] = {}
    rows = {}
    contoh = url_for(".dasbor", kode=_KODE_CONTOH, tahun=tahun)
    for b in m.baris:
        link = _tautan_satker(contoh, b.satker.kode, tahun)
        awal = f'<td class="text-center" data-testid="sel-{escape(b.satker.kode)}-'
        cells = [f'<th scope="row"><a href="{link}">{escape(b.satker.nama)}</a></th>\n      '
                 f'<td>{status_html[b.status] if b.status else tanpa_pk}</td>\n      ', laporan[b.satker.kode]]
        sel = b.sel
        for kunci, kunci_html in kolom:
            h = sel.get(kunci)
            if h is None:
                isi = f'<a class="text-muted small" href="{link}">{tidak}</a>'
            else:
                mentah = h.capaian.teks
                teks = teks_html.get(mentah)
                if teks is None:
                    teks = teks_html[mentah] = escape(mentah)
                if h.lampu is Lampu.ABU:
                    isi = (f'<a class="text-muted" href="{link}" title="{teks}"><span aria-hidden="true">–</span>'
                           f'<span class="sr-only">{teks}</span></a>')
                else:
                    kunci_judul = (h.realisasi_teks, h.target_teks)
                    judul_sel = judul_html.get(kunci_judul)
                    if judul_sel is None:
                        judul_sel = judul_html[kunci_judul] = escape(
                            judul % {"realisasi": kunci_judul[0], "target": kunci_judul[1]})
                    isi = f'<a href="{link}" title="{judul_sel}">{lampu_sel[h.lampu]}{teks}</span></a>'
            cells.append(f'{awal}{kunci_html}">{isi}</td>')
        rows[b.satker.kode] = Markup("".join(cells))
    return rows


def _boleh_isi_kantor(d: dashboard.DasborKantor) -> set[int]:
    """The PKs for which to offer 'Isi realisasi' (for the PK, or the RAK that carries it
    out), on the documents ``dasbor_kantor`` loaded: none is loaded again."""
    user = current_user._get_current_object()
    per_jenis = {x.jenis: x.objek for x in d.dokumen}
    boleh = set()
    for bagian in d.pk:
        if bagian.dokumen is None:
            continue
        pk = bagian.dokumen.objek
        rak = per_jenis.get(pk.jenis.dirinci)
        if policy.boleh_isi_realisasi(user, pk) or (rak is not None and policy.boleh_isi_realisasi(user, rak)):
            boleh.add(pk.id)
    return boleh


_ENKODER: dict[tuple[bool, bool], json.JSONEncoder] = {}


def _tojson():
    """The ``tojson`` filter's ``dumps`` for the charts' data (lists of numbers, texts and
    nulls: the app's JSON provider's ``default`` is never asked), with the provider's
    settings but its encoder built once: building one per chart cost as much as encoding."""
    provider = current_app.json
    kunci = (provider.ensure_ascii, provider.sort_keys)
    enkoder = _ENKODER.get(kunci) or _ENKODER.setdefault(kunci, json.JSONEncoder(ensure_ascii=kunci[0], sort_keys=kunci[1]))
    return enkoder.encode


def _tabel_indikator(indikator: list, periode: list) -> Markup:
    """An office dashboard's PK table rows, built here (as ``_sel_html``): the template's
    per-row lookups, macro calls and translations were most of the page's time. Every
    value put in is escaped, the fixed texts translated once per page; the chart data is
    the ``tojson`` filter's."""
    if not indikator:
        return Markup()
    dumps = _tojson()
    judul = _("Realisasi %(indikator)s per periode")
    belum = fixed_text(_("belum ada realisasi"))
    badge = _lampu_badge()
    cara = {c: escape(c.label) for c in {i.cara for i in indikator}}  # each aggregation's label translated once
    rows, sasaran = [], None
    for n, i in enumerate(indikator):
        if n == 0 or i.sasaran != sasaran:
            rows.append(f'<tr class="table-light"><th colspan="5" class="font-weight-normal small">'
                        f'{escape(i.sasaran)}</th></tr>')
        sasaran = i.sasaran
        if i.pakai_kode:
            bulan = "".join(f"{escape(p.singkat)}: {escape(teks)} " for p in periode if (teks := i.teks_bulan(p.bulan)))
            kosong = "" if i.bulanan else f'<span class="text-muted">{belum}</span>'
            grafik = f"<small>{bulan}\n{kosong}</small>"
        else:
            seri = htmlsafe_json_dumps(i.seri(periode), dumps=dumps)
            grafik = (f'<div class="grafik"><canvas class="sakip-chart" role="img" '
                      f'aria-label="{fixed_text(judul, indikator=i.uraian)}" '
                      f"width=\"320\" height=\"120\" data-chart='{seri}'></canvas></div>")
        rows.append(f'<tr data-testid="ind-{escape(i.kunci)}">'
                    f'<td>{escape(i.uraian)}<br><small class="text-muted">{cara[i.cara]}</small></td>'
                    f'<td class="text-right text-nowrap">{escape(i.target_teks)}</td>'
                    f'<td class="text-right text-nowrap" data-testid="realisasi">{escape(i.realisasi_teks)}</td>'
                    f'<td class="text-right" data-testid="capaian">{badge[i.lampu]}{escape(i.capaian.teks)}</span></td>'
                    f'<td>{grafik}</td></tr>')
    return Markup("\n".join(rows))


def _rak_of(pk: Dokumen) -> Dokumen | None:
    jenis = pk.jenis.dirinci
    return operations.cari_dokumen(db.session, pk.satker, pk.tahun, jenis) if jenis else None


# -- the realisation entry page ------------------------------------------------------------------

def _cell_keys(prefix: str, kunci: str, bulan: int) -> str:
    return f"{prefix}-{kunci}-{bulan}"


_PREFIX_SEL = {"nilai": "r", "bukti": "b", "jumlah": "a"}


def _sel_salah(masalah: list[str]) -> dict[str, str]:
    """{cell name: its problem without its place} for the problems that name a cell."""
    return {_cell_keys(_PREFIX_SEL[m.sel[0]], m.sel[1], m.sel[2]): m.pesan
            for m in masalah if isinstance(m, realisasi_ops.MasalahSel)}


def _tanda_salah(nama: str, salah: dict[str, str]) -> tuple[str, str, str]:
    """(the cell's extra class, the input's extra attributes, the message after it) for a
    cell with a problem: a red border, aria-invalid, and the message beside the cell."""
    if nama not in salah:
        return "", "", ""
    pesan_id = escape(f"salah-{nama}")
    return (" sel-salah", f' aria-invalid="true" aria-describedby="{pesan_id}"',
            f'<div class="pesan-sel" id="{pesan_id}" data-testid="pesan-sel">{escape(salah[nama])}</div>')


def _render_realisasi(pk: Dokumen | None, rak: Dokumen | None, *, error: WorkflowError | None = None,
                      typed: dict | None = None, status: int = 200, versi: dict | None = None,
                      salah: dict[str, str] | None = None):
    anchor = pk or rak
    user = current_user._get_current_object()
    typed = typed or {}
    bentuk = queries.bentuk_jadwal_kantor(db.session, anchor.satker, anchor.tahun)
    periode = realisasi_ops.periode(bentuk)
    indikator = dashboard.realisasi_pk(db.session, pk) if pk else []
    baris = dashboard.anggaran_rak(db.session, rak) if rak else []
    boleh_indikator = _boleh_per_pelaksana(user, pk, indikator)
    boleh_baris = _boleh_per_pelaksana(user, rak, baris)
    alasan = None
    if pk is not None and not boleh_indikator:
        alasan = policy.isi_realisasi(user, pk, None).alasan
    total_rencana, total_realisasi = sum(b.biaya or 0 for b in baris), sum(b.realisasi or 0 for b in baris)
    laporan = pelaporan_queries.ringkasan_periode(db.session, pk) if pk is not None and pk.status in _DITANDATANGANI else []
    terkunci = frozenset(r.periode.bulan for r in laporan if r.terkunci)
    context = dict(
        pk=pk, rak=rak, dokumen=anchor, periode=periode, bentuk=bentuk, indikator=indikator, baris=baris,
        boleh_indikator=boleh_indikator, boleh_baris=boleh_baris, alasan=alasan,
        alasan_rak=(policy.isi_realisasi(user, rak, None).alasan if rak and not boleh_baris else None),
        error=error, typed=typed,
        versi=versi or {"pk": pk.versi if pk else None, "rak": rak.versi if rak else None},
        total_rencana=total_rencana, total_realisasi=total_realisasi,
        serapan=realisasi_ops.persen_serapan(total_rencana, total_realisasi),
        laporan=laporan, terkunci=terkunci, **_kepala_periode(periode, terkunci),
        grid_indikator=_grid(indikator, periode, boleh_indikator, _KisiIndikator(typed, salah or {}, _TautanBukti(pk)),
                             terkunci),
        grid_anggaran=_grid(baris, periode, boleh_baris, _KisiAnggaran(typed, salah or {}, _TautanBukti(rak))),
    )
    return render_template("dashboards/realisasi.html", **context, **makro("pelaporan/_status.html", "daftar_periode")), status


def _kepala_periode(periode: list, terkunci: frozenset[int]) -> dict[str, Markup]:
    """The grids' period headings: the RAK's, and the PK's with the verified periods noted."""
    catatan = fixed_text(_("terkunci: diverifikasi"))
    awal = [(p.bulan, f'<th scope="col" class="text-center small" title="{escape(p.nama)}">{escape(p.singkat)}')
            for p in periode]
    return {"kepala_periode": Markup("".join(f"{a}</th>" for _b, a in awal)),
            "kepala_periode_pk": Markup("".join(
                f'{a}<span class="d-block font-weight-normal text-muted catatan-kunci" data-testid="terkunci-{b}">'
                f'{catatan}</span></th>' if b in terkunci else f"{a}</th>" for b, a in awal))}


def _boleh_per_pelaksana(user, dokumen: Dokumen | None, rows) -> set[str]:
    """The keys of the rows ``user`` may enter: asked once per pelaksana, not per row."""
    if dokumen is None:
        return set()
    boleh: dict[str | None, bool] = {}
    for r in rows:
        if r.pelaksana not in boleh:
            boleh[r.pelaksana] = bool(policy.isi_realisasi(user, dokumen, r.pelaksana))
    return {r.kunci for r in rows if boleh[r.pelaksana]}


def _lampu_badge() -> dict[Lampu, str]:
    """Each light's badge up to its text (the capaian and ``</span>`` follow), translated once."""
    judul = _("Lampu %(warna)s")
    return {lampu: (f'<span class="badge badge-{LAMPU_CSS[lampu]}" data-lampu="{lampu.value}" '
                    f'title="{fixed_text(judul, warna=lampu_label(lampu))}">') for lampu in Lampu}


_DITANDATANGANI = (Status.SIGNED, Status.REVIEWED)


def _grid(rows: list, periode: list, boleh: set[str], kisi, terkunci: frozenset[int] = frozenset()) -> Markup:
    """A realisation grid's rows, built here rather than in the template (as ``_sel_html``):
    twelve cells per row were most of the page's time. Each row: its heading cells, a cell
    per period (inputs in the rows ``boleh`` lets the user enter, the values elsewhere),
    then what they add up to. Every value put in is escaped; ``kisi`` (``_KisiIndikator``,
    ``_KisiAnggaran``) translates its fixed texts once per page. Names are ``_cell_keys``'s,
    escaped piecewise (the prefixes and months need no escaping). The months of a verified
    period (``terkunci``) show their value with a note instead of an input: nothing there
    can be saved until the period is opened for correction."""
    nama = [(p.bulan, escape(p.nama)) for p in periode]
    out = []
    for r in rows:
        kunci = escape(r.kunci)
        if r.kunci in boleh:
            sel = "".join(kisi.terkunci(r, bulan) if bulan in terkunci else kisi.isian(r, kunci, bulan, nama_p)
                          for bulan, nama_p in nama)
        else:
            sel = "".join(kisi.nilai(r, bulan) for bulan, _nama_p in nama)
        out.append(kisi.kepala(r, kunci) + sel + kisi.ekor(r))
    return Markup("\n".join(out))


class _TautanBukti:
    """Each cell's "Bukti (n)" link to the page of that cell's files (webapp/bukti.py),
    the counts of a document read in one query."""

    def __init__(self, dokumen: Dokumen | None):
        self.jumlah = bukti_queries.jumlah_per_sel(db.session, dokumen.id) if dokumen else {}
        self.url = url_for("bukti.daftar", dokumen_id=dokumen.id) if dokumen else ""
        self.teks = fixed_text(_("Bukti"))
        # Each row's link up to the month, twice (a row has twelve cells): its key escaped once.
        self._awal: dict[str, tuple[str, str]] = {}

    def __call__(self, kunci: str, bulan: int) -> str:
        n = self.jumlah.get((kunci, bulan), 0) if self.jumlah else 0
        href, testid = self._awal.get(kunci) or self._siapkan(kunci)
        return (f'<br><a class="{"tautan-bukti" if n else "tautan-bukti text-muted"}{href}{bulan}{testid}{bulan}">'
                f'{self.teks} ({n})</a>')

    def _siapkan(self, kunci: str) -> tuple[str, str]:
        k = escape(quote(kunci))
        awal = self._awal[kunci] = (f'" href="{self.url}?kunci={k}&amp;periode=', f'" data-testid="bukti-{k}-')
        return awal


class _KisiIndikator:
    """The PK grid's cells: a realisation and its evidence per period, then the realisation
    to date and the capaian with its light."""

    def __init__(self, typed: dict, salah: dict[str, str], tautan: _TautanBukti):
        self.bukti, self.tautan = fixed_text(_("bukti")), tautan
        self.judul_bukti = _("Bukti %(indikator)s, %(periode)s")
        self.judul_kunci = fixed_text(_("Periode ini sudah diverifikasi; untuk mengubahnya, buka koreksi di halaman "
                                        "laporan periodenya."))
        self.badge = _lampu_badge()
        self.typed, self.salah = typed, salah
        self._cara: dict = {}  # each aggregation's label translated once

    def kepala(self, i, kunci: str) -> str:
        pelaksana = f" · {escape(pelaksana_label(i.pelaksana))}" if i.pelaksana else ""
        cara = self._cara.get(i.cara) or self._cara.setdefault(i.cara, escape(i.cara.label))
        return (f'<tr data-testid="ind-{kunci}"><th scope="row" class="font-weight-normal small">{escape(i.uraian)}<br>'
                f'<span class="text-muted">{cara}{pelaksana}</span></th>'
                f'<td class="text-right text-nowrap small">{escape(i.target_teks)}</td>')

    def isian(self, i, kunci: str, bulan: int, nama_p: str) -> str:
        """A realisation and its evidence, as typed (kept after a refusal) or as saved."""
        uraian = escape(i.uraian)
        rk, bk = _cell_keys("r", i.kunci, bulan), _cell_keys("b", i.kunci, bulan)
        entri = i.bulanan.get(bulan)
        nilai = self.typed[rk] if rk in self.typed else i.teks_bulan(bulan)
        isi_bukti = self.typed[bk] if bk in self.typed else (entri.bukti if entri and entri.bukti else "")
        aria_bukti = self.judul_bukti % {"indikator": uraian, "periode": nama_p}  # = fixed_text(), values escaped
        kelas_r, attr_r, pesan_r = _tanda_salah(rk, self.salah)
        kelas_b, attr_b, pesan_b = _tanda_salah(bk, self.salah)
        return (f'<td class="small{kelas_r or kelas_b}"><input name="r-{kunci}-{bulan}" id="r-{kunci}-{bulan}" '
                f'size="7" value="{escape(nilai)}" aria-label="{uraian}, {nama_p}"{attr_r}><br><input class="mt-1 small" '
                f'name="b-{kunci}-{bulan}" size="7" placeholder="{self.bukti}" value="{escape(isi_bukti)}" '
                f'aria-label="{aria_bukti}"{attr_b}>{self.tautan(i.kunci, bulan)}{pesan_r}{pesan_b}</td>')

    def nilai(self, i, bulan: int) -> str:
        entri = i.bulanan.get(bulan)
        if entri is None:  # i.teks_bulan(bulan) is empty
            return f'<td class="small">{self.tautan(i.kunci, bulan)}</td>'
        tanda = f'<br><span class="text-muted" title="{escape(entri.bukti)}">{self.bukti}</span>' if entri.bukti else ""
        teks = escape(realisasi_ops.tulis_nilai(i.jenis, i.satuan, entri.nilai, entri.kode))  # = i.teks_bulan(bulan)
        return f'<td class="small">{teks}{tanda}{self.tautan(i.kunci, bulan)}</td>'

    def terkunci(self, i, bulan: int) -> str:
        """A verified period's value, read-only (its column's heading says why)."""
        return self.nilai(i, bulan).replace('<td class="small">', f'<td class="small sel-terkunci" data-testid="terkunci" '
                                            f'title="{self.judul_kunci}">', 1)

    def ekor(self, i) -> str:
        return (f'<td class="text-right text-nowrap" data-testid="realisasi">{escape(i.realisasi_teks)}</td>'
                f'<td class="text-right" data-testid="capaian">{self.badge[i.lampu]}{escape(i.capaian.teks)}</span>'
                f'</td></tr>')


class _KisiAnggaran:
    """The RAK grid's cells: the money spent per period, then its total and the share of the cost."""

    def __init__(self, typed: dict, salah: dict[str, str], tautan: _TautanBukti):
        self.judul = _("Realisasi anggaran baris %(no)s, %(periode)s")
        self.typed, self.salah, self.tautan = typed, salah, tautan

    def kepala(self, b, kunci: str) -> str:
        pelaksana = (f'<br><span class="text-muted">{escape(pelaksana_label(b.pelaksana))}</span>'
                     if b.pelaksana else "")
        return (f'<tr data-testid="baris-{kunci}">'
                f'<th scope="row" class="font-weight-normal small">{escape(b.urutan)}. {escape(b.indikator)}{pelaksana}</th>'
                f'<td class="small text-nowrap">{escape(b.kode_output or "-")}</td>'
                f'<td class="text-right text-nowrap small">{escape(rupiah(b.biaya))}</td>')

    def isian(self, b, kunci: str, bulan: int, nama_p: str) -> str:
        """The money spent, as typed (kept after a refusal) or as saved."""
        no = escape(b.urutan)
        ak = _cell_keys("a", b.kunci, bulan)
        nilai = self.typed[ak] if ak in self.typed else (rupiah(b.bulanan[bulan]) if bulan in b.bulanan else "")
        aria = self.judul % {"no": no, "periode": nama_p}  # = fixed_text(), values escaped
        kelas, attr, pesan = _tanda_salah(ak, self.salah)
        return (f'<td class="small{kelas}"><input name="a-{kunci}-{bulan}" size="12" aria-label="{aria}" '
                f'value="{escape(nilai)}"{attr}>{self.tautan(b.kunci, bulan)}{pesan}</td>')

    def nilai(self, b, bulan: int) -> str:
        nilai = escape(rupiah(b.bulanan[bulan])) if bulan in b.bulanan else ""
        return f'<td class="small">{nilai}{self.tautan(b.kunci, bulan)}</td>'

    def ekor(self, b) -> str:
        return (f'<td class="text-right text-nowrap small">{escape(rupiah(b.realisasi))}</td>'
                f'<td class="text-right small">{escape(b.serapan.teks)}</td></tr>')


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

    isian, isian_anggaran = _isian_form(dokumen, pk, rak)
    versi_pk, versi_rak = _versi_form("versi"), _versi_form("versi_rak")
    # Every save says which versions it was typed on; without them there is no save.
    if (isian and versi_pk is None) or (isian_anggaran and versi_rak is None):
        abort(400)
    typed = {k: v for k, v in request.form.items() if k[:2] in ("r-", "b-", "a-")}
    salah: dict[str, str] = {}
    try:
        with saving():
            _simpan_semua([(realisasi_ops.simpan_realisasi, pk, isian, versi_pk),
                          (realisasi_ops.simpan_realisasi_anggaran, rak, isian_anggaran, versi_rak)], salah)
    except WorkflowError as exc:
        pk = dokumen_or_404(pk.id) if pk else None
        rak = dokumen_or_404(rak.id) if rak else None
        versi = None
        if not isinstance(exc, Konflik):
            # Keep the versions the page was typed on: a later save still checks them.
            versi = {"pk": versi_pk if versi_pk is not None else (pk.versi if pk else None),
                     "rak": versi_rak if versi_rak is not None else (rak.versi if rak else None)}
        return _render_realisasi(pk, rak, error=exc, typed=typed, status=exc.status, versi=versi, salah=salah)
    flash(_("Realisasi disimpan."), "success")
    return redirect(url_for(".realisasi", dokumen_id=dokumen_id))


def _isian_form(dokumen: Dokumen, pk: Dokumen | None, rak: Dokumen | None) -> tuple[list[Isian], list[IsianAnggaran]]:
    """The cells the form posted, of the rows and periods the grids have (others are ignored)."""
    bentuk = queries.bentuk_jadwal_kantor(db.session, dokumen.satker, dokumen.tahun)
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
    return isian, isian_anggaran


def _simpan_semua(kisi: list, salah: dict[str, str]) -> None:
    """Save both grids, all or nothing: the problems of both are listed together, and each
    cell with one is put in ``salah`` (its name: the problem) for the page to mark."""
    masalah: list[str] = []
    for simpan, dokumen, isian, versi in kisi:
        if not isian:
            continue
        try:
            simpan(db.session, dokumen, current_user, isian, versi=versi)
        except IsiTidakValid as exc:
            masalah += exc.masalah
            salah |= _sel_salah(exc.masalah)
    if masalah:
        raise IsiTidakValid(_("Tidak ada yang disimpan: %(n)s isian perlu diperbaiki.", n=len(masalah)), masalah)


@bp.app_template_global()
def status_dokumen_label(status: Status | None) -> str:
    return status_label(status) if status else _("belum ada PK")
