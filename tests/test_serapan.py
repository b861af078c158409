"""Money per output code per month and absorption (issue 17, point 4): entry on the
office's page, import (long and wide forms, xlsx and csv) with a dry run and problems by
row and column, absorption numbers against hand-computed ones, KPU RI's targets, the
dashboards, and reach (another office's page answers 404 like a missing one)."""
from __future__ import annotations

import html
import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token_from
from tests.test_dashboards import baris as baris_teks
from workflow.anggaran import serapan
from workflow.anggaran.models import RealisasiOutput, TargetSerapan
from workflow.audit import AuditEntry
from workflow.dokumen import operations
from workflow.dokumen.operations import BarisData
from workflow.realisasi.models import RealisasiAnggaran

QGE3, QGE4 = "CQ.6709.QGE.003", "CQ.6709.QGE.004"


def _baris(no: int, kode: str, bulan: list[int], biaya: int, pelaksana: str = "kul") -> BarisData:
    return BarisData(sasaran="Sasaran", indikator=f"Indikator {no}", target="100%", kegiatan=[f"Kegiatan {no}"],
                     kode_output=kode, sel_jadwal=bulan, biaya=biaya, pelaksana=pelaksana)


@pytest.fixture
def rak(db, make_dokumen, batu):
    """Kota Batu's RAK Sekretariat 2024: QGE.003 1.200.000 over Jan-Mar and 300.000 in Feb;
    QGE.004 600.000 over Apr-Jun (monthly schedule)."""
    dokumen = make_dokumen("rak_sekretariat", baris=0)
    for no, (kode, bulan, biaya) in enumerate([(QGE3, [1, 2, 3], 1_200_000), (QGE4, [4, 5, 6], 600_000),
                                                (QGE3, [2], 300_000)], start=1):
        operations.simpan_baris(db.session, dokumen, batu.sekretaris, _baris(no, kode, bulan, biaya))
    db.session.commit()
    return dokumen


def _isi_contoh(db, rak, batu):
    """Per output (as SAKTI): QGE.003 Jan 350.000, Feb 500.000, Apr 100.000; per RAK row
    only for QGE.004 (May 150.000), and a per-row figure for QGE.003 that the per-output
    figures override."""
    from workflow.anggaran.operations import IsianOutput, simpan_serapan
    from tenants.satker import Satker

    satker = db.session.get(Satker, rak.satker_id)
    simpan_serapan(db.session, satker, 2024, batu.sekretaris, [
        IsianOutput(QGE3, 1, "Rp 350.000"), IsianOutput(QGE3, 2, "500000"), IsianOutput(QGE3, 4, "Rp. 100.000,-")])
    rows = {b.kode_output + str(b.biaya): b for b in rak.revisi_aktif.baris}
    db.session.add(RealisasiAnggaran(dokumen_id=rak.id, baris_kunci=rows[QGE4 + "600000"].kunci, bulan=5,
                                     jumlah=150_000))
    db.session.add(RealisasiAnggaran(dokumen_id=rak.id, baris_kunci=rows[QGE3 + "1200000"].kunci, bulan=1,
                                     jumlah=999_999))
    db.session.commit()
    return satker


