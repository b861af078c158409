"""The Laporan Kinerja: written chapters around tables the software computes from the PKs,
the realisations and the RAK's money; frozen when submitted; Balangan's 2024 report as the
seed printed it, with the seed's typed slips pointed out."""
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tenants.hierarchy import load_hierarchy
from tests.conftest import csrf_token_from
from tests.documents import baris_contoh
from tests.test_dashboards import tandatangani
from tests.test_realisasi import INDIKATOR, PARTISIPASI, buat_pk, kunci
from workflow.dokumen import bab_lkj as lkj, operations
from workflow.dokumen.models import JenisDokumen, Status
from workflow.errors import Ditolak, IsiTidakValid
from workflow.lkj import tabel as laporan
from workflow.realisasi import operations as realisasi_ops
from workflow.realisasi.operations import Isian, IsianAnggaran
from workflow.target import baca_target

# A copy of ../shared/seeds/lkj-pk-rkt-kab-balangan-2024.txt, so a clone alone can compare with it.
SEED = Path(__file__).resolve().parent / "data" / "lkj-pk-rkt-kab-balangan-2024.txt"
LKJ = JenisDokumen.LKJ


def teks(html: str, testid: str) -> str:
    """The text of the element carrying data-testid (up to its tag's first closing tag)."""
    match = re.search(rf'<(\w+)[^>]*data-testid="{re.escape(testid)}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, testid
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(2)).split())


# -- Balangan 2024: the seed's tables, computed ---------------------------------------------------

def _seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").split("\n")


def _seed_tabel(judul: str, sampai: str) -> list[tuple[str, str]]:
    """(target, realisasi) of each indikator row of Tabel 3.1 / 3.2 as printed."""
    lines = _seed_lines()
    start = next(n for n, line in enumerate(lines) if line.strip() == judul)
    rows = []
    for line in lines[start:]:
        if line.startswith(sampai):
            break
        cells = line.split("\t")
        if len(cells) >= 5 and cells[2].strip() and cells[3].strip() and cells[4].strip().upper() != "REALISASI":
            rows.append((cells[3].strip(), cells[4].strip()))
    return rows


def _seed_anggaran() -> list[tuple[str, int, int]]:
    """(kode, anggaran, realisasi) of the budget table; the seed mixes 20,041,125,000 and 2.000."""
    lines = _seed_lines()
    start = next(n for n, line in enumerate(lines) if line.strip() == "Realisasi Anggaran Tahun 2024")
    rows = []
    for line in lines[start:]:
        if line.strip() == "BAB IV":
            break
        cells = line.split("\t")
        if len(cells) == 5 and re.fullmatch(r"\d{4}", cells[0].strip()):
            rows.append((cells[0].strip(), int(re.sub(r"[,.]", "", cells[2])), int(re.sub(r"[,.]", "", cells[3]))))
    return rows


def _sama(printed: str, computed: str) -> bool:
    """Targets as the seed prints them (0.16%, 1Dokumen) against the software's (0,16%)."""
    a, b = baca_target(printed), baca_target(computed)
    return (a.jenis, a.nilai, a.kode) == (b.jenis, b.nilai, b.kode)


@pytest.fixture
def balangan(db, app, login):
    from webapp import demo
    load_hierarchy(db.session)
    demo.load_demo(db.session)
    db.session.commit()
    from sqlalchemy import select
    from tenants.people import User
    reviewer = db.session.scalar(select(User).where(User.username == "reviewer.kalsel"))
    c = login(reviewer, password=demo.DEMO_PASSWORD, c=app.test_client())  # and the demo authenticator's code
    from tenants.satker import Satker
    satker = db.session.scalar(select(Satker).where(Satker.kode == "63.11"))
    return c, operations.cari_dokumen(db.session, satker, 2024, LKJ)


