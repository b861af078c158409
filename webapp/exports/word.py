"""The Laporan Kinerja as a Word document (.docx), in the layout of its PDF.

The same revision prints the same report as ``templates/pdf/lkj.html``: everything comes
from ``webapp.pdf.konteks`` (the chapters, the computed tables, the signatory, the
verification), only laid out by python-docx instead of WeasyPrint. What Word adds is
what an office does next with the file: the chapter titles are Heading 1 (the navigation
pane and a table of contents find them, sub-headings such as "A. LATAR BELAKANG" are
Heading 2), the tables are real tables whose header rows repeat on every page, a list
pasted into a chapter is a Word list, bold and italic are runs. A draft says DRAF in the
header of every page, as the PDF does; a submitted revision carries its verification code
and hash in the footer and its QR code at the end.
"""
from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from markupsafe import Markup

from tenants.teks import bahasa_asli
from webapp import pdf
from workflow import naskah
from workflow.dokumen.models import Bentuk, Dokumen, Revisi

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HURUF = "Arial"
MERAH = RGBColor(0xC0, 0x00, 0x00)
LEBAR_ISI_MM = 160.0  # A4 less 25 mm margins either side


def nama_berkas(dokumen: Dokumen, revisi: Revisi) -> str:
    """LKj-KPU-Kabupaten-Balangan-2024-rev0.docx: the PDF's name with Word's extension."""
    return pdf.nama_berkas(dokumen, revisi).removesuffix(".pdf") + ".docx"


def dokumen_docx(dokumen: Dokumen, revisi: Revisi) -> bytes:
    """The .docx of one LKj revision (needs an application context, as the PDF does)."""
    if dokumen.jenis.bentuk is not Bentuk.LKJ or revisi.dokumen_id != dokumen.id:
        raise ValueError("hanya Laporan Kinerja yang diekspor ke Word")
    with bahasa_asli():  # printed as the PDF prints it: Indonesian
        ctx = pdf.konteks(dokumen, revisi)
    doc = Document()
    _gaya(doc)
    _halaman(doc, ctx)
    _sampul(doc, ctx)
    _isi(doc, ctx)
    if ctx["verifikasi"]:
        _verifikasi(doc, ctx)
    doc.core_properties.title = f"Laporan Kinerja {ctx['nama_satker']} Tahun {dokumen.tahun}"
    doc.core_properties.author = ctx["nama_satker"]
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _isi(doc, ctx: dict) -> None:
    """The chapters in the PDF's order, each on a new page, with its tables."""
    bab = ctx["bab"]
    _bab(doc, ctx, bab["kata_pengantar"])
    _bab(doc, ctx, bab["ikhtisar"])
    _paragraf(doc, ctx["ringkasan"], tebal=True)
    _daftar_isi(doc, bab)
    _bab(doc, ctx, bab["pendahuluan"])
    _tabel_pegawai(doc, ctx)
    _bab(doc, ctx, bab["perencanaan"])
    for t in ctx["perjanjian"]:
        _tabel_pk(doc, t, kolom_capaian=False)
    _tabel_program(doc, ctx)
    _bab(doc, ctx, bab["akuntabilitas"])
    for t in ctx["capaian"]:
        _tabel_pk(doc, t, kolom_capaian=True)
    if not ctx["capaian"]:
        _paragraf(doc, "(Belum ada Perjanjian Kinerja tahun ini.)")
    _analisis(doc, ctx)
    _banding(doc, ctx)
    _realisasi_anggaran(doc, ctx)
    _bab(doc, ctx, bab["penutup"])
    _tanda_tangan(doc, ctx)


# -- the page, the styles ------------------------------------------------------------------

def _gaya(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = HURUF, Pt(11)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), HURUF)
    normal.paragraph_format.space_after, normal.paragraph_format.line_spacing = Pt(4), 1.15
    for name, size, align in (("Heading 1", 12, WD_ALIGN_PARAGRAPH.CENTER), ("Heading 2", 11, None)):
        style = doc.styles[name]
        style.font.name, style.font.size, style.font.bold = HURUF, Pt(size), True
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:asciiTheme"), "")
        style.paragraph_format.alignment = align
        style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(6), Pt(12 if size == 12 else 4)


