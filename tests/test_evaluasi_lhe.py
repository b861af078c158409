"""The Laporan Hasil Evaluasi (LHE) of a final evaluation, as PDF and Excel: what it prints
(office, year, total with two decimals, predikat and its meaning, every component and
sub-component score, every finding with its recommendation and dispute, the evaluator who
finalised, the verification code and hash), that it reads only the frozen result, who may
download it (404 when foreign or not final), the verification page's link and signer, and
the demo's final evaluation."""
from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, text

from tenants.people import Membership, Peran

from tenants.hierarchy import load_hierarchy
from tests.test_export_pdf import flat, pdf_text
from webapp import demo
from webapp.exports import lhe as kertas
from workflow.evaluasi import operations, queries
from workflow.evaluasi.models import Evaluasi
from workflow.evaluasi.operations import IsianKriteria, PenilaianKriteria, PenilaianSub

TAHUN = 2024
URL = f"/satker/35.79/evaluasi/{TAHUN}"
TEMUAN = (("1.b", "Renstra dan RAK belum selaras", "Selaraskan RAK dengan Renstra paling lambat Maret"),
          ("3.b", "LKj belum membandingkan capaian dengan satker lain", "Tambahkan perbandingan median provinsi"))


def _jalankan_sampai(db, satker, sek, ketua, insp, *, final: bool = True, temuan=TEMUAN) -> Evaluasi:
    """Batu's evaluation: 1.c.8 not fulfilled, 1.a graded A, two findings, the first disputed
    and answered; final when asked."""
    ev = operations.buka(db.session, satker, TAHUN, sek)
    operations.simpan_jawaban(db.session, satker, TAHUN, sek, {
        k.kode: IsianKriteria("T" if k.kode == "1.c.8" else "Y", f"catatan {k.kode}") for k in ev.lke.kriteria})
    operations.transisi(db.session, satker, TAHUN, "ajukan", sek)
    rows = queries.jawaban(db.session, ev)
    for h in queries.hasil(db.session, ev).sub:
        grade, alasan = ("A", "Pedoman dipakai sejak 2019") if h.sub.kode == "1.a" else (h.usulan.value, "")
        operations.simpan_penilaian(db.session, satker, TAHUN, insp, h.sub.kode, PenilaianSub(
            {k.kode: PenilaianKriteria(True, versi=rows[k.kode].versi) for k in h.sub.kriteria}, grade, alasan))
    for sub, uraian, rekomendasi in temuan:
        operations.tulis_temuan(db.session, satker, TAHUN, insp, uraian, rekomendasi, sub)
    operations.transisi(db.session, satker, TAHUN, "terbitkan", insp)
    operations.sanggah(db.session, satker, TAHUN, ketua, {1: "RAK sudah direviu pada bulan Maret"})
    operations.tanggapi(db.session, satker, TAHUN, insp, {1: ("Reviu belum memuat RAK", False)})
    if final:
        operations.transisi(db.session, satker, TAHUN, "finalkan", insp)
    db.session.commit()
    return ev


@pytest.fixture
def batu(db, tree, people):
    office = people("35.79")
    return tree["35.79"], office.sekretaris, office.ketua, people("RI").inspektorat


@pytest.fixture
def final(db, batu):
    return _jalankan_sampai(db, *batu)


