"""Which reader opens an uploaded file, decided by what it holds, not by its name.

* a zip whose ``mimetype`` is an OpenDocument spreadsheet: .ods (workflow.imports.ods);
* any other zip: .xlsx (workflow.imports.berkas; it refuses a zip that is no workbook),
  except a Word document or another OpenDocument file, refused with what to do instead;
* the OLE container of Excel 97-2003 (.xls) or of a password-locked workbook: refused
  with the remedy (save again as .xlsx, .ods or .csv);
* a PDF or any other binary file: refused, saying how to bring its table in;
* text: CSV (workflow.imports.teks_csv), separator and encoding decided there.

Every refusal says what to do instead.
"""
from __future__ import annotations

import io
import zipfile

from tenants.teks import N_, _
from workflow.imports.berkas import (_OLE, SIMPAN_ULANG, XLS_DITOLAK, BerkasDitolak, Buku, baca_xlsx,
                                     periksa_ukuran)
from workflow.imports.ods import MIMETYPE, baca_ods
from workflow.imports.teks_csv import baca_csv

# The types the upload form offers (its ``accept``): names and media types.
DITERIMA = (".xlsx", ".ods", ".csv", ".txt", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.oasis.opendocument.spreadsheet", "text/csv")

_TEMPEL = N_("Untuk tabel dari Word atau PDF, salin tabelnya lalu tempel di kotak teks.")


def buka_berkas(data: bytes, nama: str | None) -> Buku:
    """The workbook in ``data``, whatever spreadsheet format it is in; ``BerkasDitolak`` else."""
    periksa_ukuran(data)
    if data.startswith(_OLE):
        raise BerkasDitolak(_(XLS_DITOLAK))
    if data.startswith(b"PK"):
        jenis = _jenis_zip(data)
        if jenis == "ods":
            return baca_ods(data)
        if jenis == "docx":
            raise BerkasDitolak(_("Berkas ini dokumen Word, bukan lembar kerja. %(saran)s", saran=_(_TEMPEL)))
        if jenis == "odf":
            raise BerkasDitolak(_("Berkas ini dokumen OpenDocument yang bukan lembar kerja (mis. .odt). %(saran)s "
                                  "Lembar kerja LibreOffice Calc (.ods) diterima.", saran=_(_TEMPEL)))
        return baca_xlsx(data, nama)
    if data.startswith(b"%PDF"):
        raise BerkasDitolak(_("Berkas PDF tidak dapat dibaca sebagai tabel (bukan buku kerja Excel, .ods atau CSV). "
                              "%(saran)s", saran=_(_TEMPEL)))
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BerkasDitolak(_("Berkas ini bukan buku kerja Excel (.xlsx), LibreOffice (.ods) atau CSV. %(saran)s",
                              saran=_(SIMPAN_ULANG)))
    return baca_csv(data, nama)


def _jenis_zip(data: bytes) -> str:
    """"ods", "odf" (another OpenDocument file), "docx", or "xlsx" (anything else: the
    .xlsx reader checks it and refuses what is no workbook)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = b""
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= 200:
                mimetype = archive.read("mimetype").strip()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, RuntimeError,
            NotImplementedError):
        return "xlsx"  # its reader says the archive is broken
    if mimetype == MIMETYPE:
        return "ods"
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        return "odf"
    if "word/document.xml" in names:
        return "docx"
    return "xlsx"


__all__ = ["DITERIMA", "buka_berkas"]
