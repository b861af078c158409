"""The province matrix and the national view per reporting period (issue 17 point 5):
each office's period report (not reported, submitted, returned, verified, late from the
calendar) and capaian to date, the offices needing attention first; KPU RI counts the
kabupaten/kota of each province by that status, each count opening the province's list;
the statement count does not grow with the offices; an office out of reach answers 404."""
import re
from datetime import date

import pytest

from tenants.hierarchy import Office, load_hierarchy
from tenants.satker import Satker, Tingkat
from tests.test_dashboards import baris, pk_of, tandatangani
from tests.test_english_pages import pilih_bahasa
from tests.test_realisasi import PARTISIPASI, buat_pk, kunci
from workflow.dokumen import cascade, operations as dokumen_ops
from workflow.jadwal import operations as jadwal_ops
from workflow.jadwal.models import Butir
from workflow.pelaporan import dasbor, operations as laporan_ops
from workflow.pelaporan.operations import Analisis
from workflow.realisasi import operations as realisasi_ops
from workflow.realisasi.operations import periode
from workflow.schedule import BentukJadwal
from workflow.target import Polaritas

UJI = [Office("35.01", "KPU Kabupaten Uji Satu", Tingkat.KABKOTA, "35"),
       Office("35.02", "KPU Kabupaten Uji Dua", Tingkat.KABKOTA, "35")]
MARET = 3


def _tambah_kantor(db, tree, offices):
    load_hierarchy(db.session, offices)
    db.session.commit()
    tree.update({s.kode: s for s in db.session.query(Satker).all()})


def _cascade_nasional(db, tree, people, tahun=2024, provinsi=("35",)):
    """KPU RI's PK Komisi (one indikator, 80%) down to every province, and from each of
    ``provinsi`` (signed) down to its kabupaten/kota."""
    ri = buat_pk(db, tree, people, kode="RI", tahun=tahun, indikator=[(PARTISIPASI, "80%", Polaritas.NAIK)])
    cascade.turunkan(db.session, ri, people("RI").ketua)
    for kode in provinsi:
        pk = pk_of(db, tree[kode], tahun)
        tandatangani(db, pk, people(kode).ketua)
        cascade.turunkan(db.session, pk, people(kode).ketua)
    db.session.commit()
    return ri


def _lapor(db, tree, people, kode, nilai, tahun=2024, bulan=MARET):
    """``kode`` signs its PK Komisi, enters ``nilai`` at ``bulan`` and submits that period
    (with an analysis, needed below 100%)."""
    pk = pk_of(db, tree[kode], tahun)
    ketua = people(kode).ketua
    tandatangani(db, pk, ketua)
    realisasi_ops.isi_realisasi(db.session, pk, ketua, kunci(pk, PARTISIPASI), bulan, nilai)
    laporan_ops.simpan_analisis(db.session, pk, bulan, ketua, {
        kunci(pk, PARTISIPASI): Analisis("Data terlambat", "Coklit ulang", "Sosialisasi")})
    laporan_ops.ajukan(db.session, pk, bulan, ketua)
    return pk


@pytest.fixture
def jatim(db, tree, people, make_dokumen):
    """Jawa Timur's four kabupaten/kota for March 2024: Batu's report returned (75%), Malang's
    verified (112,5%), Uji Satu has not reported (50%), Uji Dua reports by quarter and
    submitted TW I (100%)."""
    _tambah_kantor(db, tree, UJI)
    rak = make_dokumen("rak_sekretariat", kode="35.02", baris=1)
    dokumen_ops.ubah_kepala(db.session, rak, people("35.02").sekretaris,
                            dokumen_ops.Kepala(pagu=1, bentuk_jadwal=BentukJadwal.TRIWULAN), versi=None)
    _cascade_nasional(db, tree, people)
    reviewer = people("35").reviewer
    batu = _lapor(db, tree, people, "35.79", "60%")
    laporan_ops.kembalikan(db.session, batu, MARET, reviewer, "Upaya belum menyebut waktu")
    malang = _lapor(db, tree, people, "35.73", "90%")
    laporan_ops.verifikasi(db.session, malang, MARET, reviewer)
    _lapor(db, tree, people, "35.02", "80%")
    uji = pk_of(db, tree["35.01"])
    tandatangani(db, uji, people("35.01").ketua)
    realisasi_ops.isi_realisasi(db.session, uji, people("35.01").ketua, kunci(uji, PARTISIPASI), MARET, "40%")
    db.session.commit()


def _jadwal(db, tree, people, tahun=2024, hari=10):
    """KPU RI's calendar: each month's realisation due on the ``hari``th of the next month,
    each quarter's likewise."""
    admin = people("RI").admin
    for butir in (Butir.REALISASI_BULAN, Butir.REALISASI_TRIWULAN):
        jadwal_ops.atur(db.session, tree["RI"], tahun, butir, hari, admin)
    db.session.commit()


