"""Benchmark: a RAK table copied out of a PDF (``pdftotext -layout``) pasted into the
import, up to its dry run (issue 19, item 6).

The text is the corpus's own copy of Kota Batu's RAK Sekretariat as LibreOffice prints it
(tests/import_corpus/pdf/batu-rak-sekretariat.utuh.layout.txt: 15 rows over two pages,
wrapped cells, a header repeated on each page), pasted once and its pages ``--copies - 1`` times
more after it (20 copies: 300 rows, 40 pages). It measures, against an empty draft (every row new):

* reading the text: finding the columns page by page and the rows (``baca_teks``);
* the dry run (``rencana``);
* both together (median of ``--runs``), and the peak memory Python allocated for one
  paste (tracemalloc), next to the text's size.

    .venv/bin/python bench/import_pdf.py [--copies 20] [--runs 5]

Target (issue 19): a 300-row paste from PDF text to dry run under 2 s, memory bounded
as the .xlsx upload's (bench/import_rak.py). Nothing here is asserted: tests never
check wall-clock times.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SUMBER = ROOT / "tests" / "import_corpus" / "pdf" / "batu-rak-sekretariat.utuh.layout.txt"


def _median_ms(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    from _common import app_sementara, kantor, rak_draf

    from workflow import imports

    one = SUMBER.read_text(encoding="utf-8").split("\n")
    pages = one[next(i for i, line in enumerate(one) if "Bulan Pelaksanaan" in line):]  # without the title
    text = "\n".join(one + pages * (args.copies - 1))
    with app_sementara() as session:
        user = kantor(session, "sekretaris")["sekretaris"]
        dokumen = rak_draf(session, user)
        session.commit()
        read_ms, tabel = _median_ms(lambda: imports.baca_teks(text, dokumen.jenis), args.runs)
        plan_ms, plan = _median_ms(lambda: imports.rencana(session, dokumen, tabel, user), args.runs)
        total_ms, _plan = _median_ms(
            lambda: imports.rencana(session, dokumen, imports.baca_teks(text, dokumen.jenis), user), args.runs)
        tracemalloc.start()
        imports.rencana(session, dokumen, imports.baca_teks(text, dokumen.jenis), user)
        _now, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"pasted text:                   {len(text) / 1024:.0f} kB, {text.count(chr(10)) + 1} lines "
              f"({args.copies} copies of {SUMBER.name})")
        print(f"rows read / problems:          {len(tabel.baris)} / {len(plan.masalah)} ({plan.ringkasan})")
        print(f"read the text (columns, rows): {read_ms:.0f} ms (median of {args.runs})")
        print(f"dry run against the draft:     {plan_ms:.0f} ms (median of {args.runs})")
        print(f"paste -> dry run, total:       {total_ms:.0f} ms (median of {args.runs}); target < 2000 ms")
        print(f"peak Python memory, paste:     {peak / 1e6:.1f} MB (tracemalloc)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
