"""One cell at a time: rupiah, targets, schedule marks, kegiatan lists and pelaksana
labels as offices write them. Each reader returns the value or raises ``NilaiSalah``
with a message that names what was written ("'sepuluh juta' bukan jumlah rupiah")."""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from tenants.teks import _
from workflow.dokumen import operations, policy
from workflow.dokumen.models import JenisDokumen, Sisi
from workflow.imports.berkas import teks
from workflow.rupiah import MAX_BIAYA, RupiahNegatif, baca_rupiah
from workflow.sheet_layout import MARKS
from workflow.target import MAX_TARGET, TargetError, baca_target, tulis_angka


class NilaiSalah(ValueError):
    """A cell that cannot be read; the message is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def norm(text: Any) -> str:
    """A label for comparing: lower case, punctuation as spaces, single spaces."""
    return " ".join(re.sub(r"[^\w%]+", " ", teks(text).casefold().replace("_", " ")).split())


def kutip(value: Any, maks: int = 60) -> str:
    text = teks(value)
    return f"'{text[:maks]}…'" if len(text) > maks else f"'{text}'"


# -- numbers -------------------------------------------------------------------------------

_TERBESAR = Decimal(10) ** 18  # beyond any rupiah amount or target: refused before formatting


def _desimal(value: float | int) -> Decimal:
    # 15 significant digits: what Excel shows, without a float's binary tail (0.975 is
    # stored as 0.97499999999999998 by some writers).
    nilai = Decimal(format(value, ".15g")) if isinstance(value, float) else Decimal(value)
    # A cell may hold 1E400 (read as infinity) or 1E27: refuse here, before any formatting
    # or int() can fail on it.
    if not nilai.is_finite() or abs(nilai) >= _TERBESAR:
        raise NilaiSalah(_("%(nilai)s: angkanya terlalu besar", nilai=kutip(value)))
    return nilai


def _bagian_format(fmt: str | None) -> tuple[bool, bool, str]:
    """(percent-scaled, literal percent, literal suffix) of an Excel number format."""
    if not fmt:
        return False, False, ""
    section = fmt.split(";")[0]
    quoted = " ".join(re.findall(r'"([^"]*)"', section)).strip()
    bare = re.sub(r'"[^"]*"', "", section)
    escaped_percent = "\\%" in bare
    bare = bare.replace("\\%", "")
    scaled = "%" in bare
    literal_percent = escaped_percent or quoted == "%"
    suffix = "" if quoted == "%" else quoted
    return scaled, literal_percent, suffix


_RP_SPLIT = re.compile(r"(?<=\d)\s+(?=\d)")


def baca_biaya(value: Any, fmt: str | None = None) -> int | None:
    """Whole rupiah from a number cell or text like ``Rp. 99.498.000,-``; empty or ``-`` is None."""
    if value is None or (isinstance(value, str) and teks(value) in ("", "-", "–", "—")):
        return None
    if isinstance(value, bool):
        raise NilaiSalah(_("%(nilai)s bukan jumlah rupiah", nilai=kutip(value)))
    if isinstance(value, (int, float)):
        amount = _desimal(value)
        if amount != amount.to_integral_value():
            raise NilaiSalah(_("%(nilai)s bukan jumlah rupiah utuh (tanpa sen)", nilai=kutip(value)))
        amount = int(amount)
    else:
        text = teks(value)
        try:
            amount = baca_rupiah(text)
        except RupiahNegatif:
            amount = -1  # "-Rp 5.000" as text: refused below like a negative number cell
        except ValueError:
            # A PDF line break inside the digits: "Rp. 10.604.086.1 00" is still one amount
            # when the digits group into thousands again.
            joined = _RP_SPLIT.sub("", text)
            try:
                amount = baca_rupiah(joined)
            except ValueError:
                raise NilaiSalah(_("%(nilai)s bukan jumlah rupiah (tulis mis. Rp 10.604.086.100)",
                                   nilai=kutip(value))) from None
    if amount < 0:
        raise NilaiSalah(_("%(nilai)s: jumlah rupiah tidak boleh negatif", nilai=kutip(value)))
    if amount >= MAX_BIAYA:
        raise NilaiSalah(_("%(nilai)s: jumlah rupiah terlalu besar", nilai=kutip(value)))
    return amount


def teks_target(value: Any, fmt: str | None = None) -> str:
    """A target as the operations read it (``97,5%``, ``2.498 Orang``, ``BB``), checked as
    they check it. A number cell is read with its format: ``0.0%`` holds 0.975 for
    97,5%, ``0.0"%"`` holds 97.5; a quoted suffix (``0 "Laporan"``) is the unit."""
    if value is None or teks(value) == "":
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        scaled, literal_percent, suffix = _bagian_format(fmt)
        nilai = _desimal(value)
        if scaled:
            text = f"{tulis_angka((nilai * 100).normalize())}%"
        elif literal_percent:
            text = f"{tulis_angka(nilai.normalize())}%"
        else:
            text = f"{tulis_angka(nilai.normalize())} {suffix}".strip()
    else:
        text = teks(value)
    try:
        target = baca_target(text)
    except TargetError as exc:
        raise NilaiSalah(_("%(nilai)s bukan target yang dikenali (%(sebab)s)", nilai=kutip(text), sebab=exc)) from None
    if target.nilai is not None:
        if not -MAX_TARGET < target.nilai < MAX_TARGET:
            raise NilaiSalah(_("%(nilai)s: angka target terlalu besar", nilai=kutip(text)))
        if target.nilai.normalize().as_tuple().exponent < -4:
            raise NilaiSalah(_("%(nilai)s: paling banyak 4 angka di belakang koma", nilai=kutip(text)))
    if target.satuan and len(target.satuan) > operations.SATUAN_MAX:
        raise NilaiSalah(_("%(nilai)s: satuan paling banyak %(maks)s karakter", nilai=kutip(text),
                              maks=operations.SATUAN_MAX))
    return text


# -- schedule marks --------------------------------------------------------------------------

# A mark as PDF tools and fonts hand it over, compared after NFKC (fullwidth ``ｖ`` and the
# roman numeral ``ⅴ`` are ``v``) and case folding: check marks, crosses, filled dots and
# boxes, letters of other scripts that look like them (Cyrillic ``х``, Greek ``χ`` and
# ``ν``, Cyrillic ``ѵ``), and what a Wingdings check mark or checked box becomes when
# its font is lost (``ü``, ``þ``, ``ý``, ``û``). An empty box or circle is no mark. A
# letter that looks like no mark (``y``, Cyrillic ``у``) is refused, not guessed.
TANDA = ("v", "x", "1", "√", "✓", "✔", "☑", "☒", "✅", "✗", "✘", "×", "•", "●", "■", "▪", "█")
_TANDA_LAIN = ("🗸", "∨", "ν", "ѵ", "ᴠ", "χ", "х", "╳", "⬤", "◉", "◼", "▮", "ü", "þ", "ý", "û")
_MARKS = {m.casefold() for m in (*MARKS, *TANDA, *_TANDA_LAIN)}
TANPA_TANDA = ("-", "0", "☐")
_UNMARKED = {"", "–", "—", "_", "ı", "□", "○", "◯", "⬜", "¨", *TANPA_TANDA}
_MINGGU = re.compile(r"^(?:minggu|mg|m)\s*(?:ke)?\s*[-.]?\s*(?P<daftar>\d.*)$")
SEMUA_MINGGU = frozenset(range(1, 5))


def _tanda_teks(value: Any) -> str:
    return unicodedata.normalize("NFKC", teks(value)).casefold()


def _deret(text: str) -> list[str] | None:
    """The marks of a cell holding several ("v v - v", "vvvv", "✓✓"), or None when it
    holds anything else."""
    tokens = text.split()
    if len(tokens) == 1 and not any(ch.isdigit() for ch in text):  # "11" is no pair of marks
        tokens = list(tokens[0])
    if len(tokens) > 1 and all(t in _MARKS or t in _UNMARKED for t in tokens):
        return tokens
    return None


def baca_tanda(value: Any, minggu_boleh: bool) -> frozenset[int]:
    """The weeks (1..4) of a month a schedule cell marks: a mark (see ``TANDA``) marks
    them all, ``-`` or empty none; ``minggu ke 1-4``/``minggu ke 2, 4`` (only where a cell
    is a month, ``minggu_boleh``) the weeks named. For a quarter or a week cell, any mark
    is "all".

    Several marks in a month cell (a PDF copy runs a weekly schedule's four columns
    together) read by place when there are four ("- v - v": weeks 2 and 4), and else as
    the first weeks in order ("v v" or "vv": weeks 1 and 2; a copy keeps no blank week's
    place, so write "minggu ke 2, 4" for other weeks)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value == 1:
            return SEMUA_MINGGU
        if value == 0:
            return frozenset()
        raise NilaiSalah(_("%(nilai)s bukan tanda jadwal (tulis v, √ atau -)", nilai=kutip(value)))
    text = _tanda_teks(value).strip()
    if text in _UNMARKED:
        return frozenset()
    if text in _MARKS:
        return SEMUA_MINGGU
    match = _MINGGU.match(text)
    if match and minggu_boleh:
        weeks = _daftar_minggu(match["daftar"])
        if weeks:
            return weeks
    elif match:
        raise NilaiSalah(_("%(nilai)s: minggu hanya dapat ditulis di kolom bulan; di sini tulis v atau -",
                            nilai=kutip(value)))
    elif (deret := _deret(text)) is not None:
        return _minggu_deret(deret, minggu_boleh, value)
    raise NilaiSalah(_("%(nilai)s bukan tanda jadwal (tulis v, √, - atau 'minggu ke 1-4')", nilai=kutip(value)))


