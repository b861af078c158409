"""A benchmark in every LKj (issue 18): the office's capaian on each indikator it carries by
cascade beside n, Q1, median and Q3 of the offices of its level carrying the same indikator,
in its province and in the country; only signed PKs and verified periods count; fewer than
three offices print "data belum cukup"; frozen with the LKj's tables; a fixed number of
statements."""
import io
import json
from datetime import date
from decimal import Decimal

import pytest

from tests.conftest import TREE
from tests.test_export_pdf import flat, pdf_text
from tests.test_realisasi import DPT, LAPORAN, PARTISIPASI, buat_pk, kunci
from tenants.hierarchy import Office, load_hierarchy
from tenants.satker import Tingkat
from workflow.banding import queries as banding
from workflow.dokumen import canonical, operations
from workflow.dokumen.models import AlasanRevisi, JenisDokumen
from workflow.lkj import tabel as laporan
from workflow.pelaporan import operations as lapor
from workflow.realisasi import operations as realisasi_ops
from workflow.realisasi.operations import Isian
from workflow.target import Polaritas

INDIKATOR = [(PARTISIPASI, "80%", Polaritas.NAIK), (LAPORAN, "12 Laporan", Polaritas.NAIK),
             (DPT, "0,5%", Polaritas.TURUN)]
LAIN = [Office("35.07", "KPU Kabupaten Malang", Tingkat.KABKOTA, "35"),
        Office("35.15", "KPU Kabupaten Sidoarjo", Tingkat.KABKOTA, "35"),
        Office("51.02", "KPU Kabupaten Tabanan", Tingkat.KABKOTA, "51")]
JUDUL = "Perbandingan capaian dengan satker lain"


def _pk(db, tree, people, kode, induk=None, tandatangani=True):
    """A PK Komisi of ``kode`` whose indikator carry ``induk``'s (as the cascade links them)."""
    pk = buat_pk(db, tree, people, kode=kode, indikator=INDIKATOR, tandatangani=False)
    if induk is not None:
        for s in pk.revisi_aktif.sasaran:
            for i in s.indikator:
                i.induk_dokumen_id, i.induk_kunci = induk.id, kunci(induk, i.uraian)
    db.session.flush()
    if tandatangani:
        office = people(kode)
        operations.ajukan(db.session, pk, office.ketua)
        operations.tandatangani(db.session, pk, office.ketua)
    db.session.commit()
    return pk


def _lapor(db, people, pk, kode, capaian, dpt=None, verifikasi=True):
    """January's realisation giving ``capaian`` % on partisipasi (target 80%), reported and verified."""
    office = people(kode)
    isian = [Isian(kunci(pk, PARTISIPASI), 1, f"{Decimal(capaian) * Decimal('0.8')}%".replace(".", ","))]
    if dpt is not None:
        isian.append(Isian(kunci(pk, DPT), 1, dpt))
    realisasi_ops.simpan_realisasi(db.session, pk, office.ketua, isian)
    semua = {i.kunci: lapor.Analisis("Kendala", "Upaya", "Rencana") for s in pk.revisi_aktif.sasaran for i in s.indikator}
    lapor.simpan_analisis(db.session, pk, 1, office.ketua, semua)
    lapor.ajukan(db.session, pk, 1, office.ketua)
    if verifikasi:
        lapor.verifikasi(db.session, pk, 1, people(kode.split(".")[0]).reviewer)
    db.session.commit()


