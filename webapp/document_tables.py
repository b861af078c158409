"""The document page's long tables, their rows built as HTML here rather than in Jinja.

A RAK of 40 rows cost half of its page's time in the template: per row a macro for the
target, the schedule cells, the budget and unit filters, a permission callback, three
``url_for``, two forms each asking for the CSRF token and four translations. Here the
fixed texts are translated once per page, the CSRF token is asked for once, each URL is
built once per page with a placeholder for the row's key, and what repeats among rows
(targets, schedules, amounts, units, permissions by unit) is worked out once per value.
Every value put in is escaped. The HTML is, character for character, the one the Jinja
loops of ``templates/documents/_content.html`` and ``detail.html`` wrote before.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from flask import current_app, request, url_for
from flask_babel import get_locale, gettext as _
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from webapp.common import aksi_label, pelaksana_label, status_label
from webapp.markup import fixed_text
from workflow import schedule
from workflow.target import Polaritas, tulis_target

# Keys that URL building leaves as they are (unreserved characters): only these go in
# where the placeholder stood; any other key is built by url_for itself.
_AS_IS = re.compile(r"[0-9A-Za-z_.~-]+\Z")
_MARK = "KUNCI{}PENANDA"


# A document id no route holds: the URL is built once per endpoint with it, then the real id put in.
_CONTOH_ID = 918273645
_POLA: dict = {}  # (url map, script root, endpoint, keys) -> (parts, fast), for _CONTOH_ID


def _pola(endpoint: str, keys: tuple) -> tuple[list[str], bool]:
    kunci = (id(current_app.url_map), request.script_root, endpoint, keys)
    found = _POLA.get(kunci)
    if found is None:
        try:
            url = url_for(endpoint, dokumen_id=_CONTOH_ID, **{k: _MARK.format(n) for n, k in enumerate(keys)})
        except ValueError:  # a key the route takes as a number: built by url_for each time
            found = _POLA[kunci] = ([], False)
            return found
        order = [int(n) for n in re.findall(r"KUNCI(\d+)PENANDA", url)]
        found = _POLA[kunci] = (re.split(r"KUNCI\d+PENANDA", url),
                                len(order) == len(keys) and order == sorted(order) and url.count(str(_CONTOH_ID)) == 1)
    return found


class _Url:
    """An endpoint's URL for one document, with the row keys put in after: built once per
    endpoint and process (``_pola``), the document's id put in per page."""

    def __init__(self, endpoint: str, dokumen_id: int, *keys: str):
        self.endpoint, self.dokumen_id, self.keys = endpoint, dokumen_id, keys
        parts, self.fast = _pola(endpoint, keys)
        if self.fast:
            contoh, nyata = str(_CONTOH_ID), str(int(dokumen_id))
            self.parts = [part.replace(contoh, nyata) for part in parts]

    def __call__(self, *values: str) -> str:
        """The URL, escaped for an attribute."""
        if self.fast and all(isinstance(v, str) and _AS_IS.match(v) for v in values):
            out = [self.parts[0]]
            for value, part in zip(values, self.parts[1:]):
                out.append(value)
                out.append(part)
            return escape("".join(out))
        return escape(url_for(self.endpoint, dokumen_id=self.dokumen_id, **dict(zip(self.keys, values))))


def url_dokumen(endpoint: str, dokumen_id: int, **values) -> Markup:
    """``url_for(endpoint, dokumen_id=..., **values)`` for the document page's links, escaped
    as Jinja would, built once per endpoint (``_pola``) rather than per page."""
    teks = [str(v) if type(v) is int else v for v in values.values()]
    return _Url(endpoint, dokumen_id, *values)(*teks)


class _Teks:
    """The fixed parts of the rows' actions, translated once per language and process
    (``_teks_tetap``), with the page's CSRF token and version."""

    def __init__(self, versi):
        (self.ubah, self.naik, self.turun, self.hapus_baris, self.hapus_sasaran,
         self.hapus_indikator) = _teks_tetap(str(get_locale()))
        self.hidden = (f'<input type="hidden" name="csrf_token" value="{escape(generate_csrf())}">'
                       f'<input type="hidden" name="versi" value="{escape(versi)}">')


_TEKS_TETAP: dict = {}  # language -> the texts of _Teks (the catalogues are read once, at start)


