"""Targets per period (issue 17 point 1): entered with the indikator, the last period equal
to the annual target or a reason beside it, carried down by the cascade and never below
the parent's, part of what is signed (a document without them keeps its old hash), and
what capaian to date compares with."""
import json
from decimal import Decimal

import pytest

from tests.test_realisasi import LAPORAN, PARTISIPASI, buat_pk, hasil, kunci
from workflow.capaian import Lampu
from workflow.dokumen import canonical, cascade, operations
from workflow.dokumen.checks import masalah_sebelum_ajukan
from workflow.dokumen.models import JenisDokumen
from workflow.dokumen.queries import cari_dokumen
from workflow.errors import IsiTidakValid
from workflow.realisasi import operations as realisasi_ops
from workflow.target import Polaritas

TW = ["3 Laporan", "6 Laporan", "9 Laporan", "12 Laporan"]
BULANAN = [f"{b} Laporan" for b in range(1, 13)]


def _indikator(pk, uraian):
    return next(i for s in pk.revisi_aktif.sasaran for i in s.indikator if i.uraian == uraian)


def _simpan(db, pk, user, uraian, target, periode, alasan=None):
    ind = _indikator(pk, uraian)
    return operations.simpan_indikator(db.session, pk, user, ind.sasaran.kunci, uraian, target, ind.polaritas,
                                       kunci=ind.kunci, target_periode=periode, alasan_target_periode=alasan)


def test_quarterly_targets_are_entered_as_offices_write_them(db, tree, people):
    pk = buat_pk(db, tree, people, tandatangani=False)
    ketua = people("35.79").ketua
    ind = _simpan(db, pk, ketua, LAPORAN, "12 Laporan", ["3", "6 Laporan", "9", "12"])
    assert json.loads(ind.target_periode) == ["3", "6", "9", "12"]
    pct = _simpan(db, pk, ketua, PARTISIPASI, "80%", ["70%", "72,5", "75%", "80%"])
    assert json.loads(pct.target_periode) == ["70", "72.5", "75", "80"]
    # All empty clears them; some empty is refused, naming the period.
    assert _simpan(db, pk, ketua, LAPORAN, "12 Laporan", ["", "", "", ""]).target_periode is None
    with pytest.raises(IsiTidakValid, match="Target TW III belum diisi"):
        _simpan(db, pk, ketua, LAPORAN, "12 Laporan", ["3", "6", "", "12"])
    with pytest.raises(IsiTidakValid, match="Target TW II"):
        _simpan(db, pk, ketua, LAPORAN, "12 Laporan", ["3", "enam", "9", "12"])


def test_the_last_period_equals_the_annual_target_or_a_reason_is_written(db, tree, people):
    pk = buat_pk(db, tree, people, tandatangani=False)
    ketua = people("35.79").ketua
    with pytest.raises(IsiTidakValid, match=r"Target periode terakhir \(11 Laporan\) berbeda dari target tahunan "
                                            r"\(12 Laporan\): tuliskan alasannya"):
        _simpan(db, pk, ketua, LAPORAN, "12 Laporan", ["3", "6", "9", "11"])
    ind = _simpan(db, pk, ketua, LAPORAN, "12 Laporan", ["3", "6", "9", "11"], "Satu laporan disusun tahun berikutnya")
    assert ind.alasan_target_periode == "Satu laporan disusun tahun berikutnya"
    # A later change of the annual target without a reason blocks the submit, not the save.
    ind.alasan_target_periode = None
    _simpan(db, pk, ketua, LAPORAN, "12 Laporan", ["3", "6", "9", "12"])
    ind = operations.simpan_indikator(db.session, pk, ketua, ind.sasaran.kunci, LAPORAN, "13 Laporan", Polaritas.NAIK,
                                      kunci=ind.kunci)
    assert any("target periode terakhir berbeda dari target tahunan" in m
               for m in masalah_sebelum_ajukan(pk.revisi_aktif))


def test_a_document_without_period_targets_keeps_its_old_hash(db, tree, people):
    pk = buat_pk(db, tree, people)
    revisi = pk.revisi_aktif
    # Signed before this change: what it stores is what the canonical text still gives.
    assert canonical.hash_isi(revisi) == revisi.hash_isi
    teks = canonical.teks(revisi)
    assert "target_periode" not in teks
    for ind in (i for s in revisi.sasaran for i in s.indikator):
        assert set(canonical._indikator(ind)) == {"uraian", "jenis", "nilai", "kode", "satuan", "polaritas"}


def test_period_targets_are_part_of_what_is_signed(db, tree, people):
    pk = buat_pk(db, tree, people, tandatangani=False)
    sebelum = canonical.hash_isi(pk.revisi_aktif)
    _simpan(db, pk, people("35.79").ketua, LAPORAN, "12 Laporan", TW)
    db.session.flush()
    assert canonical.hash_isi(pk.revisi_aktif) != sebelum
    assert json.loads(canonical.teks(pk.revisi_aktif))["sasaran"][0]["indikator"][1]["target_periode"] == [
        "3", "6", "9", "12"]
    operations.ajukan(db.session, pk, people("35.79").ketua)
    # Frozen and carried into the next revision.
    operations.kembalikan(db.session, pk, people("35").reviewer, "perbaiki")
    assert json.loads(_indikator(pk, LAPORAN).target_periode) == ["3", "6", "9", "12"]