def _halaman(doc, ctx: dict) -> None:
    """A4 portrait, the PDF's margins; DRAF above every page of a draft; the footer of the PDF."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin, section.bottom_margin = Mm(20), Mm(22)
    if ctx["draf"]:
        p = section.header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, f"DRAF · {ctx['revisi'].label} · belum diajukan dan belum ditandatangani", tebal=True, warna=MERAH)
    kaki = section.footer.paragraphs[0]
    kaki.alignment = WD_ALIGN_PARAGRAPH.CENTER
    v = ctx["verifikasi"]
    if v:
        _run(kaki, "Kode verifikasi ", ukuran=7)
        _run(kaki, v["kode"], tebal=True, ukuran=7)
        _run(kaki, f" · {ctx['revisi'].label} · keaslian dokumen ini dapat diperiksa di {v['url']}", ukuran=7)
        _run(kaki, "\n", ukuran=7)
        _run(kaki, f"SHA-256 {v['hash']}", ukuran=7)
    else:
        _run(kaki, "DRAF", tebal=True, ukuran=7)
        _run(kaki, f" · {ctx['revisi'].label} · belum diajukan, bukan dokumen resmi", ukuran=7)
    halaman = section.footer.add_paragraph()
    halaman.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(halaman, "Halaman ", ukuran=8)
    _bidang(halaman, "PAGE", "1", ukuran=8)


def _sampul(doc, ctx: dict) -> None:
    for _n in range(6):
        doc.add_paragraph()
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for k, baris in enumerate(ctx["sampul"]):
        if k:
            p.add_run().add_break()
        _run(p, baris, tebal=True, ukuran=20)
    for _n in range(4):
        doc.add_paragraph()
    judul = doc.add_paragraph()
    judul.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(judul, "LAPORAN KINERJA", tebal=True, ukuran=24)
    tahun = doc.add_paragraph()
    tahun.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(tahun, f"Tahun {ctx['dokumen'].tahun}", ukuran=16)


# -- the written chapters -------------------------------------------------------------------

def _bab(doc, ctx: dict, b: pdf.BabCetak) -> None:
    """'BAB I' over 'PENDAHULUAN' as one Heading 1 on a new page, then what was written."""
    heading = doc.add_heading(level=1)
    heading.paragraph_format.page_break_before = True
    if b.nomor:
        heading.add_run(b.nomor).add_break()
    heading.add_run(b.judul)
    if not b.blok:
        _paragraf(doc, "(belum diisi)", indent=True)
    for cetak in b.blok:
        if cetak.subjudul:
            doc.add_heading(naskah.polos_sebaris(cetak.blok.isi[0]), level=2)
        elif cetak.blok.jenis == "p":
            _runs(_paragraf(doc, "", indent=True), cetak.blok.isi[0])
        else:
            _daftar(doc, cetak.blok)


def _daftar(doc, blok: naskah.Blok) -> None:
    """A pasted list as a Word list; each numbered list counts from 1 again."""
    style = "List Number" if blok.jenis == "ol" else "List Bullet"
    num_id = _penomoran_baru(doc, style) if blok.jenis == "ol" else None
    for baris in blok.isi:
        p = doc.add_paragraph(style=style)
        if num_id is not None:
            num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = num_id
        _runs(p, baris)


def _penomoran_baru(doc, style_name: str) -> int:
    numbering = doc.part.numbering_part.numbering_definitions._numbering
    style_num = doc.styles[style_name].element.pPr.numPr.numId.val
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return num.numId


def _daftar_isi(doc, bab: dict) -> None:
    """A table of contents field over the Heading 1 titles; until Word updates it, it lists them."""
    p = doc.add_paragraph()
    p.paragraph_format.page_break_before = True
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, "DAFTAR ISI", tebal=True, ukuran=12)
    judul = [f"{b.nomor} {b.judul}" if b.nomor else b.judul for b in bab.values()]
    toc = doc.add_paragraph()
    _bidang(toc, 'TOC \\o "1-1" \\h \\z \\u', judul[0])
    for teks in judul[1:]:
        doc.add_paragraph(teks)


# -- the computed tables ---------------------------------------------------------------------

def _keterangan(doc, baris: list[str], sub: str | None = None) -> None:
    """A table's caption as the PDF prints it above the table: bold lines, then ``sub`` in plain."""
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = True
    for k, teks in enumerate(baris):
        if k:
            p.add_run().add_break()
        _run(p, teks, tebal=True)
    if sub:
        p.add_run().add_break()
        _run(p, sub)