def _minggu_deret(tokens: list[str], minggu_boleh: bool, value: Any) -> frozenset[int]:
    marked = [t in _MARKS for t in tokens]
    if not any(marked):
        return frozenset()
    if not minggu_boleh:
        return SEMUA_MINGGU
    if len(tokens) == 4:
        return frozenset(w for w, on in enumerate(marked, start=1) if on)
    if len(tokens) < 4 and all(marked):
        return frozenset(range(1, len(tokens) + 1))
    raise NilaiSalah(_("%(nilai)s: tanda minggu tidak dapat dibaca; tulis empat tanda, satu per minggu "
                       "(mis. '- v - v'), atau 'minggu ke 2, 4'", nilai=kutip(value)))


def _daftar_minggu(text: str) -> frozenset[int]:
    weeks: set[int] = set()
    for part in re.split(r"\s*(?:,|&|\bdan\b)\s*", text.strip()):
        if not part:
            continue
        span = re.fullmatch(r"(\d)\s*(?:-|–|s\.?d\.?|sampai)\s*(\d)", part)
        if span:
            a, b = int(span[1]), int(span[2])
            if not 1 <= a <= b <= 4:
                return frozenset()
            weeks.update(range(a, b + 1))
        elif re.fullmatch(r"\d", part) and 1 <= int(part) <= 4:
            weeks.add(int(part))
        else:
            return frozenset()
    return frozenset(weeks)


