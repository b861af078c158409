"""Every text a user reads on the pages follows the chosen language: with English chosen,
also what workflow/ and tenants/ compose (revision labels and reasons, budget warnings, the
words of a revision comparison and of an import dry run, realisation errors, enum labels,
the history's actions, back-office refusals); with Bahasa Indonesia (the default) the same
pages read exactly as before. Amounts stay ``Rp 20.999.655.000`` in both."""
from __future__ import annotations

import ast
import dataclasses
import html
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import session

from tests.conftest import csrf_token_from, section
from tests.documents import baris_contoh
from tests.test_import import _apply, _upload, ekspor, ubah_sel
from tests.test_realisasi import LAPORAN, PARTISIPASI, SAKIP, buat_pk, kunci
from tenants.teks import bahasa_asli
from webapp import pdf
from workflow import audit
from workflow.dokumen import cascade, operations
from workflow.dokumen.flow import DocumentFlow
from workflow.evaluasi.flow import AlurEvaluasi
from workflow.pelaporan.flow import AlurLaporan
from workflow.dokumen.models import Dokumen, JenisDokumen
from workflow.dokumen.operations import BarisData
from workflow.lkj import tabel as laporan
from workflow.realisasi import operations as realisasi_ops
from workflow.target import Polaritas

ROOT = Path(__file__).resolve().parent.parent


# -- helpers ---------------------------------------------------------------------------------

def pilih_bahasa(client, lang: str) -> None:
    page = client.get("/", follow_redirects=True)  # the sign-in page for a visitor
    response = client.post("/bahasa", data={"lang": lang, "next": "/", "csrf_token": csrf_token_from(page.text)})
    assert response.status_code == 302, response.text


def teks(page: str) -> str:
    """What a reader sees: tags dropped (attributes, codes in data-testid), entities read,
    spaces collapsed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _ada(text: str, phrase: str) -> bool:
    """``phrase`` as words of ``text`` (so "Mei" is not found in "Meinung")."""
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def cek(page: str, ada: list[str], tiada: list[str]) -> None:
    text = teks(page)
    missing = [p for p in ada if not _ada(text, p)]
    present = [p for p in tiada if _ada(text, p)]
    assert not missing and not present, {"missing": missing, "should not be there": present}


def kedua_bahasa(client, url: str, id_: tuple[list[str], list[str]], en: tuple[list[str], list[str]]) -> None:
    """The page in Indonesian (the default), then in English, then in Indonesian again:
    each (texts it shows, texts it must not show); what one language shows the other must
    not, unless both show it (amounts)."""
    hanya_id = [t for t in id_[0] if t not in en[0]]
    hanya_en = [t for t in en[0] if t not in id_[0]]
    cek(client.get(url).text, id_[0], hanya_en + id_[1])
    pilih_bahasa(client, "en")
    page = client.get(url)
    assert page.status_code == 200 and '<html lang="en">' in page.text
    cek(page.text, en[0], hanya_id + en[1])
    pilih_bahasa(client, "id")
    cek(client.get(url).text, id_[0], hanya_en)


# -- a RAK with two revisions -------------------------------------------------------------------

@pytest.fixture
def rak(db, make_dokumen, people):
    """A RAK returned for correction (Revisi ke-1) in which, against Revisi ke-0 (rows A, B,
    C): B moved before A, A's cost went up Rp 97.000, C was removed and a row was added whose
    cost (program WA) is more than WA's budget. Its programs add up to less than its pagu."""
    batu = people("35.79")
    rak = make_dokumen("rak_sekretariat", baris=3)
    operations.ajukan(db.session, rak, batu.sekretaris)
    operations.kembalikan(db.session, rak, people("35").reviewer, alasan="Perbaiki biaya")
    a, b, c = (x.kunci for x in rak.revisi_aktif.baris)
    operations.geser(db.session, rak, batu.sekretaris, b, -1)
    operations.hapus_baris(db.session, rak, batu.sekretaris, c)
    operations.simpan_baris(db.session, rak, batu.sekretaris, baris_contoh(1, "kul", biaya=1_097_000), kunci=a)
    operations.simpan_baris(db.session, rak, batu.sekretaris, dataclasses.replace(
        baris_contoh(4, "kul", biaya=2_000_000_000), kode_output="WA.3355.EBA.994"))
    db.session.commit()
    return rak


