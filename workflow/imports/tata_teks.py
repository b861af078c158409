"""A table copied out of a PDF as text, columns kept by spaces (``pdftotext -layout``, or
a viewer that keeps the layout): turned into rows of cells as a person reads it.

There are no tabs: a column is a band of character positions. The table starts at its
header line (the first line naming the indikator and another known column). Within the
table, a column boundary is a position that is blank on (nearly) every line: a vertical
gutter, as the eye sees one. A long cell may run into its neighbour with a single space
(pdftotext's positions are approximate): the gutter is kept when at most a few lines
cross it, and a word crossing it goes to the side holding most of it, unless the next
column starts under it on the row's other lines or it opens that column's cell
(``_potong_blok``). Each line is one sheet row (``BarisLembar``, numbered as the pasted
line); wrapped cells arrive as lines of their own, which the table reader joins to the
row above.

Text without tabs and without such columns (``pdftotext -raw``, a viewer copying one
cell per line) cannot be put back into rows reliably: it is refused with the remedy.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from tenants.teks import _
from workflow.imports.berkas import MAX_BARIS, MAX_KOLOM, MAX_TEKS, BarisLembar, BerkasDitolak, Lembar
from workflow.imports.sel import norm

_SEGMEN = re.compile(r"\S+(?: \S+)*")
_LEBAR_MAKS = 2000  # characters of one line looked at (a layout line of an A3 landscape table is ~300)


def _segmen(line: str) -> list[tuple[int, int, str]]:
    """Runs of text separated by two spaces or more: (start, end, text)."""
    return [(m.start(), m.end(), m[0]) for m in _SEGMEN.finditer(line)]


def _baris_judul(lines: list[str], adalah_judul) -> int | None:
    for i, line in enumerate(lines[:200]):
        labels = [norm(text) for _s, _e, text in _segmen(line)]
        if adalah_judul(labels):
            return i
    return None


def _talang(lines: list[str], width: int) -> set[int]:
    """Positions that are gutters: blank on every line, or a column's left edge right after
    them (a third of the lines with text around there start a word there) and crossed by
    few lines (at most half as many: cells that ran over)."""
    terisi = [0] * (width + 3)
    tepi = [0] * (width + 3)    # lines with a word starting here
    dekat = [0] * (width + 3)   # lines with text within two positions
    for line in lines:
        line = line[:width]
        if not line.strip():
            continue
        near = bytearray(width + 3)
        for i, ch in enumerate(line):
            if ch != " ":
                terisi[i] += 1
                if i == 0 or line[i - 1] == " ":
                    tepi[i] += 1
                near[max(0, i - 2):i + 3] = b"\x01" * (min(i + 3, width + 3) - max(0, i - 2))
        for i, v in enumerate(near):
            dekat[i] += v
    out = set()
    for i in range(width):
        if terisi[i] == 0:
            out.add(i)
        else:
            edges = tepi[i + 1] + tepi[i + 2]
            if edges >= max(2, dekat[i] // 3) and terisi[i] <= edges // 2:
                out.add(i)
    return out


_AWALAN = {"rp", "rp.", "-", "•", "●", "·", "*"}  # a band of these only belongs to the text after it


def _kolom(lines: list[str]) -> list[tuple[int, int]]:
    """The columns as (start, end) bands between gutters."""
    width = min(max((len(line) for line in lines), default=0), _LEBAR_MAKS)
    gutter = _talang(lines, width)
    bands: list[tuple[int, int]] = []
    start = None
    for i in range(width + 1):
        if i in gutter or i == width:
            if start is not None:
                bands.append((start, i))
                start = None
        elif start is None:
            start = i
    # A sliver between two gutters where no word starts is the overrun of a cell, not a column.
    starts = {m.start() for line in lines for m in re.finditer(r"(?<!\S)\S", line[:width])}
    bands = [(s, e) for s, e in bands if any(i in starts for i in range(s, e))]
    return _gabung_rapat(lines, _gabung_awalan(lines, _terpakai(lines, bands)))


def _gabung_rapat(lines: list[str], bands: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A band whose words follow the band before them at a single space on most of its
    lines is the rest of that column ("Semua | Divisi"), not a column of its own."""
    out = list(bands[:1])
    for s, e in bands[1:]:
        ps = out[-1][0]
        rapat = total = 0
        for line in lines:
            mine = line[s:e]
            if not mine.strip():
                continue
            total += 1
            first = s + len(mine) - len(mine.lstrip())
            before = line[ps:first].rstrip()
            if before and first - (ps + len(before)) == 1:
                rapat += 1
        if total and rapat * 2 > total:
            out[-1] = (ps, e)
        else:
            out.append((s, e))
    return out


