"""Realisation entry: who may, values as offices write them, empty is not zero, all or
nothing, the audit trail; and the page that holds the grid."""
import re
from decimal import Decimal

import pytest
import sqlalchemy as sa
from babel.numbers import parse_pattern
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import csrf_token_from
from tests.documents import baris_contoh
from workflow import audit
from workflow.capaian import CaraAgregasi, hitung
from workflow.dokumen import operations
from workflow.dokumen.models import JenisDokumen
from workflow.dokumen.operations import BarisData
from workflow.errors import Ditolak, IsiTidakValid, Konflik
from workflow.realisasi import operations as realisasi_ops
from workflow.realisasi.models import Realisasi, RealisasiAnggaran
from workflow.realisasi.operations import Isian, IsianAnggaran
from workflow.schedule import BentukJadwal
from workflow.rupiah import LOCALE
from workflow.target import JenisTarget, Polaritas, tulis_angka

PARTISIPASI = "Persentase partisipasi pemilih"
LAPORAN = "Jumlah laporan sosialisasi"
DPT = "Persentase pemilih tidak memenuhi syarat dalam DPT"
SAKIP = "Nilai akuntabilitas kinerja"
OPINI = "Opini atas laporan keuangan"

INDIKATOR = [(PARTISIPASI, "80%", Polaritas.NAIK), (LAPORAN, "12 Laporan", Polaritas.NAIK),
             (DPT, "0,5%", Polaritas.TURUN), (SAKIP, "BB", Polaritas.NAIK), (OPINI, "WTP", Polaritas.NAIK)]


def buat_pk(db, tree, people, kode="35.79", tahun=2024, indikator=INDIKATOR, pelaksana=None, cara=None,
            tandatangani=True, jenis=JenisDokumen.PK_KOMISI):
    """A PK with the given indikator, signed by its signatories unless told otherwise.

    ``pelaksana`` / ``cara`` ({uraian: value}) are set on the draft rows directly: no editor
    sets them yet (they come with the import)."""
    office = people(kode)
    penyusun = getattr(office, jenis.penyusun.value)
    pk = operations.buat_dokumen(db.session, tree[kode], tahun, jenis, penyusun)
    s = operations.simpan_sasaran(db.session, pk, penyusun, "Sasaran uji")
    for uraian, target, polaritas in indikator:
        row = operations.simpan_indikator(db.session, pk, penyusun, s.kunci, uraian, target, polaritas)
        row.pelaksana = (pelaksana or {}).get(uraian)
        row.cara_agregasi = (cara or {}).get(uraian)
    db.session.flush()
    if tandatangani:
        operations.ajukan(db.session, pk, penyusun)
        if jenis is JenisDokumen.PK_SEKRETARIAT:
            operations.tandatangani(db.session, pk, office.sekretaris)
        operations.tandatangani(db.session, pk, office.ketua)
    db.session.commit()
    return pk


def kunci(pk, uraian):
    return next(i.kunci for s in pk.revisi_aktif.sasaran for i in s.indikator if i.uraian == uraian)


def entries(db, pk):
    return {(r.indikator_kunci, r.bulan): r for r in db.session.scalars(
        sa.select(Realisasi).where(Realisasi.dokumen_id == pk.id))}


def hasil(db, pk, uraian):
    return next(h for h in realisasi_ops.realisasi_dokumen(db.session, pk) if h.uraian == uraian)


@pytest.fixture
def pk(db, tree, people):
    return buat_pk(db, tree, people, pelaksana={LAPORAN: "teknis"})


# -- who may ----------------------------------------------------------------------------

def test_the_penyusun_and_the_divisi_carrying_the_indikator_may_enter_others_may_not(db, people, pk):
    batu = people("35.79")
    realisasi_ops.isi_realisasi(db.session, pk, batu.ketua, kunci(pk, PARTISIPASI), 2, "78%", "BA rekapitulasi")
    realisasi_ops.isi_realisasi(db.session, pk, batu.anggota_teknis, kunci(pk, LAPORAN), 1, "2 Laporan", "")
    with pytest.raises(Ditolak, match="hanya dapat diisi oleh divisi pelaksananya atau Ketua KPU Kota Batu"):
        realisasi_ops.isi_realisasi(db.session, pk, batu.anggota_teknis, kunci(pk, PARTISIPASI), 1, "70%")
    for who in (batu.anggota_hukum, batu.sekretaris, batu.subbag_kul, people("35").reviewer):
        with pytest.raises(Ditolak):
            realisasi_ops.isi_realisasi(db.session, pk, who, kunci(pk, LAPORAN), 3, "1 Laporan")
    assert len(entries(db, pk)) == 2


