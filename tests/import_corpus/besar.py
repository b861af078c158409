"""A valid but huge office workbook (issue 14, point 6): a RAK table of 20 columns and
20 000 data rows, about 4 MB, every row well formed. Only its length is wrong (the
import takes 2000 rows), so refusing it must not cost reading all of it."""
from __future__ import annotations

import hashlib
import io

import xlsxwriter

KOLOM = ["No", "Sasaran Program", "Indikator Kinerja", "Target", "Kegiatan Yang Akan Dilaksanakan", "Kode Output",
         *[str(m) for m in range(1, 13)], "Perkiraan Biaya", "Pelaksana"]
_UNIT = ["Subbag KUL", "Subbag Rendatin", "Subbag Teknis dan Hupmas", "Subbag Hukum dan SDM", "Semua Subbag"]


def buku_besar(baris: int = 20_000) -> bytes:
    """An office RAK of ``baris`` data rows x 20 cells (months marked v/-), as Excel writes it
    (shared strings)."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"constant_memory": False})
    ws = wb.add_worksheet("RAK Sekretariat")
    ws.write_row(0, 0, KOLOM)
    for no in range(1, baris + 1):
        acak = hashlib.sha256(str(no).encode()).hexdigest()  # text that does not compress away, as real notes
        marks = ["v" if (no + m) % 3 else "-" for m in range(12)]
        ws.write_row(no, 0, [
            no, f"Sasaran strategis {no % 97 + 1}: terwujudnya tata kelola pemilu {no % 13} ({acak[::-1]})",
            f"Persentase capaian kegiatan nomor {no} yang dilaksanakan tepat waktu (berkas {acak[:40]})", f"{90 + no % 10}%",
            f"Rapat koordinasi, supervisi dan monitoring pelaksanaan kegiatan {no} di {no * 7919 % 100003} desa "
            f"dan kelurahan, bimbingan teknis badan adhoc {no * 104729 % 1000003} tahun 2024, surat {acak[24:]}",
            f"CQ.{6700 + no % 90:04d}.QGE.{no % 999 + 1:03d}", *marks, 1_000_000 + no * 37, _UNIT[no % len(_UNIT)],
        ])
    wb.close()
    return out.getvalue()
