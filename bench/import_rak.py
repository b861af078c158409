"""Benchmark: the import's dry run of a large RAK file (workflow.imports).

Builds, in a throw-away SQLite database, a RAK Sekretariat draft with ``--rows`` rows
(3 kegiatan each), exports it to .xlsx with the real exporter (webapp.exports), changes
every tenth row's cost offline (openpyxl, as a planner would), then measures what one
upload pays before anything is saved:

* reading the file: the archive checks (sizes, macros, DTDs) and openpyxl in read-only
  mode with defusedxml (``baca_berkas``);
* the dry run against the draft (``rencana``: matching by kunci, comparing every cell);
* both together (median of ``--runs``), and the peak memory Python allocated for one
  upload (tracemalloc), next to the file's size;
* for comparison, the same table pasted as text (``baca_teks`` + ``rencana``);
* the same file converted by LibreOffice (when ``soffice`` is installed) to .ods and to a
  semicolon CSV as an Indonesian office saves it, each read and planned the same way.

    .venv/bin/python bench/import_rak.py [--rows 300] [--runs 10]

Target (issue 5): a 300-row dry run under 2 s. Nothing here is asserted: tests never
check wall-clock times.
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def build(session, rows: int):
    """A draft RAK with ``rows`` rows: (dokumen, the penyusun)."""
    from _common import kantor, rak_draf
    from workflow.dokumen import operations
    from workflow.dokumen.operations import BarisData

    sekretaris = kantor(session, "sekretaris")["sekretaris"]
    dokumen = rak_draf(session, sekretaris)
    units = ["kul", "rendatin", "teknis_hupmas", "hukum_sdm", "semua"]
    operations.isi_baris_massal(session, dokumen, [
        BarisData(sasaran=f"Sasaran {no % 7 + 1}", indikator=f"Persentase capaian kegiatan {no}", target="97,5%",
                  kegiatan=[f"Rapat koordinasi {no}", f"Monitoring {no}", f"Evaluasi {no}"],
                  kode_output="CQ.6709.QGE.003", sel_jadwal=[1, 2, 3, (no % 12) + 1], biaya=1_000_000 + no,
                  pelaksana=units[no % len(units)])
        for no in range(1, rows + 1)], sekretaris)
    session.commit()
    return dokumen, sekretaris


def edited(data: bytes, every: int = 10) -> tuple[bytes, int]:
    """The exported file with every ``every``-th row's cost changed: (file, rows changed)."""
    import openpyxl

    from workflow import sheet_layout as L

    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    col = next(c.column for c in ws[L.HEADER_ROW] if c.value == L.RAK_AFTER_SCHEDULE[0][1])
    changed, row = 0, L.RAK_DATA_ROW
    while isinstance(ws.cell(row=row, column=1).value, (int, float)):
        if (row - L.RAK_DATA_ROW) % every == every - 1:
            ws.cell(row=row, column=col, value=5_000_000 + row)
            changed += 1
        row += 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), changed


def as_text(dokumen) -> str:
    """The draft as a table pasted from Word (office labels, months 1..12 marked v / -)."""
    from workflow import schedule
    from workflow.dokumen.checks import rupiah
    from workflow.dokumen.operations import pilihan_pelaksana

    labels = dict(pilihan_pelaksana(dokumen.jenis))
    lines = ["No\tSasaran Program\tIndikator Kinerja\tTarget\tKegiatan Yang Akan Dilaksanakan\tBulan Pelaksanaan"
             + "\t" * 11 + "\tPerkiraan Biaya\tPelaksana",
             "\t\t\t\t\t" + "\t".join(str(m) for m in range(1, 13)) + "\t\t"]
    for no, b in enumerate(dokumen.revisi_aktif.baris, start=1):
        marks = ["v" if m in schedule.bulan(b.jadwal) else "-" for m in range(1, 13)]
        kegiatan = " ".join(f"- {k.uraian}" for k in b.kegiatan) + f" {b.kode_output}"
        lines.append("\t".join([f"{no}.", b.sasaran, b.indikator, b.target, kegiatan, *marks, rupiah(b.biaya),
                                labels[b.pelaksana]]))
    return "\n".join(lines) + "\n"