def test_nothing_is_entered_before_the_pk_is_signed(db, tree, people):
    draft = buat_pk(db, tree, people, tandatangani=False)
    with pytest.raises(Ditolak, match="setelah PK Komisi ditandatangani .status sekarang: Draf"):
        realisasi_ops.isi_realisasi(db.session, draft, people("35.79").ketua, kunci(draft, PARTISIPASI), 1, "70%")
    operations.ajukan(db.session, draft, people("35.79").ketua)
    with pytest.raises(Ditolak, match="Diajukan"):
        realisasi_ops.isi_realisasi(db.session, draft, people("35.79").ketua, kunci(draft, PARTISIPASI), 1, "70%")


def test_on_the_sekretariat_side_the_subbagian_of_the_indikator_enters_it(db, tree, people):
    pk = buat_pk(db, tree, people, jenis=JenisDokumen.PK_SEKRETARIAT, pelaksana={LAPORAN: "rendatin"})
    batu = people("35.79")
    realisasi_ops.isi_realisasi(db.session, pk, batu.subbag_rendatin, kunci(pk, LAPORAN), 1, "1")
    realisasi_ops.isi_realisasi(db.session, pk, batu.sekretaris, kunci(pk, PARTISIPASI), 1, "60")
    with pytest.raises(Ditolak, match="subbagian pelaksananya atau Sekretaris"):
        realisasi_ops.isi_realisasi(db.session, pk, batu.subbag_kul, kunci(pk, LAPORAN), 2, "1")
    with pytest.raises(Ditolak):
        realisasi_ops.isi_realisasi(db.session, pk, batu.ketua, kunci(pk, LAPORAN), 2, "1")


# -- values ---------------------------------------------------------------------------------

@pytest.mark.parametrize("uraian, typed, nilai, kode", [
    (PARTISIPASI, "97,5", Decimal("97.5"), None),
    (PARTISIPASI, "97,5%", Decimal("97.5"), None),
    (LAPORAN, "2 Laporan", Decimal(2), None),
    (LAPORAN, "2 laporan", Decimal(2), None),
    (LAPORAN, "1.250", Decimal(1250), None),
    (DPT, "0,45%", Decimal("0.45"), None),
    (SAKIP, "bb", None, "BB"),
    (OPINI, " WDP ", None, "WDP"),
    (PARTISIPASI, "0", Decimal(0), None),
])
def test_values_are_read_as_offices_write_them(db, people, pk, uraian, typed, nilai, kode):
    row = realisasi_ops.isi_realisasi(db.session, pk, people("35.79").ketua, kunci(pk, uraian), 3, typed)
    assert (row.nilai, row.kode) == (nilai, kode)


@pytest.mark.parametrize("uraian, typed, reason", [
    (PARTISIPASI, "delapan puluh", "'delapan puluh' tidak terbaca"),
    (PARTISIPASI, "5 Laporan", "indikator ini berupa persen"),
    (LAPORAN, "2 Orang", "satuannya bukan Laporan"),
    (LAPORAN, "50%", "bukan persen"),
    (LAPORAN, "-3", "'-3': realisasi tidak boleh negatif"),
    (LAPORAN, "abc", "'abc' tidak terbaca sebagai angka: tulis mis. 85, 97,5% atau 12 Laporan"),
    (LAPORAN, "1,23456", "paling banyak 4 angka di belakang koma"),
    (SAKIP, "WTP", "'WTP' bukan predikat: tulis salah satu dari AA, A, BB, B, CC, C, D"),
    (OPINI, "BB", "'BB' bukan opini: tulis salah satu dari WTP, WDP, TW, TMP"),
    (SAKIP, "90", "bukan predikat"),
    (PARTISIPASI, "BB", "bukan angka"),
])
def test_a_value_that_cannot_be_read_names_the_indikator_and_the_month(db, people, pk, uraian, typed, reason):
    with pytest.raises(IsiTidakValid) as refused:
        realisasi_ops.isi_realisasi(db.session, pk, people("35.79").ketua, kunci(pk, uraian), 3, typed)
    [message] = refused.value.masalah
    assert message.startswith(f"Indikator '{uraian}', Maret: ")
    assert reason in message
    assert entries(db, pk) == {}


