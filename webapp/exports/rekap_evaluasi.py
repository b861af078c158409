"""The evaluations' recap as Excel (xlsxwriter): a sheet of offices (total, predikat, score
per component, the years before and the change) and a sheet of the predikat counted per
province. Numbers are numbers (two decimals shown), texts through ``write_string`` (a
name never becomes a formula), as ``webapp/exports/xlsx.py`` writes."""
from __future__ import annotations

import io

import xlsxwriter
from flask_babel import gettext as _

from workflow.evaluasi.rekap import Rekap
from workflow.evaluasi.skor import SEMUA_PREDIKAT

SKOR_FORMAT = "0.00"


def nama_berkas(r: Rekap, provinsi: str | None) -> str:
    return f"rekap-evaluasi-{r.tahun}{'-' + provinsi if provinsi else ''}.xlsx"


def _angka(ws, row: int, col: int, value, fmt) -> None:
    if value is None:
        ws.write_blank(row, col, None, fmt)
    else:
        ws.write_number(row, col, float(value), fmt)


def _teks(ws, row: int, col: int, value: str | None, fmt) -> None:
    ws.write_string(row, col, value or "-", fmt)


def _kantor(wb, r: Rekap, fmt: dict) -> None:
    ws = wb.add_worksheet(_("Rekap"))
    ws.write_string(0, 0, _("Rekapitulasi Evaluasi AKIP %(tahun)s", tahun=r.tahun), fmt["judul"])
    kepala = [_("Kode"), _("Satker"), _("Provinsi"), _("Status"), _("Nilai"), _("Predikat")]
    kepala += [f"{k.kode}. {k.nama}" for k in r.komponen]
    for t in r.tahun_sebelumnya:
        kepala += [_("Nilai %(tahun)s", tahun=t), _("Predikat %(tahun)s", tahun=t)]
    kepala.append(_("Perubahan"))
    for col, text in enumerate(kepala):
        ws.write_string(2, col, text, fmt["kepala"])
    for i, b in enumerate(r.baris, start=3):
        _teks(ws, i, 0, b.satker.kode, fmt["teks"])
        _teks(ws, i, 1, b.satker.nama, fmt["teks"])
        _teks(ws, i, 2, b.provinsi.nama, fmt["teks"])
        _teks(ws, i, 3, b.ini.status.label if b.ini else _("Belum dimulai"), fmt["teks"])
        _angka(ws, i, 4, b.skor, fmt["skor"])
        _teks(ws, i, 5, b.predikat, fmt["teks"])
        col = 6
        for k in r.komponen:
            _angka(ws, i, col, b.komponen.get(k.kode), fmt["skor"])
            col += 1
        for t in r.tahun_sebelumnya:
            lalu = b.sebelumnya.get(t)
            _angka(ws, i, col, lalu.skor_total if lalu else None, fmt["skor"])
            _teks(ws, i, col + 1, lalu.predikat if lalu else None, fmt["teks"])
            col += 2
        _angka(ws, i, col, b.perubahan, fmt["skor"])
    ws.set_column(0, 0, 10)
    ws.set_column(1, 2, 34)
    ws.set_column(3, 3, 26)
    ws.set_column(4, len(kepala) - 1, 12)
    ws.freeze_panes(3, 2)
    if r.baris:
        ws.autofilter(2, 0, 2 + len(r.baris), len(kepala) - 1)


def _distribusi(wb, r: Rekap, fmt: dict) -> None:
    ws = wb.add_worksheet(_("Distribusi predikat"))
    ws.write_string(0, 0, _("Distribusi predikat %(tahun)s", tahun=r.tahun), fmt["judul"])
    kepala = [_("Provinsi"), *SEMUA_PREDIKAT, _("Jumlah final"), _("Belum final")]
    for col, text in enumerate(kepala):
        ws.write_string(2, col, text, fmt["kepala"])
    rows = [*r.distribusi, r.total]
    for i, d in enumerate(rows, start=3):
        tebal = d.provinsi is None
        _teks(ws, i, 0, d.provinsi.nama if d.provinsi else _("Jumlah"), fmt["tebal" if tebal else "teks"])
        for col, p in enumerate(SEMUA_PREDIKAT, start=1):
            ws.write_number(i, col, d.jumlah[p], fmt["jumlah_tebal" if tebal else "jumlah"])
        ws.write_number(i, len(SEMUA_PREDIKAT) + 1, d.final, fmt["jumlah_tebal" if tebal else "jumlah"])
        ws.write_number(i, len(SEMUA_PREDIKAT) + 2, d.belum_final, fmt["jumlah_tebal" if tebal else "jumlah"])
    ws.set_column(0, 0, 34)
    ws.set_column(1, len(kepala) - 1, 11)


def rekap_xlsx(r: Rekap) -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                                   "strings_to_urls": False})
    box = {"border": 1, "valign": "top", "font_name": "Arial", "font_size": 10}
    fmt = {"judul": wb.add_format({"bold": True, "font_size": 12, "font_name": "Arial"}),
           "kepala": wb.add_format({**box, "bold": True, "text_wrap": True, "align": "center", "bg_color": "#D9E1F2"}),
           "teks": wb.add_format({**box, "text_wrap": True}), "tebal": wb.add_format({**box, "bold": True}),
           "skor": wb.add_format({**box, "num_format": SKOR_FORMAT}),
           "jumlah": wb.add_format({**box, "num_format": "0"}),
           "jumlah_tebal": wb.add_format({**box, "num_format": "0", "bold": True})}
    _kantor(wb, r, fmt)
    _distribusi(wb, r, fmt)
    wb.close()
    return out.getvalue()
