"""Documents out of the application: Excel in the offices' layouts (``xlsx``), the LKj in
Word (``word``).

``webapp.downloads`` serves them to the browser, ``sakip export`` (``ekspor_berkas``
below) writes them to a file. PDF is another module's (``webapp.pdf``); the command
asks it only when the file name ends in ``.pdf``.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenants import accounts
from tenants.satker import Tingkat
from workflow.dokumen.models import Dokumen, JenisDokumen, Revisi


class EksporGagal(Exception):
    """An export that cannot be made; the message is one sentence for the user."""


REKAP = "rekap"


def ekspor_berkas(session: Session, jenis: str, kode: str, tahun: int, berkas: str | Path,
                  nomor_revisi: int | None = None) -> str:
    """Write one export to ``berkas``, in the format its extension names (.xlsx, .pdf, .docx for an LKj).

    ``jenis`` is a JenisDokumen value or ``rekap``. Returns what was written, in words;
    raises ``EksporGagal`` (or ``accounts.AccountError`` for an unknown office).
    """
    from webapp.exports import xlsx

    jenis_dokumen = _jenis(jenis)
    path = Path(berkas)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".pdf", ".docx"):
        raise EksporGagal(f"Format berkas tidak dikenal: {path.name} (gunakan akhiran .xlsx, .pdf atau .docx).")
    if not 2000 <= tahun <= 2100:
        raise EksporGagal(f"Tahun {tahun} di luar 2000-2100.")
    satker = accounts.find_satker(session, kode)
    if jenis_dokumen is None:
        return _ekspor_rekap(session, satker, tahun, path)

    if suffix == ".docx" and jenis_dokumen is not JenisDokumen.LKJ:
        raise EksporGagal("Hanya Laporan Kinerja (lkj) yang dapat diekspor ke .docx; gunakan .xlsx atau .pdf.")
    dokumen, revisi = _revisi(session, satker, tahun, jenis_dokumen, nomor_revisi)
    if suffix == ".docx":
        from webapp.exports import word
        data = word.dokumen_docx(dokumen, revisi)
    else:
        data = _pdf(dokumen, revisi) if suffix == ".pdf" else xlsx.dokumen_xlsx(dokumen, revisi)
    _tulis(path, data)
    return f"{dokumen}, {revisi.label} ditulis ke {path} ({_bita(data)})."


def _jenis(jenis: str) -> JenisDokumen | None:
    """The kind of document asked for; None for the recap."""
    if jenis == REKAP:
        return None
    try:
        return JenisDokumen(jenis)
    except ValueError:
        pilihan = ", ".join([*(j.value for j in JenisDokumen), REKAP])
        raise EksporGagal(f"Jenis tidak dikenal: {jenis} (pilih {pilihan}).") from None


def _ekspor_rekap(session: Session, satker, tahun: int, path: Path) -> str:
    from webapp.exports import xlsx

    if path.suffix.lower() != ".xlsx":
        raise EksporGagal("Rekap hanya tersedia sebagai .xlsx.")
    if satker.tingkat is Tingkat.KABKOTA:
        raise EksporGagal(f"Rekap hanya untuk KPU Provinsi dan KPU RI; {satker.nama} adalah KPU Kabupaten/Kota.")
    data = xlsx.rekap_xlsx(session, satker, tahun)
    _tulis(path, data)
    return f"Rekap {satker.nama} {tahun} ditulis ke {path} ({_bita(data)})."


def _revisi(session: Session, satker, tahun: int, jenis: JenisDokumen,
            nomor_revisi: int | None) -> tuple[Dokumen, Revisi]:
    """The document of that office, year and kind, and its revision ``nomor_revisi`` (the current one by default)."""
    dokumen = session.scalar(select(Dokumen).where(
        Dokumen.satker_id == satker.id, Dokumen.tahun == tahun, Dokumen.jenis == jenis))
    if dokumen is None:
        raise EksporGagal(f"{jenis.label} {satker.nama} tahun {tahun} belum ada.")
    nomor = dokumen.nomor_revisi if nomor_revisi is None else nomor_revisi
    revisi = None
    if 0 <= nomor <= 10_000:
        revisi = session.scalar(select(Revisi).where(Revisi.dokumen_id == dokumen.id, Revisi.nomor == nomor))
    if revisi is None:
        raise EksporGagal(f"{dokumen} tidak memiliki Revisi ke-{nomor}.")
    return dokumen, revisi


def _pdf(dokumen: Dokumen, revisi: Revisi) -> bytes:
    try:
        from webapp.pdf import pdf_dokumen  # written beside this module; may not exist yet
    except ImportError:
        raise EksporGagal("Ekspor PDF belum tersedia.") from None
    return pdf_dokumen(dokumen, revisi)


def _bita(data: bytes) -> str:
    return f"{len(data):,} bita".replace(",", ".")


def _tulis(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise EksporGagal(f"Tidak dapat menulis {path}: {exc.strerror or exc}.") from None