def test_absorption_per_output_and_office_against_hand_computed_figures(db, rak, batu):
    satker = _isi_contoh(db, rak, batu)
    april = serapan.serapan_kantor(db.session, satker, 2024, acuan=4)
    o = {x.kode: x for x in april.output}
    # QGE.003: planned 1.500.000, all by March; spent to April 350+500+100 = 950.000 (per output wins)
    assert (o[QGE3].rencana, o[QGE3].rencana_sd, o[QGE3].realisasi_sd) == (1_500_000, 1_500_000, 950_000)
    assert o[QGE3].serapan.teks == "63,33%" and o[QGE3].terhadap_rencana.teks == "63,33%"
    assert april.target == Decimal(40) and april.triwulan == 2
    assert o[QGE3].terhadap_target.teks == "158,33%" and o[QGE3].lampu.value == "hijau"
    # QGE.004: planned 200.000 by April (a third of 600.000); the row's May figure is after April
    assert (o[QGE4].rencana, o[QGE4].rencana_sd, o[QGE4].realisasi_sd) == (600_000, 200_000, 0)
    assert o[QGE4].lampu.value == "merah" and not o[QGE4].per_output
    # the office: 950.000 of 2.100.000 = 45,24%; against TW II's 40%: 113,1%
    assert (april.rencana, april.rencana_sd, april.realisasi_sd) == (2_100_000, 1_700_000, 950_000)
    assert april.serapan.teks == "45,24%" and april.terhadap_rencana.teks == "55,88%"
    assert april.terhadap_target.teks == "113,1%" and april.lampu.value == "hijau"
    juni = serapan.serapan_kantor(db.session, satker, 2024, acuan=6)
    o = {x.kode: x for x in juni.output}
    assert o[QGE4].realisasi_sd == 150_000 and o[QGE4].serapan.teks == "25%"
    assert o[QGE4].terhadap_target.teks == "62,5%" and o[QGE4].lampu.value == "merah"
    maret = serapan.serapan_kantor(db.session, satker, 2024, acuan=3)
    assert maret.target == Decimal(15) and maret.realisasi_sd == 850_000


def test_figures_summed_to_date_in_sql_give_the_same_absorption_as_the_months(db, rak, batu):
    satker = _isi_contoh(db, rak, batu)

    def angka(k):
        return (k.kode, k.rencana, k.rencana_sd, k.realisasi_sd, k.serapan.teks, k.terhadap_rencana.teks,
                k.terhadap_target.teks, k.lampu, k.per_output)

    for acuan in (0, 1, 3, 4, 5, 6, 12):
        bulanan = serapan.hitung_serapan(db.session, [satker], 2024, acuan)[satker.id]
        ringkas = serapan.hitung_serapan(db.session, [satker], 2024, acuan, per_bulan=False)[satker.id]
        assert angka(ringkas) == angka(bulanan), acuan
        assert [angka(o) for o in ringkas.output] == [angka(o) for o in bulanan.output], acuan
        assert type(ringkas.realisasi_sd) is int


def test_a_row_without_a_planned_month_is_spread_over_the_year(db, make_dokumen, batu):
    dokumen = make_dokumen("rak_sekretariat", baris=0)
    operations.simpan_baris(db.session, dokumen, batu.sekretaris, _baris(1, QGE3, [], 1_200_000))
    db.session.commit()
    from tenants.satker import Satker
    d = serapan.serapan_kantor(db.session, db.session.get(Satker, dokumen.satker_id), 2024, acuan=3)
    assert d.rencana_sd == 300_000


def test_kpu_ri_sets_the_targets_and_nobody_else(db, app, login, people, rak, batu):
    satker = _isi_contoh(db, rak, batu)
    c = login(people("RI").admin, c=app.test_client())
    page = c.get("/serapan/target?tahun=2024")
    assert 'value="40"' in page.text
    r = c.post("/serapan/target", data={"csrf_token": csrf_token_from(page.text), "tahun": "2024",
                                        "tw1": "15", "tw2": "50", "tw3": "60,5", "tw4": "90"})
    assert r.status_code == 302
    assert serapan.target_serapan(db.session, 2024)[2] == Decimal(50)
    assert serapan.target_serapan(db.session, 2025)[2] == Decimal(40)  # other years keep SMART DJA's
    april = serapan.serapan_kantor(db.session, satker, 2024, acuan=4)
    assert april.terhadap_target.teks == "90,48%" and april.lampu.value == "kuning"
    bad = c.post("/serapan/target", data={"csrf_token": csrf_token_from(page.text), "tahun": "2024",
                                          "tw1": "15", "tw2": "10", "tw3": "abc", "tw4": "90"})
    assert bad.status_code == 422 and "Triwulan 3" in bad.text and 'value="abc"' in bad.text
    for other in (people("35").admin, people("RI").sekretaris, batu.sekretaris):
        c2 = login(other, c=app.test_client())
        page = c2.get("/serapan/target?tahun=2024")
        assert page.status_code == 200 and "50%" in page.text and 'name="tw2"' not in page.text
        r = c2.post("/serapan/target", data={"csrf_token": csrf_token_from(page.text), "tahun": "2024",
                                             "tw1": "1", "tw2": "2", "tw3": "3", "tw4": "4"})
        assert r.status_code == 403
    assert serapan.target_serapan(db.session, 2024)[2] == Decimal(50)
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.aksi == "target_serapan")) == 1