def test_balangan_tables_3_1_and_3_2_come_out_of_the_software_as_the_seed_prints_them(db, balangan):
    _client, dokumen = balangan
    assert dokumen.status is Status.SIGNED
    data = laporan.tabel(db.session, dokumen.revisi_aktif)
    for tabel, judul, sampai in ((data["pk"][0], "Tabel 3. 1", "1. Analisis"),
                                 (data["pk"][1], "Tabel 3. 2", "Secara Umum")):
        printed = _seed_tabel(judul, sampai)
        computed = [(i["target"], i["realisasi"]) for s in tabel["sasaran"] for i in s["indikator"]]
        assert len(computed) == len(printed) == (9 if tabel["jenis"] == "pk_komisi" else 41)
        for (t1, r1), (t2, r2) in zip(printed, computed):
            assert _sama(t1, t2) and _sama(r1, r2), (t1, r1, t2, r2)
    komisi = {i["uraian"]: i for s in data["pk"][0]["sasaran"] for i in s["indikator"]}
    # Computed, never typed: 91 / 81 x 100; lower is better at equal values gives 100.
    assert komisi["Persentase Partisipasi Pemilih Dalam Pemilu/Pemilihan"]["capaian"] == "112,35%"
    assert komisi["Persentase Pemilih yang Berhak Memilih Tetapi Tidak Masuk dalam Daftar Pemilih Tetap"][
        "capaian"] == "100%"
    assert komisi["Opini BPK atas Laporan Keuangan"]["capaian"] == "tercapai"
    assert laporan.ringkasan(data) == {"tercapai": 50, "tidak_tercapai": 0, "tidak_dapat_dihitung": 0}


def test_balangan_budget_table_totals_itself_and_points_at_the_seeds_slips(db, balangan):
    client, dokumen = balangan
    data = laporan.tabel(db.session, dokumen.revisi_aktif)
    printed = _seed_anggaran()
    computed = [(b["kode"], b["anggaran"], b["realisasi"]) for b in data["anggaran"]["baris"]]
    assert computed == printed  # the seed's order: program CQ, then WA
    assert data["anggaran"]["anggaran"] == sum(a for _, a, _ in printed) == 36_932_812_000
    assert data["anggaran"]["realisasi"] == sum(r for _, _, r in printed) == 36_899_147_606
    assert data["anggaran"]["capaian"] == "99,91%"
    assert data["pagu"] == 36_932_812_000  # the PK Komisi's two programs

    selisih = lkj.selisih_tertulis(data, dokumen.revisi_aktif.lkj.angka_tertulis)
    assert [(s.letak, s.tertulis, s.dihitung) for s in selisih] == [
        ("Realisasi anggaran, kegiatan 6870, capaian", "0,00%", "100,00%"),
        ("Realisasi anggaran, jumlah, realisasi", "Rp 36.899.108.751", "Rp 36.899.147.606"),
    ]

    html = client.get(f"/dokumen/{dokumen.id}").text
    assert "Rp 36.899.108.751" in teks(html, "lkj-selisih") and "0,00%" in teks(html, "lkj-selisih")
    assert teks(html, "lkj-total-realisasi") == "Rp 36.899.147.606"
    kalimat = teks(html, "lkj-anggaran-kalimat")
    assert "Rp 36.932.812.000" in kalimat and "Rp 36.899.147.606" in kalimat and "99,91%" in kalimat
    assert "40,00%" in teks(html, "lkj-pegawai") and "PPNPN" in teks(html, "lkj-pegawai")
    assert "Segala puji dan syukur" in teks(html, "bab-kata_pengantar")
    assert "112,35%" in teks(html, "tabel-pk_komisi")
    assert 'data-testid="lkj-frozen"' in html


# -- the workflow: written by the Sekretaris, signed by the Ketua, frozen on submit -----------------