def converted(data: bytes, target: str) -> bytes | None:
    """``data`` (an .xlsx) converted by LibreOffice headless in an Indonesian profile, or None
    when LibreOffice is not installed."""
    import shutil
    import subprocess
    import tempfile

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "rak.xlsx"
        source.write_bytes(data)
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
                        "--convert-to", target, "--outdir", tmp, str(source)], check=False, capture_output=True, timeout=120,
                       env={"LANG": "id_ID.UTF-8", "HOME": tmp, "PATH": "/usr/bin:/bin"})
        out = Path(tmp) / f"rak.{target.split(':')[0]}"
        return out.read_bytes() if out.exists() else None


def measure(runs: int, fn) -> tuple[float, float, object]:
    """(median ms, peak MB allocated during one run, the last result)."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / (1024 * 1024), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--runs", type=int, default=10, help="timed runs per measurement (median reported)")
    args = parser.parse_args(argv)

    from _common import app_sementara

    with app_sementara() as session:
        try:
            from webapp.exports.xlsx import dokumen_xlsx
        except ImportError:  # the exporter not installed: the tests' writer of the same layout
            from tests.import_corpus.corpus import ekspor_tata_letak as dokumen_xlsx
        from workflow import imports
        from workflow.dokumen import operations
        from workflow.dokumen.diff import JenisPerubahan
        from workflow.dokumen.models import JenisDokumen

        t0 = time.perf_counter()
        dokumen, user = build(session, args.rows)
        build_s = time.perf_counter() - t0
        data, changed = edited(dokumen_xlsx(dokumen))
        text = as_text(dokumen)

        def read():
            return imports.baca_berkas(data, "rak.xlsx", dokumen.jenis)

        tabel = read()

        def plan():
            return imports.rencana(session, dokumen, tabel, user)

        def upload():
            return imports.rencana(session, dokumen, read(), user)

        def paste():
            return imports.rencana(session, dokumen, imports.baca_teks(text, dokumen.jenis), user)

        read_ms, _, _ = measure(args.runs, read)
        plan_ms, _, _ = measure(args.runs, plan)
        upload_ms, upload_mb, result = measure(args.runs, upload)
        paste_ms, paste_mb, pasted = measure(args.runs, paste)

        print(f"rows in the draft / the file:  {len(dokumen.revisi_aktif.baris)} / {len(tabel.baris)} "
              f"(3 kegiatan each; built in {build_s:.1f} s)")
        print(f"file size:                     {len(data) / 1024:.0f} kB (.xlsx from webapp.exports, "
              f"{changed} costs changed offline)")
        print(f"rows changed / found changed:  {changed} / {result.hitung(JenisPerubahan.DIUBAH)} "
              f"({result.ringkasan} {len(result.masalah)} masalah)")
        print(f"read the .xlsx:                {read_ms:.0f} ms (checks + openpyxl read-only, median of {args.runs})")
        print(f"dry run against the draft:     {plan_ms:.0f} ms (median of {args.runs})")
        print(f"upload -> dry run, total:      {upload_ms:.0f} ms (median of {args.runs}); target < 2000 ms")
        print(f"peak Python memory, upload:    {upload_mb:.1f} MB (tracemalloc)")
        print(f"pasted text -> dry run:        {paste_ms:.0f} ms, peak {paste_mb:.1f} MB ({pasted.ringkasan})")
        for label, target in ((".ods", "ods"), (".csv", "csv:Text - txt - csv (StarCalc):59,34,76,1,,1057,false,true,true")):
            other = converted(data, target)
            if other is None:
                print(f"{label}: LibreOffice (soffice) not installed, not measured")
                continue
            ms, mb, found = measure(args.runs, lambda other=other, label=label: imports.rencana(
                session, dokumen, imports.baca_berkas(other, "rak" + label, dokumen.jenis), user))
            print(f"{label + ' -> dry run:':<31}{ms:.0f} ms, peak {mb:.1f} MB, {len(other) / 1024:.0f} kB "
                  f"({found.ringkasan})")
        # Applying: the pasted table into an empty draft (RAK Komisioner), once, then rolled back.
        empty = operations.buat_dokumen(session, dokumen.satker, 2025, JenisDokumen.RAK_SEKRETARIAT, user)
        session.commit()
        new_plan = imports.rencana(session, empty, imports.baca_teks(text, empty.jenis), user)
        start = time.perf_counter()
        with session.begin_nested() as nested:
            imports.terapkan(session, empty, user, new_plan)
            nested.rollback()
        apply_ms = (time.perf_counter() - start) * 1000
        print(f"apply {new_plan.ringkasan:<22} {apply_ms:.0f} ms (into an empty draft, one transaction, rolled back)")
        import resource

        print(f"process peak RSS:              {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