def _tanpa_token(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', "", html)


def _lhe_pdf(client) -> bytes:
    response = client.get(f"{URL}/lhe.pdf")
    assert response.status_code == 200, response.text
    assert response.mimetype == "application/pdf" and "no-store" in response.headers["Cache-Control"]
    assert "LHE-AKIP-2024-KPU-Kota-Batu.pdf" in response.headers["Content-Disposition"]
    return response.data


def test_the_lhe_pdf_prints_the_frozen_result_signed_by_the_evaluator(db, batu, final, client, login, tmp_path):
    _satker, _sek, _ketua, insp = batu
    hasil = final.hasil_final
    login(batu[1])  # the office's own Sekretaris downloads its LHE
    text = flat(pdf_text(_lhe_pdf(client), tmp_path))
    assert "KOMISI PEMILIHAN UMUM REPUBLIK INDONESIA INSPEKTORAT UTAMA" in text
    assert ("LAPORAN HASIL EVALUASI AKUNTABILITAS KINERJA INSTANSI PEMERINTAH TAHUN 2024 "
            "KOMISI PEMILIHAN UMUM KOTA BATU") in text
    assert "Satuan kerja : Komisi Pemilihan Umum Kota Batu Tahun yang dievaluasi : 2024" in text
    # the total with two decimals and a comma, the predikat and its meaning
    assert (final.skor_total, final.predikat) == (Decimal("79.10"), "BB")
    assert "Nilai hasil evaluasi: 79,10 · Predikat: BB (Sangat Baik)" in text
    assert "predikat BB diberikan untuk nilai > 70 - 80 dan berarti Sangat Baik" in text
    # every component and sub-component: weight, criteria fulfilled, grade, score
    for k in hasil["komponen"]:
        assert f"{kertas.dua_desimal(k['bobot'])} {kertas.dua_desimal(k['skor'])}" in text
        for s in k["subkomponen"]:
            assert (f"{kertas.dua_desimal(s['bobot'])} {s['terpenuhi']}/{s['jumlah']} {s['nilai']} "
                    f"{kertas.dua_desimal(s['skor'])}") in text
    assert "1 Perencanaan Kinerja 30,00 23,10" in text
    assert "6,00 6/6 A 5,40" in text and "15,00 7/8 B 10,50" in text  # 1.a graded A; 1.c 7 of 8 -> B
    assert "NILAI AKHIR 100,00 BB 79,10" in text
    for sub, uraian, rekomendasi in TEMUAN:
        assert f"{sub} Kualitas" in text and rekomendasi.split()[0] in text
        assert " ".join(uraian.split()[:3]) in text
    assert "Sanggahan satuan kerja: RAK sudah direviu pada" in text
    assert "Tanggapan evaluator: Reviu belum memuat RAK" in text and "(sanggahan tidak diterima)" in text
    # the signer: the evaluator who finalised, as what, where and when
    tanggal = kertas.lhe_data(final).tanggal
    assert f"Jakarta, {tanggal} Evaluator, INSPEKTORAT UTAMA KOMISI PEMILIHAN UMUM REPUBLIK INDONESIA" in text
    assert f"Ditandatangani secara elektronik difinalkan {tanggal}" in text and insp.full_name in text
    assert f"kode verifikasi {final.kode_verifikasi}" in text and f"SHA-256 {final.hash_isi}" in text
    assert f"http://localhost/verifikasi/{final.kode_verifikasi}" in text


def test_the_paper_reads_only_the_frozen_result_and_signer(db, tree, batu, final, client, login, tmp_path):
    insp = batu[3]
    login(insp)
    first = pdf_text(_lhe_pdf(client), tmp_path, "a.pdf")
    # The evaluator moves to the province's inspektorat after finalising, and the account is
    # renamed: the LHE still names the person and the position that signed.
    nama = insp.full_name
    insp.full_name = "Nama Baru Sesudah Final"
    for m in list(insp.memberships):
        db.session.delete(m)
    db.session.add(Membership(user_id=insp.id, satker_id=tree["35"].id, peran=Peran.INSPEKTORAT))
    # A grade changed behind the application's back (the application refuses it: final):
    # the paper prints what was hashed, the verification page tells the difference.
    db.session.execute(text("UPDATE evaluasi_nilai SET nilai = 'E' WHERE evaluasi_id = :id"), {"id": final.id})
    db.session.commit()
    again = pdf_text(_lhe_pdf(client), tmp_path, "b.pdf")
    assert again == first
    assert nama in again and "INSPEKTORAT UTAMA" in flat(again) and "Jawa Timur" not in again and "NILAI AKHIR 100,00 BB 79,10" in flat(again)
    verify = client.get(f"/verifikasi/{final.kode_verifikasi}")
    assert "PERINGATAN: hasil evaluasi yang tersimpan tidak lagi cocok" in verify.text
    assert queries.hasil(db.session, final).total != final.skor_total


def test_two_downloads_are_the_same_paper(db, batu, final, client, login, tmp_path):
    login(batu[3])
    one, two = pdf_text(_lhe_pdf(client), tmp_path, "1.pdf"), pdf_text(_lhe_pdf(client), tmp_path, "2.pdf")
    assert one == two and final.kode_verifikasi in one and final.hash_isi in one.replace(" ", "").replace("\n", "")


def test_the_lhe_excel_holds_the_same_numbers(db, batu, final, client, login):
    login(batu[2])  # the Ketua
    response = client.get(f"{URL}/lhe.xlsx")
    assert response.status_code == 200
    assert "LHE-AKIP-2024-KPU-Kota-Batu.xlsx" in response.headers["Content-Disposition"]
    wb = load_workbook(BytesIO(response.data))
    assert wb.sheetnames == [kertas.SHEET_NILAI, kertas.SHEET_TEMUAN]
    ws = wb[kertas.SHEET_NILAI]
    kepala = [ws.cell(row=r, column=1).value for r in range(1, 7)]
    assert "TAHUN 2024" in kepala[0] and "KOMISI PEMILIHAN UMUM KOTA BATU" in kepala[0]
    assert kepala[1:] == ["NAMA/UNIT ORGANISASI : KPU Kota Batu", "TAHUN : 2024", f"LKE : {final.lke.nama}",
                          f"KODE VERIFIKASI : {final.kode_verifikasi}", f"SHA-256 ISI : {final.hash_isi}"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=9, values_only=True) if r[0]}
    for k in final.hasil_final["komponen"]:
        assert Decimal(str(rows[k["kode"]][6])) == Decimal(k["skor"]) and rows[k["kode"]][2] == float(k["bobot"])
        for s in k["subkomponen"]:
            row = rows[s["kode"]]
            assert (row[3], row[4], row[5]) == (f"{s['terpenuhi']}/{s['jumlah']}", s["usulan"], s["nilai"])
            assert Decimal(str(row[6])) == Decimal(s["skor"]) and row[2] == float(s["bobot"])
    assert rows["1.c"][6] == 10.5 and rows["1.a"][5] == "A" and rows["1.a"][6] == pytest.approx(5.4)
    total = rows["NILAI AKHIR"]
    assert total[5] == final.predikat and Decimal(str(total[6])) == final.skor_total
    cell = next(c for c in ws["G"] if c.value == rows["1.c"][6])
    assert cell.number_format == "0.00" and cell.data_type == "n"
    texts = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert any(t.startswith(f"Predikat {final.predikat}: Sangat Baik") for t in texts)
    assert any(batu[3].full_name in t and "Inspektorat Utama" in t for t in texts)
    temuan = wb[kertas.SHEET_TEMUAN]
    found = [r for r in temuan.iter_rows(min_row=9, values_only=True) if r[0]]
    assert [(r[0], r[1].split()[0], r[2], r[3]) for r in found] == [
        (n, sub, uraian, rekomendasi) for n, (sub, uraian, rekomendasi) in enumerate(TEMUAN, start=1)]
    assert found[0][4] == "RAK sudah direviu pada bulan Maret"
    assert found[0][5] == "Reviu belum memuat RAK (sanggahan tidak diterima)" and found[1][4] is None