def _tabel(doc, kepala: list[list[str]], lebar_mm: list[float]):
    """A bordered table whose header rows repeat on every page."""
    table = doc.add_table(rows=0, cols=len(lebar_mm))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _lebar(table, lebar_mm)
    for teks in kepala:
        cells = _baris(table, teks, lebar_mm, tebal=True, tengah=True)
        tr_pr = cells[0]._tc.getparent().get_or_add_trPr()
        tr_pr.append(_elemen("w:tblHeader"))
    return table


def _lebar(table, lebar_mm: list[float]) -> None:
    """Fixed column widths (the grid, which LibreOffice reads, and every cell, which Word reads)."""
    table.autofit = False
    for column, mm in zip(table.columns, lebar_mm):
        column.width = Mm(mm)
        for cell in column.cells:
            cell.width = Mm(mm)


def _baris(table, teks: list[str], lebar_mm: list[float], tebal=False, tengah=False, kanan: set[int] = frozenset()):
    cells = table.add_row().cells
    for k, (cell, isi) in enumerate(zip(cells, teks)):
        cell.width = Mm(lebar_mm[k])
        p = cell.paragraphs[0]
        p.paragraph_format.space_after = Pt(0)
        p.alignment = (WD_ALIGN_PARAGRAPH.RIGHT if k in kanan else
                       WD_ALIGN_PARAGRAPH.CENTER if tengah or k == 0 else WD_ALIGN_PARAGRAPH.LEFT)
        _run(p, isi, tebal=tebal, ukuran=9)
    return cells


def _gabung(a, b):
    """Merge cells ``a`` to ``b``, keeping only the text (python-docx keeps each cell's empty paragraph)."""
    merged = a.merge(b)
    for p in merged.paragraphs[1:]:
        if not p.text:
            p._p.getparent().remove(p._p)
    return merged


def _tabel_pk(doc, t: dict, kolom_capaian: bool) -> None:
    """Tabel 2.x (the PK) or 3.x (with realisasi and capaian): a sasaran's cells span its indikator."""
    if isinstance(t["judul"], str):
        _keterangan(doc, [t["nomor"]], t["judul"])
    else:
        _keterangan(doc, [t["nomor"], *t["judul"]])
    kepala = ["NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA", "TARGET"]
    kepala += ["REALISASI", "CAPAIAN"] if kolom_capaian else []
    lebar = [11, 42, 46, 19, 21, 21] if kolom_capaian else [11, 58, 68, 23]
    table = _tabel(doc, [kepala], lebar)
    awal = None  # the cells of the row where the current sasaran began
    for r in t["baris"]:
        if r.tujuan:
            cells = _baris(table, [str(r.no), r.tujuan] + [""] * (len(lebar) - 2), lebar, tebal=True)
            _gabung(cells[1], cells[-1])
            awal = None
            continue
        nilai = [r.indikator, r.target] + ([r.realisasi, r.capaian] if kolom_capaian else [])
        cells = _baris(table, [str(r.no or ""), r.sasaran or "", *nilai], lebar)
        if r.lanjutan and awal is not None:
            for col in (0, 1):
                _gabung(awal[col], cells[col])
        else:
            awal = cells
    if not t["baris"]:
        cells = _baris(table, ["(belum ada sasaran)"] + [""] * (len(lebar) - 1), lebar)
        _gabung(cells[0], cells[-1])
    if t.get("catatan"):
        _run(doc.add_paragraph(), t["catatan"], ukuran=7.5)


def _analisis(doc, ctx: dict) -> None:
    """Bab III's analysis: per PK table, each indikator's kendala, upaya and rencana tindak
    lanjut of its verified periods (the PDF's table)."""
    if not ctx.get("analisis"):
        return
    doc.add_heading("ANALISIS CAPAIAN KINERJA", level=2)
    _paragraf(doc, "Kendala, upaya dan rencana tindak lanjut setiap indikator menurut laporan periode yang telah "
                   "diverifikasi:", indent=True)
    lebar = [38, 18, 38, 38, 38]
    for t in ctx["analisis"]:
        _keterangan(doc, [f"Analisis {t['nomor']}"])
        table = _tabel(doc, [["INDIKATOR KINERJA", "PERIODE", "KENDALA", "UPAYA", "RENCANA TINDAK LANJUT"]], lebar)
        for i in t["indikator"]:
            awal = None
            for a in i["analisis"]:
                cells = _baris(table, [f"{i['uraian']} (capaian {i['capaian']})" if awal is None else "", a["periode"],
                                       a["kendala"] or "-", a["upaya"] or "-", a["rencana"] or "-"], lebar)
                if awal is not None:
                    _gabung(awal, cells[0])
                awal = awal or cells[0]


