"""The narrative of an LKj chapter: plain text as typed, or the small markup a chapter pasted
from Word keeps (paragraphs, bulleted and numbered lists, bold, italic, line breaks).

A chapter is stored as a string. Plain text is stored as typed (``workflow.dokumen.bab_lkj.bersihkan_teks``)
and prints one paragraph per line, as it always has. Markup is stored as HTML of the allow-list
``TAG`` only, without attributes, always opening with ``<p>``, ``<ul>`` or ``<ol>``: that opening
is how a stored chapter is known to be markup (``berformat``). What the editor sends with only
plain paragraphs in it is stored as plain lines, so a plain chapter saved there stays plain. Whatever HTML comes in (Word's
clipboard with its ``mso-list`` paragraphs and conditional comments, Google Docs' spans, a
browser's ``contenteditable``) is read into blocks here (``blok``), written back as that
markup, and passed through nh3 (ammonia) as the last word on what may be kept.

Every renderer (the page, the PDF, the .docx, the comparison of revisions) reads ``blok``:
one reading of the markup for all of them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

import nh3

TAG = frozenset({"p", "ul", "ol", "li", "strong", "em", "b", "i", "br"})
_PEMBUKA = ("<p>", "<ul>", "<ol>")
# Content that is never text: its words are dropped with the tag.
_BUANG = frozenset({"script", "style", "head", "title", "xml", "template", "noscript", "iframe", "object", "svg",
                    "math", "textarea", "select", "button"})
_BLOK = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "address", "table", "tr",
                   "td", "th", "section", "article", "header", "footer", "dd", "dt", "dl", "figure", "caption"})
_JUDUL = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_KOSONG = frozenset({"br", "img", "hr", "meta", "link", "input", "col", "wbr", "area", "base", "source"})
_SPASI = re.compile(r"[ \t\n\r\f\u00a0]+")
# Word's numbered-list markers ("1.", "a)", "(iv)"); any other marker ("·", "o", "§", "-") is a bullet.
_NOMOR = re.compile(r"^\(?[0-9a-zA-Z]{1,5}[.)]$")


@dataclass(frozen=True)
class Potongan:
    """A run of text with one look; a line break inside a paragraph is the run "\\n"."""

    teks: str
    tebal: bool = False
    miring: bool = False


Baris = tuple[Potongan, ...]


@dataclass(frozen=True)
class Blok:
    """A paragraph (``jenis`` "p", one line in ``isi``) or a list ("ul", "ol": one line per item)."""

    jenis: str
    isi: tuple[Baris, ...]


def berformat(teks: str | None) -> bool:
    return bool(teks) and teks.startswith(_PEMBUKA)


def polos_sebaris(baris: Baris) -> str:
    return "".join(p.teks for p in baris)


# -- reading HTML --------------------------------------------------------------------------------

def _gaya(attrs: dict, tebal: bool, miring: bool) -> tuple[bool, bool]:
    style = (attrs.get("style") or "").lower().replace(" ", "")
    if m := re.search(r"font-weight:(\w+)", style):
        tebal = m.group(1) in ("bold", "bolder") or (m.group(1).isdigit() and int(m.group(1)) >= 600)
    if m := re.search(r"font-style:(\w+)", style):
        miring = m.group(1) in ("italic", "oblique")
    return tebal, miring


class _Pembaca(HTMLParser):
    """Any HTML to blocks: what is not an allowed shape becomes text, never markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blok: list[Blok] = []
        self._baris: list[Potongan] = []
        self._jenis_baris: str | None = None   # None: a paragraph; "ul"/"ol": a list item
        self._gaya_tag: list[tuple[str, bool, bool]] = []
        self._daftar: list[str] = []
        self._buang = 0
        self._penanda: list[str] | None = None  # Word's list marker, read between its conditional comments

    def _sekarang(self) -> tuple[bool, bool]:
        return self._gaya_tag[-1][1:] if self._gaya_tag else (False, False)

    def handle_starttag(self, tag: str, attrs_list) -> None:
        attrs = dict(attrs_list)
        if tag in _BUANG:
            self._buang += 1
            return
        if tag == "br":
            if not self._buang:
                self._baris.append(Potongan("\n", *self._sekarang()))
            return
        if tag in ("ul", "ol"):
            self._tutup_baris()
            self._daftar.append(tag)
        elif tag == "li":
            self._tutup_baris()
            self._jenis_baris = self._daftar[-1] if self._daftar else "ul"
        elif tag in _BLOK:
            self._tutup_baris()
            style = attrs.get("style") or ""
            if "mso-list:" in style.replace(" ", "") and "level" in style:
                self._jenis_baris = "ul"  # ol once its marker is read
        if tag in _KOSONG:
            return
        tebal, miring = self._sekarang()
        if tag in ("b", "strong") or tag in _JUDUL:
            tebal = True
        if tag in ("i", "em"):
            miring = True
        self._gaya_tag.append((tag, *_gaya(attrs, tebal, miring)))

    def handle_endtag(self, tag: str) -> None:
        if tag in _BUANG:
            self._buang = max(0, self._buang - 1)
            return
        if any(t == tag for t, _b, _i in self._gaya_tag):
            while self._gaya_tag and self._gaya_tag.pop()[0] != tag:
                pass
        if tag in ("ul", "ol"):
            self._tutup_baris()
            if self._daftar:
                self._daftar.pop()
        elif tag == "li" or tag in _BLOK:
            self._tutup_baris()

    def handle_data(self, data: str) -> None:
        if self._penanda is not None:
            self._penanda.append(data)
        elif not self._buang:
            self._baris.append(Potongan(data, *self._sekarang()))

    # Word marks a list item's bullet or number as text between <![if !supportLists]> and
    # <![endif]> (or the same as comments): read as the marker, never as the item's text.
    def handle_comment(self, data: str) -> None:
        self._bersyarat(data.strip().strip("[]").strip())

    def unknown_decl(self, data: str) -> None:
        self._bersyarat(data.strip())

    def _bersyarat(self, data: str) -> None:
        if data.lower().replace(" ", "") == "if!supportlists":
            self._penanda = []
        elif data.lower() == "endif" and self._penanda is not None:
            if self._jenis_baris and _NOMOR.match(_SPASI.sub("", "".join(self._penanda))):
                self._jenis_baris = "ol"
            self._penanda = None

    def _tutup_baris(self) -> None:
        baris, jenis = _rapikan(self._baris), self._jenis_baris
        self._baris, self._jenis_baris = [], None
        if not baris:
            return
        if jenis is None:
            self.blok.append(Blok("p", (baris,)))
        elif self.blok and self.blok[-1].jenis == jenis:
            self.blok[-1] = Blok(jenis, (*self.blok[-1].isi, baris))
        else:
            self.blok.append(Blok(jenis, (baris,)))

    def close(self) -> None:
        super().close()
        self._tutup_baris()