def test_the_cascade_carries_period_targets_down_and_a_child_never_goes_below(db, tree, people):
    jatim = buat_pk(db, tree, people, kode="35", tahun=2025, tandatangani=False, indikator=[
        (LAPORAN, "12 Laporan", Polaritas.NAIK)])
    _simpan(db, jatim, people("35").ketua, LAPORAN, "12 Laporan", TW)
    cascade.turunkan(db.session, jatim, people("35").ketua)
    anak = cari_dokumen(db.session, tree["35.79"], 2025, JenisDokumen.PK_KOMISI)
    ind = _indikator(anak, LAPORAN)
    assert json.loads(ind.target_periode) == ["3", "6", "9", "12"]
    ketua = people("35.79").ketua
    _simpan(db, anak, ketua, LAPORAN, "12 Laporan", ["4", "6", "9", "12"])  # above is fine
    with pytest.raises(IsiTidakValid, match="Target TW II lebih rendah dari target induk"):
        _simpan(db, anak, ketua, LAPORAN, "12 Laporan", ["4", "5", "9", "12"])


def test_capaian_to_date_compares_with_the_target_to_date(db, tree, people):
    pk = buat_pk(db, tree, people, tandatangani=False)
    batu = people("35.79")
    _simpan(db, pk, batu.ketua, LAPORAN, "12 Laporan", BULANAN)
    operations.ajukan(db.session, pk, batu.ketua)
    operations.tandatangani(db.session, pk, batu.ketua)
    for bulan in (1, 2, 3):
        realisasi_ops.isi_realisasi(db.session, pk, batu.ketua, kunci(pk, LAPORAN), bulan, "1 Laporan")
    h = hasil(db, pk, LAPORAN)
    # 12 Laporan a year, 3 by March: on track, not red at 25%.
    assert (h.realisasi, h.target_sd, h.bulan_sd) == (Decimal(3), Decimal(3), 3)
    assert h.capaian.teks == "100%" and h.lampu is Lampu.HIJAU
    assert h.target_sd_teks == "3 Laporan" and h.target_teks == "12 Laporan"
    # Without period targets, as before: against the annual target.
    p = hasil(db, pk, PARTISIPASI)
    assert p.target_sd is None


def test_without_period_targets_the_count_stays_against_the_year(db, tree, people):
    pk = buat_pk(db, tree, people)
    for bulan in (1, 2, 3):
        realisasi_ops.isi_realisasi(db.session, pk, people("35.79").ketua, kunci(pk, LAPORAN), bulan, "1 Laporan")
    assert hasil(db, pk, LAPORAN).capaian.teks == "25%"


def test_the_indikator_editor_takes_period_targets_and_keeps_them_on_a_refusal(db, tree, people, client, login):
    pk = buat_pk(db, tree, people, tandatangani=False)
    ind = _indikator(pk, LAPORAN)
    url = f"/dokumen/{pk.id}/sasaran/{ind.sasaran.kunci}/indikator/{ind.kunci}"
    login(people("35.79").ketua)
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and html.count('name="target_periode"') == 12  # monthly office
    from tests.conftest import csrf_token_from
    body = {"csrf_token": csrf_token_from(html), "versi": str(pk.versi), "uraian": LAPORAN, "target": "12 Laporan",
            "polaritas": "naik", "pelaksana": "", "cara_agregasi": "", "target_periode": [str(b) for b in range(1, 12)] + ["11"]}
    refused = client.post(url, data=body)
    assert refused.status_code == 422
    assert "tuliskan alasannya" in refused.get_data(as_text=True) and 'value="11"' in refused.get_data(as_text=True)
    body["alasan_target_periode"] = "Satu laporan tahun depan"
    assert client.post(url, data=body).status_code == 302
    db.session.expire_all()
    assert json.loads(_indikator(pk, LAPORAN).target_periode)[-1] == "11"


def test_the_rak_row_editor_takes_the_outputs_period_targets(db, tree, people, client, login, make_dokumen):
    from tests.conftest import csrf_token_from

    rak = make_dokumen("rak_sekretariat", baris=1)
    row = rak.revisi_aktif.baris[0]
    url = f"/dokumen/{rak.id}/baris/{row.kunci}"
    login(people("35.79").sekretaris)
    html = client.get(url).get_data(as_text=True)
    n = html.count('name="target_periode"')
    assert n in (4, 12)  # the office's shape: quarters or months
    body = {"csrf_token": csrf_token_from(html), "versi": str(rak.versi), "sidik": "", "sasaran": row.sasaran,
            "indikator": row.indikator, "target": "97,5%", "polaritas": "naik", "kegiatan": "Rapat",
            "kode_output": row.kode_output, "biaya": "Rp 1.000.000", "pelaksana": row.pelaksana or "", "jadwal": "1",
            "target_periode": ["50%"] * (n - 1) + ["90%"]}
    refused = client.post(url, data=body)
    assert refused.status_code == 422 and 'value="90%"' in refused.get_data(as_text=True)
    body["target_periode"] = ["50%"] * (n - 1) + ["97,5%"]
    assert client.post(url, data=body).status_code == 302
    db.session.expire_all()
    stored = json.loads(db.session.get(type(row), row.id).target_periode)
    assert len(stored) == n and Decimal(stored[-1]) == Decimal("97.5")