def buat_lkj_batu(db, tree, people, indikator=INDIKATOR, tempat: str = "Batu"):
    """Kota Batu: a signed PK with ``indikator`` (the first one realised at 60% in January),
    a signed RAK with Rp 500.000 of Rp 2.000.000 spent, and a draft LKj with its place and
    date: (pk, lkj)."""
    office = people("35.79")
    pk = buat_pk(db, tree, people, indikator=indikator)
    realisasi_ops.simpan_realisasi(db.session, pk, office.ketua, [Isian(kunci(pk, indikator[0][0]), 1, "60%")])
    rak = operations.buat_dokumen(db.session, tree["35.79"], 2024, JenisDokumen.RAK_SEKRETARIAT, office.sekretaris)
    operations.simpan_baris(db.session, rak, office.sekretaris, baris_contoh(1, "kul", biaya=2_000_000))
    operations.ajukan(db.session, rak, office.sekretaris)
    operations.tandatangani(db.session, rak, office.sekretaris)
    operations.tandatangani(db.session, rak, office.ketua)
    realisasi_ops.simpan_realisasi_anggaran(db.session, rak, office.sekretaris,
                                            [IsianAnggaran(rak.revisi_aktif.baris[0].kunci, 1, "Rp 500.000")])
    dokumen = operations.buat_dokumen(db.session, tree["35.79"], 2024, LKJ, office.sekretaris)
    operations.ubah_kepala(db.session, dokumen, office.sekretaris,
                           operations.Kepala(tempat=tempat, tanggal=date(2025, 1, 13)), None)
    db.session.commit()
    return pk, dokumen


@pytest.fixture
def lkj_batu(db, tree, people):
    return buat_lkj_batu(db, tree, people)


def _partisipasi(db, dokumen) -> dict:
    data = laporan.tabel(db.session, dokumen.revisi_aktif)
    return next(i for s in data["pk"][0]["sasaran"] for i in s["indikator"] if i["uraian"] == PARTISIPASI)


def test_a_new_lkj_starts_with_the_standard_wording_and_live_tables(db, lkj_batu):
    pk, dokumen = lkj_batu
    assert "Laporan Kinerja KPU Kota Batu Tahun 2024" in dokumen.revisi_aktif.lkj.kata_pengantar
    assert _partisipasi(db, dokumen)["realisasi"] == "60%"
    data = laporan.tabel(db.session, dokumen.revisi_aktif)
    assert (data["anggaran"]["anggaran"], data["anggaran"]["realisasi"], data["anggaran"]["capaian"]) == (
        2_000_000, 500_000, "25,00%")


def test_submitting_freezes_the_tables_and_the_signature_covers_them(db, lkj_batu, people):
    pk, dokumen = lkj_batu
    office = people("35.79")
    operations.ajukan(db.session, dokumen, office.sekretaris)
    operations.tandatangani(db.session, dokumen, office.ketua)
    db.session.commit()
    assert dokumen.status is Status.SIGNED
    # A correction of the PK's realisation after signing does not move the signed report...
    realisasi_ops.simpan_realisasi(db.session, pk, office.ketua, [Isian(kunci(pk, PARTISIPASI), 1, "90%")])
    db.session.commit()
    assert _partisipasi(db, dokumen)["realisasi"] == "60%"
    from workflow.dokumen import canonical
    assert canonical.hash_isi(dokumen.revisi_aktif) == dokumen.revisi_aktif.hash_isi
    # ...and the frozen tables cannot be rewritten.
    dokumen.revisi_aktif.lkj.tabel = "{}"
    with pytest.raises(Exception):
        db.session.flush()
    db.session.rollback()


def test_a_revision_keeps_the_narrative_and_computes_the_tables_afresh(db, lkj_batu, people, tree):
    pk, dokumen = lkj_batu
    office, reviewer = people("35.79"), people("35").reviewer
    operations.simpan_bab_lkj(db.session, dokumen, office.sekretaris, "penutup", "Penutup yang ditulis.")
    operations.ajukan(db.session, dokumen, office.sekretaris)
    operations.tandatangani(db.session, dokumen, office.ketua)
    operations.kembalikan(db.session, dokumen, reviewer, "Analisis capaian belum lengkap.")
    realisasi_ops.simpan_realisasi(db.session, pk, office.ketua, [Isian(kunci(pk, PARTISIPASI), 1, "90%")])
    db.session.commit()
    revisi = dokumen.revisi_aktif
    assert revisi.nomor == 1 and revisi.lkj.penutup == "Penutup yang ditulis." and revisi.lkj.tabel is None
    assert _partisipasi(db, dokumen)["realisasi"] == "90%"
    assert laporan.tabel(db.session, dokumen.revisi[0])["pk"][0]["sasaran"][0]["indikator"][0]["realisasi"] == "60%"