def _grid(c, kode="35.79"):
    page = c.get(f"/satker/{kode}/serapan?tahun=2024&bulan=4")
    return page, csrf_token_from(page.text), re.search(r'name="sidik" value="([^"]+)"', page.text).group(1)


def test_entry_on_the_page_keeps_what_was_typed_when_a_cell_is_wrong(db, app, login, rak, batu):
    c = login(batu.subbag_kul, c=app.test_client())
    page, token, sidik = _grid(c)
    assert f'name="o-{QGE3}-1"' in page.text and f'name="o-{QGE4}-12"' in page.text
    bad = c.post("/satker/35.79/serapan", data={"csrf_token": token, "tahun": "2024", "sidik": sidik,
                                                f"o-{QGE3}-1": "Rp 1.000", f"o-{QGE3}-2": "seribu",
                                                "kode_baru": "CQ.6709.QGE.XYZ", "baru-3": "5"})
    assert bad.status_code == 422
    assert "'seribu' bukan jumlah rupiah" in html.unescape(bad.text) and "Februari" in bad.text
    assert "CQ.6709.QGE.XYZ" in bad.text and 'value="seribu"' in bad.text  # nothing typed lost
    assert db.session.scalar(select(func.count()).select_from(RealisasiOutput)) == 0
    ok = c.post("/satker/35.79/serapan", data={"csrf_token": token, "tahun": "2024", "sidik": sidik,
                                               f"o-{QGE3}-1": "Rp 1.000", f"o-{QGE3}-2": "0",
                                               "kode_baru": "076.01.cq.6709.qge.009", "baru-3": "5.000"})
    assert ok.status_code == 302
    saved = {(r.kode_output, r.bulan): r.jumlah for r in db.session.scalars(select(RealisasiOutput))}
    assert saved == {(QGE3, 1): 1000, (QGE3, 2): 0, ("CQ.6709.QGE.009", 3): 5000}
    # the same page again: the stale fingerprint refuses, nothing saved
    stale = c.post("/satker/35.79/serapan", data={"csrf_token": token, "tahun": "2024", "sidik": sidik,
                                                  f"o-{QGE3}-1": "Rp 2.000"})
    assert stale.status_code == 409
    page, token, sidik = _grid(c)
    assert 'value="1.000"' in page.text
    c.post("/satker/35.79/serapan", data={"csrf_token": token, "tahun": "2024", "sidik": sidik, f"o-{QGE3}-1": ""})
    assert db.session.scalar(select(RealisasiOutput.jumlah).where(RealisasiOutput.bulan == 1)) is None  # empty removes
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.aksi == "realisasi_output")) == 4


def test_a_code_typed_again_as_a_new_row_never_clears_its_months(db, app, login, rak, batu):
    """Found by the fuzz (tests/test_fuzz_forms.test_serapan): the new row's empty months
    used to clear what its code's row in the grid had just been given."""
    c = login(batu.sekretaris, c=app.test_client())
    _page, token, sidik = _grid(c)
    c.post("/satker/35.79/serapan", data={"csrf_token": token, "tahun": "2024", "sidik": sidik, f"o-{QGE3}-2": "Rp 7.000"})
    _page, token, sidik = _grid(c)
    twice = c.post("/satker/35.79/serapan", data={"csrf_token": token, "tahun": "2024", "sidik": sidik,
                                                  f"o-{QGE3}-2": "Rp 8.000", "kode_baru": f"076.01.{QGE3.lower()}",
                                                  "baru-1": "Rp 1.000"})
    assert twice.status_code == 422 and f"Kode output {QGE3} sudah ada di tabel" in html.unescape(twice.text)
    assert 'value="Rp 8.000"' in twice.text  # nothing typed lost
    assert {(r.bulan, r.jumlah) for r in db.session.scalars(select(RealisasiOutput))} == {(2, 7000)}
    # A new code's empty months are left alone: only what was typed is saved.
    ok = c.post("/satker/35.79/serapan", data={"csrf_token": token, "tahun": "2024", "sidik": sidik,
                                               "kode_baru": "CQ.6709.QGE.009", "baru-4": "Rp 4.000"})
    assert ok.status_code == 302
    assert {(r.kode_output, r.bulan, r.jumlah) for r in db.session.scalars(select(RealisasiOutput))} == {
        (QGE3, 2, 7000), ("CQ.6709.QGE.009", 4, 4000)}