# -- kegiatan ---------------------------------------------------------------------------------

KODE = re.compile(r"(?:^|\s)([A-Za-z]{2}\.\d{4}\.[A-Za-z]{3}\.\d{3})\s*$")
_BULLET = re.compile(r"^\s*(?:[-–—•*▪●·]|\d{1,2}[.)](?=\s))\s*")
_INLINE = re.compile(r"\s+[-–•]\s*(?=[^\s\d\-–])")


def kode_di_akhir(text: str) -> tuple[str, str | None]:
    """Split a trailing output code off a kegiatan cell: ("... Se kota Batu", "CQ.6709.QGE.003")."""
    match = KODE.search(text.rstrip())
    if not match:
        return text, None
    return text[:match.start()].rstrip(), match[1].upper()


def pisah_kegiatan(text: str, ekspor: bool) -> list[str]:
    """One kegiatan per line, bullets (``- ``, ``•``, ``1.``) dropped. In an office file
    (not ``ekspor``), a line that starts with a bullet may hold more bullets inline
    ("- Rapat A - Rapat B -Bimtek C"), as PDF text gives them."""
    items: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            continue
        bullet = _BULLET.match(line)
        if ekspor:
            item = line[bullet.end():] if bullet and line.lstrip()[:1] in "-–—•*▪●·" else line
            items.append(" ".join(item.split()))
            continue
        if bullet:
            items += [" ".join(p.split()) for p in _INLINE.split(line[bullet.end():]) if p.strip()]
        else:
            items.append(" ".join(line.split()))
    return [i for i in items if i]


# -- pelaksana ----------------------------------------------------------------------------------

_AWALAN = ("sub bagian", "subbagian", "sub bag", "subbag", "sub bidang", "bagian", "divisi", "div", "bidang")