def _rapikan(potongan: list[Potongan]) -> Baris:
    """Runs as a browser shows them: white space collapsed, none at either end of a line,
    neighbours of the same look joined."""
    hasil: list[Potongan] = []
    for p in potongan:
        teks = p.teks if p.teks == "\n" else _SPASI.sub(" ", p.teks)
        awal_baris = not hasil or hasil[-1].teks.endswith(("\n", " "))
        if teks != "\n" and awal_baris:
            teks = teks.lstrip(" ")
        if teks == "\n" and hasil:
            hasil[-1] = Potongan(hasil[-1].teks.rstrip(" "), hasil[-1].tebal, hasil[-1].miring)
        if not teks:
            continue
        if hasil and (hasil[-1].tebal, hasil[-1].miring) == (p.tebal, p.miring) and "\n" not in (teks, hasil[-1].teks):
            hasil[-1] = Potongan(hasil[-1].teks + teks, p.tebal, p.miring)
        else:
            hasil.append(Potongan(teks, p.tebal, p.miring))
    while hasil and hasil[-1].teks.strip(" ") in ("", "\n"):
        hasil.pop()
    while hasil and hasil[0].teks == "\n":
        hasil.pop(0)
    if hasil:
        hasil[-1] = Potongan(hasil[-1].teks.rstrip(" "), hasil[-1].tebal, hasil[-1].miring)
    return tuple(p for p in hasil if p.teks)


def baca_html(html: str) -> list[Blok]:
    pembaca = _Pembaca()
    pembaca.feed(html)
    pembaca.close()
    return pembaca.blok


def blok(teks: str | None) -> list[Blok]:
    """A stored chapter as blocks: markup read, plain text one paragraph per line."""
    if berformat(teks):
        return baca_html(teks)
    return [Blok("p", ((Potongan(p),),)) for p in paragraf_polos(teks)]


def paragraf_polos(teks: str | None) -> list[str]:
    return [p.strip() for p in (teks or "").split("\n") if p.strip()]


# -- writing the markup --------------------------------------------------------------------------

def tulis_baris(baris: Baris) -> str:
    """A line's runs as the markup (the page and the PDF print it so too)."""
    out = []
    for p in baris:
        if p.teks == "\n":
            out.append("<br>")
            continue
        s = escape(p.teks, quote=False)
        if p.miring:
            s = f"<em>{s}</em>"
        if p.tebal:
            s = f"<strong>{s}</strong>"
        out.append(s)
    return "".join(out)


def tulis_html(bloks: list[Blok]) -> str:
    """Blocks as the stored markup; every renderer of HTML (``webapp.markup``) writes it so."""
    out = []
    for b in bloks:
        if b.jenis == "p":
            out.append(f"<p>{tulis_baris(b.isi[0])}</p>")
        else:
            out.append(f"<{b.jenis}>" + "".join(f"<li>{tulis_baris(i)}</li>" for i in b.isi) + f"</{b.jenis}>")
    return "".join(out)


def bersihkan_html(html: str) -> str:
    """Pasted or edited HTML as stored: plain lines when it holds only plain paragraphs (a
    plain chapter saved from the editor stays plain text), else the markup ("" without text)."""
    bloks = baca_html(html)
    if polos := _polos_saja(bloks):
        return polos
    return nh3.clean(tulis_html(bloks), tags=set(TAG), attributes={}, strip_comments=True, link_rel=None)


def _polos_saja(bloks: list[Blok]) -> str | None:
    if not all(b.jenis == "p" and all(not (p.tebal or p.miring or p.teks == "\n") for p in b.isi[0]) for b in bloks):
        return None
    teks = "\n".join(polos_sebaris(b.isi[0]) for b in bloks)
    return None if berformat(teks) else teks


def dari_polos(teks: str) -> str:
    """Plain text as markup, every line a paragraph, every character shown as typed."""
    return "".join(f"<p>{escape(p, quote=False)}</p>" for p in paragraf_polos(teks))


def teks_polos(teks: str | None) -> str:
    """A chapter as plain lines (the comparison of revisions): items marked "•" or "1."."""
    lines = []
    for b in blok(teks):
        for n, baris in enumerate(b.isi, start=1):
            tanda = {"ul": "• ", "ol": f"{n}. "}.get(b.jenis, "")
            lines.append(tanda + polos_sebaris(baris))
    return "\n".join(lines)