def test_who_enters_money_and_another_office_answers_404(db, app, login, people, rak, batu):
    for allowed in (batu.sekretaris, batu.subbag_kul):
        c = login(allowed, c=app.test_client())
        assert 'data-testid="simpan"' in c.get("/satker/35.79/serapan?tahun=2024").text
    for reader in (batu.ketua, batu.subbag_rendatin, batu.anggota_keuangan, people("35").reviewer):
        c = login(reader, c=app.test_client())
        page = c.get("/satker/35.79/serapan?tahun=2024")
        assert page.status_code == 200 and 'data-testid="simpan"' not in page.text
        r = c.post("/satker/35.79/serapan", data={"csrf_token": csrf_token_from(page.text), "tahun": "2024",
                                                  f"o-{QGE3}-1": "1000"})
        assert r.status_code == 403
    outsider = login(people("35.73").sekretaris, c=app.test_client())
    for url in ("/satker/35.79/serapan?tahun=2024", "/satker/99.99/serapan?tahun=2024"):
        assert outsider.get(url).status_code == 404
    token = csrf_token_from(outsider.get("/satker/35.73/serapan?tahun=2024").text)
    foreign = outsider.post("/satker/35.79/serapan", data={"csrf_token": token, f"o-{QGE3}-1": "1"})
    missing = outsider.post("/satker/99.99/serapan", data={"csrf_token": token, f"o-{QGE3}-1": "1"})
    assert foreign.status_code == missing.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(RealisasiOutput)) == 0


def _xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _pratinjau(c, token, berkas: bytes, nama: str):
    return c.post("/satker/35.79/serapan/impor", data={"csrf_token": token, "tahun": "2024",
                                                         "berkas": (io.BytesIO(berkas), nama)},
                  content_type="multipart/form-data")


def test_import_long_form_reports_a_bad_cell_by_row_and_column_then_dry_run_and_apply(db, app, login, rak, batu):
    c = login(batu.sekretaris, c=app.test_client())
    _page, token, _sidik = _grid(c)
    rows = [["Realisasi anggaran KPU Kota Batu 2024"], [], ["Kode Output", "Uraian", "Bulan", "Realisasi"],
            [QGE3, "Rapat", "Januari", 350000], [QGE3, "Rapat", 1, "Rp 50.000"], [QGE4, "Bimtek", "B5", 150000],
            [QGE3, "Rapat", "Feb", "lima ratus"]]
    bad = _pratinjau(c, token, _xlsx(rows), "serapan.xlsx")
    assert bad.status_code == 422
    assert "Baris 7, kolom D: 'lima ratus' bukan jumlah rupiah" in html.unescape(bad.text)
    rows[-1][3] = 500000
    preview = _pratinjau(c, token, _xlsx(rows), "serapan.xlsx")
    assert preview.status_code == 200 and 'data-testid="pratinjau"' in preview.text
    assert baris_teks(preview.text, f"ubah-{QGE3}-1") == f"{QGE3} Januari - Rp 400.000"  # two SPM lines added up
    assert db.session.scalar(select(func.count()).select_from(RealisasiOutput)) == 0  # a dry run saves nothing
    form = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"',
                           preview.text.split('data-testid="pratinjau"')[1]))
    data = json.loads(form["data"].replace("&#34;", '"').replace("&quot;", '"'))
    assert data == [[QGE3, 1, 400000], [QGE3, 2, 500000], [QGE4, 5, 150000]]
    form["data"] = json.dumps(data)
    applied = c.post("/satker/35.79/serapan/impor/terapkan", data=form)
    assert applied.status_code == 302
    saved = {(r.kode_output, r.bulan): r.jumlah for r in db.session.scalars(select(RealisasiOutput))}
    assert saved == {(QGE3, 1): 400_000, (QGE3, 2): 500_000, (QGE4, 5): 150_000}
    again = c.post("/satker/35.79/serapan/impor/terapkan", data=form)  # the figures moved since that dry run
    assert again.status_code == 409
    tampered = c.post("/satker/35.79/serapan/impor/terapkan", data=form | {"data": '[["x", "1", 2]]'})
    assert tampered.status_code == 400