def test_empty_is_not_zero(db, tree, people):
    pk = buat_pk(db, tree, people, cara={LAPORAN: CaraAgregasi.RATA_RATA.value})
    ketua, k = people("35.79").ketua, kunci(pk, LAPORAN)
    realisasi_ops.simpan_realisasi(db.session, pk, ketua, [Isian(k, 1, "10"), Isian(k, 2, ""), Isian(k, 3, "20")])
    assert set(entries(db, pk)) == {(k, 1), (k, 3)}, "an empty month stores nothing"
    assert hasil(db, pk, LAPORAN).realisasi == 15, "the empty month is left out of the average"

    realisasi_ops.isi_realisasi(db.session, pk, ketua, k, 2, "0")
    assert entries(db, pk)[(k, 2)].nilai == 0, "a zero is a value"
    assert hasil(db, pk, LAPORAN).realisasi == 10

    realisasi_ops.isi_realisasi(db.session, pk, ketua, k, 2, "   ")
    assert (k, 2) not in entries(db, pk), "emptying a month removes its entry"
    assert hasil(db, pk, LAPORAN).realisasi == 15
    assert hasil(db, pk, PARTISIPASI).realisasi is None
    assert hasil(db, pk, PARTISIPASI).capaian.teks == "tidak dapat dihitung"


def test_evidence_without_a_value_is_refused_rather_than_dropped(db, people, pk):
    with pytest.raises(IsiTidakValid, match="bukti diisi tetapi realisasinya kosong"):
        realisasi_ops.isi_realisasi(db.session, pk, people("35.79").ketua, kunci(pk, LAPORAN), 1, "", "foto kegiatan")


def test_a_grid_is_saved_all_or_nothing_with_every_problem_listed(db, people, pk):
    ketua = people("35.79").ketua
    before = db.session.scalar(sa.select(sa.func.count()).select_from(audit.AuditEntry))
    grid = [Isian(kunci(pk, PARTISIPASI), 1, "70%"), Isian(kunci(pk, LAPORAN), 1, "dua"),
            Isian(kunci(pk, SAKIP), 2, "ZZ"), Isian(kunci(pk, DPT), 1, "0,4%")]
    with pytest.raises(IsiTidakValid) as refused:
        realisasi_ops.simpan_realisasi(db.session, pk, ketua, grid, versi=pk.versi)
    assert refused.value.message == "Tidak ada yang disimpan: 2 isian realisasi perlu diperbaiki."
    assert [m.split(":")[0] for m in refused.value.masalah] == [
        f"Indikator '{LAPORAN}', Januari", f"Indikator '{SAKIP}', Februari"]
    db.session.rollback()
    assert entries(db, pk) == {}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(audit.AuditEntry)) == before


def test_every_change_is_in_the_audit_trail_and_an_unchanged_cell_is_not(db, people, pk):
    ketua, k = people("35.79").ketua, kunci(pk, PARTISIPASI)
    realisasi_ops.isi_realisasi(db.session, pk, ketua, k, 2, "78%", "BA rekapitulasi")
    realisasi_ops.isi_realisasi(db.session, pk, ketua, k, 2, "78", "BA rekapitulasi")  # the same value
    realisasi_ops.isi_realisasi(db.session, pk, ketua, k, 2, "")
    db.session.commit()
    log = db.session.scalars(sa.select(audit.AuditEntry).where(audit.AuditEntry.dokumen_id == pk.id,
                                                               audit.AuditEntry.aksi == "realisasi")
                             .order_by(audit.AuditEntry.seq)).all()
    assert [(e.rincian_data["bulan"], e.rincian_data["sebelum"], e.rincian_data["sesudah"]) for e in log] == [
        (2, None, "78%"), (2, "78%", None)]
    assert log[0].rincian_data["bukti"] == "BA rekapitulasi" and log[0].rincian_data["indikator"] == k
    assert log[0].username == ketua.username and log[0].peran == "Ketua"
    assert audit.verify(db.session).ok


def test_a_stale_version_is_refused_and_the_signed_content_is_untouched(db, people, pk):
    ketua = people("35.79").ketua
    hash_before, versi = pk.revisi_aktif.hash_isi, pk.versi
    realisasi_ops.isi_realisasi(db.session, pk, ketua, kunci(pk, PARTISIPASI), 1, "70%", versi=versi)
    with pytest.raises(Konflik, match="telah diubah oleh"):
        realisasi_ops.isi_realisasi(db.session, pk, ketua, kunci(pk, PARTISIPASI), 2, "75%", versi=versi)
    db.session.commit()
    from workflow.dokumen import canonical
    assert canonical.hash_isi(pk.revisi_aktif) == hash_before