# The offices' shorthands, after the prefix (Subbag., Divisi) is dropped. The judgement
# follows the transcribed demo documents (workflow/data/demo/*.json, "catatan"):
# 'Divisi Teknis Parmas' -> teknis, 'Divisi Hukum dan SDM' -> hukum, 'Subbag Parmas'
# -> teknis_hupmas, 'Subbag Hukum' / 'Subbag SDM' -> hukum_sdm, 'Subbag Perencanaan'
# -> rendatin, 'Divisi KUL' -> keuangan.
_SUBBAG = {
    "kul": "kul", "keuangan umum dan logistik": "kul", "keuangan umum logistik": "kul",
    "keuangan": "kul", "umum": "kul", "logistik": "kul", "umum dan logistik": "kul", "keuangan dan umum": "kul",
    "rendatin": "rendatin", "perencanaan data dan informasi": "rendatin", "perencanaan data informasi": "rendatin",
    "perencanaan": "rendatin", "program data dan informasi": "rendatin", "pdi": "rendatin",
    "teknis hupmas": "teknis_hupmas", "teknis dan hupmas": "teknis_hupmas", "hupmas": "teknis_hupmas",
    "teknis": "teknis_hupmas", "parmas": "teknis_hupmas", "teknis parmas": "teknis_hupmas",
    "teknis penyelenggaraan pemilu partisipasi dan hubungan masyarakat": "teknis_hupmas",
    "teknis penyelenggaraan pemilu partisipasi dan hubmas": "teknis_hupmas", "tekmas": "teknis_hupmas",
    "hukum dan sdm": "hukum_sdm", "hukum sdm": "hukum_sdm", "hukum": "hukum_sdm", "sdm": "hukum_sdm",
    "hukum dan sumber daya manusia": "hukum_sdm", "kepegawaian": "hukum_sdm",
}
_DIVISI = {
    "perencanaan data dan informasi": "perencanaan", "perencanaan": "perencanaan", "rendatin": "perencanaan",
    "perencanaan data informasi": "perencanaan",
    "teknis penyelenggaraan": "teknis", "teknis": "teknis", "teknis parmas": "teknis",
    "teknis penyelenggaraan pemilu": "teknis",
    "hukum dan pengawasan": "hukum", "hukum": "hukum", "hukum dan sdm": "hukum", "hukum pengawasan": "hukum",
    "sosdiklih parmas dan sdm": "sosdiklih", "sosdiklih": "sosdiklih", "parmas": "sosdiklih", "sdm": "sosdiklih",
    "sosialisasi pendidikan pemilih partisipasi masyarakat dan sdm": "sosdiklih",
    "keuangan umum rumah tangga dan logistik": "keuangan", "keuangan": "keuangan", "kul": "keuangan",
    "keuangan umum dan logistik": "keuangan", "umum dan logistik": "keuangan", "logistik": "keuangan",
}
_SEMUA = {"semua", "semua subbag", "semua subbagian", "semua sub bagian", "semua divisi", "seluruh subbagian",
          "seluruh divisi", "seluruh subbag", "semua bagian", "semua unit"}


def baca_pelaksana(value: Any, jenis: JenisDokumen) -> str | None:
    """The unit code (``kul``, ``hukum_sdm``, ``teknis``, ``semua``) for a pelaksana label,
    full (``Subbagian Keuangan, Umum dan Logistik``) or shorthand (``Subbag KUL``,
    ``Divisi Teknis Parmas``). Anything not known is a problem, never a guess."""
    text = teks(value)
    if not text:
        return None
    sekretariat = jenis.sisi is Sisi.SEKRETARIAT
    choices = dict(operations.pilihan_pelaksana(jenis))
    if text in choices:  # the code itself
        return text
    label = norm(text)
    labels = {norm(v): k for k, v in choices.items()}
    if label in labels:
        return labels[label]
    if label in _SEMUA:
        return policy.SEMUA
    rest = label
    for awal in _AWALAN:
        if rest.startswith(awal + " "):
            rest = rest[len(awal) + 1:]
            if awal in ("divisi", "div") and sekretariat:
                raise NilaiSalah(_("%(nilai)s adalah divisi Komisioner; RAK Sekretariat memakai subbagian "
                                   "(%(daftar)s)", nilai=kutip(text), daftar=_daftar(jenis)))
            if awal in ("sub bagian", "subbagian", "sub bag", "subbag") and not sekretariat:
                raise NilaiSalah(_("%(nilai)s adalah subbagian Sekretariat; RAK Komisioner memakai divisi "
                                   "(%(daftar)s)", nilai=kutip(text), daftar=_daftar(jenis)))
            break
    table = _SUBBAG if sekretariat else _DIVISI
    if rest in table:
        return table[rest]
    raise NilaiSalah(_("pelaksana %(nilai)s tidak dikenal; tulis salah satu: %(daftar)s", nilai=kutip(text),
                       daftar=_daftar(jenis)))


def _daftar(jenis: JenisDokumen) -> str:
    return ", ".join(label for _, label in operations.pilihan_pelaksana(jenis))


__all__ = ["TANDA", "TANPA_TANDA", "NilaiSalah", "baca_biaya", "baca_pelaksana", "baca_tanda", "kode_di_akhir", "norm",
           "pisah_kegiatan",
           "teks_target"]
