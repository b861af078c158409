"""Tiny valid evidence files made in code, for the demo (``workflow.seeds``): a one-page
PDF with a line of text, written by hand (objects, cross-reference table, trailer), and a
small PNG (Pillow). Both pass ``workflow.bukti.periksa`` like any upload."""
from __future__ import annotations

import io


def pdf_kecil(teks: str) -> bytes:
    """A one-page A4 PDF showing ``teks`` (Latin-1, Helvetica)."""
    aman = teks.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1", "replace")
    isi = b"BT /F1 14 Tf 72 770 Td (" + aman + b") Tj ET"
    objek = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(isi) + isi + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    letak = []
    for n, badan in enumerate(objek, start=1):
        letak.append(out.tell())
        out.write(b"%d 0 obj\n" % n + badan + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objek) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % p for p in letak))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objek) + 1, xref))
    return out.getvalue()


def png_kecil(warna: str = "#8b0000", ukuran: tuple[int, int] = (320, 200)) -> bytes:
    from PIL import Image, ImageDraw

    gambar = Image.new("RGB", ukuran, "white")
    gambar_ = ImageDraw.Draw(gambar)
    gambar_.rectangle([10, 10, ukuran[0] - 10, ukuran[1] - 10], outline=warna, width=6)
    out = io.BytesIO()
    gambar.save(out, "PNG")
    return out.getvalue()