def test_an_office_reporting_by_quarter_enters_at_the_quarter_end(db, tree, people, make_dokumen):
    rak = make_dokumen("rak_sekretariat", baris=1)
    operations.ubah_kepala(db.session, rak, people("35.79").sekretaris,
                           operations.Kepala(pagu=1, bentuk_jadwal=BentukJadwal.TRIWULAN), versi=None)
    pk = buat_pk(db, tree, people)
    ketua = people("35.79").ketua
    realisasi_ops.isi_realisasi(db.session, pk, ketua, kunci(pk, LAPORAN), 6, "3 Laporan")
    with pytest.raises(IsiTidakValid, match=f"Indikator '{LAPORAN}', April: bukan periode pelaporan"):
        realisasi_ops.isi_realisasi(db.session, pk, ketua, kunci(pk, LAPORAN), 4, "3 Laporan")
    assert [p.nama for p in realisasi_ops.periode(BentukJadwal.TRIWULAN)] == [
        "Triwulan I", "Triwulan II", "Triwulan III", "Triwulan IV"]


def test_capaian_per_indikator_comes_from_the_formulas(db, people, pk):
    ketua = people("35.79").ketua
    realisasi_ops.simpan_realisasi(db.session, pk, ketua, [
        Isian(kunci(pk, PARTISIPASI), 1, "70%"), Isian(kunci(pk, PARTISIPASI), 2, "78%"),
        Isian(kunci(pk, LAPORAN), 1, "1"), Isian(kunci(pk, LAPORAN), 3, "3 Laporan"),
        Isian(kunci(pk, DPT), 2, "0,4"), Isian(kunci(pk, SAKIP), 3, "B"), Isian(kunci(pk, OPINI), 3, "WTP")])
    got = {h.uraian: (h.realisasi_teks, h.capaian, h.lampu.value) for h in realisasi_ops.realisasi_dokumen(db.session, pk)}
    assert got[PARTISIPASI] == ("78%", hitung(JenisTarget.PERSEN, Polaritas.NAIK, Decimal(80), Decimal(78)), "kuning")
    assert got[LAPORAN] == ("4 Laporan", hitung(JenisTarget.ANGKA, Polaritas.NAIK, Decimal(12), Decimal(4)), "merah")
    assert got[DPT] == ("0,4%", hitung(JenisTarget.PERSEN, Polaritas.TURUN, Decimal("0.5"), Decimal("0.4")), "hijau")
    assert got[SAKIP] == ("B", hitung(JenisTarget.PREDIKAT, Polaritas.NAIK, "BB", "B"), "merah")
    assert got[OPINI] == ("WTP", hitung(JenisTarget.OPINI, Polaritas.NAIK, "WTP", "WTP"), "hijau")
    assert [got[u][1].teks for u in (PARTISIPASI, LAPORAN, DPT, SAKIP, OPINI)] == [
        "97,5%", "33,33%", "120%", "tidak tercapai", "tercapai"]


# -- money per RAK row ------------------------------------------------------------------------

@pytest.fixture
def rak(db, people, make_dokumen):
    """A signed RAK Sekretariat: row 1 carried out by KUL, row 2 by Rendatin."""
    rak = make_dokumen("rak_sekretariat", baris=1)
    batu = people("35.79")
    operations.simpan_baris(db.session, rak, batu.sekretaris, baris_contoh(2, "rendatin", biaya=2_000_000))
    operations.ajukan(db.session, rak, batu.sekretaris)
    operations.tandatangani(db.session, rak, batu.sekretaris)
    operations.tandatangani(db.session, rak, batu.ketua)
    db.session.commit()
    return rak