def test_submit_is_refused_while_a_chapter_is_empty_or_there_is_no_pk(db, tree, people):
    office = people("35.79")
    dokumen = operations.buat_dokumen(db.session, tree["35.79"], 2024, LKJ, office.sekretaris)
    operations.simpan_bab_lkj(db.session, dokumen, office.sekretaris, "penutup", "  \n ")
    with pytest.raises(IsiTidakValid) as refused:
        operations.ajukan(db.session, dokumen, office.sekretaris)
    assert "Bab IV Penutup belum diisi." in refused.value.masalah
    assert "Belum ada Perjanjian Kinerja tahun 2024: tabel capaian tidak dapat disusun." in refused.value.masalah
    assert "Tempat dan tanggal laporan belum diisi." in refused.value.masalah
    with pytest.raises(Ditolak):
        operations.simpan_bab_lkj(db.session, dokumen, office.ketua, "penutup", "Ketua tidak menyusun.")


# -- the pages -------------------------------------------------------------------------------------

def test_the_sekretaris_writes_a_chapter_in_the_browser_and_the_paragraphs_stay(db, app, login, people, lkj_batu):
    _pk, dokumen = lkj_batu
    c = login(people("35.79").sekretaris)
    page = c.get(f"/dokumen/{dokumen.id}/lkj/bab/penutup")
    assert page.status_code == 200
    saved = c.post(f"/dokumen/{dokumen.id}/lkj/bab/penutup", data={
        "csrf_token": csrf_token_from(page.text), "versi": str(dokumen.versi),
        "teks": "Paragraf pertama.\r\n\r\nParagraf kedua\x07 dengan bunyi."})
    assert saved.status_code == 302
    html = c.get(f"/dokumen/{dokumen.id}").text
    assert "<p>Paragraf pertama.</p>" in html and "<p>Paragraf kedua dengan bunyi.</p>" in html


def test_only_the_penyusun_edits_and_an_unknown_chapter_or_foreign_office_is_missing(db, app, login, people, lkj_batu):
    _pk, dokumen = lkj_batu
    c = login(people("35.79").ketua)
    page = c.get(f"/dokumen/{dokumen.id}/lkj/bab/penutup")
    assert page.status_code == 403 and "Sekretaris" in page.text
    assert c.get(f"/dokumen/{dokumen.id}/lkj/bab/lampiran").status_code == 404
    outsider = login(people("35.73").sekretaris, c=app.test_client())
    assert outsider.get(f"/dokumen/{dokumen.id}/lkj/bab/penutup").status_code == 404
    assert outsider.get(f"/dokumen/{dokumen.id}/lkj/pegawai").status_code == 404


def test_staff_counts_give_the_shares_and_bad_numbers_are_refused_with_nothing_saved(db, app, login, people, lkj_batu):
    _pk, dokumen = lkj_batu
    c = login(people("35.79").sekretaris)
    page = c.get(f"/dokumen/{dokumen.id}/lkj/pegawai")
    token = csrf_token_from(page.text)
    bad = c.post(f"/dokumen/{dokumen.id}/lkj/pegawai", data={
        "csrf_token": token, "versi": str(dokumen.versi), "pegawai_pns": "-3", "pegawai_pppk": "dua",
        "pegawai_ppnpn": "1"})
    assert bad.status_code == 422 and 'class="invalid-feedback"' in bad.text
    db.session.expire_all()
    assert dokumen.revisi_aktif.lkj.pegawai_ppnpn is None
    good = c.post(f"/dokumen/{dokumen.id}/lkj/pegawai", data={
        "csrf_token": token, "versi": str(dokumen.versi), "pegawai_pns": "8", "pegawai_pppk": "6",
        "pegawai_ppnpn": "6"})
    assert good.status_code == 302
    assert "40,00%" in teks(c.get(f"/dokumen/{dokumen.id}").text, "lkj-pegawai")