def test_not_final_foreign_or_missing_answers_404_like_a_missing_office(db, tree, batu, people, client, login, app):
    _jalankan_sampai(db, *batu, final=False)
    login(batu[3])
    for ext in ("pdf", "xlsx"):
        missing = client.get(f"/satker/99.99/evaluasi/{TAHUN}/lhe.{ext}")
        assert missing.status_code == 404
        for kode in ("35.79", "35.73"):  # disputed and answered, not final; none at all
            response = client.get(f"/satker/{kode}/evaluasi/{TAHUN}/lhe.{ext}")
            assert response.status_code == 404
            assert _tanpa_token(response.text.replace(kode, "")) == _tanpa_token(missing.text.replace("99.99", ""))
    page = client.get(URL)
    assert 'data-testid="unduh-lhe"' not in page.text


def test_another_office_cannot_download_the_lhe(db, batu, final, people, client, login, app):
    login(people("35.73").sekretaris)  # Malang's: Batu is foreign
    for ext in ("pdf", "xlsx"):
        foreign = client.get(f"{URL}/lhe.{ext}")
        absent = client.get(f"/satker/99.99/evaluasi/{TAHUN}/lhe.{ext}")
        assert foreign.status_code == absent.status_code == 404
        assert _tanpa_token(foreign.text.replace("35.79", "")) == _tanpa_token(absent.text.replace("99.99", ""))
    with app.test_client() as anonymous:
        assert anonymous.get(f"{URL}/lhe.pdf").status_code == 302


def test_the_evaluation_page_and_the_verification_page_offer_the_lhe(db, batu, final, client, login, app):
    login(batu[1])
    page = client.get(URL)
    assert 'data-testid="unduh-lhe"' in page.text
    assert f'href="{URL}/lhe.pdf"' in page.text and f'href="{URL}/lhe.xlsx"' in page.text
    with app.test_client() as public:
        verify = public.get(f"/verifikasi/{final.kode_verifikasi}")
        assert verify.status_code == 200 and 'data-testid="verify-lhe"' in verify.text
        assert f'href="{URL}/lhe.pdf"' in verify.text
        signer = verify.text.split('data-testid="verify-penanda">')[1].split("</dd>")[0]
        assert signer == f"{batu[3].full_name} · Inspektorat Utama KPU RI"
        # the link is no way around the gate: the paper itself needs a signed-in reader who sees Batu
        assert public.get(f"{URL}/lhe.pdf").status_code == 302
        # nothing of the findings is on the public page, as a document's page shows no content
        for _sub, uraian, rekomendasi in TEMUAN:
            assert uraian not in verify.text and rekomendasi not in verify.text