def _teks_tetap(bahasa: str) -> tuple:
    found = _TEKS_TETAP.get(bahasa)
    if found is None:
        # Each _() on its own, outside f-strings, where Babel's extractor finds it.
        ubah = fixed_text(_("ubah"))
        naikkan, turunkan, hapus = fixed_text(_("Naikkan")), fixed_text(_("Turunkan")), fixed_text(_("hapus"))
        naik = f'<button class="btn btn-link btn-sm p-0" name="arah" value="-1" type="submit" title="{naikkan}">&uarr;</button>'
        turun = f'<button class="btn btn-link btn-sm p-0" name="arah" value="1" type="submit" title="{turunkan}">&darr;</button>'
        # Asked before the delete (webapp/static/konfirmasi.js): a draft's rows have no undo.
        found = _TEKS_TETAP[bahasa] = (
            ubah, naik, turun, _hapus(hapus, _("Hapus baris ini dari RAK?")),
            _hapus(hapus, _("Hapus sasaran ini beserta semua indikatornya?")), _hapus(hapus, _("Hapus indikator ini?")))
    return found


def _hapus(label: str, pertanyaan: str) -> str:
    return (f'<button class="btn btn-link btn-sm p-0 text-danger" type="submit" '
            f'data-sakip-confirm="{escape(pertanyaan)}">{label}</button>')


def _target_cell(cache: dict, row) -> str:
    """``target_cell``: the target as written, and an arrow when lower is better."""
    key = (row.jenis_target, None if row.target_nilai is None else str(row.target_nilai),
           row.target_kode, row.satuan, row.polaritas)
    html = cache.get(key)
    if html is None:
        html = str(escape(tulis_target(row.jenis_target, row.target_nilai, row.target_kode, row.satuan) or "-"))
        if row.polaritas is not None and row.polaritas.value == Polaritas.TURUN.value:
            html += f' <span class="badge badge-light" title="{escape(row.polaritas.label)}">&darr;</span>'
        cache[key] = html
    return html


@lru_cache(maxsize=4096)
def _jadwal_cells(jadwal: str, bentuk: schedule.BentukJadwal) -> str:
    """The schedule cells of a row: the same for every page that shows them."""
    return "".join('<td class="text-center px-1">v</td>' if on else '<td class="text-center px-1">-</td>'
                   for on in schedule.sel(jadwal, bentuk))


def _forms(teks: _Teks, geser: str | None, hapus: str, tombol_hapus: str) -> str:
    """``row_actions``: move up and down (when ``geser`` is given), and delete."""
    out = ""
    if geser is not None:
        out = (f'\n<form class="d-inline" method="post" action="{geser}">\n  {teks.hidden}\n'
               f'  {teks.naik}\n  {teks.turun}\n</form>\n')
    return f'{out}\n<form class="d-inline" method="post" action="{hapus}">\n  {teks.hidden}\n  {tombol_hapus}\n</form>'


def rak_rows(dokumen, baris, bentuk: schedule.BentukJadwal, edit_all: bool,
             bisa_baris: Callable[[object], bool], versi) -> Markup:
    """The body of ``rak_table``: one ``<tr>`` per row, with its actions where
    ``bisa_baris(row)`` allows them."""

    teks = _Teks(versi)
    urls = None  # built at the first row with actions: a reader's page has none
    rupiah = current_app.jinja_env.filters["rupiah"]
    targets: dict = {}
    amounts: dict = {}
    units: dict = {}
    out = []
    for no, b in enumerate(baris, start=1):
        kunci = b.kunci
        kegiatan = "".join(f"<li>{escape(k.uraian)}</li>" for k in b.kegiatan)
        kode = f"<code>{escape(b.kode_output)}</code>" if b.kode_output else ""
        sel = _jadwal_cells(b.jadwal, bentuk)
        biaya = b.biaya
        if biaya is None:
            jumlah = "-"
        elif (jumlah := amounts.get(biaya)) is None:
            jumlah = amounts[biaya] = escape(rupiah(biaya))
        unit = units.get(b.pelaksana)
        if unit is None:
            unit = units[b.pelaksana] = escape(pelaksana_label(b.pelaksana, dokumen.jenis))
        if bisa_baris(b):
            if urls is None:
                urls = ubah_url, geser_url, hapus_url = (
                    _Url("editors.baris", dokumen.id, "kunci"), _Url("editors.geser", dokumen.id, "kunci"),
                    _Url("editors.hapus_baris", dokumen.id, "kunci"))
            aksi = (f'\n        <a href="{ubah_url(kunci)}">{teks.ubah}</a>\n        '
                    f'{_forms(teks, geser_url(kunci) if edit_all else None, hapus_url(kunci), teks.hapus_baris)}\n      ')
        else:
            aksi = ""
        out.append(
            f'\n    <tr data-testid="baris-{no}" data-kunci="{escape(kunci)}">\n'
            f'      <td>{no}</td><td>{escape(b.sasaran)}</td><td>{escape(b.indikator)}</td><td>{_target_cell(targets, b)}</td>\n'
            f'      <td><ul class="pl-3 mb-0">{kegiatan}</ul>\n        {kode}</td>\n'
            f'      {sel}\n'
            f'      <td class="text-right text-nowrap">{jumlah}</td>\n'
            f'      <td>{unit}</td>\n'
            f'      <td class="text-nowrap">{aksi}</td>\n    </tr>\n  ')
    return Markup("\n  " + "".join(out) + "\n  ")