@pytest.fixture
def sekretaris(app, login, people):
    return login(people("35.79").sekretaris, c=app.test_client())


PERINGATAN_ID = [
    "Jumlah anggaran program Rp 19.527.520.000 kurang dari pagu Rp 20.999.655.000: selisih Rp 1.472.135.000.",
    "Jumlah perkiraan biaya baris Rp 2.002.097.000 kurang dari pagu Rp 20.999.655.000: selisih Rp 18.997.558.000.",
    "Perkiraan biaya baris program WA Rp 2.000.000.000 melebihi anggaran program Rp 1.143.402.000: "
    "selisih Rp 856.598.000.",
]
PERINGATAN_EN = [
    "The programme budgets add up to Rp 19.527.520.000, below the budget ceiling of Rp 20.999.655.000: "
    "a difference of Rp 1.472.135.000.",
    "The rows' estimated costs, Rp 2.002.097.000, are below the budget ceiling of Rp 20.999.655.000: "
    "a difference of Rp 18.997.558.000.",
    "The estimated costs of the rows of programme WA, Rp 2.000.000.000, exceed the programme budget of "
    "Rp 1.143.402.000: a difference of Rp 856.598.000.",
]


def test_the_document_page_revision_reasons_and_budget_warnings(rak, sekretaris):
    kedua_bahasa(
        sekretaris, f"/dokumen/{rak.id}",
        ([*PERINGATAN_ID, "Revisi ke-1", "Revisi ke-0", "Dokumen awal", "Dikembalikan untuk perbaikan: Perbaiki biaya"],
         ["Revision 1", "Original document", "Returned for correction", "Rows"]),
        ([*PERINGATAN_EN, "Revision 1", "Revision 0", "Original document", "Returned for correction: Perbaiki biaya"],
         ["Revisi ke-", "Dokumen awal", "Dikembalikan untuk perbaikan", "Jumlah anggaran program",
          "Jumlah perkiraan biaya baris", "melebihi anggaran program", "kurang dari pagu", "selisih"]))


def test_the_budget_tables_speak_of_programmes_and_count_rows(rak, sekretaris):
    pilih_bahasa(sekretaris, "en")
    page = sekretaris.get(f"/dokumen/{rak.id}").text
    assert section(page, "anggaran-per-program").startswith(
        "Programme Rows Estimated cost Programme budget Difference Share of the programme budget")
    assert section(page, "anggaran-per-kegiatan").startswith("Activity code Output code Rows Estimated cost")
    cek(page, ["Per programme", "Programme budgets (as stated)"], ["Per program", "program budget"])
    pilih_bahasa(sekretaris, "id")
    page = sekretaris.get(f"/dokumen/{rak.id}").text
    assert section(page, "anggaran-per-program").startswith(
        "Program Baris Perkiraan biaya Anggaran program Selisih Porsi anggaran program")


def test_the_revision_comparison(rak, sekretaris):
    kedua_bahasa(
        sekretaris, f"/dokumen/{rak.id}/banding?dari=0&ke=1",
        (["Baris 1", "Dipindah", "Dihapus", "Diubah", "Ditambah", "dipindah dari urutan 2 ke 1",
          "dihapus dari urutan 3", "ditambah di urutan 3", "diubah: Perkiraan biaya",
          "Polaritas: Makin tinggi makin baik", "bertambah Rp 97.000", "Jumlah perkiraan biaya", "Jumlah baris",
          "Rp 3.000.000", "Rp 2.002.097.000"],
         []),
        (["Row 1", "Moved", "Removed", "Changed", "Added", "moved from position 2 to 1", "removed from position 3",
          "added at position 3", "changed: Estimated cost", "Polarity: Higher is better", "up by Rp 97.000",
          "Total estimated cost", "Number of rows", "Rp 3.000.000", "Rp 2.002.097.000"],
         ["Dipindah", "Dihapus", "Diubah", "Ditambah", "dipindah", "urutan", "Polaritas", "Makin tinggi makin baik",
          "bertambah", "Jumlah perkiraan biaya", "Jumlah baris", "Perkiraan biaya"]))


