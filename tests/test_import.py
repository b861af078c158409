"""Excel and pasted tables back in: the dry run, then all or nothing (issue 5, points 3 and 4).

Files come from the real exporter (webapp.exports) when it is installed, otherwise from a
writer of the same layout (tests/import_corpus/corpus.py); office layouts and malformed
files are made by tests/import_corpus/corpus.py.
"""
from __future__ import annotations

import io
import os
import re

import openpyxl
import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token_from
from tests.documents import baris_contoh
from tests.import_corpus import corpus
from tests.test_diff import buka_revisi_baru
from workflow import imports, schedule, sheet_layout as L
from workflow.dokumen import operations
from workflow.dokumen.diff import Bagian, JenisPerubahan, bandingkan
from workflow.dokumen.models import AlasanRevisi, Dokumen, JenisDokumen
from workflow.dokumen.operations import BarisData, Kepala
from workflow.errors import IsiTidakValid, Konflik
from workflow.imports import sel
from workflow.schedule import BentukJadwal

try:
    from webapp.exports.xlsx import dokumen_xlsx as _exporter
except ImportError:  # until the exporter is installed, the layout writer stands in
    _exporter = None
if os.environ.get("SAKIP_IMPORT_TESTS_LAYOUT_WRITER"):  # run the tests on the stand-in on purpose
    _exporter = None


def ekspor(dokumen: Dokumen, revisi=None) -> bytes:
    if _exporter is not None:
        return _exporter(dokumen, revisi)
    return corpus.ekspor_tata_letak(dokumen, revisi)