def _banding(doc, ctx: dict) -> None:
    """The benchmark (the PDF's table): per indikator, n and quartiles of each group of offices."""
    b = ctx.get("banding")
    if not b:
        return
    doc.add_heading(b["judul"].upper(), level=2)
    kolom = len(b["kolom"])
    lebar = [7, 40, 14] + [max(8.0, 120 / (kolom * len(b["kelompok"])))] * (kolom * len(b["kelompok"]))
    # Each group's heading once, in the first of its cells (merged below: merging keeps every cell's text).
    judul = ["NO", "INDIKATOR KINERJA", "CAPAIAN"] + [k if c == 0 else "" for k in b["kelompok"] for c in range(kolom)]
    table = _tabel(doc, [judul, ["", "", ""] + b["kolom"] * len(b["kelompok"])], lebar)
    for g in range(len(b["kelompok"])):  # each group's heading over its columns
        row = table.rows[0].cells
        _gabung(row[3 + g * kolom], row[3 + (g + 1) * kolom - 1])
    for r in b["baris"]:
        _baris(table, r, lebar, kanan=set(range(2, len(r))))
    if not b["baris"]:
        cells = _baris(table, ["(tidak ada indikator hasil cascade yang dapat dibandingkan)"] + [""] * (len(lebar) - 1),
                       lebar)
        _gabung(cells[0], cells[-1])
    _run(doc.add_paragraph(), b["catatan"], ukuran=7.5)


def _tabel_pegawai(doc, ctx: dict) -> None:
    _keterangan(doc, [f"Jumlah Pegawai Sekretariat {ctx['nama_satker']} Menurut Status Kepegawaian"])
    lebar = [12, 60, 34, 34]
    table = _tabel(doc, [["No", "Status", "Jumlah (orang)", "Persentase (%)"]], lebar)
    for no, (label, n, persen) in enumerate(ctx["pegawai"] or [], start=1):
        _baris(table, [str(no), label, str(n), persen], lebar, kanan={2, 3})
    if ctx["pegawai"]:
        cells = _baris(table, ["TOTAL", "", str(ctx["total_pegawai"]), "100%"], lebar, tebal=True, kanan={2, 3})
        _gabung(cells[0], cells[1])
    else:
        cells = _baris(table, ["(jumlah pegawai belum diisi)", "", "", ""], lebar)
        _gabung(cells[0], cells[3])


def _tabel_program(doc, ctx: dict) -> None:
    if not ctx["program_lkj"]:
        return
    _keterangan(doc, [f"Program dan Anggaran Tahun {ctx['dokumen'].tahun}"])
    lebar = [12, 104, 44]
    table = _tabel(doc, [["No", "Program", "Anggaran"]], lebar)
    for no, (nama, kode, jumlah) in enumerate(ctx["program_lkj"], start=1):
        _baris(table, [f"{no}.", f"{nama} ({kode})", jumlah], lebar, kanan={2})
    _baris(table, ["", "Jumlah", ctx["pagu_lkj"] or ""], lebar, tebal=True, kanan={2})


def _realisasi_anggaran(doc, ctx: dict) -> None:
    """Bab III's budget: its sentence, then the table per kegiatan code with the total."""
    a = ctx["anggaran"]
    doc.add_heading("REALISASI ANGGARAN", level=2)
    _paragraf(doc, Markup(ctx["kalimat_anggaran"]).striptags(), indent=True)
    _paragraf(doc, "Berikut realisasi keuangan per program/kegiatan:", indent=True)
    _keterangan(doc, [f"Realisasi Anggaran Tahun {ctx['dokumen'].tahun}"])
    lebar = [16, 58, 32, 32, 22]
    table = _tabel(doc, [["KODE", "PROGRAM/KEGIATAN", "ANGGARAN (Rp)", "REALISASI (Rp)", "CAPAIAN (%)"],
                         ["1", "2", "3", "4", "5"]], lebar)
    for b in a["baris"]:
        nama = b["nama"] or ", ".join(b.get("kode_output") or [])
        _baris(table, [b["kode"], nama, b["anggaran"], b["realisasi"], b["capaian"]], lebar, kanan={2, 3, 4})
    if not a["baris"]:
        cells = _baris(table, ["(belum ada baris RAK dengan biaya)", "", "", "", ""], lebar)
        _gabung(cells[0], cells[4])
    cells = _baris(table, ["Jumlah", "", a["anggaran"], a["realisasi"], a["capaian"]], lebar, tebal=True,
                   kanan={2, 3, 4})
    _gabung(cells[0], cells[1])
    if a["sumber"]:
        _run(doc.add_paragraph(), f"Sumber: baris {a['sumber']} dan realisasinya.", ukuran=7.5)