def test_the_row_and_header_forms_offer_their_choices_in_words(rak, sekretaris):
    kedua_bahasa(
        sekretaris, f"/dokumen/{rak.id}/baris",
        (["Makin tinggi makin baik", "Makin rendah makin baik", "Bulanan (B1-B12)"], []),
        (["Higher is better", "Lower is better", "Monthly (B1-B12)"], ["Bulanan"]))
    pilih_bahasa(sekretaris, "en")
    assert 'title="May"' in sekretaris.get(f"/dokumen/{rak.id}/baris").text  # the schedule grid's months
    pilih_bahasa(sekretaris, "id")
    kedua_bahasa(
        sekretaris, f"/dokumen/{rak.id}/kepala",
        (["Bulanan (B1-B12)", "Triwulanan (TW1-TW4)", "Mingguan (minggu ke 1-4 tiap bulan)"], []),
        (["Monthly (B1-B12)", "Quarterly (TW1-TW4)", "Weekly (weeks 1-4 of each month)"],
         ["Bulanan", "Triwulanan", "Mingguan"]))


def test_the_editors_refusals_speak_the_reader_s_language(rak, sekretaris):
    url = f"/dokumen/{rak.id}/kepala"

    def simpan(**isian) -> str:
        page = sekretaris.get(url).text
        versi = re.search(r'name="versi"(?: type="hidden")? value="(\d+)"', page).group(1)
        data = {"csrf_token": csrf_token_from(page), "versi": versi, "tempat": "Batu", "pagu": "Rp 20.999.655.000",
                "bentuk_jadwal": "bulan", **isian}
        response = sekretaris.post(url, data=data)
        assert response.status_code in (409, 422), response.status_code
        return response.text

    tanggal = {"tanggal": "2204-01-13"}
    kalah = {"versi": "1"}  # a version other people have saved over since
    cek(simpan(**tanggal), ["Tanggal 13-01-2204 tidak sesuai dokumen tahun 2024: isi tanggal pada tahun 2023 "
                            "sampai 2025."], [])
    cek(simpan(**kalah), ["sejak Anda membukanya. Isian Anda belum disimpan"], [])
    pilih_bahasa(sekretaris, "en")
    cek(simpan(**tanggal), ["Date 13-01-2204 does not fit a document of 2024: enter a date in 2023 to 2025."],
        ["tidak sesuai dokumen tahun"])
    cek(simpan(**kalah), ["since you opened it. Your entries were not saved: check the latest changes, then "
                          "save again."], ["sejak Anda membukanya"])


def test_the_verify_page_of_a_replaced_revision(db, rak, client):
    kode = rak.revisi_ke(0).kode_verifikasi
    kedua_bahasa(
        client, f"/verifikasi/{kode}",
        (["Revisi ke-0", "sudah digantikan oleh Revisi ke-1"], []),
        (["Revision 0", "replaced by revision 1 (the document is now Draft)"], ["Revisi ke-0"]))


# -- the import dry run -----------------------------------------------------------------------------