def indikator_rows(dokumen, revisi, edit_all: bool, versi) -> Markup:
    """The body of ``indikator_table``: each sasaran with its indikator (one row each,
    or an empty one), and the editing links when ``edit_all``."""
    halaman = _HalamanIndikator(dokumen, edit_all, versi)
    out = []
    for no, s in enumerate(revisi.sasaran, start=1):
        indikator = s.indikator
        n = len(indikator) or 1
        out.append("\n    \n    ")
        for first, i in zip((True, *([False] * (n - 1))), indikator or [None]):
            out.append(halaman.baris(no, s, n, first, i))
        out.append("\n  ")
    return Markup("\n  " + "".join(out) + "\n  ")


_TEKS_INDIKATOR: dict = {}  # language -> the fixed texts of an indikator table


def _teks_indikator(bahasa: str) -> tuple:
    found = _TEKS_INDIKATOR.get(bahasa)
    if found is None:
        found = _TEKS_INDIKATOR[bahasa] = (
            fixed_text(_("Pelaksana")), fixed_text(_("ubah sasaran")), fixed_text(_("tambah indikator")))
    return found


class _HalamanIndikator:
    """What every row of an indikator table shares, worked out once per page: the fixed
    texts, the URLs with a placeholder for the keys, the targets written so far."""

    def __init__(self, dokumen, edit_all: bool, versi):
        self.pelaksana_label = pelaksana_label
        self.agregasi = current_app.jinja_env.filters["agregasi"]
        self.targets: dict = {}
        self.pelaksana_teks, self.ubah_sasaran, self.tambah_indikator = _teks_indikator(str(get_locale()))
        self.edit_all = edit_all
        if edit_all:
            self.teks = _Teks(versi)
            self.sasaran_url = _Url("editors.sasaran", dokumen.id, "kunci")
            self.indikator_baru_url = _Url("editors.indikator", dokumen.id, "sasaran_kunci")
            self.geser_sasaran_url = _Url("editors.geser", dokumen.id, "kunci")
            self.hapus_sasaran_url = _Url("editors.hapus_sasaran", dokumen.id, "kunci")
            self.indikator_url = _Url("editors.indikator", dokumen.id, "sasaran_kunci", "kunci")
            self.geser_url = _Url("editors.geser", dokumen.id, "sasaran_kunci", "kunci")
            self.hapus_url = _Url("editors.hapus_indikator", dokumen.id, "sasaran_kunci", "kunci")

    def baris(self, no: int, s, n: int, first: bool, i) -> str:
        """One ``<tr>``: the sasaran's cells on its first row, the indikator (or empty cells), the actions."""
        row = ["\n    <tr>\n      "]
        if first:
            row.append(self._sasaran(no, s, n))
        if i is None:
            row.append('\n      <td></td>\n      <td></td>\n      ')
        else:
            row.append(f"\n      <td>{self._uraian(i)}</td>\n      <td>{_target_cell(self.targets, i)}</td>\n      ")
        if self.edit_all:
            row.append(f'<td class="small">{self._aksi(s, i)}</td>')
        row.append("\n    </tr>\n    ")
        return "".join(row)

    def _sasaran(self, no: int, s, n: int) -> str:
        tujuan = f'<div class="small text-muted">{escape(s.tujuan)}</div>' if s.tujuan else ""
        html = f'\n        <td rowspan="{n}">{no}</td>\n        <td rowspan="{n}">{tujuan}{escape(s.uraian)}\n          '
        if self.edit_all:
            forms = _forms(self.teks, self.geser_sasaran_url(s.kunci), self.hapus_sasaran_url(s.kunci),
                           self.teks.hapus_sasaran)
            html += (f'<div class="small mt-1">\n'
                     f'            <a href="{self.sasaran_url(s.kunci)}">{self.ubah_sasaran}</a> ·\n'
                     f'            <a href="{self.indikator_baru_url(s.kunci)}">{self.tambah_indikator}</a>\n'
                     f'            {forms}\n'
                     f'          </div>')
        return html + "\n        </td>\n      "

    def _uraian(self, i) -> str:
        """The indikator, and who carries it out and how its periods add up, when set."""
        uraian = str(escape(i.uraian))
        if i.pelaksana or i.cara_agregasi:
            uraian += '<div class="small text-muted" data-testid="indikator-realisasi">'
            if i.pelaksana:
                uraian += f"{self.pelaksana_teks}: {escape(self.pelaksana_label(i.pelaksana))}"
            if i.pelaksana and i.cara_agregasi:
                uraian += " · "
            uraian += f"{escape(self.agregasi(i.cara_agregasi))}</div>"
        return uraian

    def _aksi(self, s, i) -> str:
        if i is None:
            return ""
        teks = self.teks
        return (f'\n        <a href="{self.indikator_url(s.kunci, i.kunci)}">{teks.ubah}</a>\n'
                f'        <form class="d-inline" method="post" action="{self.geser_url(s.kunci, i.kunci)}">\n'
                f'          {teks.hidden}\n          {teks.naik}\n          {teks.turun}\n        </form>\n'
                f'        <form class="d-inline" method="post" action="{self.hapus_url(s.kunci, i.kunci)}">\n'
                f'          {teks.hidden}\n          {teks.hapus_indikator}\n        </form>')