def _gabung_awalan(lines: list[str], bands: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """"Rp." printed apart from its amount, a bullet apart from its text: one column with it."""
    out: list[tuple[int, int]] = []
    k = 0
    while k < len(bands):
        s, e = bands[k]
        words = {w.casefold() for line in lines for w in line[s:e].split()}
        if words and words <= _AWALAN and k + 1 < len(bands):
            nxt = bands[k + 1]
            wide = max((len(line[nxt[0]:nxt[1]].strip()) for line in lines), default=0) > 3
            if wide:
                bands[k + 1] = (s, nxt[1])
                k += 1
                continue
        out.append((s, e))
        k += 1
    return out


def _pemilik(s: int, e: int, bands: list[tuple[int, int]], starts: list[int]) -> int | None:
    """The band holding most of the word at [s, e) (the bands are sorted); a word standing
    in a gutter ("5" of "5 Dokumen" set two places left of the targets) goes to the
    nearest band, the one after it on a tie: a cell's first word starts it."""
    k = max(bisect_right(starts, s) - 1, 0)
    best, overlap = None, None
    for j in range(k, len(bands)):
        bs, be = bands[j]
        got = min(e, be) - max(s, bs)
        if overlap is None or got > overlap or got == overlap and got < 0:
            best, overlap = j, got
        if bs > e:
            break
    return best


def _kata(line: str, bands: list[tuple[int, int]], starts: list[int]) -> list[list]:
    """The line's words as [start, end, text, band]: each in the band holding most of it."""
    return [[m.start(), m.end(), m[0], _pemilik(*m.span(), bands, starts)]
            for m in re.finditer(r"\S+", line[:_LEBAR_MAKS])]


def _sel(words: list[list], n: int) -> list[str | None]:
    cells: list[list[str]] = [[] for _ in range(n)]
    for _s, _e, text, band in words:
        if band is not None:
            cells[band].append(text)
    out = [" ".join(words) or None for words in cells]
    while out and out[-1] is None:
        out.pop()
    return out


def _potong(line: str, bands: list[tuple[int, int]]) -> list[str | None]:
    """The line's cells: each word goes to the band holding most of it."""
    return _sel(_kata(line, bands, [b[0] for b in bands]), len(bands))


def _potong_blok(lines: list[str], bands: list[tuple[int, int]]) -> list[list[str | None]]:
    """The cells of each line. pdftotext places a table row's columns a few positions
    off the page's, and a cell set at one space after its neighbour's text loses its
    gutter: a word over the gap between two columns goes right when the next column's
    text starts under or over it on the lines around (the row's own edge), or when it
    opens the next column's cell on a row's first line ("petunjuk Jumlah dokumen")."""
    starts = [b[0] for b in bands]
    words = [_kata(line, bands, starts) for line in lines]
    for i, line_words in enumerate(words):
        for w, word in enumerate(line_words):
            j = word[3]
            if j is None or j + 1 >= len(bands) or not word[0] < bands[j + 1][0] or word[1] <= bands[j][1]:
                continue  # inside its column
            if _sejajar(lines, words, i, word, j + 1) or _awal_sel(lines, line_words, w, i):
                word[3] = j + 1
    return [_sel(line_words, len(bands)) for line_words in words]


def _sejajar(lines: list[str], words: list[list[list]], i: int, word: list, band: int) -> bool:
    """Whether on a line around line ``i`` (same run of lines, up to three away) a run of
    text of ``band`` starts within the word's span."""
    for step in (-1, 1):
        k = i + step
        while 0 <= k < len(lines) and abs(k - i) <= 3 and lines[k].strip():
            for s, _e, _t, owner in words[k]:
                if owner == band and word[0] <= s < word[1] and lines[k][max(s - 2, 0):s].strip() == "":
                    return True
            k += step
    return False


def _awal_sel(lines: list[str], line_words: list[list], w: int, i: int) -> bool:
    """On the first line of a row (after a blank line), a capitalised word between a
    column's text and the next column's lower-case words opens that next cell."""
    if i > 0 and lines[i - 1].strip() or w == 0 or w + 1 >= len(line_words):
        return False
    word, before, after = line_words[w], line_words[w - 1], line_words[w + 1]
    return word[2][:1].isupper() and before[3] == word[3] and after[3] == word[3] + 1 and after[2][:1].islower()


def _terpakai(lines: list[str], bands: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The bands that are columns. A band no word lands in is dropped; a sliver where only
    the first letters of the next column's words stand (rows pdftotext placed a few
    positions left: every word there runs on past it) joins that column."""
    starts = [b[0] for b in bands]
    used = [0] * len(bands)
    within = [0] * len(bands)   # words ending inside their band
    for line in lines:
        for match in re.finditer(r"\S+", line[:_LEBAR_MAKS]):
            if (best := _pemilik(*match.span(), bands, starts)) is not None:
                used[best] += 1
                within[best] += match.end() <= bands[best][1] + 1
    out: list[tuple[int, int]] = []
    carry: int | None = None
    for k, (s, e) in enumerate(bands):
        if not used[k]:
            continue
        if carry is not None:
            s, carry = carry, None
        if not within[k] and k + 1 < len(bands):
            carry = s
            continue
        out.append((s, e))
    return out


def baca_tata_letak(text: str, adalah_judul) -> Lembar:
    """The rows of a layout-kept PDF copy; ``adalah_judul(labels)`` tells a header line
    by its labels (normalized). Raises ``BerkasDitolak`` with the remedy when the text
    has no such table."""
    if len(text) > MAX_TEKS:
        raise BerkasDitolak(_("Teks yang ditempel terlalu panjang (%(n)s karakter); paling banyak %(maks)s.",
                              n=len(text), maks=MAX_TEKS))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\x00", "") \
        .replace("\u00a0", " ").split("\n")
    if len(lines) > MAX_BARIS * 12:
        raise BerkasDitolak(_("Teks yang ditempel terlalu panjang (lebih dari %(maks)s baris tabel).", maks=MAX_BARIS))
    start = _baris_judul(lines, adalah_judul)
    if start is None or not _berkolom(lines[start:]):
        raise BerkasDitolak(_(
            "Teks yang ditempel tidak berbentuk tabel: tidak ada pemisah kolom (tab) dan kolomnya tidak sejajar. "
            "Teks seperti ini muncul bila PDF disalin sel demi sel (mis. pdftotext -raw atau sebagian penampil PDF). "
            "Salin ulang dengan tata letak dipertahankan (pdftotext -layout, atau buka PDF di Word/LibreOffice lalu "
            "salin tabelnya), atau tempel dari Excel."))
    rows = [BarisLembar(i + 1, [], []) for i in range(start)]  # above the table: kept empty, numbered
    # Each page (from a header line to the next) is measured alone: a PDF's pages may
    # place the same columns a character apart.
    heads = [i for i in range(start, len(lines)) if adalah_judul([norm(t) for _s, _e, t in _segmen(lines[i])])]
    for n, top in enumerate(heads):
        block = lines[top:heads[n + 1] if n + 1 < len(heads) else len(lines)]
        if n + 1 < len(heads):
            _lepas_judul_atas(block)
        bands = _kolom(block[1:])
        header = _judul_ke_kolom(block[0], bands)
        if header is None:
            bands = _kolom(block)
            header = _potong(block[0], bands)
        if len(bands) > MAX_KOLOM:
            raise BerkasDitolak(_("Baris %(no)s memiliki %(n)s kolom; paling banyak %(maks)s.", no=top + 1,
                                  n=len(bands), maks=MAX_KOLOM))
        rows.append(BarisLembar(top + 1, header, [None] * len(header)))
        for i, cells in enumerate(_potong_blok(block[1:], bands), start=top + 2):
            rows.append(BarisLembar(i, cells, [None] * len(cells)))
    return Lembar("teks tempel", rows, tempel=True)


def _judul_ke_kolom(line: str, bands: list[tuple[int, int]]) -> list[str | None] | None:
    """The header line's labels put over the columns measured on the rows below it: a
    bold header line is placed by pdftotext a few positions off its columns ("Target"
    over the targets, not a column of its own). None when a label stands over no column
    (one left empty on this page): then the header line is measured with the rows."""
    owner: dict[int, str] = {}
    # The label most over a column claims it first: "No" printed at the left edge of the
    # sasaran's band ("     No     Sasaran") then goes to the number column beside it.
    labels = sorted(_segmen(line[:_LEBAR_MAKS]), key=lambda seg: -_tumpang(seg[0], seg[1], bands))
    for s, e, text in labels:
        k = _dekat(s, e, bands, owner)
        if k is None:
            return None
        owner[k] = text
    cells: list[str | None] = [owner.get(k) for k in range(len(bands))]
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def _tumpang(s: int, e: int, bands: list[tuple[int, int]]) -> int:
    """How far [s, e) overlaps the column it overlaps most."""
    return max((min(e, be) - max(s, bs) for bs, be in bands), default=0)


def _dekat(s: int, e: int, bands: list[tuple[int, int]], taken=(), reach: int = 4) -> int | None:
    """The column a label at [s, e) stands over, of those not ``taken``: the most overlapped,
    else the nearest within reach that is about as wide as the label."""
    best, score = None, None
    for k, (bs, be) in enumerate(bands):
        if k in taken:
            continue
        overlap = min(e, be) - max(s, bs)
        gap = max(bs - e, s - be, 0)
        key = (overlap, -gap)
        near = gap <= reach and (be - bs) * 2 >= e - s  # not a month's narrow column next to "Perkiraan Biaya"
        if (overlap > 0 or near) and (score is None or key > score):
            best, score = k, key
    return best


_JUDUL_ATAS = re.compile(r"^(?:bulan|pelaksanaan|jadwal|triwulan|rencana|waktu|minggu|ke|tw|tahun|\d{4}|[\s.]+)+$",
                         re.IGNORECASE)


def _lepas_judul_atas(block: list[str]) -> None:
    """Blank the line over the next page's header ("Bulan Pelaksanaan" over the months):
    read as a row, it would end the table."""
    for k in range(len(block) - 1, max(len(block) - 4, 0), -1):
        if block[k].strip() and _JUDUL_ATAS.match(" ".join(block[k].split())):
            block[k] = ""


def _berkolom(lines: list[str]) -> bool:
    """Whether the lines keep columns: several lines with three or more runs of text
    separated by wide spaces."""
    wide = sum(1 for line in lines[:400] if len(re.findall(r"\S {2,}(?=\S)", line)) >= 3)
    return wide >= 2


__all__ = ["baca_tata_letak"]