def test_the_import_dry_run_its_summary_problems_and_stale_notice(db, rak, sekretaris):
    satu_sel = ubah_sel(ekspor(rak), {(2, "Perkiraan Biaya"): 2_000_000})
    basi = ubah_sel(ekspor(rak, rak.revisi_ke(0)), {(1, "Perkiraan Biaya"): "sepuluh juta"})

    def uji(data: bytes) -> str:
        page = _upload(sekretaris, rak, data)
        assert page.status_code == 200, page.text
        return page.text

    cek(uji(satu_sel), ["Diubah 1 (1 sel diubah).", "bertambah Rp 903.000"], ["Changed 1"])
    page = uji(basi)
    cek(page, ["Berkas ini diekspor dari Revisi ke-0; dokumen sekarang Revisi ke-1.",
               "'sepuluh juta' bukan jumlah rupiah (tulis mis. Rp 10.604.086.100)"],
        ["This file was exported"])
    assert re.search(r"Baris \d+, kolom Perkiraan Biaya \([A-Z]\): 'sepuluh juta' bukan", teks(page))

    pilih_bahasa(sekretaris, "en")
    cek(uji(satu_sel), ["Changed 1 (1 cell changed).", "up by Rp 903.000", "KPU Kota Batu 2024, revision 1 (draft)",
                        "from a SAKIP export file"],
        ["Diubah", "sel diubah", "bertambah", "Revisi ke-1", "draf", "berkas ekspor SAKIP"])
    page = uji(basi)
    cek(page, ["This file was exported from revision 0; the document is now at revision 1.",
               "'sepuluh juta' is not a rupiah amount (write e.g. Rp 10.604.086.100)",
               "1 problem(s): correct the file and upload it again. Nothing was saved."],
        ["Berkas ini diekspor", "bukan jumlah rupiah", "tulis mis.", "kolom", "Baris", "Revisi ke-0"])
    assert re.search(r"Row \d+, column Perkiraan Biaya \([A-Z]\): 'sepuluh juta' is not", teks(page))
    assert 'data-testid="import-apply"' not in page


def test_an_import_previewed_in_one_language_is_applied_in_the_other(db, rak, sekretaris):
    page = _upload(sekretaris, rak, ubah_sel(ekspor(rak), {(2, "Perkiraan Biaya"): 2_000_000}))
    assert "Diubah 1 (1 sel diubah)." in teks(page.text)
    pilih_bahasa(sekretaris, "en")  # the language switcher, between the preview and Apply
    applied = _apply(sekretaris, rak, page)
    assert applied.status_code == 302, teks(applied.text)
    db.session.expire_all()
    assert rak.revisi_aktif.baris[1].biaya == 2_000_000


# -- realisation and the dashboards ----------------------------------------------------------------

@pytest.fixture
def pk(db, tree, people):
    pk = buat_pk(db, tree, people, pelaksana={LAPORAN: "teknis"})
    ketua = people("35.79").ketua
    realisasi_ops.isi_realisasi(db.session, pk, ketua, kunci(pk, SAKIP), 6, "BB")
    realisasi_ops.isi_realisasi(db.session, pk, ketua, kunci(pk, PARTISIPASI), 5, "78%")
    db.session.commit()
    return pk


def test_the_realisation_page_and_its_errors(db, app, login, people, pk):
    c = login(people("35.79").ketua, c=app.test_client())
    url = f"/dokumen/{pk.id}/realisasi"
    kedua_bahasa(
        c, url,
        (["Jan", "Mei", "Agu", "Okt", "Des", "Nilai terakhir", "Dijumlahkan", "tercapai", "tidak dapat dihitung"], []),
        (["Jan", "May", "Aug", "Oct", "Dec", "Latest value", "Summed", "achieved", "cannot be computed"],
         ["Mei", "Agu", "Okt", "Des", "Nilai terakhir", "Dijumlahkan", "tercapai"]))

    def salah() -> str:
        page = c.get(url).text
        versi = re.search(r'name="versi" value="(\d+)"', page).group(1)
        response = c.post(url, data={"csrf_token": csrf_token_from(page), "versi": versi,
                                     f"r-{kunci(pk, SAKIP)}-3": "sangat baik", f"r-{kunci(pk, LAPORAN)}-4": "2 Orang"})
        assert response.status_code == 422
        return response.text

    cek(salah(), ["Tidak ada yang disimpan: 2 isian perlu diperbaiki.",
                  "Indikator 'Nilai akuntabilitas kinerja', Maret: 'sangat baik' bukan predikat: tulis salah satu dari "
                  "AA, A, BB, B, CC, C, D.",
                  "Indikator 'Jumlah laporan sosialisasi', April: '2 Orang': satuannya bukan Laporan."], [])
    pilih_bahasa(c, "en")
    cek(salah(), ["Nothing was saved: 2 field(s) need correcting.",
                  "Indicator 'Nilai akuntabilitas kinerja', March: 'sangat baik' is not a grade: write one of "
                  "AA, A, BB, B, CC, C, D.",
                  "Indicator 'Jumlah laporan sosialisasi', April: '2 Orang': the unit is not Laporan."],
        ["Tidak ada yang disimpan", "Indikator", "Maret", "bukan predikat", "satuannya"])