def test_money_spent_per_row_in_whole_rupiah_by_the_unit_that_carries_it_out(db, people, rak):
    batu = people("35.79")
    first, second = (b.kunci for b in rak.revisi_aktif.baris)
    row = realisasi_ops.isi_realisasi_anggaran(db.session, rak, batu.subbag_kul, first, 1, "Rp 250.000")
    assert row.jumlah == 250_000
    realisasi_ops.isi_realisasi_anggaran(db.session, rak, batu.sekretaris, second, 2, "Rp. 1.500.000,-")
    with pytest.raises(Ditolak, match="subbagian pelaksananya"):
        realisasi_ops.isi_realisasi_anggaran(db.session, rak, batu.subbag_kul, second, 3, "100")
    with pytest.raises(IsiTidakValid, match=r"Baris 1 \(Persentase capaian kegiatan 1\), Maret: '1,5 juta' bukan jumlah rupiah"):
        realisasi_ops.isi_realisasi_anggaran(db.session, rak, batu.subbag_kul, first, 3, "1,5 juta")
    with pytest.raises(IsiTidakValid, match=r"Maret: '-Rp 5\.000': jumlah rupiah tidak boleh negatif\.$"):
        realisasi_ops.isi_realisasi_anggaran(db.session, rak, batu.subbag_kul, first, 3, "-Rp 5.000")
    baris = {b.kunci: b for b in realisasi_ops.anggaran_dokumen(db.session, rak)}
    assert (baris[first].realisasi, baris[first].serapan.teks) == (250_000, "25%")
    assert (baris[second].realisasi, baris[second].serapan.teks) == (1_500_000, "75%")
    assert realisasi_ops.isi_realisasi_anggaran(db.session, rak, batu.subbag_kul, first, 1, "") is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RealisasiAnggaran)) == 1
    assert [e.aksi for e in db.session.scalars(sa.select(audit.AuditEntry).where(
        audit.AuditEntry.aksi == "realisasi_anggaran"))] == ["realisasi_anggaran"] * 3


def test_a_draft_rak_takes_no_money(db, people, make_dokumen):
    rak = make_dokumen("rak_sekretariat", baris=1)
    with pytest.raises(Ditolak, match="setelah RAK Sekretariat ditandatangani"):
        realisasi_ops.isi_realisasi_anggaran(db.session, rak, people("35.79").sekretaris,
                                             rak.revisi_aktif.baris[0].kunci, 1, "100")


def test_the_kegiatan_code_is_the_middle_of_the_output_code():
    assert realisasi_ops.kode_kegiatan("CQ.6709.QGE.003") == "6709"
    assert realisasi_ops.kode_kegiatan("wa.3355.eba.994") == "3355"
    assert realisasi_ops.kode_kegiatan(None) is None and realisasi_ops.kode_kegiatan("6709") is None


# -- the page ----------------------------------------------------------------------------------

def _versi(html: str, name: str = "versi") -> str:
    return re.search(rf'name="{name}" value="(\d+)"', html).group(1)


def _inputs(html: str) -> set[str]:
    return set(re.findall(r'<input name="(r-[^"]+)"', html))


def test_the_page_offers_inputs_only_for_what_the_user_may_enter(db, app, login, people, pk):
    batu = people("35.79")
    ketua = login(batu.ketua, c=app.test_client())
    html = ketua.get(f"/dokumen/{pk.id}/realisasi").text
    assert len(_inputs(html)) == 5 * 12
    teknis = login(batu.anggota_teknis, c=app.test_client())
    html = teknis.get(f"/dokumen/{pk.id}/realisasi").text
    assert _inputs(html) == {f"r-{kunci(pk, LAPORAN)}-{b}" for b in range(1, 13)}
    reviewer = login(people("35").reviewer, c=app.test_client())
    html = reviewer.get(f"/dokumen/{pk.id}/realisasi").text
    assert _inputs(html) == set() and 'data-testid="simpan"' not in html
    assert "hanya dapat diisi oleh divisi pelaksananya atau Ketua KPU Kota Batu" in html


def test_saving_the_grid_from_the_page(db, app, login, people, pk):
    c = login(people("35.79").ketua, c=app.test_client())
    page = c.get(f"/dokumen/{pk.id}/realisasi").text
    k, l = kunci(pk, PARTISIPASI), kunci(pk, LAPORAN)
    response = c.post(f"/dokumen/{pk.id}/realisasi", data={
        "csrf_token": csrf_token_from(page), "versi": _versi(page),
        f"r-{k}-2": "78%", f"b-{k}-2": "https://kpu.go.id/ba-rekap", f"r-{l}-1": "1 Laporan", f"r-{l}-2": "",
    })
    assert response.status_code == 302, response.text
    html = c.get(f"/dokumen/{pk.id}/realisasi").text
    assert 'value="78%"' in html and 'value="https://kpu.go.id/ba-rekap"' in html
    assert "97,5%" in html and "8,33%" in html
    assert set(entries(db, pk)) == {(k, 2), (l, 1)}