def test_a_province_evaluator_signs_as_the_provinces_inspektorat(db, tree, people, client, login, tmp_path):
    office = people("35.79")
    ev = _jalankan_sampai(db, tree["35.79"], office.sekretaris, office.ketua, people("35").inspektorat)
    data = kertas.lhe_data(ev)
    assert data.jabatan_baris == ["Inspektorat", "Komisi Pemilihan Umum Provinsi Jawa Timur"]
    assert data.tempat == "Jawa Timur" and data.kop == ["KOMISI PEMILIHAN UMUM PROVINSI JAWA TIMUR", "INSPEKTORAT"]


def test_the_demos_final_evaluation_has_an_lhe(db, client, login, tmp_path):
    load_hierarchy(db.session)
    demo.load_demo(db.session)
    db.session.commit()
    from tenants.people import User

    login(db.session.scalar(select(User).where(User.username == "inspektorat.ri")), password=demo.DEMO_PASSWORD)
    page = client.get("/satker/63.11/evaluasi/2024")
    assert 'data-testid="unduh-lhe"' in page.text
    response = client.get("/satker/63.11/evaluasi/2024/lhe.pdf")
    assert response.status_code == 200
    text = flat(pdf_text(response.data, tmp_path))
    assert "KOMISI PEMILIHAN UMUM KABUPATEN BALANGAN" in text and "Inspektorat Utama KPU RI" in text
    assert "Target IKU belum menantang" in text and "Tambahkan perbandingan capaian" in text
    assert client.get("/satker/63.11/evaluasi/2024/lhe.xlsx").status_code == 200


def test_typed_text_stays_text_on_both_papers(db, tree, people, app, tmp_path, caplog):
    """A finding that looks like markup or a formula is printed as typed: escaped in the PDF,
    a string cell in Excel; and the LHE lays out on A4 portrait without a WeasyPrint warning."""
    from pypdf import PdfReader

    from webapp import lhe, pdf_render

    office = people("35.79")
    licik = (("2.a", '<b>tebal</b> & =HYPERLINK("http://x")', "=1+1\x07 bel"),)
    ev = _jalankan_sampai(db, tree["35.79"], office.sekretaris, office.ketua, people("RI").inspektorat, temuan=licik)
    data = kertas.lhe_data(ev)
    wb = load_workbook(BytesIO(kertas.lhe_xlsx(data)))
    [row] = [r for r in wb[kertas.SHEET_TEMUAN].iter_rows(min_row=9) if r[0].value]
    assert row[2].value == '<b>tebal</b> & =HYPERLINK("http://x")' and row[2].data_type == "s"
    assert row[3].value == "=1+1 bel" and row[3].data_type == "s"
    caplog.set_level("WARNING", logger="weasyprint")
    with app.test_request_context("/"):
        made = pdf_render.render(lhe.html_lhe(data))
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    box = PdfReader(BytesIO(made)).pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    assert '<b>tebal</b> & =HYPERLINK("http://x")' in flat(pdf_text(made, tmp_path))


def test_an_evaluation_finalised_before_the_signer_was_kept_gets_it_from_its_audit_entry(db, batu, final, monkeypatch):
    """Migration lhe_signer: the finalising membership, as its audit entry names it."""
    import importlib.util
    from pathlib import Path
    from types import SimpleNamespace

    path = next(Path("migrations/versions").glob("*_3c7e9a2b4d18_lhe_signer.py"))
    spec = importlib.util.spec_from_file_location("lhe_signer", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    db.session.execute(text("UPDATE evaluasi SET difinalkan_nama = NULL, difinalkan_jabatan = NULL, difinalkan_kantor = NULL, "
                            "difinalkan_tempat = NULL WHERE id = :id"), {"id": final.id})
    db.session.commit()
    assert kertas.lhe_data(db.session.get(Evaluasi, final.id)).jabatan_baris == ["Inspektorat"]
    monkeypatch.setattr(migration, "op", SimpleNamespace(get_bind=lambda: db.session.connection()))
    migration._isi_yang_sudah_final()
    db.session.commit()
    db.session.expire_all()
    ev = db.session.get(Evaluasi, final.id)
    assert (ev.difinalkan_nama, ev.difinalkan_jabatan, ev.difinalkan_kantor, ev.difinalkan_tempat) == (
        batu[3].full_name, "Inspektorat Utama", "KPU RI", "Jakarta")