def test_realisation_waits_for_the_signature(db, app, login, people, tree):
    draf = buat_pk(db, tree, people, tahun=2025, tandatangani=False)
    c = login(people("35.79").ketua, c=app.test_client())
    kedua_bahasa(
        c, f"/dokumen/{draf.id}/realisasi",
        (["Realisasi baru dapat diisi setelah PK Komisi ditandatangani (status sekarang: Draf)."], []),
        (["Realisations can be entered only once the PK Komisi is signed (current status: Draft)."],
         ["Realisasi baru dapat diisi", "status sekarang", "Draf"]))


def test_the_office_dashboard(db, app, login, people, make_dokumen, pk):
    batu = people("35.79")
    rak = make_dokumen("rak_komisioner", baris=1)
    operations.simpan_baris(db.session, rak, batu.ketua, BarisData(
        indikator="Rapat pleno", target="1 Laporan", kegiatan=["Rapat"], kode_output=None, sel_jadwal=[2],
        biaya=500_000, pelaksana="teknis"))
    db.session.commit()
    c = login(batu.ketua, c=app.test_client())
    kedua_bahasa(
        c, "/satker/35.79/dasbor?tahun=2024",
        (["Nilai terakhir", "Dijumlahkan", "tercapai", "tidak dapat dihitung", "tanpa kode", "Rp 500.000"], []),
        (["Latest value", "Summed", "achieved", "cannot be computed", "no code", "Rp 500.000"],
         ["Nilai terakhir", "Dijumlahkan", "tercapai", "tanpa kode"]))


def test_the_province_matrix_heads_its_offices_column(db, app, login, people):
    c = login(people("35").ketua, c=app.test_client())
    url = "/satker/35/dasbor?tahun=2024&urut=satker"  # by default the offices needing attention come first
    assert section(c.get(url).text, "urut-satker") == "Satker ▲"
    pilih_bahasa(c, "en")
    assert section(c.get(url).text, "urut-satker") == "Office ▲"


# -- the back office ----------------------------------------------------------------------------------

def test_the_back_office_says_office_and_names_the_role_by_its_label(db, app, login, make_user, tree):
    admin = make_user("35", "admin", username="admin.jatim")
    batu = make_user("35.79", "sekretaris", username="batu.sekretaris")
    c = login(admin, c=app.test_client())

    def grant_subbag_without_subbagian() -> str:
        form = c.get("/admin/keanggotaan/new/")
        response = c.post("/admin/keanggotaan/new/", data={
            "user": batu.id, "satker": tree["35.79"].id, "peran": "subbag", "divisi": "", "subbagian": "",
            "csrf_token": csrf_token_from(form.text)})
        assert response.status_code == 200
        return response.text

    cek(grant_subbag_without_subbagian(), ["Peran Subbagian harus memilih subbagian."], ["subbag"])
    assert re.search(r"<th[^>]*>\s*(<a[^>]*>)?\s*Satker\s*(</a>)?\s*</th>", c.get("/admin/pengguna/").text)
    pilih_bahasa(c, "en")
    cek(grant_subbag_without_subbagian(), ["The Subbagian role must name its subsection."], ["Peran", "subbag"])
    users = c.get("/admin/pengguna/").text
    assert re.search(r"<th[^>]*>\s*(<a[^>]*>)?\s*Office\s*(</a>)?\s*</th>", users)
    assert not re.search(r"<th[^>]*>\s*(<a[^>]*>)?\s*Satker\s*(</a>)?\s*</th>", users)
    menu = [" ".join(re.sub(r"<[^>]+>", " ", m).split()) for m in re.findall(r'<a class="nav-link[^"]*"[^>]*>(.*?)</a>', users, re.S)]
    assert {"Offices", "Users", "Memberships"} <= set(menu), menu  # the menu names lists
    assert len(db.session.get(type(batu), batu.id).memberships) == 1