def test_the_lkj_page_sends_as_many_statements_for_a_big_office_as_for_a_small_one(
        db, app, login, people, tree, count_statements):
    counts = []
    for kode, n_rows, months in (("35.79", 1, 1), ("35.73", 6, 4)):
        office = people(kode)
        pk = buat_pk(db, tree, people, kode=kode)
        isian = [Isian(i.kunci, m, "50%") for s in pk.revisi_aktif.sasaran for i in s.indikator
                 if i.jenis_target.value == "persen" for m in range(1, months + 1)]
        realisasi_ops.simpan_realisasi(db.session, pk, office.ketua, isian)
        rak = operations.buat_dokumen(db.session, tree[kode], 2024, JenisDokumen.RAK_SEKRETARIAT, office.sekretaris)
        for no in range(1, n_rows + 1):
            operations.simpan_baris(db.session, rak, office.sekretaris, baris_contoh(no, "kul"))
        tandatangani(db, rak, office.sekretaris)
        operations.tandatangani(db.session, rak, office.ketua)
        realisasi_ops.simpan_realisasi_anggaran(db.session, rak, office.sekretaris, [
            IsianAnggaran(b.kunci, m, "Rp 1.000") for b in rak.revisi_aktif.baris for m in range(1, months + 1)])
        dokumen = operations.buat_dokumen(db.session, tree[kode], 2024, LKJ, office.sekretaris)
        db.session.commit()
        c = login(office.sekretaris, c=app.test_client())
        c.get(f"/dokumen/{dokumen.id}")
        with count_statements() as counter:
            assert c.get(f"/dokumen/{dokumen.id}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_typed_figures_that_agree_raise_nothing_and_malformed_ones_are_refused(db, lkj_batu, people):
    _pk, dokumen = lkj_batu
    office = people("35.79")
    data = laporan.tabel(db.session, dokumen.revisi_aktif)
    agree = {"anggaran": {"anggaran": 2_000_000, "realisasi": 500_000, "persen": "25,00"}}
    operations.simpan_angka_tertulis(db.session, dokumen, office.sekretaris, agree)
    assert lkj.selisih_tertulis(data, dokumen.revisi_aktif.lkj.angka_tertulis) == []
    with pytest.raises(IsiTidakValid):
        operations.simpan_angka_tertulis(db.session, dokumen, office.sekretaris,
                                         {"anggaran": {"kegiatan": {"67": {"anggaran": 1}}}})
    assert Decimal(data["anggaran"]["persen"]) == Decimal("25.0000")


def test_two_revisions_compare_their_chapters_and_staff(db, app, login, people, lkj_batu):
    _pk, dokumen = lkj_batu
    office, reviewer = people("35.79"), people("35").reviewer
    operations.ajukan(db.session, dokumen, office.sekretaris)
    operations.kembalikan(db.session, dokumen, reviewer, "Penutup terlalu singkat.")
    operations.simpan_bab_lkj(db.session, dokumen, office.sekretaris, "penutup", "Penutup yang diperbaiki.")
    operations.simpan_pegawai_lkj(db.session, dokumen, office.sekretaris, {"pegawai_pns": 9})
    db.session.commit()
    html = login(office.sekretaris).get(f"/dokumen/{dokumen.id}/banding?dari=0&ke=1").text
    assert "Bab IV Penutup" in html and "Penutup yang diperbaiki." in html and "Pegawai PNS" in html
    assert "Kata Pengantar" not in html  # unchanged chapters are not listed


def test_an_lkj_has_nothing_to_import(db, app, login, people, lkj_batu):
    _pk, dokumen = lkj_batu
    c = login(people("35.79").sekretaris)
    assert 'data-testid="import-link"' not in c.get(f"/dokumen/{dokumen.id}").text
    assert c.get(f"/dokumen/{dokumen.id}/impor").status_code == 404