def test_import_wide_form_csv_with_a_bad_code_and_a_bad_cell(db, app, login, rak, batu):
    c = login(batu.subbag_kul, c=app.test_client())
    _page, token, _sidik = _grid(c)
    csv = ("Kode;Uraian;Jan;Feb;Mar;Apr;Mei;Jun;Jul;Agu;Sep;Okt;Nov;Des;Jumlah\n"
           f"076.01.{QGE3};Rapat;350.000;500.000;;100.000;;;;;;;;;950.000\n"
           "CQ.67.QGE;Salah;1;;;;;;;;;;;;1\n"
           f"{QGE4};Bimtek;;;;;-5;;;;;;;;\n").encode()
    bad = _pratinjau(c, token, csv, "serapan.csv")
    assert bad.status_code == 422
    assert "Baris 3, kolom A: 'CQ.67.QGE' bukan kode output" in html.unescape(bad.text)
    assert "Baris 4, kolom G" in bad.text and "negatif" in bad.text
    good = csv.replace(b"CQ.67.QGE;Salah;1", b"CQ.6709.QGE.009;Lain;1").replace(b"-5", b"150.000")
    preview = _pratinjau(c, token, good, "serapan.csv")
    assert preview.status_code == 200
    assert baris_teks(preview.text, f"ubah-{QGE3}-4") == f"{QGE3} April - Rp 100.000"
    assert "CQ.6709.QGE.009" in preview.text.split('data-testid="tanpa-rencana"')[1][:300]


def test_the_dashboards_show_absorption_and_the_province_lists_lowest_first(db, app, login, people, rak, batu,
                                                                             make_dokumen):
    _isi_contoh(db, rak, batu)
    malang = make_dokumen("rak_sekretariat", kode="35.73", baris=0)
    operations.simpan_baris(db.session, malang, people("35.73").sekretaris, _baris(1, QGE3, [1], 1_000_000))
    db.session.commit()
    c = login(people("35").reviewer, c=app.test_client())
    office = c.get("/satker/35.79/dasbor?tahun=2024").text
    row = baris_teks(office, "output-jumlah")
    assert "Rp 2.100.000" in row and "Rp 1.100.000" in row and "52,38%" in row  # a past year: to December
    assert 'data-testid="penyerapan"' in office and 'data-lampu="merah"' in office  # 52,38% of TW IV's 90%
    province = c.get("/satker/35/dasbor?tahun=2024").text
    section = province.split('data-testid="serapan-bawah"')[1]
    order = re.findall(r'data-testid="serapan-(35\.\d+)"', section)
    assert order.index("35.73") < order.index("35.79")  # Malang spent nothing: 0% first
    assert "0%" in baris_teks(section, "serapan-35.73") and "52,38%" in baris_teks(section, "serapan-35.79")


@pytest.mark.parametrize("typed", ["", "  ", "-1", "1,5", "Rp", "１２３", "9" * 30, "1.2.3", "<b>1</b>", "Rp 1.000.000,-",
                                   "1e6", "0", "Rp. 99.498.000,-", "−5.000", "12 345"])
def test_whatever_is_typed_in_a_cell_is_saved_or_refused_in_words(db, app, login, rak, batu, typed):
    c = login(batu.sekretaris, c=app.test_client())
    _page, token, sidik = _grid(c)
    r = c.post("/satker/35.79/serapan", data={"csrf_token": token, "tahun": "2024", "sidik": sidik,
                                              f"o-{QGE3}-3": typed, "kode_baru": typed, "baru-1": typed})
    assert r.status_code in (302, 422), (typed, r.status_code)
    if r.status_code == 422:
        assert 'data-testid="error"' in r.text and db.session.scalar(select(func.count()).select_from(RealisasiOutput)) == 0