# -- the history ------------------------------------------------------------------------------------

_AKSI_SEL = re.compile(r"<td>([^<]*) \((?:Revisi ke-|Revision )\d+\)</td>")


def aksi_riwayat(client, dokumen: Dokumen) -> list[str]:
    """The history's action cells (every entry: ``?riwayat=semua``), as shown."""
    page = client.get(f"/dokumen/{dokumen.id}?riwayat=semua").text
    return [html.unescape(a) for a in _AKSI_SEL.findall(page.split('data-testid="history"', 1)[1])]


def test_the_history_names_every_action_it_shows(db, app, login, people, tree, make_dokumen):
    jatim, batu = people("35"), people("35.79")
    # The province's PK cascaded into Kota Batu's (turunkan), signed there, then realised.
    induk = operations.buat_dokumen(db.session, tree["35"], 2024, JenisDokumen.PK_KOMISI, jatim.ketua)
    s = operations.simpan_sasaran(db.session, induk, jatim.ketua, "Terwujudnya kesadaran pemilih")
    operations.simpan_indikator(db.session, induk, jatim.ketua, s.kunci, "Persentase partisipasi pemilih", "80%")
    cascade.turunkan(db.session, induk, jatim.ketua)
    pk = db.session.scalar(sa.select(Dokumen).where(Dokumen.satker_id == tree["35.79"].id,
                                                    Dokumen.jenis == JenisDokumen.PK_KOMISI))
    operations.ajukan(db.session, pk, batu.ketua)
    operations.tandatangani(db.session, pk, batu.ketua)
    realisasi_ops.isi_realisasi(db.session, pk, batu.ketua, pk.revisi_aktif.sasaran[0].indikator[0].kunci, 1, "70%")
    # A signed RAK with money spent.
    rak = make_dokumen("rak_sekretariat", baris=1)
    operations.ajukan(db.session, rak, batu.sekretaris)
    operations.tandatangani(db.session, rak, batu.sekretaris)
    operations.tandatangani(db.session, rak, batu.ketua)
    realisasi_ops.isi_realisasi_anggaran(db.session, rak, batu.sekretaris, rak.revisi_aktif.baris[0].kunci, 1,
                                         "Rp 250.000")
    # An LKj whose chapters, staff numbers and typed figures were edited.
    lkj = make_dokumen("lkj")
    operations.simpan_bab_lkj(db.session, lkj, batu.sekretaris, "penutup", "Demikian laporan ini.")
    operations.simpan_pegawai_lkj(db.session, lkj, batu.sekretaris, {"pegawai_pns": 12, "pegawai_pppk": 3})
    operations.simpan_angka_tertulis(db.session, lkj, batu.sekretaris, {"anggaran": {"anggaran": 1_000_000}})
    db.session.commit()

    c = login(batu.sekretaris, c=app.test_client())
    baru_id = {"Indikator diturunkan dari satker induk", "Realisasi indikator diisi", "Realisasi anggaran diisi",
               "Bab LKj diubah", "Jumlah pegawai LKj diubah", "Angka tertulis LKj diubah"}
    baru_en = {"Indicators cascaded from the parent office", "Indicator realisation entered",
               "Budget realisation entered", "LKj chapter changed", "LKj staff numbers changed",
               "LKj typed figures changed"}
    semua_id = [a for d in (pk, rak, lkj) for a in aksi_riwayat(c, d)]
    pilih_bahasa(c, "en")
    semua_en = [a for d in (pk, rak, lkj) for a in aksi_riwayat(c, d)]

    assert len(semua_id) == len(semua_en) >= 12
    assert baru_id <= set(semua_id) and {"Diajukan", "Ditandatangani", "Dokumen dibuat"} <= set(semua_id)
    assert baru_en <= set(semua_en) and {"Submitted", "Signed", "Document created"} <= set(semua_en)
    assert not set(semua_id + semua_en) & set(audit.AKSI), "an action shown as its code"
    assert not set(semua_en) & {audit.label_aksi(a) for a in audit.AKSI}, "an Indonesian label on the English page"