def _urutan(html):
    return re.findall(r'<tr data-testid="satker-([\d.]+)"', html)


def _laporan(html, kode):
    cell = re.search(rf'data-testid="laporan-{re.escape(kode)}" data-keadaan="(\w+)">(.*?)</td>', html, re.S)
    return cell.group(1), " ".join(re.sub(r"<[^>]+>", " ", cell.group(2)).split())


def _capaian(html, kode):
    return re.search(rf'data-testid="capaian-{re.escape(kode)}">(.*?)</td>', html, re.S).group(1)


def test_each_office_shows_its_period_report_and_late_comes_from_the_calendar(db, app, login, people, tree, jatim):
    c = login(people("35").reviewer, c=app.test_client())
    html = c.get("/satker/35/dasbor?tahun=2024&periode=3").text
    assert _laporan(html, "35.79") == ("dikembalikan", "Maret Dikembalikan")
    assert _laporan(html, "35.73") == ("terverifikasi", "Maret Diverifikasi")
    assert _laporan(html, "35.02") == ("diajukan", "Triwulan I Diajukan"), "a quarterly office: its quarter"
    assert _laporan(html, "35.01") == ("belum", "Maret Belum dilaporkan"), "no due date set: not late"
    assert "75%" in baris(html, "satker-35.79") and "112,5%" in baris(html, "satker-35.73")
    # The office's capaian to date: its cells' mean, each counted up to 100%.
    assert _capaian(html, "35.79") == "75%" and _capaian(html, "35.73") == "100%"
    assert _capaian(html, "35.01") == "50%" and _capaian(html, "35.02") == "100%"

    _jadwal(db, tree, people)
    html = c.get("/satker/35/dasbor?tahun=2024&periode=3").text
    assert _laporan(html, "35.01") == ("terlambat", "Maret Terlambat tenggat 10 April 2024")
    assert _laporan(html, "35.79")[0] == "dikembalikan", "returned, not late: it was submitted"
    assert _laporan(html, "35.73")[0] == "terverifikasi"
    # April: nothing reported by anyone; the quarterly office is still judged on TW I.
    april = c.get("/satker/35/dasbor?tahun=2024&periode=4").text
    assert _laporan(april, "35.79") == ("terlambat", "April Terlambat tenggat 10 Mei 2024")
    assert _laporan(april, "35.02") == ("diajukan", "Triwulan I Diajukan tenggat 10 April 2024")
    assert '<option value="4" selected>April</option>' in april


def test_the_offices_needing_attention_come_first_and_every_column_still_sorts(db, app, login, people, tree, jatim):
    _jadwal(db, tree, people)
    c = login(people("35").reviewer, c=app.test_client())

    def order(query=""):
        return _urutan(c.get(f"/satker/35/dasbor?tahun=2024&periode=3{query}").text)

    # Late (50%) and returned (75%) first, lowest capaian first; then the others (100% both:
    # Malang's 112,5% counts as 100%), by code.
    assert order() == ["35.01", "35.79", "35.02", "35.73"]
    assert order("&urut=capaian") == ["35.01", "35.79", "35.02", "35.73"]
    assert order("&urut=capaian&arah=turun") == ["35.73", "35.02", "35.79", "35.01"]
    assert order("&urut=laporan") == ["35.01", "35.79", "35.02", "35.73"]
    assert order("&urut=satker") == ["35.01", "35.02", "35.73", "35.79"]
    assert order("&urut=status&arah=turun")[0] in {"35.01", "35.02", "35.73", "35.79"}
    assert order("&keadaan=terlambat") == ["35.01"]
    assert order("&keadaan=bukan-status") == ["35.01", "35.79", "35.02", "35.73"]


