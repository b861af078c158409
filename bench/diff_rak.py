"""Benchmark: comparing two revisions of a large RAK (workflow.dokumen.diff.bandingkan).

Builds, in a throw-away SQLite database, a RAK with ``--rows`` rows (3 kegiatan each),
submits, signs, approves and revises it, changes every tenth row in the new revision,
then measures:

* the diff itself, on revisions already in memory (median of ``--runs``), and a diff
  that finds nothing (a revision with itself: the floor, no display formatting);
* loading both revisions from a fresh session plus the diff (median), and the number of
  SQL statements that takes;
* the diff against a baseline: serialising one revision (canonical.teks, what is hashed
  on submit), so the ratio says something on any machine.

    .venv/bin/python bench/diff_rak.py [--rows 300] [--runs 25]

Nothing here is asserted: tests never check wall-clock times.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def medians_ms(runs: int, **fns) -> dict[str, float]:
    """Median time of each function, in ms. The functions take turns run by run, so a
    busy machine slows them alike and their ratios stay meaningful."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(t) for name, t in times.items()}


def build(session, rows: int):
    """A reviewed RAK with ``rows`` rows, revised, 1 row in 10 changed: (dokumen id, changed rows)."""
    from _common import kantor, rak_draf
    from workflow.dokumen import operations
    from workflow.dokumen.models import AlasanRevisi
    from workflow.dokumen.operations import BarisData, ProgramData

    akun = kantor(session, "sekretaris", "ketua", "reviewer")
    sekretaris, ketua, reviewer = akun["sekretaris"], akun["ketua"], akun["reviewer"]
    dokumen = rak_draf(session, sekretaris)
    operations.simpan_program(session, dokumen, sekretaris, [
        ProgramData("076.01.CQ", "Program Penyelenggaraan Pemilu dalam Proses Konsolidasi Demokrasi", 18_384_118_000),
        ProgramData("076.01.WA", "Program Dukungan Manajemen", 1_143_402_000),
    ], versi=None)

    def data(no: int, biaya: int, sel: list[int]) -> BarisData:
        return BarisData(
            sasaran=f"Sasaran {no % 7 + 1}", indikator=f"Persentase capaian kegiatan {no}", target="97,5%",
            kegiatan=[f"Rapat koordinasi {no}", f"Monitoring {no}", f"Evaluasi {no}"],
            kode_output="CQ.6709.QGE.003", sel_jadwal=sel, biaya=biaya, pelaksana="kul")

    for no in range(1, rows + 1):
        operations.simpan_baris(session, dokumen, sekretaris, data(no, 1_000_000 + no, [1, 2, 3]))
    session.commit()

    operations.ajukan(session, dokumen, sekretaris)
    operations.tandatangani(session, dokumen, sekretaris)
    operations.tandatangani(session, dokumen, ketua)
    operations.setujui(session, dokumen, reviewer)
    operations.revisi(session, dokumen, sekretaris, AlasanRevisi.PERUBAHAN_ANGGARAN)
    session.commit()

    baru = dokumen.revisi_aktif
    changed = 0
    for i, baris in enumerate(list(baru.baris)):
        if i % 10 == 4:
            no = i + 1
            operations.simpan_baris(session, dokumen, sekretaris, data(no, 2_000_000 + no, [2, 3, 4]), kunci=baris.kunci)
            changed += 1
    session.commit()
    return dokumen.id, changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--runs", type=int, default=25, help="timed runs per measurement (median reported)")
    args = parser.parse_args(argv)

    from _common import app_sementara

    with app_sementara() as session:
        from sqlalchemy import event, select

        from tenants.db import db
        from workflow.dokumen import canonical
        from workflow.dokumen.diff import bandingkan
        from workflow.dokumen.models import Revisi

        t0 = time.perf_counter()
        dokumen_id, changed = build(session, args.rows)
        build_s = time.perf_counter() - t0

        def load() -> tuple[Revisi, Revisi]:
            lama, baru = session.scalars(
                select(Revisi).where(Revisi.dokumen_id == dokumen_id).order_by(Revisi.nomor)).all()
            return lama, baru

        statements: list[str] = []

        def count(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        def load_and_diff():
            session.expunge_all()
            return bandingkan(*load())

        # One counted run from an empty session: what a page showing the diff pays.
        session.expunge_all()
        engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        hasil = load_and_diff()
        event.remove(engine, "before_cursor_execute", count)
        n_statements = len(statements)

        lama, baru = load()
        ms = medians_ms(args.runs, diff=lambda: bandingkan(lama, baru), same=lambda: bandingkan(baru, baru),
                        teks=lambda: canonical.teks(baru))
        diff_ms, same_ms, teks_ms = ms["diff"], ms["same"], ms["teks"]
        load_diff_ms = medians_ms(args.runs, load_and_diff=load_and_diff)["load_and_diff"]

        print(f"rows per revision:             {len(baru.baris)} (3 kegiatan each; built in {build_s:.1f} s)")
        print(f"rows changed / found changed:  {changed} / {hasil.diubah} "
              f"(ditambah {hasil.ditambah}, dihapus {hasil.dihapus}, dipindah {hasil.dipindah})")
        print(f"total biaya before -> after:   {hasil.total_biaya.teks_lama} -> {hasil.total_biaya.teks_baru}")
        print(f"diff, revisions in memory:     {diff_ms:.2f} ms (median of {args.runs})")
        print(f"diff, nothing changed:         {same_ms:.2f} ms (the new revision with itself)")
        print(f"load both + diff:              {load_diff_ms:.2f} ms (median of {args.runs})")
        print(f"SQL statements, load + diff:   {n_statements}")
        print(f"serialise one revision:        {teks_ms:.2f} ms (canonical.teks, median of {args.runs})")
        print(f"diff / serialise one revision = {diff_ms / teks_ms:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