def riwayat_rows(history) -> Markup:
    """The rows of the history table: when, who, as what, which action in which
    revision, the status change and the reason; labels worked out once per value."""

    waktu = current_app.jinja_env.filters["waktu"]
    sistem = fixed_text(_("sistem"))
    revisi_ke = _("Revisi ke-%(n)s")
    aksi_teks: dict = {}
    status_teks: dict = {}
    revisi_teks: dict = {}

    def status(value) -> str:
        if value not in status_teks:
            status_teks[value] = escape(status_label(value))
        return status_teks[value]

    out = []
    for e in history:
        if (aksi := aksi_teks.get(e.aksi)) is None:
            aksi = aksi_teks[e.aksi] = escape(aksi_label(e.aksi))
        if (revisi := revisi_teks.get(e.revisi_nomor)) is None:
            revisi = revisi_teks[e.revisi_nomor] = fixed_text(revisi_ke, n=e.revisi_nomor)
        perubahan = f"{status(e.dari)} &rarr; {status(e.ke)}" if e.dari else ""
        out.append(
            f'\n      <tr><td class="text-nowrap">{escape(waktu(e.waktu))}</td><td>{escape(e.username) if e.username else sistem}</td>'
            f'<td>{escape(e.peran or "")}</td>\n'
            f'        <td>{aksi} ({revisi})</td>\n'
            f'        <td>{perubahan}</td><td>{escape(e.alasan or "")}</td></tr>\n    ')
    return Markup("\n    " + "".join(out) + "\n  ")


# The budget summary's cells (``templates/documents/_anggaran.html``), as its macros wrote them.

def anggaran_selisih(value) -> Markup:
    """A difference: "-" when nothing is stated, in red when the rows cost more."""
    if value is None:
        return Markup("-")
    amount = escape(current_app.jinja_env.filters["rupiah"](value))
    return Markup(f'<span class="text-danger">{amount}</span>') if value < 0 else amount


def anggaran_persen(value) -> Markup:
    """A share in %, or "-"."""
    return Markup("-") if value is None else escape(current_app.jinja_env.filters["desimal"](value, "%"))


def anggaran_kode(kode: str) -> Markup:
    """A code, or the words for rows without one."""
    if kode == "tanpa kode":
        tanpa_kode = fixed_text(_("tanpa kode"))  # not inside the f-string, where Babel would not find it
        return Markup(f"<em>{tanpa_kode}</em>")
    return Markup(f"<code>{escape(kode)}</code>")