@pytest.fixture
def nasional(db, tree, people):
    """KPU RI's PK cascaded to both provinces and seven kabupaten/kota. Partisipasi's capaian,
    verified: Batu 90, Kota Malang 50, Kab. Malang 120 (Jawa Timur), Denpasar 80, Badung 100
    (Bali); Sidoarjo's 200 is not verified, Tabanan's 300 sits on a PK under revision. Only Batu
    and Kota Malang report DPT. Returns {kode: PK}."""
    load_hierarchy(db.session, TREE + LAIN)
    db.session.commit()
    ri = _pk(db, tree, people, "RI")
    pk = {"RI": ri, "35": _pk(db, tree, people, "35", ri), "51": _pk(db, tree, people, "51", ri)}
    from tenants.satker import Satker
    semua = {s.kode: s for s in db.session.scalars(__import__("sqlalchemy").select(Satker))}
    tree.update(semua)
    for kode, capaian, dpt in (("35.79", 90, "0,5%"), ("35.73", 50, "0,4%"), ("35.07", 120, None),
                               ("51.71", 80, None), ("51.03", 100, None)):
        pk[kode] = _pk(db, tree, people, kode, pk[kode.split(".")[0]])
        _lapor(db, people, pk[kode], kode, capaian, dpt)
    pk["35.15"] = _pk(db, tree, people, "35.15", pk["35"])
    _lapor(db, people, pk["35.15"], "35.15", 200, verifikasi=False)
    # Tabanan's verified 300 sits on a PK reopened for revision: no longer a signed PK.
    pk["51.02"] = _pk(db, tree, people, "51.02", pk["51"])
    _lapor(db, people, pk["51.02"], "51.02", 300)
    operations.setujui(db.session, pk["51.02"], people("51").reviewer)
    operations.revisi(db.session, pk["51.02"], people("51.02").ketua, AlasanRevisi.PERUBAHAN_PRIORITAS, "Uji")
    db.session.commit()
    return pk


def _lkj(db, tree, people, kode="35.79"):
    office = people(kode)
    lkj = operations.buat_dokumen(db.session, tree[kode], 2024, JenisDokumen.LKJ, office.sekretaris)
    operations.ubah_kepala(db.session, lkj, office.sekretaris, operations.Kepala(tempat="Batu", tanggal=date(2025, 1, 13)),
                           None)
    db.session.commit()
    return lkj


def _baris(data, uraian):
    return next(b for b in data["banding"]["baris"] if b["uraian"] == uraian)


def test_quartiles_of_the_province_and_of_the_country(db, tree, people, nasional):
    data = laporan.susun(db.session, tree["35.79"], 2024)
    assert data["banding"]["provinsi"] == "KPU Provinsi Jawa Timur"
    b = _baris(data, PARTISIPASI)
    assert b["capaian"] == "90%" and b["dihitung"]
    # The country: 50, 80, 90, 100, 120 (Sidoarjo unverified, Tabanan unsigned: left out).
    n = b["nasional"]
    assert (n["n"], n["q1_teks"], n["median_teks"], n["q3_teks"]) == (5, "80%", "90%", "100%")
    assert (n["kuartil"], n["peringkat"]) == (3, 3)
    # Jawa Timur: 50, 90, 120 -> Q1 70, Q3 105 (inclusive: halfway between neighbours).
    p = b["provinsi"]
    assert (p["n"], p["q1_teks"], p["median_teks"], p["q3_teks"]) == (3, "70%", "90%", "105%")
    assert (p["kuartil"], p["peringkat"]) == (3, 2)
    # Exactly what statistics.quantiles gives (method inclusive), on both backends.
    assert [Decimal(n[k]) for k in ("q1", "median", "q3")] == [Decimal(80), Decimal(90), Decimal(100)]


def test_decimals_are_printed_as_the_lkj_prints_them():
    k = banding.ringkas([Decimal("95"), Decimal("97.5"), Decimal("100")], Decimal("97.5"), Decimal("97.5"))
    assert (k["q1_teks"], k["median_teks"], k["q3_teks"], k["peringkat"]) == ("96,25%", "97,5%", "98,75%", 2)
    assert banding.ringkas([Decimal(50), Decimal(80), Decimal(90), Decimal(100), Decimal(120)], Decimal(85),
                           None) | {} == {
        "n": 5, "cukup": True, "q1": "80.0000", "median": "90.0000", "q3": "100.0000", "q1_teks": "80%",
        "median_teks": "90%", "q3_teks": "100%", "kuartil": 2, "peringkat": None}