def test_a_bad_cell_on_the_page_saves_nothing_and_keeps_what_was_typed(db, app, login, people, pk):
    c = login(people("35.79").ketua, c=app.test_client())
    page = c.get(f"/dokumen/{pk.id}/realisasi").text
    k, s = kunci(pk, PARTISIPASI), kunci(pk, SAKIP)
    response = c.post(f"/dokumen/{pk.id}/realisasi", data={
        "csrf_token": csrf_token_from(page), "versi": _versi(page), f"r-{k}-1": "70%", f"r-{s}-3": "sangat baik"})
    assert response.status_code == 422
    assert "Tidak ada yang disimpan" in response.text
    assert f"Indikator &#39;{SAKIP}&#39;, Maret: &#39;sangat baik&#39; bukan predikat" in response.text
    assert 'value="sangat baik"' in response.text and 'value="70%"' in response.text
    assert entries(db, pk) == {}
    # An old version: refused with the input kept, and the page now carries the new version.
    realisasi_ops.isi_realisasi(db.session, pk, people("35.79").ketua, k, 5, "75%")
    db.session.commit()
    response = c.post(f"/dokumen/{pk.id}/realisasi", data={
        "csrf_token": csrf_token_from(page), "versi": _versi(page), f"r-{k}-1": "70%"})
    assert response.status_code == 409 and 'value="70%"' in response.text
    assert _versi(response.text) == str(pk.versi)
    # Without a version there is no save.
    assert c.post(f"/dokumen/{pk.id}/realisasi", data={
        "csrf_token": csrf_token_from(page), f"r-{k}-1": "70%"}).status_code == 400


def test_the_page_takes_the_money_of_the_rak_that_carries_out_the_pk(db, app, login, people, tree):
    batu = people("35.79")
    pk = buat_pk(db, tree, people, jenis=JenisDokumen.PK_SEKRETARIAT)
    rak = operations.buat_dokumen(db.session, tree["35.79"], 2024, JenisDokumen.RAK_SEKRETARIAT, batu.sekretaris)
    operations.simpan_baris(db.session, rak, batu.sekretaris, BarisData(
        indikator="Laporan keuangan", target="1 Laporan", kegiatan=["Penyusunan"], kode_output="WA.3355.EBA.994",
        sel_jadwal=[1], biaya=4_000_000, pelaksana="kul"))
    operations.ajukan(db.session, rak, batu.sekretaris)
    operations.tandatangani(db.session, rak, batu.sekretaris)
    operations.tandatangani(db.session, rak, batu.ketua)
    db.session.commit()
    kul = login(batu.subbag_kul, c=app.test_client())
    page = kul.get(f"/dokumen/{pk.id}/realisasi").text
    assert _inputs(page) == set()
    baris = rak.revisi_aktif.baris[0].kunci
    assert f'name="a-{baris}-1"' in page
    response = kul.post(f"/dokumen/{pk.id}/realisasi", data={
        "csrf_token": csrf_token_from(page), "versi": _versi(page), "versi_rak": _versi(page, "versi_rak"),
        f"a-{baris}-1": "Rp 1.000.000", f"a-{baris}-2": "Rp 500.000"})
    assert response.status_code == 302, response.text
    html = kul.get(f"/dokumen/{rak.id}/realisasi").text
    assert "Rp 1.500.000" in html and "37,5%" in html


def test_a_foreign_office_gets_404_like_a_missing_document(app, login, people, pk):
    c = login(people("51.71").ketua, c=app.test_client())
    assert c.get(f"/dokumen/{pk.id}/realisasi").status_code == c.get("/dokumen/999999/realisasi").status_code == 404
    page = c.get("/").text
    assert c.post(f"/dokumen/{pk.id}/realisasi", data={"csrf_token": csrf_token_from(page)}).status_code == 404


@given(st.one_of(st.decimals(min_value=0, max_value=10**16, places=4, allow_nan=False, allow_infinity=False),
                 st.decimals(min_value=-10**6, max_value=10**6, places=6, allow_nan=False, allow_infinity=False),
                 st.integers(min_value=0, max_value=10**16).map(lambda n: Decimal(n).normalize())))
def test_realisation_numbers_written_exactly_as_babel_writes_them(value):
    # Plain numbers (at most four decimals, not negative) take a short cut past Babel.
    assert tulis_angka(value) == parse_pattern("#,##0.####").apply(value, LOCALE)