# -- the signature and the verification -------------------------------------------------------

def _tanda_tangan(doc, ctx: dict) -> None:
    """Right half of the page, centred: place and date, the office, 'Ketua,', the signature, the name."""
    ketua = ctx["ketua"]
    table = doc.add_table(rows=1, cols=2)
    _lebar(table, [LEBAR_ISI_MM / 2] * 2)
    kanan = table.rows[0].cells[1]
    tempat = ctx["tempat"] or ".................."
    tanggal = ctx["tanggal"] or f"........................ {ctx['dokumen'].tahun}"
    lines = [(f"{tempat}, {tanggal}", {}), *((j, {}) for j in ctx["kantor"]), (f"{ketua.awalan}{ketua.kapasitas.label},", {})]
    if ketua.nama:
        lines += [("", {}), ("Ditandatangani secara elektronik", {"ukuran": 7}), (ketua.waktu, {"ukuran": 7}), ("", {})]
    else:
        lines += [("", {})] * 4
    lines.append((ketua.nama or "(........................................)", {"tebal": True, "garis": True}))
    p = kanan.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for k, (teks, gaya) in enumerate(lines):
        if k:
            p.add_run().add_break()
        _run(p, teks, **gaya)


def _verifikasi(doc, ctx: dict) -> None:
    """The PDF's closing block: the QR code of the verify page beside the code, hash and status."""
    v = ctx["verifikasi"]
    doc.add_paragraph()
    table = doc.add_table(rows=1, cols=2)
    _lebar(table, [32, LEBAR_ISI_MM - 32])
    qr, teks = table.rows[0].cells
    png = io.BytesIO()
    pdf.qr_code(v["url"]).save(png, kind="png", scale=4, border=2)
    png.seek(0)
    qr.paragraphs[0].add_run().add_picture(png, width=Mm(28))
    p = teks.paragraphs[0]
    _run(p, "Verifikasi keaslian dokumen", tebal=True, ukuran=8)
    for line in (f"Keaslian dokumen ini dapat diperiksa dengan memindai kode QR di samping atau membuka {v['url']}.",
                 f"Kode verifikasi: {v['kode']} · {ctx['revisi'].label} · diajukan {v['diajukan']}",
                 f"SHA-256 isi: {v['hash']}", f"Status: {ctx['status']}"):
        p.add_run().add_break()
        _run(p, line, ukuran=8)


# -- runs ----------------------------------------------------------------------------------------

def _paragraf(doc, teks: str, tebal: bool = False, indent: bool = False):
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        p.paragraph_format.first_line_indent = Mm(8)
    if teks:
        _run(p, str(teks), tebal=tebal)
    return p


def _runs(p, baris: naskah.Baris) -> None:
    for potongan in baris:
        if potongan.teks == "\n":
            p.add_run().add_break(WD_BREAK.LINE)
        else:
            _run(p, potongan.teks, tebal=potongan.tebal, miring=potongan.miring)


def _run(p, teks: str, tebal: bool = False, miring: bool = False, ukuran: float | None = None,
         warna: RGBColor | None = None, garis: bool = False):
    run = p.add_run(teks)
    run.bold, run.italic, run.underline = tebal or None, miring or None, garis or None
    if ukuran:
        run.font.size = Pt(ukuran)
    if warna is not None:
        run.font.color.rgb = warna
    return run


def _elemen(tag: str, **attrs):
    el = OxmlElement(tag)
    for name, value in attrs.items():
        el.set(qn(name), value)
    return el


def _bidang(p, instruksi: str, hasil: str, ukuran: float | None = None) -> None:
    """A Word field (PAGE, TOC) with the result shown until Word updates it."""
    for kind in ("begin", None, "separate", hasil, "end"):
        run = _run(p, "", ukuran=ukuran)
        if kind in ("begin", "separate", "end"):
            run._r.append(_elemen("w:fldChar", **{"w:fldCharType": kind}))
        elif kind is None:
            instr = _elemen("w:instrText", **{"xml:space": "preserve"})
            instr.text = f" {instruksi} "
            run._r.append(instr)
        else:
            run.text = hasil