def test_kpu_ri_counts_the_kabupaten_kota_of_each_province_by_period_status(db, app, login, people, tree, jatim):
    _jadwal(db, tree, people)
    c = login(people("RI").inspektorat, c=app.test_client())
    html = c.get("/satker/RI/dasbor?tahun=2024&periode=3").text

    def count(kode, keadaan):
        cell = re.search(rf'data-testid="rekap-{re.escape(kode)}-{keadaan}">(.*?)</td>', html, re.S).group(1)
        return int(re.sub(r"<[^>]+>", "", cell))

    assert {k.value: count("35", k.value) for k in dasbor.Keadaan} == {
        "belum": 0, "diajukan": 1, "dikembalikan": 1, "terverifikasi": 1, "terlambat": 1}
    # Bali's two have no PK yet: nothing submitted, and the due date has passed.
    assert {k.value: count("51", k.value) for k in dasbor.Keadaan} == {
        "belum": 0, "diajukan": 0, "dikembalikan": 0, "terverifikasi": 0, "terlambat": 2}
    link = re.search(r'data-testid="rekap-35-dikembalikan"><a href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert _urutan(c.get(link).text) == ["35.79"], "the count opens the province's filtered list"
    late = re.search(r'data-testid="rekap-51-terlambat"><a href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert _urutan(c.get(late).text) == ["51.03", "51.71"]
    # A province's page has no national count.
    assert 'data-testid="rekap-nasional"' not in c.get("/satker/35/dasbor?tahun=2024").text


def test_the_period_views_read_in_english(db, app, login, people, tree, jatim):
    _jadwal(db, tree, people)
    c = login(people("RI").inspektorat, c=app.test_client())
    pilih_bahasa(c, "en")
    html = c.get("/satker/RI/dasbor?tahun=2024&periode=3").text
    assert "Period report March: regencies/cities per province" in html and ">Late<" in html
    province = c.get("/satker/35/dasbor?tahun=2024&periode=3").text
    assert _laporan(province, "35.79") == ("dikembalikan", "March Returned due 10 April 2024")
    assert _laporan(province, "35.01") == ("terlambat", "March Late due 10 April 2024")


def test_an_office_out_of_reach_answers_like_a_missing_one(app, login, people, jatim):
    bali = login(people("51").reviewer, c=app.test_client())
    for foreign, missing in (("/satker/35/dasbor?tahun=2024&periode=3&keadaan=terlambat",
                              "/satker/99/dasbor?tahun=2024&periode=3&keadaan=terlambat"),
                             ("/satker/RI/dasbor?periode=3", "/satker/98/dasbor?periode=3")):
        a, b = bali.get(foreign), bali.get(missing)
        assert a.status_code == b.status_code == 404
        assert a.text.replace(foreign.split("?")[0], "URL") == b.text.replace(missing.split("?")[0], "URL")
    # Bad periods fall back to the default, never an error.
    jatim_reviewer = login(people("35").reviewer, c=app.test_client())
    for bad in ("0", "13", "x", "-1", "9" * 30):
        assert jatim_reviewer.get(f"/satker/35/dasbor?tahun=2024&periode={bad}").status_code == 200


def test_the_period_chooser_follows_the_offices_shape_and_defaults_to_the_latest_ended():
    bulan, triwulan = periode(BentukJadwal.BULAN), periode(BentukJadwal.TRIWULAN)
    assert dasbor.pilihan_periode([BentukJadwal.TRIWULAN] * 3) == triwulan
    assert dasbor.pilihan_periode([BentukJadwal.TRIWULAN, BentukJadwal.BULAN]) == bulan
    assert dasbor.pilihan_periode([]) == bulan
    hari = date(2026, 12, 7)
    assert dasbor.pilih_periode(bulan, None, 2026, hari) == 11, "November ended; December has not"
    assert dasbor.pilih_periode(triwulan, None, 2026, hari) == 9
    assert dasbor.pilih_periode(triwulan, 5, 2026, hari) == 3, "a month asked of quarters: the quarter ended"
    assert dasbor.pilih_periode(bulan, None, 2024, hari) == 12 and dasbor.pilih_periode(bulan, None, 2027, hari) == 1
    assert dasbor.pilih_periode(bulan, None, 2026, date(2026, 1, 15)) == 1
    assert [dasbor.periode_untuk(BentukJadwal.TRIWULAN, m) for m in (1, 2, 3, 5, 6, 11, 12)] == [3, 3, 3, 3, 6, 9, 12]


PROVINSI = [Office(f"{n}", f"KPU Provinsi Uji {n}", Tingkat.PROVINSI, "RI") for n in range(60, 96)]
KABKOTA = [Office(f"35.{n:02d}", f"KPU Kabupaten Uji {n}", Tingkat.KABKOTA, "35") for n in range(3, 37)]


def _count(c, count_statements, url) -> int:
    assert c.get(url).status_code == 200
    with count_statements() as counter:
        assert c.get(url).status_code == 200
    return counter.count


def test_the_period_views_send_as_many_statements_for_38_offices_as_for_2(db, app, login, people, tree,
                                                                           count_statements):
    _cascade_nasional(db, tree, people, 2024)
    _lapor(db, tree, people, "35.79", "60%")
    db.session.commit()
    c = login(people("RI").inspektorat, c=app.test_client())
    small = [_count(c, count_statements, f"/satker/{k}/dasbor?tahun=2024&periode=3") for k in ("RI", "35")]

    _tambah_kantor(db, tree, UJI + PROVINSI + KABKOTA)
    _cascade_nasional(db, tree, people, 2025)
    for kode in ("35.79", "35.73", "35.01"):
        _lapor(db, tree, people, kode, "90%", tahun=2025)
    _jadwal(db, tree, people, 2025)
    html = c.get("/satker/RI/dasbor?tahun=2025&periode=3").text
    assert len(_urutan(html)) == 38 and len(re.findall(r'<tr data-testid="rekap-', html)) == 38
    assert len(_urutan(c.get("/satker/35/dasbor?tahun=2025&periode=3").text)) == 38
    large = [_count(c, count_statements, f"/satker/{k}/dasbor?tahun=2025&periode=3") for k in ("RI", "35")]
    assert small == large, (small, large)