def ubah_sel(data: bytes, changes: dict[tuple[int, str], object]) -> bytes:
    """Edit an exported file offline as a planner would (openpyxl): {(data row no, header label): value}."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    headers = {str(c.value).strip(): c.column for c in ws[L.HEADER_ROW] if c.value}
    first = L.RAK_DATA_ROW if "Perkiraan Biaya" in headers else L.PK_DATA_ROW
    for (no, label), value in changes.items():
        ws.cell(row=first + no - 1, column=headers[label], value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def dry_run(db, dokumen, data: bytes, user=None, **kw) -> imports.Rencana:
    tabel = imports.baca_berkas(data, "rak.xlsx", dokumen.jenis)
    return imports.rencana(db.session, dokumen, tabel, user, **kw)


def apply(db, dokumen, user, plan) -> None:
    try:
        imports.terapkan(db.session, dokumen, user, plan)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def cells(plan: imports.Rencana) -> list[tuple[str, str, str]]:
    return [(s.kolom, s.lama, s.baru) for p in plan.perubahan for s in p.sel]


@pytest.fixture
def rak(make_dokumen):
    return make_dokumen("rak_sekretariat", baris=3)


# -- round trip (point 4) ------------------------------------------------------------------------

@pytest.mark.parametrize("jenis", ["rak_sekretariat", "rak_komisioner", "pk_sekretariat", "rkt_komisi"])
def test_an_exported_file_comes_back_unchanged(db, make_dokumen, batu, jenis):
    dokumen = make_dokumen(jenis, baris=3)
    plan = dry_run(db, dokumen, ekspor(dokumen), getattr(batu, dokumen.jenis.penyusun.value))
    assert plan.sumber == "ekspor"
    assert plan.kosong and not plan.masalah and not plan.penolakan and not plan.basi, plan.teks()
    assert plan.ringkasan == "Tidak ada perubahan."
    assert "Tidak ada perubahan." in plan.teks()


@pytest.mark.parametrize("bentuk", [BentukJadwal.TRIWULAN, BentukJadwal.MINGGU])
def test_every_schedule_shape_comes_back_unchanged(db, rak, batu, bentuk):
    revisi = rak.revisi_aktif
    operations.ubah_kepala(db.session, rak, batu.sekretaris, Kepala(tempat="Batu", pagu=revisi.pagu,
                                                                     bentuk_jadwal=bentuk), versi=None)
    operations.simpan_baris(db.session, rak, batu.sekretaris, BarisData(
        indikator="Indikator berjadwal khusus", target="2 Laporan", kegiatan=["Rapat"], sel_jadwal=[1, 3],
        biaya=0, pelaksana="semua"))
    db.session.commit()
    db.session.expire_all()
    plan = dry_run(db, rak, ekspor(rak), batu.sekretaris)
    assert plan.kosong and not plan.masalah, plan.teks()


def test_a_pk_with_tujuan_and_a_sasaran_without_indikator_comes_back_unchanged(db, make_dokumen, batu):
    pk = make_dokumen("pk_komisi")
    sasaran = pk.revisi_aktif.sasaran
    operations.simpan_sasaran(db.session, pk, batu.ketua, sasaran[0].uraian, "Tujuan 1: pemilu berintegritas",
                              kunci=sasaran[0].kunci)
    operations.simpan_sasaran(db.session, pk, batu.ketua, "Sasaran tanpa indikator (belum lengkap)")
    db.session.commit()
    plan = dry_run(db, pk, ekspor(pk), batu.ketua)
    assert plan.kosong and not plan.masalah, plan.teks()


def test_three_cells_changed_offline_are_exactly_the_three_changes_listed_applied_and_diffed(db, rak, batu, people):
    lama, baru = buka_revisi_baru(db, rak, people)
    assert baru.label == "Revisi ke-1"
    data = ubah_sel(ekspor(rak), {
        (1, "Perkiraan Biaya"): 1_500_000,
        (2, "Target"): "90%",
        (3, "Kegiatan Yang Akan Dilaksanakan"): "- Rapat koordinasi 3\n- Monitoring 3\n- Evaluasi akhir 3",
    })
    plan = dry_run(db, rak, data, batu.sekretaris)
    assert not plan.masalah and not plan.basi and plan.bisa_diterapkan, plan.teks()
    assert [p.jenis for p in plan.perubahan] == [JenisPerubahan.DIUBAH] * 3
    assert cells(plan) == [
        ("biaya", "Rp 1.000.000", "Rp 1.500.000"),
        ("target", "97,5%", "90%"),
        ("kegiatan", "Rapat koordinasi 3; Monitoring 3", "Rapat koordinasi 3; Monitoring 3; Evaluasi akhir 3"),
    ]
    assert plan.ringkasan == "Diubah 3 (3 sel diubah)."
    assert [p.baris_berkas for p in plan.perubahan] == [L.RAK_DATA_ROW, L.RAK_DATA_ROW + 1, L.RAK_DATA_ROW + 2]

    apply(db, rak, batu.sekretaris, plan)
    db.session.expire_all()
    hasil = bandingkan(rak.revisi_ke(0), rak.revisi_aktif)
    assert [(p.jenis, p.urutan_baru) for p in hasil.semua] == [(JenisPerubahan.DIUBAH, n) for n in (1, 2, 3)]
    assert [(s.kolom, s.lama, s.baru) for p in hasil.semua for s in p.sel] == cells(plan)
    assert not hasil.kepala
    # and the file, exported again, is what the draft now holds
    assert dry_run(db, rak, ekspor(rak), batu.sekretaris).kosong


def test_rows_added_removed_and_moved_in_an_exported_file(db, rak, batu):
    data = ekspor(rak)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    first = L.RAK_DATA_ROW
    rows = [[c.value for c in ws[first + i]] for i in range(3)]
    # new order: row 3, row 1 (row 2 removed), then a new row typed without kunci
    new = list(rows[0])
    new[1], new[2], new[4], new[-1] = "Sasaran baru", "Persentase indikator baru", "- Rapat baru", None
    for i, values in enumerate([rows[2], rows[0], new]):
        for col, value in enumerate(values, start=1):
            ws.cell(row=first + i, column=col, value=value)
    for col in range(1, len(rows[0]) + 1):
        ws.cell(row=first + 3, column=col, value=None)  # the old totals row goes with the removed row
    ws.cell(row=first + 3, column=1, value="Jumlah")
    out = io.BytesIO()
    wb.save(out)
    plan = dry_run(db, rak, out.getvalue(), batu.sekretaris)
    assert not plan.masalah, plan.teks()
    kinds = sorted((p.jenis.value, p.judul) for p in plan.perubahan)
    assert kinds == [("dihapus", "Persentase capaian kegiatan 2"), ("dipindah", "Persentase capaian kegiatan 3"),
                     ("ditambah", "Persentase indikator baru")]
    moved = next(p for p in plan.perubahan if p.jenis is JenisPerubahan.DIPINDAH)
    assert moved.keterangan == "dipindah dari urutan 3 ke 1"
    apply(db, rak, batu.sekretaris, plan)
    db.session.expire_all()
    assert [b.indikator for b in rak.revisi_aktif.baris] == [
        "Persentase capaian kegiatan 3", "Persentase capaian kegiatan 1", "Persentase indikator baru"]
    assert dry_run(db, rak, ekspor(rak), batu.sekretaris).kosong


def test_a_pk_edited_offline_changes_targets_sasaran_and_programs(db, make_dokumen, batu):
    pk = make_dokumen("pk_sekretariat")
    wb = openpyxl.load_workbook(io.BytesIO(ekspor(pk)))
    ws = wb.worksheets[0]
    target_col = next(c.column for c in ws[L.HEADER_ROW] if c.value == "TARGET")
    ws.cell(row=L.PK_DATA_ROW, column=target_col, value="95%")
    for row in ws.iter_rows():
        for c in row:
            if c.value == 1_143_402_000:
                c.value = 1_200_000_000
    out = io.BytesIO()
    wb.save(out)
    plan = dry_run(db, pk, out.getvalue(), batu.sekretaris)
    assert not plan.masalah, plan.teks()
    assert [(p.bagian, p.jenis) for p in plan.perubahan] == [(Bagian.INDIKATOR, JenisPerubahan.DIUBAH),
                                                           (Bagian.PROGRAM, JenisPerubahan.DIUBAH)]
    assert cells(plan) == [("target", "100%", "95%"), ("anggaran", "Rp 1.143.402.000", "Rp 1.200.000.000")]
    apply(db, pk, batu.sekretaris, plan)
    db.session.expire_all()
    revisi = pk.revisi_aktif
    assert revisi.sasaran[0].indikator[0].target == "95%" and revisi.program[1].anggaran == 1_200_000_000


# -- stale and foreign files -----------------------------------------------------------------------

def test_a_file_from_an_older_revision_is_refused_unless_applied_onto_the_draft_knowingly(db, rak, batu, people):
    old_file = ubah_sel(ekspor(rak), {(1, "Perkiraan Biaya"): 2_000_000})
    buka_revisi_baru(db, rak, people)
    plan = dry_run(db, rak, old_file, batu.sekretaris)
    assert plan.basi == "Berkas ini diekspor dari Revisi ke-0; dokumen sekarang Revisi ke-1."
    assert not plan.bisa_diterapkan and "Revisi ke-0" in plan.terhalang
    with pytest.raises(IsiTidakValid):
        imports.terapkan(db.session, rak, batu.sekretaris, plan)

    plan = dry_run(db, rak, old_file, batu.sekretaris, ke_draf=True)
    assert plan.bisa_diterapkan and cells(plan) == [("biaya", "Rp 1.000.000", "Rp 2.000.000")]
    apply(db, rak, batu.sekretaris, plan)
    assert rak.revisi_aktif.baris[0].biaya == 2_000_000 and rak.nomor_revisi == 1


def test_a_file_exported_before_a_later_save_is_stale_too(db, rak, batu):
    data = ekspor(rak)
    first = rak.revisi_aktif.baris[0]
    operations.simpan_baris(db.session, rak, batu.sekretaris, baris_contoh(1, "kul", biaya=5_000_000), kunci=first.kunci)
    db.session.commit()
    plan = dry_run(db, rak, data, batu.sekretaris)
    assert plan.basi and "draf sudah diubah sesudahnya" in plan.basi and not plan.bisa_diterapkan
    assert cells(plan) == [("biaya", "Rp 5.000.000", "Rp 1.000.000")]  # what applying it would undo


def test_a_file_of_another_document_is_refused(db, make_dokumen, batu):
    batu_rak = make_dokumen("rak_sekretariat", baris=2)
    malang_rak = make_dokumen("rak_sekretariat", kode="35.73", baris=2)
    plan = dry_run(db, malang_rak, ekspor(batu_rak), None, ke_draf=True)
    assert plan.penolakan and "satker 35.79" in plan.penolakan and not plan.bisa_diterapkan
    pk = make_dokumen("pk_sekretariat")
    plan = dry_run(db, batu_rak, ekspor(pk))
    assert plan.penolakan.startswith("Berkas ini diekspor dari PK Sekretariat satker 35.79 tahun 2024")


def test_a_submitted_document_takes_no_import(db, rak, batu):
    data = ubah_sel(ekspor(rak), {(1, "Perkiraan Biaya"): 2_000_000})
    operations.ajukan(db.session, rak, batu.sekretaris)
    db.session.commit()
    plan = dry_run(db, rak, data, batu.sekretaris)
    assert plan.penolakan and "terkunci" in plan.penolakan


# -- problems: row, column, message; nothing saved ------------------------------------------------

def test_every_problem_names_its_row_and_column_and_nothing_is_saved(db, rak, batu):
    data = ubah_sel(ekspor(rak), {
        (1, "Perkiraan Biaya"): "sepuluh juta",
        (2, "Target"): "seratus persen",
        (3, "Pelaksana"): "Bagian Rumah Tangga",
        (2, "Kode Output"): "CQ-6709",
    })
    plan = dry_run(db, rak, data, batu.sekretaris)
    texts = [str(m) for m in plan.masalah]
    wb = openpyxl.load_workbook(io.BytesIO(data))
    headers = {c.value: c.column_letter for c in wb.worksheets[0][L.HEADER_ROW] if c.value}
    row = L.RAK_DATA_ROW
    assert f"Baris {row}, kolom Perkiraan Biaya ({headers['Perkiraan Biaya']}): 'sepuluh juta' bukan jumlah rupiah " \
           "(tulis mis. Rp 10.604.086.100)" in texts
    assert any(t.startswith(f"Baris {row + 1}, kolom Target ({headers['Target']}): 'seratus persen' bukan target") for t in texts)
    assert any(t.startswith(f"Baris {row + 2}, kolom Pelaksana ({headers['Pelaksana']}): pelaksana 'Bagian Rumah Tangga' "
                            "tidak dikenal") for t in texts)
    assert any(t.startswith(f"Baris {row + 1}, kolom Kode Output") and "tidak sesuai pola" in t for t in texts)
    assert not plan.bisa_diterapkan and "4 masalah" in plan.terhalang
    versi = rak.versi
    with pytest.raises(Exception):
        imports.terapkan(db.session, rak, batu.sekretaris, plan)
    db.session.rollback()
    assert rak.versi == versi and rak.revisi_aktif.baris[0].biaya == 1_000_000


def test_applying_is_all_or_nothing(db, rak, batu, monkeypatch):
    data = ubah_sel(ekspor(rak), {(1, "Perkiraan Biaya"): 7_000_000, (3, "Perkiraan Biaya"): 9_000_000})
    plan = dry_run(db, rak, data, batu.sekretaris)
    assert plan.bisa_diterapkan
    real, calls = operations.simpan_baris, []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise Konflik("Dokumen ini telah diubah oleh orang lain.")
        return real(*args, **kwargs)

    monkeypatch.setattr(operations, "simpan_baris", failing)
    with pytest.raises(Konflik):
        apply(db, rak, batu.sekretaris, plan)
    db.session.expire_all()
    assert [b.biaya for b in rak.revisi_aktif.baris] == [1_000_000] * 3, "the first row's change was rolled back too"


def test_a_plan_made_on_another_version_is_a_conflict(db, rak, batu):
    plan = dry_run(db, rak, ubah_sel(ekspor(rak), {(1, "Perkiraan Biaya"): 7_000_000}), batu.sekretaris)
    operations.simpan_baris(db.session, rak, batu.sekretaris, baris_contoh(2, "kul", biaya=3),
                            kunci=rak.revisi_aktif.baris[1].kunci)
    db.session.commit()
    with pytest.raises(Konflik):
        apply(db, rak, batu.sekretaris, plan)


def test_a_subbag_imports_its_own_rows_only(db, make_dokumen, batu):
    rak = make_dokumen("rak_sekretariat", baris=2, pelaksana="kul")
    operations.simpan_baris(db.session, rak, batu.sekretaris, baris_contoh(3, "rendatin"))
    db.session.commit()
    data = ekspor(rak)
    own = dry_run(db, rak, ubah_sel(data, {(1, "Perkiraan Biaya"): 4_000_000}), batu.subbag_kul)
    assert own.bisa_diterapkan, own.teks()
    apply(db, rak, batu.subbag_kul, own)
    data = ekspor(rak)
    other = dry_run(db, rak, ubah_sel(data, {(3, "Perkiraan Biaya"): 4_000_000}), batu.subbag_kul)
    assert not other.bisa_diterapkan
    assert any("hanya dapat diubah oleh subbagian pelaksananya" in str(m) for m in other.masalah)
    assert dry_run(db, rak, data, batu.ketua).penolakan  # the ketua drafts no Sekretariat document


# -- office layouts -----------------------------------------------------------------------------------

def test_kota_batu_months_marked_v_into_an_empty_draft(db, make_dokumen, batu):
    rak = make_dokumen("rak_sekretariat", baris=0)
    plan = dry_run(db, rak, corpus.batu_xlsx(), batu.sekretaris)
    assert plan.sumber == "kantor" and not plan.masalah, plan.teks()
    assert [p.jenis for p in plan.perubahan] == [JenisPerubahan.DITAMBAH] * 3
    apply(db, rak, batu.sekretaris, plan)
    db.session.expire_all()
    first, second, third = rak.revisi_aktif.baris
    assert [k.uraian for k in first.kegiatan] == [
        "Rapat Koordinasi Pelaksanaan Pemilu", "Rapat Koordinasi ASN dan PPNPN di KPU Kota Batu",
        "Bimtek PPK dan PPS Se kota Batu"]
    assert (first.kode_output, first.biaya, first.pelaksana, first.target) == ("CQ.6709.QGE.003", 99_498_000, "semua", "100%")
    assert schedule.bulan(first.jadwal) == [1, 2, 3, 4]
    assert [k.uraian for k in second.kegiatan][1].startswith("Supervisi/ Monitoring")
    assert (second.kode_output, second.biaya, second.pelaksana) == ("CQ.6867.QGE.002", 10_604_086_100, "hukum_sdm")
    assert schedule.bulan(second.jadwal) == [1, 2, 5, 6, 10, 11, 12]
    assert [k.uraian for k in third.kegiatan] == [
        "Sosialisasi Penyusunan dan Evaluasi Kinerja Periodik Pegawai (SKP) Tahun 2024",
        "Menghimpun SKP Pegawai Kota Batu"]
    assert (third.kode_output, third.biaya, third.target) == ("WA.3355.EBA.994", 2_563_892_000, "97,5%")
    # the same office file again: nothing to do (rows matched by their indikator)
    assert dry_run(db, rak, corpus.batu_xlsx(), batu.sekretaris).kosong


def test_an_office_file_matches_rows_by_indikator_and_reports_changes_and_moves(db, make_dokumen, batu):
    rak = make_dokumen("rak_sekretariat", baris=0)
    apply(db, rak, batu.sekretaris, dry_run(db, rak, corpus.batu_xlsx(), batu.sekretaris))
    rows = list(corpus.BATU_ROWS)
    changed = rows[0][:6] + ("Rp. 100.000.000", rows[0][7])
    plan = dry_run(db, rak, corpus.batu_xlsx([rows[2], rows[1], changed]), batu.sekretaris)
    assert cells(plan) == [("biaya", "Rp 99.498.000", "Rp 100.000.000")]
    # three rows reversed: one keeps its place relative to the others, two moved (as workflow.dokumen.diff counts)
    assert sorted(p.jenis.value for p in plan.perubahan) == ["dipindah", "dipindah", "diubah"]
    apply(db, rak, batu.sekretaris, plan)
    assert [b.biaya for b in rak.revisi_aktif.baris] == [2_563_892_000, 10_604_086_100, 100_000_000]


def test_kubu_raya_b1_to_b12_marked_with_a_check(db, make_dokumen, batu):
    rak = make_dokumen("rak_sekretariat", baris=0)
    tabel = imports.baca_berkas(corpus.kubu_raya_xlsx(), "kubu.xlsx", rak.jenis)
    assert tabel.sumber == "kantor" and "biaya" not in tabel.kolom and not tabel.masalah, tabel.masalah
    assert [schedule.bulan(b.jadwal) for b in tabel.baris] == [
        [2, 4, 6, 8, 9, 10, 11, 12], list(range(1, 13)), list(range(1, 13)), [6, 12], list(range(1, 13))]
    assert [b.target for b in tabel.baris] == ["12 Kali", "75%", "90%", "2.498 Orang", "97,5%"]
    assert [b.pelaksana for b in tabel.baris] == ["rendatin", "rendatin", "kul", "hukum_sdm", "hukum_sdm"]
    # an empty sasaran cell repeats the sasaran above; the signature block is not a row
    assert tabel.baris[2].sasaran == tabel.baris[1].sasaran and len(tabel.baris) == 5
    plan = imports.rencana(db.session, rak, tabel, batu.sekretaris)
    apply(db, rak, batu.sekretaris, plan)
    assert rak.revisi_aktif.baris[3].target == "2.498 Orang" and rak.revisi_aktif.baris[3].biaya is None


def test_a_quarterly_table_sets_the_draft_to_quarters(db, make_dokumen, batu):
    rak = make_dokumen("rak_sekretariat", baris=0)
    plan = dry_run(db, rak, corpus.quarterly_xlsx(), batu.sekretaris)
    assert not plan.masalah, plan.teks()
    assert [(s.kolom, s.lama, s.baru) for s in plan.kepala] == [
        ("bentuk_jadwal", "Bulanan (B1-B12)", "Triwulanan (TW1-TW4)")]
    apply(db, rak, batu.sekretaris, plan)
    db.session.expire_all()
    revisi = rak.revisi_aktif
    assert revisi.bentuk_jadwal == BentukJadwal.TRIWULAN
    assert [schedule.sel(b.jadwal, BentukJadwal.TRIWULAN) for b in revisi.baris] == [[True] * 4, [True, False, False, True]]
    assert [b.biaya for b in revisi.baris] == [5_000_000, 7_500_000]
    assert [b.pelaksana for b in revisi.baris] == ["kul", "rendatin"]
    assert [k.uraian for k in revisi.baris[1].kegiatan] == ["Menyusun RKT", "Menyusun RAK"]
    assert dry_run(db, rak, ekspor(rak), batu.sekretaris).kosong


def test_weeks_written_in_month_cells(db, make_dokumen, batu):
    rak = make_dokumen("rak_sekretariat", baris=0)
    plan = dry_run(db, rak, corpus.weeks_xlsx(), batu.sekretaris)
    assert not plan.masalah, plan.teks()
    assert [s.baru for s in plan.kepala] == ["Mingguan (minggu ke 1-4 tiap bulan)"]
    apply(db, rak, batu.sekretaris, plan)
    db.session.expire_all()
    [row] = rak.revisi_aktif.baris
    assert schedule.uraian(row.jadwal, BentukJadwal.MINGGU) == \
        "Jan minggu ke 1-4; Feb minggu ke 2; Mar minggu ke 1, 3; Apr minggu ke 1-4"
    assert row.pelaksana == "teknis_hupmas"


def test_a_table_pasted_from_the_batu_pdf(db, make_dokumen, batu):
    rak = make_dokumen("rak_komisioner", baris=0)
    tabel = imports.baca_teks(corpus.BATU_TEMPEL, rak.jenis)
    assert tabel.sumber == "tempel" and not tabel.masalah, tabel.masalah
    first, second, fourth = tabel.baris
    assert first.kegiatan == ["Rapat Koordinasi Pelaksanaan Pemilu", "Rapat Koordinasi ASN dan PPNPN di KPU Kota Batu",
                              "Bimtek PPK dan PPS Se kota Batu"]
    assert (first.kode_output, first.biaya, first.pelaksana) == ("CQ.6709.QGE.003", 99_498_000, "semua")
    # row 2 was cut by a page break: its sasaran and last kegiatan continue after the repeated header
    assert second.sasaran == ("Terwujudnya kesadaran pemilih, kepemiluan dan demokrasi yang tinggi untuk seluruh "
                              "lapisan masyarakat")
    assert second.kegiatan == ["Sosialisasi Pendikan Pemilih pada Pemilih pemula", "Rapat Koordinasi dengan Stocholder"]
    assert (second.kode_output, second.pelaksana) == ("CQ.6709.QGE.004", "teknis")
    assert (fourth.biaya, fourth.pelaksana, schedule.bulan(fourth.jadwal)) == (10_604_086_100, "hukum",
                                                                               [1, 2, 5, 6, 10, 11, 12])
    plan = imports.rencana(db.session, rak, tabel, batu.ketua)
    apply(db, rak, batu.ketua, plan)
    assert len(rak.revisi_aktif.baris) == 3


def test_an_unknown_pelaksana_is_a_problem_not_a_guess(db, make_dokumen, batu):
    rak = make_dokumen("rak_sekretariat", baris=0)
    text = corpus.BATU_TEMPEL.replace("Semua Divisi", "Subbag Humas Lama").replace("Divisi Teknis Parmas", "Subbag KUL")
    tabel = imports.baca_teks(text, rak.jenis)
    problems = [str(m) for m in tabel.masalah]
    assert len(problems) == 2, problems  # "Subbag KUL" is known
    assert problems[0].startswith("Baris 3, kolom Pelaksanaan (19): pelaksana 'Subbag Humas Lama' tidak dikenal")
    assert problems[1].startswith("Baris 9, kolom Pelaksanaan (19): 'Divisi Hukum dan SDM' adalah divisi Komisioner")


# -- malformed files -------------------------------------------------------------------------------------

MALFORMED = corpus.malformed()


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_file_gets_a_clear_message(name):
    filename, data, message = MALFORMED[name]
    with pytest.raises(imports.BerkasDitolak) as refused:
        imports.baca_berkas(data, filename, JenisDokumen.RAK_SEKRETARIAT)
    assert message in refused.value.message


def test_defusedxml_stops_an_entity_bomb_the_first_check_missed(monkeypatch):
    from workflow.imports import berkas

    monkeypatch.setattr(berkas, "_DTD", re.compile(rb"(?!)"))  # never matches
    _, data, _ = MALFORMED["xml_bomb"]
    with pytest.raises(imports.BerkasDitolak) as refused:
        imports.baca_berkas(data, "bom.xlsx", JenisDokumen.RAK_SEKRETARIAT)
    assert "bom XML" in refused.value.message


def test_pasted_text_that_is_no_table():
    with pytest.raises(imports.BerkasDitolak, match="tidak berbentuk tabel"):
        imports.baca_teks("Rencana aksi kinerja tahun 2024, lihat lampiran.", JenisDokumen.RAK_SEKRETARIAT)
    with pytest.raises(imports.BerkasDitolak, match="Tabel tidak ditemukan"):
        imports.baca_teks("a\tb\tc\n1\t2\t3", JenisDokumen.RAK_SEKRETARIAT)


# -- cells as offices write them ---------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "fmt", "expected"), [
    ("Rp 10.604.086.100", None, 10_604_086_100), ("Rp. 99.498.000,-", None, 99_498_000),
    ("Rp.12.000.000", None, 12_000_000), ("Rp. 10.604.086.1 00", None, 10_604_086_100), ("2500000", None, 2_500_000),
    (1500000.0, '"Rp "#,##0', 1_500_000), (7, None, 7), ("-", None, None), (None, None, None), ("", None, None),
])
def test_rupiah_cells(value, fmt, expected):
    assert sel.baca_biaya(value, fmt) == expected


@pytest.mark.parametrize("value", ["sepuluh juta", "Rp 10,5", 1500.5, -3, "Rp 1.0.0", True])
def test_what_is_not_rupiah(value):
    with pytest.raises(sel.NilaiSalah):
        sel.baca_biaya(value)


@pytest.mark.parametrize("value", [-3, "-3", "-Rp 5.000", "Rp -5.000", "Rp. −5.000,-"])
def test_a_negative_amount_says_so_whether_number_or_text(value):
    with pytest.raises(sel.NilaiSalah, match="jumlah rupiah tidak boleh negatif"):
        sel.baca_biaya(value)


@pytest.mark.parametrize(("value", "fmt", "expected"), [
    ("97,5%", None, "97,5%"), ("2.498 Orang", None, "2.498 Orang"), ("BB", None, "BB"), ("wtp", None, "wtp"),
    (97.5, '0.0"%"', "97,5%"), (0.975, "0.0%", "97,5%"), (0.97499999999999998, "0.0%", "97,5%"), (0.16, '0.00"%"', "0,16%"),
    (0.9, "0%", "90%"), (2, '#,##0" Laporan"', "2 Laporan"), (2498, '#,##0" Orang"', "2.498 Orang"), (3.5, "General", "3,5"),
    (None, None, ""),
])
def test_target_cells(value, fmt, expected):
    assert sel.teks_target(value, fmt) == expected


@pytest.mark.parametrize(("value", "weeks"), [
    ("v", {1, 2, 3, 4}), ("V", {1, 2, 3, 4}), ("√", {1, 2, 3, 4}), ("✓", {1, 2, 3, 4}), (1, {1, 2, 3, 4}),
    ("-", set()), ("", set()), (None, set()), ("minggu ke 1-4", {1, 2, 3, 4}), ("minggu ke 2", {2}),
    ("Minggu ke-1, 3", {1, 3}), ("minggu ke 2 dan 4", {2, 4}),
])
def test_schedule_marks(value, weeks):
    assert sel.baca_tanda(value, True) == weeks


@pytest.mark.parametrize("value", ["7 V", "ya", 2, "minggu ke 5"])
def test_what_is_not_a_mark(value):
    with pytest.raises(sel.NilaiSalah):
        sel.baca_tanda(value, True)


@pytest.mark.parametrize(("text", "jenis", "code"), [
    ("Subbagian Keuangan, Umum dan Logistik", "rak_sekretariat", "kul"), ("Subbag KUL", "rak_sekretariat", "kul"),
    ("Subbag. Perencanaan, data dan informasi", "rak_sekretariat", "rendatin"),
    ("Subbag Parmas", "rak_sekretariat", "teknis_hupmas"), ("Subbag Hukum", "rak_sekretariat", "hukum_sdm"),
    ("Semua Subbag", "rak_sekretariat", "semua"), ("Divisi Teknis Parmas", "rak_komisioner", "teknis"),
    ("Divisi Hukum dan SDM", "rak_komisioner", "hukum"), ("Divisi KUL", "rak_komisioner", "keuangan"),
    ("Divisi Rendatin", "rak_komisioner", "perencanaan"), ("Divisi Sosdiklih, Parmas dan SDM", "rak_komisioner", "sosdiklih"),
])
def test_pelaksana_labels_map_to_units(text, jenis, code):
    assert sel.baca_pelaksana(text, JenisDokumen(jenis)) == code


@pytest.mark.parametrize(("text", "jenis"), [("√", "rak_sekretariat"), ("Bagian Umum Lama", "rak_sekretariat"),
                                             ("Divisi Hukum", "rak_sekretariat"), ("Subbag KUL", "rak_komisioner")])
def test_unknown_pelaksana(text, jenis):
    with pytest.raises(sel.NilaiSalah):
        sel.baca_pelaksana(text, JenisDokumen(jenis))


# -- the web pages -------------------------------------------------------------------------------------------

def _upload(client, dokumen, data: bytes | None = None, teks: str = "", ke_draf: bool = False, name="rak.xlsx"):
    page = client.get(f"/dokumen/{dokumen.id}/impor")
    assert page.status_code == 200, page.text
    form = {"csrf_token": csrf_token_from(page.text), "teks": teks}
    if data is not None:
        form["berkas"] = (io.BytesIO(data), name)
    if ke_draf:
        form["ke_draf"] = "1"
    return client.post(f"/dokumen/{dokumen.id}/impor", data=form, content_type="multipart/form-data")


def _apply(client, dokumen, page):
    token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
    return client.post(f"/dokumen/{dokumen.id}/impor/terapkan",
                       data={"csrf_token": csrf_token_from(page.text), "token": token})


def test_the_planner_uploads_sees_the_dry_run_and_applies(db, client, login, rak, batu):
    login(batu.sekretaris)
    assert 'data-testid="import-link"' in client.get(f"/dokumen/{rak.id}").text
    page = _upload(client, rak, ubah_sel(ekspor(rak), {(2, "Perkiraan Biaya"): 2_000_000}))
    assert page.status_code == 200
    assert "Diubah 1 (1 sel diubah)." in page.text and "Rp 2.000.000" in page.text
    assert 'data-testid="import-apply"' in page.text
    db.session.expire_all()
    assert rak.revisi_aktif.baris[1].biaya == 1_000_000, "the dry run saves nothing"
    done = _apply(client, rak, page)
    assert done.status_code == 302, done.text
    db.session.expire_all()
    assert rak.revisi_aktif.baris[1].biaya == 2_000_000
    again = _apply(client, rak, page)
    assert again.status_code == 409 and "sudah tidak berlaku" in again.text


def test_apply_after_the_draft_changed_is_a_conflict(db, client, login, rak, batu):
    login(batu.sekretaris)
    page = _upload(client, rak, ubah_sel(ekspor(rak), {(2, "Perkiraan Biaya"): 2_000_000}))
    operations.simpan_baris(db.session, rak, batu.sekretaris, baris_contoh(1, "kul", biaya=3_000_000),
                            kunci=rak.revisi_aktif.baris[0].kunci)
    db.session.commit()
    response = _apply(client, rak, page)
    assert response.status_code == 409 and "telah diubah sejak pratinjau" in response.text
    db.session.expire_all()
    assert rak.revisi_aktif.baris[1].biaya == 1_000_000


def test_a_pasted_table_into_a_new_draft(db, client, login, make_dokumen, batu):
    rak = make_dokumen("rak_komisioner", baris=0)
    login(batu.ketua)
    page = _upload(client, rak, teks=corpus.BATU_TEMPEL)
    assert page.status_code == 200 and "Ditambah 3." in page.text, page.text
    assert _apply(client, rak, page).status_code == 302
    db.session.expire_all()
    assert [b.pelaksana for b in rak.revisi_aktif.baris] == ["semua", "teknis", "hukum"]


@pytest.mark.parametrize("name", ["zip_bomb", "xml_bomb", "macro_part", "truncated", "text"])
def test_a_malformed_upload_gets_its_message_never_a_500(db, client, login, rak, batu, name):
    filename, data, message = MALFORMED[name]
    login(batu.sekretaris)
    response = _upload(client, rak, data, name=filename)
    assert response.status_code == 422 and message in response.text
    db.session.expire_all()
    assert [b.biaya for b in rak.revisi_aktif.baris] == [1_000_000] * 3


def test_problems_are_listed_without_an_apply_button(db, client, login, rak, batu):
    login(batu.sekretaris)
    page = _upload(client, rak, ubah_sel(ekspor(rak), {(1, "Perkiraan Biaya"): "sepuluh juta"}))
    assert page.status_code == 200
    assert "kolom Perkiraan Biaya" in page.text and "&#39;sepuluh juta&#39; bukan jumlah rupiah" in page.text
    assert 'data-testid="import-apply"' not in page.text


def test_only_who_may_edit_the_draft_may_import(db, client, login, app, rak, batu, people):
    login(batu.ketua)
    assert 'data-testid="import-link"' not in client.get(f"/dokumen/{rak.id}").text
    refused = client.get(f"/dokumen/{rak.id}/impor")
    assert refused.status_code == 403 and "Hanya Sekretaris" in refused.text
    outsider = login(people("51.71").sekretaris, c=app.test_client())
    assert outsider.get(f"/dokumen/{rak.id}/impor").status_code == 404


def test_a_stale_upload_offers_the_choice(db, client, login, rak, batu, people):
    data = ubah_sel(ekspor(rak), {(1, "Perkiraan Biaya"): 2_000_000})
    buka_revisi_baru(db, rak, people)
    login(batu.sekretaris)
    page = _upload(client, rak, data)
    assert "Berkas ini diekspor dari Revisi ke-0; dokumen sekarang Revisi ke-1." in page.text
    assert 'data-testid="import-apply"' not in page.text
    page = _upload(client, rak, data, ke_draf=True)
    assert _apply(client, rak, page).status_code == 302
    db.session.expire_all()
    assert rak.revisi_aktif.baris[0].biaya == 2_000_000


# -- the command line -----------------------------------------------------------------------------------------

def _cli(app, *args):
    from flask.cli import ScriptInfo

    from webapp.cli import cli

    return app.test_cli_runner().invoke(cli, list(args), obj=ScriptInfo(create_app=lambda: app))


def test_sakip_import_prints_the_dry_run_and_applies(db, app, rak, batu, tmp_path):
    path = tmp_path / "rak.xlsx"
    path.write_bytes(ubah_sel(ekspor(rak), {(1, "Perkiraan Biaya"): 2_000_000}))
    args = ("import", "rak_sekretariat", str(path), "--satker", "35.79", "--year", "2024")
    dry = _cli(app, *args, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Diubah 1 (1 sel diubah)." in dry.output and "Perkiraan biaya: Rp 1.000.000 -> Rp 2.000.000" in dry.output
    db.session.expire_all()
    assert rak.revisi_aktif.baris[0].biaya == 1_000_000
    done = _cli(app, *args)
    assert done.exit_code == 0, done.output
    assert f"oleh {batu.sekretaris.username}" in done.output
    db.session.expire_all()
    assert rak.revisi_aktif.baris[0].biaya == 2_000_000


def test_sakip_import_exits_non_zero_on_problems(db, app, rak, batu, tmp_path):
    path = tmp_path / "rak.xlsx"
    path.write_bytes(ubah_sel(ekspor(rak), {(1, "Perkiraan Biaya"): "sepuluh juta"}))
    result = _cli(app, "import", "rak_sekretariat", str(path), "--satker", "35.79", "--year", "2024", "--dry-run")
    assert result.exit_code != 0 and "'sepuluh juta' bukan jumlah rupiah" in result.output
    bomb = tmp_path / "bom.xlsx"
    bomb.write_bytes(MALFORMED["zip_bomb"][1])
    result = _cli(app, "import", "rak_sekretariat", str(bomb), "--satker", "35.79", "--year", "2024")
    assert result.exit_code != 0 and "bom zip" in result.output


def test_sakip_import_creates_a_missing_document_from_pasted_text(db, app, batu, tree, tmp_path):
    batu.ketua  # the penyusun of the Komisi's documents
    path = tmp_path / "rak.txt"
    path.write_text(corpus.BATU_TEMPEL, encoding="utf-8")
    result = _cli(app, "import", "rak_komisioner", str(path), "--satker", "35.79", "--year", "2025")
    assert result.exit_code == 0, result.output
    dokumen = db.session.scalar(sa.select(Dokumen).where(Dokumen.tahun == 2025))
    assert dokumen.jenis is JenisDokumen.RAK_KOMISIONER and len(dokumen.revisi_aktif.baris) == 3


def test_the_corpus_writes_itself_out(tmp_path):
    assert corpus.main([str(tmp_path)]) == 0
    assert (tmp_path / "batu.xlsx").stat().st_size > 0 and len(list(tmp_path.iterdir())) > 15


def test_revise_reason_is_kept(db, rak, batu, people):
    # guard for the helper used above: the approved revision stays as it was
    lama, baru = buka_revisi_baru(db, rak, people)
    assert lama.terkunci and baru.alasan_jenis is AlasanRevisi.PERUBAHAN_ANGGARAN


def test_a_pk_pasted_from_the_balangan_pdf(db, make_dokumen, batu):
    pk = make_dokumen("pk_sekretariat", sasaran=0)  # Balangan's table into an empty draft
    tabel = imports.baca_teks(corpus.BALANGAN_PK_TEMPEL, pk.jenis)
    assert not tabel.masalah, tabel.masalah
    assert [len(s.indikator) for s in tabel.sasaran] == [1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 2, 2]
    assert tabel.program is None  # the pasted table has none: the draft's programs stay
    plan = imports.rencana(db.session, pk, tabel, batu.sekretaris)
    assert plan.ringkasan == "Ditambah 28.", plan.teks()  # 12 sasaran, 16 indikator
    apply(db, pk, batu.sekretaris, plan)
    db.session.expire_all()
    revisi = pk.revisi_aktif
    assert [i.target for i in revisi.sasaran[2].indikator] == ["B"]
    assert revisi.sasaran[7].uraian == "Terlaksananya system akuntansi dan pelaporan keuangan"
    assert len(revisi.program) == 2
    assert imports.rencana(db.session, pk, imports.baca_teks(corpus.BALANGAN_PK_TEMPEL, pk.jenis)).kosong


def test_rows_below_an_empty_row_of_an_exported_pk_are_not_dropped_silently(db, make_dokumen, batu):
    pk = make_dokumen("pk_sekretariat", sasaran=3)
    wb = openpyxl.load_workbook(io.BytesIO(ekspor(pk)))
    ws = wb.worksheets[0]
    ws.insert_rows(L.PK_DATA_ROW + 2)
    out = io.BytesIO()
    wb.save(out)
    plan = dry_run(db, pk, out.getvalue(), batu.sekretaris)
    assert not plan.bisa_diterapkan
    assert any("di luar tabel" in str(m) for m in plan.masalah), plan.teks()


def test_an_oversized_paste_is_refused_with_a_message(db, client, login, rak, batu):
    login(batu.sekretaris)
    page = client.get(f"/dokumen/{rak.id}/impor")
    response = client.post(f"/dokumen/{rak.id}/impor", data={
        "csrf_token": csrf_token_from(page.text), "teks": "a\tb\n" * 400_000}, content_type="multipart/form-data")
    assert response.status_code in (413, 422) and "terlalu" in response.text


@pytest.mark.parametrize("value", [float("inf"), 1e27, -1e30])
def test_absurd_numbers_in_cells_are_problems_not_crashes(value):
    from workflow.imports.sel import NilaiSalah, baca_biaya, teks_target
    with pytest.raises(NilaiSalah, match="terlalu besar"):
        baca_biaya(value)
    with pytest.raises(NilaiSalah, match="terlalu besar"):
        teks_target(value, '0.0"%"')


def test_a_cascaded_pk_without_programs_comes_back_unchanged(db, tree, batu):
    from workflow.dokumen.models import JenisDokumen
    pk = operations.buat_dokumen(db.session, tree["35.79"], 2025, JenisDokumen.PK_KOMISI, None)
    s = operations.simpan_sasaran(db.session, pk, batu.ketua, "Terwujudnya kesadaran pemilih")
    operations.simpan_indikator(db.session, pk, batu.ketua, s.kunci, "Persentase partisipasi pemilih", "81%")
    db.session.commit()
    plan = dry_run(db, pk, ekspor(pk), batu.ketua)
    assert plan.kosong and not plan.masalah, plan.teks()


def test_a_long_pasted_table_reaches_the_import(db, client, login, make_dokumen, batu):
    # Werkzeug's default form memory (500 KB) would answer 413 before the import read it.
    rak = make_dokumen("rak_komisioner", baris=0)
    login(batu.ketua)
    header, _, rows = corpus.BATU_TEMPEL.partition("\n")
    long_paste = header + "\n" + (rows.rstrip("\n") + "\n") * 450  # 1 350 rows, about 600 KB
    assert len(long_paste.encode()) > 500 * 1024
    page = _upload(client, rak, teks=long_paste)
    assert page.status_code == 200 and "Ditambah 1350." in page.text