def _aksi_di_kode() -> tuple[set[str], list[str]]:
    """Every action name written where the log is written: ``catat(..., aksi="...")`` and
    ``_log_edit(session, dokumen, user, membership, "...")`` in workflow/ and webapp/ (both
    branches of a conditional), and what else is passed instead of a literal."""
    found: set[str] = set()
    other: list[str] = []

    def literals(node) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)
        elif isinstance(node, ast.IfExp):
            literals(node.body)
            literals(node.orelse)
        else:
            other.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")

    for folder in ("workflow", "webapp", "tenants"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(call, ast.Call):
                    continue
                name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
                if name in ("catat", "append", "_catat") and any(k.arg == "aksi" for k in call.keywords):
                    literals(next(k.value for k in call.keywords if k.arg == "aksi"))
                elif name == "_log_edit" and len(call.args) >= 5:
                    literals(call.args[4])
    return found, other


def test_every_action_the_log_can_record_has_a_label_in_both_languages(app):
    written, passed_on = _aksi_di_kode()
    # The places that pass a name on: the three machines' listeners (their events), and the
    # helpers whose callers write the literals above (audit.catat, operations._log_edit, the
    # calendar's and the appointments' _catat, the evaluation's catat).
    assert sorted(re.sub(r"^.*: ", "", p) for p in passed_on) == [
        "aksi", "aksi", "aksi", "aksi", "aksi", "event", "f'evaluasi_{event}'", "f'laporan_{event}'"], passed_on
    events = ({e.id for e in DocumentFlow.events} | {f"laporan_{e.id}" for e in AlurLaporan.events}
              | {f"evaluasi_{e.id}" for e in AlurEvaluasi.events})
    assert written | events == set(audit.AKSI), "workflow.audit.AKSI lists exactly the actions written"

    indonesia = {a: audit.label_aksi(a) for a in audit.AKSI}  # outside a request: Indonesian
    with app.test_request_context("/"):
        session["lang"] = "en"
        english = {a: audit.label_aksi(a) for a in audit.AKSI}
    for aksi in audit.AKSI:
        assert indonesia[aksi] and indonesia[aksi] != aksi and english[aksi] and english[aksi] != aksi
        assert english[aksi] != indonesia[aksi], f"{aksi}: no English label"
    assert len(set(indonesia.values())) == len(set(english.values())) == len(audit.AKSI)
    with pytest.raises(ValueError, match="tidak dikenal"):
        audit.append(None, aksi="ubah_sesuatu")


# -- where the texts stay Indonesian ------------------------------------------------------------------

def test_outside_a_request_and_in_printed_documents_the_texts_stay_indonesian(app, db, rak, pk, make_dokumen):
    """The CLI (no request) reads Indonesian; the official PDF and the LKj tables frozen at
    submit are Indonesian whatever language the reader chose; the page's texts are not."""
    revisi = rak.revisi_aktif
    lkj = make_dokumen("lkj")
    lkj_revisi, sesi = lkj.revisi_aktif, db.session()
    assert (revisi.label, Polaritas.TURUN.label) == ("Revisi ke-1", "Makin rendah makin baik")
    with app.test_request_context("/"):
        session["lang"] = "en"
        assert (revisi.label, Polaritas.TURUN.label) == ("Revision 1", "Lower is better")
        with bahasa_asli():
            assert (revisi.label, Polaritas.TURUN.label) == ("Revisi ke-1", "Makin rendah makin baik")
        assert revisi.label == "Revision 1"
        printed = pdf.html_dokumen(rak, revisi)
        laporan.bekukan(sesi, lkj, lkj_revisi)  # what submitting an LKj freezes
    assert "DRAF · Revisi ke-1 ·" in printed and "Revision" not in printed
    assert "tercapai" in lkj_revisi.lkj.tabel and "achieved" not in lkj_revisi.lkj.tabel
    assert revisi.label == "Revisi ke-1"
