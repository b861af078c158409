"""Dashboards: an office's own, a province's (KPU RI's) matrix of the offices below it;
the figures are workflow.capaian's, reach is the gate's, and the statement count does not
grow with the data."""
import re
from decimal import Decimal

import pytest

from tenants.hierarchy import Office, load_hierarchy
from tenants.satker import Tingkat
from tests.conftest import TREE
from tests.documents import baris_contoh
from tests.test_realisasi import DPT, LAPORAN, OPINI, PARTISIPASI, SAKIP, buat_pk, kunci
from workflow.capaian import hitung
from workflow.dokumen import cascade, operations
from workflow.dokumen.models import Dokumen, JenisDokumen
from workflow.realisasi import dashboard, operations as realisasi_ops
from workflow.realisasi.models import Realisasi
from workflow.realisasi.operations import Isian, IsianAnggaran
from workflow.target import JenisTarget, Polaritas

PK = JenisDokumen.PK_KOMISI
NAIK, TURUN = Polaritas.NAIK, Polaritas.TURUN


def sel(html: str, testid: str) -> str:
    """The text of the element carrying data-testid=testid (tags stripped)."""
    match = re.search(rf'data-testid="{re.escape(testid)}"[^>]*>(.*?)</t[dr]>', html, re.S)
    assert match, testid
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def baris(html: str, testid: str) -> str:
    """The text of the table row carrying data-testid=testid."""
    match = re.search(rf'<tr[^>]*data-testid="{re.escape(testid)}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, testid
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def capaian_di(html: str, kunci_: str) -> str:
    row = re.search(rf'data-testid="ind-{kunci_}".*?</tr>', html, re.S).group(0)
    return sel(row, "capaian")


def pk_of(db, satker, tahun=2024):
    return db.session.query(Dokumen).filter_by(satker_id=satker.id, tahun=tahun, jenis=PK).one()


def tandatangani(db, dokumen, ketua):
    operations.ajukan(db.session, dokumen, ketua)
    operations.tandatangani(db.session, dokumen, ketua)


# -- an office's own ---------------------------------------------------------------------------

@pytest.fixture
def batu_pk(db, tree, people):
    pk = buat_pk(db, tree, people)
    realisasi_ops.simpan_realisasi(db.session, pk, people("35.79").ketua, [
        Isian(kunci(pk, PARTISIPASI), 2, "78%"), Isian(kunci(pk, LAPORAN), 1, "1"), Isian(kunci(pk, LAPORAN), 3, "3"),
        Isian(kunci(pk, DPT), 1, "0,6"), Isian(kunci(pk, DPT), 3, "0,4"), Isian(kunci(pk, SAKIP), 3, "B"),
        Isian(kunci(pk, OPINI), 3, "WTP")])
    db.session.commit()
    return pk


def test_the_office_dashboard_shows_the_capaian_the_formulas_give(db, app, login, people, batu_pk):
    c = login(people("35").reviewer, c=app.test_client())
    html = c.get("/satker/35.79/dasbor?tahun=2024").text
    expected = {
        PARTISIPASI: hitung(JenisTarget.PERSEN, NAIK, Decimal(80), Decimal(78)),        # higher is better
        LAPORAN: hitung(JenisTarget.ANGKA, NAIK, Decimal(12), Decimal(4)),            # summed months
        DPT: hitung(JenisTarget.PERSEN, TURUN, Decimal("0.5"), Decimal("0.4")),       # lower is better, latest
        SAKIP: hitung(JenisTarget.PREDIKAT, NAIK, "BB", "B"),                          # grade
        OPINI: hitung(JenisTarget.OPINI, NAIK, "WTP", "WTP"),                          # opinion
    }
    for uraian, capaian in expected.items():
        assert capaian_di(html, kunci(batu_pk, uraian)) == capaian.teks, uraian
    assert [c.teks for c in expected.values()] == ["97,5%", "33,33%", "120%", "tidak tercapai", "tercapai"]
    assert 'data-lampu="kuning"' in html and 'data-lampu="merah"' in html and 'data-lampu="hijau"' in html
    # A monthly chart per numeric indikator, its data in an attribute, its code served locally.
    assert html.count('class="sakip-chart"') == 3
    assert "/static/vendor/chart.umd.js" in html and "/static/dashboard.js" in html
    assert "<script>" not in html and not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert c.get("/static/vendor/chart.umd.js").status_code == 200


def test_the_budget_adds_up_per_kegiatan_code_and_programs_meet_the_pagu(db, app, login, people, make_dokumen):
    batu = people("35.79")
    rak = make_dokumen("rak_sekretariat", baris=2)  # two rows CQ.6709.QGE.003 at Rp 1.000.000
    data = baris_contoh(3, "kul", biaya=4_000_000)
    data.kode_output = "WA.3355.EBA.994"
    operations.simpan_baris(db.session, rak, batu.sekretaris, data)
    operations.ajukan(db.session, rak, batu.sekretaris)
    operations.tandatangani(db.session, rak, batu.sekretaris)
    operations.tandatangani(db.session, rak, batu.ketua)
    rows = [b.kunci for b in rak.revisi_aktif.baris]
    realisasi_ops.simpan_realisasi_anggaran(db.session, rak, batu.subbag_kul, [
        IsianAnggaran(rows[0], 1, "Rp 500.000"), IsianAnggaran(rows[1], 2, "Rp 1.000.000"),
        IsianAnggaran(rows[2], 2, "Rp 1.000.000")])
    db.session.commit()
    html = login(batu.sekretaris, c=app.test_client()).get("/satker/35.79/dasbor?tahun=2024").text
    assert baris(html, "kegiatan-6709") == "6709 CQ.6709.QGE.003 2 Rp 2.000.000 Rp 1.500.000 75%"
    assert baris(html, "kegiatan-3355") == "3355 WA.3355.EBA.994 1 Rp 4.000.000 Rp 1.000.000 25%"
    # The programs (Rp 19.527.520.000) against the pagu (Rp 20.999.655.000): the difference shown.
    assert "Rp 1.472.135.000 kurang dari pagu" in baris(html, "pagu-rak_sekretariat")


# -- the matrix -------------------------------------------------------------------------------------

@pytest.fixture
def jatim(db, tree, people):
    """Jawa Timur's PK (4 indikator) cascaded to Batu and Malang; Batu adds one of its own,
    signs and reports; Malang stays a draft."""
    pk = buat_pk(db, tree, people, kode="35", indikator=[
        (PARTISIPASI, "80%", NAIK), (DPT, "0,5%", TURUN), (SAKIP, "BB", NAIK), (OPINI, "WTP", NAIK)])
    cascade.turunkan(db.session, pk, people("35").ketua)
    batu_pk = pk_of(db, tree["35.79"])
    ketua = people("35.79").ketua
    s = batu_pk.revisi_aktif.sasaran[0]
    operations.simpan_indikator(db.session, batu_pk, ketua, s.kunci, "Indikator khas Kota Batu", "3 Laporan")
    operations.simpan_indikator(db.session, batu_pk, ketua, s.kunci, PARTISIPASI, "82%",
                                kunci=kunci(batu_pk, PARTISIPASI))  # a child may raise its target
    tandatangani(db, batu_pk, ketua)
    realisasi_ops.simpan_realisasi(db.session, batu_pk, ketua, [
        Isian(kunci(batu_pk, PARTISIPASI), 2, "78%"), Isian(kunci(batu_pk, DPT), 3, "0,6%"),
        Isian(kunci(batu_pk, SAKIP), 3, "A"), Isian(kunci(batu_pk, "Indikator khas Kota Batu"), 1, "1")])
    db.session.commit()
    return pk


def test_the_province_sees_its_children_side_by_side(db, app, login, people, tree, jatim):
    c = login(people("35").reviewer, c=app.test_client())
    html = c.get("/satker/35/dasbor?tahun=2024").text
    columns = re.findall(r'data-testid="kolom-(\w+)"', html)
    assert columns == [kunci(jatim, u) for u in (PARTISIPASI, DPT, SAKIP, OPINI)], "the child's own is no column"
    assert "Indikator khas Kota Batu" not in html
    batu_pk = pk_of(db, tree["35.79"])
    by_own_target = {
        PARTISIPASI: hitung(JenisTarget.PERSEN, NAIK, Decimal(82), Decimal(78)).teks,   # the child's 82%
        DPT: hitung(JenisTarget.PERSEN, TURUN, Decimal("0.5"), Decimal("0.6")).teks,
        SAKIP: hitung(JenisTarget.PREDIKAT, NAIK, "BB", "A").teks,
        OPINI: "– tidak dapat dihitung",  # a dash on screen, read out in full
    }
    for uraian, teks in by_own_target.items():
        assert sel(html, f"sel-35.79-{kunci(jatim, uraian)}") == teks, uraian
    assert by_own_target[PARTISIPASI] == "95,12%" and by_own_target[DPT] == "80%"
    assert sel(html, f"sel-35.73-{kunci(jatim, PARTISIPASI)}") == "– tidak dapat dihitung"
    assert "Ditandatangani" in baris(html, "satker-35.79") and "Draf" in baris(html, "satker-35.73")
    assert f'href="/satker/35.79/dasbor?tahun=2024"' in html
    # Batu's own dashboard, one click down, shows the same figure.
    assert capaian_di(c.get("/satker/35.79/dasbor?tahun=2024").text, kunci(batu_pk, PARTISIPASI)) == "95,12%"


def test_the_matrix_sorts_by_a_column_on_the_server(db, app, login, people, tree, jatim):
    c = login(people("35").reviewer, c=app.test_client())
    k = kunci(jatim, PARTISIPASI)

    def order(query):
        return re.findall(r'data-testid="satker-([\d.]+)"', c.get(f"/satker/35/dasbor?tahun=2024&{query}").text)

    # By default the offices needing attention first: none is late here, so the lowest
    # capaian, those with none to compute last (tests/test_dasbor_periode.py has the rest).
    assert order("") == ["35.79", "35.73"]
    assert order("urut=satker") == ["35.73", "35.79"]
    assert order(f"urut={k}&arah=turun") == ["35.79", "35.73"], "computed cells first, not-computable last"
    assert order(f"urut={k}&arah=naik") == ["35.79", "35.73"]
    assert order("urut=status&arah=turun") == ["35.79", "35.73"]
    assert order("urut=satker&arah=turun") == ["35.79", "35.73"]
    assert order("urut=tidak-ada") == ["35.73", "35.79"]


def test_kpu_ri_sees_the_provinces_and_reaches_any_kabupaten_in_two_clicks(db, app, login, people, tree):
    ri = buat_pk(db, tree, people, kode="RI", indikator=[(PARTISIPASI, "80%", NAIK)])
    cascade.turunkan(db.session, ri, people("RI").ketua)
    jatim = pk_of(db, tree["35"])
    tandatangani(db, jatim, people("35").ketua)
    realisasi_ops.isi_realisasi(db.session, jatim, people("35").ketua, kunci(jatim, PARTISIPASI), 2, "84%")
    cascade.turunkan(db.session, jatim, people("35").ketua)
    db.session.commit()
    c = login(people("RI").inspektorat, c=app.test_client())
    html = c.get("/dasbor").status_code == 302 and c.get("/satker/RI/dasbor?tahun=2024").text
    assert re.findall(r'data-testid="satker-([\d.]+)"', html) == ["35", "51"]
    assert sel(html, f"sel-35-{kunci(ri, PARTISIPASI)}") == "105%"
    first = re.search(r'data-testid="satker-35".*?href="([^"]+)"', html, re.S).group(1)
    province = c.get(first).text
    second = re.search(r'data-testid="satker-35.79".*?href="([^"]+)"', province, re.S).group(1)
    assert second == "/satker/35.79/dasbor?tahun=2024"
    assert "Dasbor kinerja KPU Kota Batu" in c.get(second).text


def test_an_office_out_of_reach_answers_like_a_missing_one(app, login, people, tree, jatim):
    c = login(people("51").reviewer, c=app.test_client())  # Bali sees nothing of Jawa Timur
    for foreign, missing in (("/satker/35.79/dasbor", "/satker/99.99/dasbor"), ("/satker/35/dasbor", "/satker/99/dasbor")):
        a, b = c.get(foreign), c.get(missing)
        assert a.status_code == b.status_code == 404
        assert a.text.replace(foreign, "URL") == b.text.replace(missing, "URL")
    # A kabupaten/kota sees its own dashboard, not its sibling's; a province ketua sees no child.
    batu = login(people("35.79").ketua, c=app.test_client())
    assert batu.get("/satker/35.79/dasbor").status_code == 200
    assert batu.get("/satker/35.73/dasbor").status_code == 404
    ketua_jatim = login(people("35").ketua, c=app.test_client())
    html = ketua_jatim.get("/satker/35/dasbor?tahun=2024").text
    assert "Tidak ada satker di bawah KPU Provinsi Jawa Timur yang dapat Anda lihat" in html
    assert "satker-35.79" not in html


def test_the_demo_jawa_timur_reviewer_sees_kota_batu_capaian(db, app, login):
    from webapp import demo
    load_hierarchy(db.session)
    demo.load_demo(db.session)
    db.session.commit()
    from sqlalchemy import select
    from tenants.people import User
    reviewer = db.session.scalar(select(User).where(User.username == "reviewer.jatim"))
    c = login(reviewer, password=demo.DEMO_PASSWORD, c=app.test_client())  # and the demo authenticator's code
    assert c.get("/dasbor").location == "/satker/35/dasbor"
    html = c.get("/satker/35/dasbor").text
    assert len(re.findall(r'data-testid="satker-', html)) == 38
    batu = baris(html, "satker-35.79")
    # 5 reports by April against TW II's 6 to date (the demo's quarterly targets), not 5 of 12.
    for teks in ("Disetujui", "97,5%", "83,33%", "120%", "tercapai", "tidak dapat dihitung"):
        assert teks in batu, teks
    assert "Dasbor kinerja KPU Kota Batu" in c.get("/satker/35.79/dasbor?tahun=2024").text


def test_a_matrix_cell_says_what_the_office_s_own_dashboard_says(db, tree, people):
    """The matrix adds realisations up in SQL, the office's dashboard in Python with
    workflow.capaian.gabung: both must agree for every way of adding up, months left
    empty, entries with neither number nor code, and sums too large for floating point."""
    rata, jumlah, terakhir, rupiah = "Persentase rata-rata", "Jumlah laporan", "Persentase terakhir", "Anggaran"
    pk = buat_pk(db, tree, people, kode="35", indikator=[
        (rata, "80%", NAIK), (jumlah, "12 Laporan", NAIK), (terakhir, "0,5%", TURUN), (SAKIP, "BB", NAIK),
        (OPINI, "WTP", NAIK), (rupiah, "90.000.000.000 Rupiah", NAIK)])
    cascade.turunkan(db.session, pk, people("35").ketua)
    for kode in ("35.79", "35.73"):
        child, ketua = pk_of(db, tree[kode]), people(kode).ketua
        for s in child.revisi_aktif.sasaran:
            for i in s.indikator:
                i.cara_agregasi = "rata_rata" if i.uraian == rata else None
        tandatangani(db, child, ketua)
    batu, ketua = pk_of(db, tree["35.79"]), people("35.79").ketua
    realisasi_ops.simpan_realisasi(db.session, batu, ketua, [
        Isian(kunci(batu, rata), 1, "70%"), Isian(kunci(batu, rata), 3, "80%"), Isian(kunci(batu, rata), 7, "81%"),
        Isian(kunci(batu, jumlah), 2, "3"), Isian(kunci(batu, jumlah), 5, "4,25"),
        Isian(kunci(batu, terakhir), 1, "0,7%"), Isian(kunci(batu, terakhir), 4, "0,45%"),
        Isian(kunci(batu, SAKIP), 1, "B"), Isian(kunci(batu, SAKIP), 5, "A"),
        *[Isian(kunci(batu, rupiah), b, "99.999.999.999,1234") for b in range(1, 13)]])
    # Later months with neither a number nor a code (as `sakip generate` leaves some): left out.
    db.session.add_all([Realisasi(dokumen_id=batu.id, indikator_kunci=kunci(batu, u), bulan=9, nilai=None, kode=None)
                        for u in (terakhir, SAKIP, OPINI)])
    malang, ketua_malang = pk_of(db, tree["35.73"]), people("35.73").ketua
    realisasi_ops.simpan_realisasi(db.session, malang, ketua_malang, [Isian(kunci(malang, OPINI), 12, "WDP")])
    db.session.commit()

    m = dashboard.matriks(db.session, tree["35"], 2024, people("35").reviewer)
    assert [b.satker.kode for b in m.baris] == ["35.73", "35.79"]
    for b in m.baris:
        own = {h.kunci: h for bagian in dashboard.dasbor_kantor(db.session, b.satker, 2024).pk
               for h in bagian.indikator}
        assert len(b.sel) == 6
        for cell in b.sel.values():
            office = own[cell.kunci]
            assert (cell.realisasi, cell.capaian, cell.lampu, cell.realisasi_teks, cell.target_teks) == (
                office.realisasi, office.capaian, office.lampu, office.realisasi_teks, office.target_teks), cell.uraian
    batu_row = {c.uraian: c for c in m.baris[1].sel.values()}
    assert batu_row[rata].realisasi == (Decimal(70) + Decimal(80) + Decimal(81)) / 3
    assert batu_row[jumlah].realisasi == Decimal("7.25") and batu_row[terakhir].realisasi == Decimal("0.45")
    assert (batu_row[SAKIP].realisasi, batu_row[OPINI].realisasi) == ("A", None)
    assert batu_row[rupiah].realisasi == Decimal("1199999999989.4808"), "a floating-point sum gives ...4807"
    assert {c.uraian: c.realisasi for c in m.baris[0].sel.values() if c.realisasi} == {OPINI: "WDP"}


# -- the statement count does not grow with the data ----------------------------------------------

EXTRA = [Office("36", "KPU Provinsi Banten", Tingkat.PROVINSI, "RI"),
         Office("52", "KPU Provinsi Nusa Tenggara Barat", Tingkat.PROVINSI, "RI"),
         *[Office(f"52.0{n}", f"KPU Kabupaten Uji {n}", Tingkat.KABKOTA, "52") for n in range(1, 5)]]
KINDS = [("Persentase {n}", "{v}%", NAIK), ("Jumlah laporan {n}", "{v} Laporan", NAIK),
         ("Persentase kesalahan {n}", "0,5%", TURUN), ("Nilai SAKIP {n}", "BB", NAIK), ("Opini {n}", "WTP", NAIK)]


def _indikator(n: int):
    return [(KINDS[i % 5][0].format(n=i), KINDS[i % 5][1].format(v=80 + i), KINDS[i % 5][2]) for i in range(n)]


def _laporkan(db, dokumen, user, bulan: int):
    values = {"Persentase": "70%", "Jumlah": "2", "Persentase kesalahan": "0,4%", "Nilai": "BB", "Opini": "WDP"}
    isian = []
    for s in dokumen.revisi_aktif.sasaran:
        for i in s.indikator:
            value = values["Persentase kesalahan" if "kesalahan" in i.uraian else i.uraian.split()[0]]
            isian += [Isian(i.kunci, b, value, "bukti") for b in range(1, bulan + 1)]
    realisasi_ops.simpan_realisasi(db.session, dokumen, user, isian)


def _bangun(db, tree, people, tahun, induk, anak, n_indikator, bulan, rak_di):
    """induk's PK (n indikator) cascaded, each child in ``anak`` signed with ``bulan`` months
    reported; a signed RAK Komisioner with money in the office ``rak_di``."""
    pk = buat_pk(db, tree, people, kode=induk, tahun=tahun, indikator=_indikator(n_indikator))
    cascade.turunkan(db.session, pk, people(induk).ketua)
    for kode in anak:
        child = pk_of(db, tree[kode], tahun)
        tandatangani(db, child, people(kode).ketua)
        _laporkan(db, child, people(kode).ketua, bulan)
    office = people(rak_di)
    rak = operations.buat_dokumen(db.session, tree[rak_di], tahun, JenisDokumen.RAK_KOMISIONER, office.ketua)
    for no in range(1, n_indikator + 1):
        operations.simpan_baris(db.session, rak, office.ketua, baris_contoh(no, "keuangan"))
    operations.ajukan(db.session, rak, office.ketua)
    operations.tandatangani(db.session, rak, office.sekretaris)
    operations.tandatangani(db.session, rak, office.ketua)
    realisasi_ops.simpan_realisasi_anggaran(db.session, rak, office.ketua, [
        IsianAnggaran(b.kunci, m, "Rp 100.000") for b in rak.revisi_aktif.baris for m in range(1, bulan + 1)])
    db.session.commit()


def _count(app, login, people, count_statements, user, url) -> int:
    c = login(user, c=app.test_client())
    assert c.get(url).status_code == 200
    with count_statements() as counter:
        assert c.get(url).status_code == 200
    return counter.count


def test_no_dashboard_issues_more_statements_for_more_offices_indikator_or_months(db, app, login, people, tree,
                                                                                   count_statements):
    viewer = people("RI").inspektorat
    # Small: KPU RI -> 2 provinces (2 indikator, 1 month); Jawa Timur -> 2 kabupaten/kota (2 indikator).
    _bangun(db, tree, people, 2024, "RI", ["35", "51"], 2, 1, "35.79")
    jatim = pk_of(db, tree["35"], 2024)
    cascade.turunkan(db.session, jatim, people("35").ketua)
    for kode in ("35.79", "35.73"):
        child = pk_of(db, tree[kode], 2024)
        tandatangani(db, child, people(kode).ketua)
        _laporkan(db, child, people(kode).ketua, 1)
    db.session.commit()
    small = [_count(app, login, people, count_statements, viewer, url) for url in (
        "/satker/RI/dasbor?tahun=2024", "/satker/35/dasbor?tahun=2024", "/satker/35.79/dasbor?tahun=2024")]

    # Larger: 4 provinces, 5 indikator, 6 months; NTB -> 4 kabupaten; a RAK of 5 rows.
    load_hierarchy(db.session, TREE + EXTRA)
    db.session.commit()
    tree.update({s.kode: s for s in db.session.query(type(tree["RI"])).all()})
    _bangun(db, tree, people, 2025, "RI", ["35", "51", "36", "52"], 5, 6, "52.01")
    ntb = pk_of(db, tree["52"], 2025)
    cascade.turunkan(db.session, ntb, people("52").ketua)
    for n in range(1, 5):
        child = pk_of(db, tree[f"52.0{n}"], 2025)
        tandatangani(db, child, people(f"52.0{n}").ketua)
        _laporkan(db, child, people(f"52.0{n}").ketua, 6)
    db.session.commit()
    large = [_count(app, login, people, count_statements, viewer, url) for url in (
        "/satker/RI/dasbor?tahun=2025", "/satker/52/dasbor?tahun=2025", "/satker/52.01/dasbor?tahun=2025")]
    assert small == large, (small, large)
    # An office's own dashboard: the person, the office and its ancestors, its years, the
    # documents with the reporting shape, indikator, realisations, RAK rows, money, the
    # absorption's target and money per output, the bell (and PostgreSQL's row-level
    # security setting): the absorption reads the RAK rows the dashboard loaded.
    assert small[2] <= 12, small
    html = login(viewer, c=app.test_client()).get("/satker/52/dasbor?tahun=2025").text
    assert len(re.findall(r'data-testid="satker-', html)) == 4 and len(re.findall(r'data-testid="kolom-', html)) == 5


def test_the_dashboards_offer_the_downloads(db, app, login, people, tree, jatim):
    reviewer = login(people("35").reviewer, c=app.test_client())
    html = reviewer.get("/satker/35/dasbor?tahun=2024").text
    link = re.search(r'href="([^"]+)" data-testid="dashboard-rekap-xlsx"', html).group(1).replace("&amp;", "&")
    recap = reviewer.get(link)
    assert recap.status_code == 200 and recap.mimetype.endswith("spreadsheetml.sheet")
    office = reviewer.get("/satker/35.79/dasbor?tahun=2024").text
    pdf = re.search(r'href="([^"]+)" data-testid="dashboard-pdf"', office).group(1)
    assert reviewer.get(pdf).mimetype == "application/pdf"