def test_fewer_than_three_offices_say_data_belum_cukup(db, tree, people, nasional):
    data = laporan.susun(db.session, tree["35.79"], 2024)
    dpt = _baris(data, DPT)
    for kelompok in (dpt["provinsi"], dpt["nasional"]):
        assert kelompok["n"] == 2 and not kelompok["cukup"]
        assert kelompok["q1"] is kelompok["median"] is kelompok["q3"] is None
    laporan_ = _baris(data, LAPORAN)  # nobody has realised it yet
    assert laporan_["nasional"]["n"] == 0 and not laporan_["dihitung"]


def test_a_province_is_compared_with_the_provinces(db, tree, people, nasional):
    # Provinces report nothing verified here: none counts, and there is no province group.
    data = laporan.susun(db.session, tree["35"], 2024)
    b = _baris(data, PARTISIPASI)
    assert b["provinsi"] is None and data["banding"]["provinsi"] is None
    assert b["nasional"]["n"] == 0
    assert laporan.susun(db.session, tree["RI"], 2024)["banding"]["baris"] == []


def test_the_table_is_on_the_page_in_the_pdf_in_word_and_in_excel(db, client, login, tree, people, nasional, tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    lkj = _lkj(db, tree, people)
    login(people("35.79").sekretaris)
    html = client.get(f"/dokumen/{lkj.id}").get_data(as_text=True)
    tabel = html.split('data-testid="lkj-banding"')[1].split("</table>")[0]
    assert JUDUL in html
    assert all(t in tabel for t in (PARTISIPASI, "90%", "70%", "105%", "80%", "100%", "data belum cukup"))
    # Only aggregates: no other office's name or capaian.
    for lain in ("Kota Malang", "Denpasar", "Badung", "Kabupaten Malang", "Sidoarjo", "Tabanan", "120%", "50%"):
        assert lain not in tabel
    text = flat(pdf_text(client.get(f"/dokumen/{lkj.id}/unduh.pdf").data, tmp_path))
    assert JUDUL.upper() in text.upper() and "data belum cukup" in text and "105%" in text
    word = Document(io.BytesIO(client.get(f"/dokumen/{lkj.id}/unduh.docx").data))
    cells = {c.text for t in word.tables for row in t.rows for c in row.cells}
    assert {"70%", "105%", "data belum cukup"} <= cells
    xlsx = client.get(f"/dokumen/{lkj.id}/unduh.xlsx")
    assert xlsx.status_code == 200
    sel = {str(c.value) for ws in load_workbook(io.BytesIO(xlsx.data)) for row in ws.iter_rows() for c in row
           if c.value is not None}
    assert JUDUL.upper() in sel and "data belum cukup" in sel and "105%" in sel


def test_frozen_at_signing(db, tree, people, nasional):
    lkj = _lkj(db, tree, people)
    office = people("35.79")
    operations.ajukan(db.session, lkj, office.sekretaris)
    operations.tandatangani(db.session, lkj, office.ketua)
    db.session.commit()
    beku = json.loads(lkj.revisi_aktif.lkj.tabel)["banding"]
    assert _baris({"banding": beku}, PARTISIPASI)["nasional"]["median_teks"] == "90%"
    # Sidoarjo's report verified afterwards: the signed LKj does not move, a live one does.
    lapor.verifikasi(db.session, nasional["35.15"], 1, people("35").reviewer)
    db.session.commit()
    assert laporan.tabel(db.session, lkj.revisi_aktif)["banding"] == beku
    assert _baris(laporan.susun(db.session, tree["35.79"], 2024), PARTISIPASI)["nasional"]["n"] == 6


def test_an_lkj_signed_before_the_benchmark_keeps_its_content_and_hash(db, client, login, tree, people, nasional,
                                                                        monkeypatch, tmp_path):
    lkj = _lkj(db, tree, people)
    office = people("35.79")
    susun = laporan.susun

    def sebelumnya(session, satker, tahun):  # the tables as they were computed before this change
        data = susun(session, satker, tahun)
        del data["banding"]
        return data

    monkeypatch.setattr(laporan, "susun", sebelumnya)
    operations.ajukan(db.session, lkj, office.sekretaris)
    operations.tandatangani(db.session, lkj, office.ketua)
    db.session.commit()
    monkeypatch.undo()
    revisi = lkj.revisi_aktif
    assert "banding" not in json.loads(revisi.lkj.tabel)
    assert canonical.hash_isi(revisi) == revisi.hash_isi
    login(office.sekretaris)
    page = client.get(f"/dokumen/{lkj.id}")
    assert page.status_code == 200 and 'data-testid="lkj-banding"' not in page.get_data(as_text=True)
    pdf = client.get(f"/dokumen/{lkj.id}/unduh.pdf")
    assert pdf.status_code == 200 and JUDUL.upper() not in flat(pdf_text(pdf.data, tmp_path)).upper()
    assert client.get(f"/dokumen/{lkj.id}/unduh.docx").status_code == 200
    assert client.get(f"/dokumen/{lkj.id}/unduh.xlsx").status_code == 200


def test_a_fixed_number_of_statements_whatever_the_offices(db, tree, people, nasional, count_statements):
    batu = tree["35.79"]
    sendiri = laporan._per_indikator(*_dasbor(db, batu))
    db.session.expire_all()
    assert batu.tingkat is Tingkat.KABKOTA  # the office itself is loaded by whoever asks
    with count_statements() as sedikit:
        banding.perbandingan(db.session, batu, 2024, sendiri)
    # Two more offices verified: the same statements.
    lapor.verifikasi(db.session, nasional["35.15"], 1, people("35").reviewer)
    load_hierarchy(db.session, TREE + LAIN + [Office("51.04", "KPU Kabupaten Gianyar", Tingkat.KABKOTA, "51")])
    db.session.commit()
    from tenants.satker import Satker
    import sqlalchemy as sa
    tree["51.04"] = db.session.scalar(sa.select(Satker).where(Satker.kode == "51.04"))
    pk = _pk(db, tree, people, "51.04", nasional["51"])
    _lapor(db, people, pk, "51.04", 70)
    db.session.expire_all()
    assert batu.tingkat is Tingkat.KABKOTA
    with count_statements() as banyak:
        hasil = banding.perbandingan(db.session, batu, 2024, sendiri)
    assert _baris({"banding": hasil}, PARTISIPASI)["nasional"]["n"] == 7
    assert banyak.count == sedikit.count == 2


def _dasbor(db, satker):
    from workflow.realisasi.dashboard import dasbor_kantor

    dasbor = dasbor_kantor(db.session, satker, 2024)
    return dasbor, laporan._terverifikasi(db.session, dasbor)


def test_the_aggregates_are_read_past_row_level_security_and_only_they(db, tree, people, nasional, count_statements,
                                                                       monkeypatch):
    """On PostgreSQL the row-level security would hide the other offices: the two statements
    run inside ``SELURUH``, which the webapp fills with ``rls.sistem``; what comes out holds
    no other office's id, name or value."""
    from contextlib import contextmanager

    from webapp import rls
    from workflow import banding as paket

    assert paket.SELURUH[0] is rls.sistem
    batu = tree["35.79"]
    sendiri = laporan._per_indikator(*_dasbor(db, batu))
    db.session.expire_all()
    assert batu.tingkat is Tingkat.KABKOTA
    di_dalam = []

    @contextmanager
    def terbuka():
        with count_statements() as counter:
            yield
        di_dalam.append(counter.count)

    monkeypatch.setattr(paket, "SELURUH", [terbuka])
    with count_statements() as semua:
        hasil = banding.perbandingan(db.session, batu, 2024, sendiri)
    assert di_dalam == [2] and semua.count == 2
    teks = json.dumps(hasil)
    for lain in ("35.73", "Kota Malang", "Denpasar", "Badung", "\"120", "\"50."):
        assert lain not in teks
