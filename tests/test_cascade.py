"""Targets down: KPU RI's PK into the provinces', a province's into its kabupaten/kota."""
import pytest
import sqlalchemy as sa

from workflow.dokumen import cascade, operations
from workflow.dokumen.models import AlasanRevisi, Dokumen, JenisDokumen, Status
from workflow.errors import Ditolak, IsiTidakValid
from workflow.target import Polaritas

PK = JenisDokumen.PK_KOMISI


@pytest.fixture
def pk_ri(db, tree, people):
    ketua = people("RI").ketua
    pk = operations.buat_dokumen(db.session, tree["RI"], 2025, PK, ketua)
    s1 = operations.simpan_sasaran(db.session, pk, ketua, "Terwujudnya kesadaran pemilih yang tinggi")
    operations.simpan_indikator(db.session, pk, ketua, s1.kunci, "Persentase partisipasi pemilih", "81%")
    operations.simpan_indikator(db.session, pk, ketua, s1.kunci,
                                "Persentase pemilih yang tidak masuk DPT", "0,16%", Polaritas.TURUN)
    s2 = operations.simpan_sasaran(db.session, pk, ketua, "Meningkatnya akuntabilitas kinerja")
    operations.simpan_indikator(db.session, pk, ketua, s2.kunci, "Nilai akuntabilitas kinerja", "BB")
    operations.simpan_indikator(db.session, pk, ketua, s2.kunci, "Opini BPK", "WTP")
    db.session.commit()
    return pk


def _pk_of(db, satker, tahun=2025):
    return db.session.scalar(sa.select(Dokumen).where(Dokumen.satker_id == satker.id, Dokumen.tahun == tahun,
                                                      Dokumen.jenis == PK))


def _indikator(dokumen):
    return [i for s in dokumen.revisi_aktif.sasaran for i in s.indikator]


def test_the_cascade_fills_every_province_once(db, tree, people, pk_ri):
    hasil = cascade.turunkan(db.session, pk_ri, people("RI").ketua)
    db.session.commit()
    assert (hasil.anak, hasil.dokumen_baru, hasil.indikator_baru, hasil.sudah_ada) == (2, 2, 8, 0)
    assert "2 satker: 8 indikator ditambahkan" in hasil.ringkasan
    jatim = _pk_of(db, tree["35"])
    assert jatim.status is Status.DRAFT
    rows = _indikator(jatim)
    assert [(i.uraian, i.target, i.induk_dokumen_id) for i in rows] == [
        ("Persentase partisipasi pemilih", "81%", pk_ri.id),
        ("Persentase pemilih yang tidak masuk DPT", "0,16%", pk_ri.id),
        ("Nilai akuntabilitas kinerja", "BB", pk_ri.id),
        ("Opini BPK", "WTP", pk_ri.id),
    ]
    assert [s.uraian for s in jatim.revisi_aktif.sasaran] == [s.uraian for s in pk_ri.revisi_aktif.sasaran]

    again = cascade.turunkan(db.session, pk_ri, people("RI").ketua)
    assert (again.indikator_baru, again.sudah_ada, again.dokumen_baru) == (0, 8, 0)
    db.session.expire_all()
    assert len(_indikator(_pk_of(db, tree["35"]))) == 4


def test_then_the_province_cascades_to_its_kabupaten_kota_and_a_child_keeps_its_own(db, tree, people, pk_ri):
    cascade.turunkan(db.session, pk_ri, None)
    jatim = _pk_of(db, tree["35"])
    ketua_jatim = people("35").ketua
    own = operations.simpan_sasaran(db.session, jatim, ketua_jatim, "Sasaran khas Jawa Timur")
    operations.simpan_indikator(db.session, jatim, ketua_jatim, own.kunci, "Indikator lokal", "3 Laporan")
    hasil = cascade.turunkan(db.session, jatim, ketua_jatim)
    db.session.commit()
    assert (hasil.anak, hasil.indikator_baru) == (2, 10)
    batu = _indikator(_pk_of(db, tree["35.79"]))
    assert {i.induk_dokumen_id for i in batu} == {jatim.id}
    assert "Indikator lokal" in [i.uraian for i in batu]
    assert _pk_of(db, tree["51.71"]) is None, "Bali's offices are not Jawa Timur's"


@pytest.mark.parametrize("uraian, lower, higher", [
    ("Persentase partisipasi pemilih", "80%", "85%"),
    ("Persentase pemilih yang tidak masuk DPT", "0,2%", "0,1%"),
    ("Nilai akuntabilitas kinerja", "B", "A"),
    ("Opini BPK", "WDP", "WTP"),
])
def test_a_child_target_may_rise_but_never_fall_below_its_parent(db, tree, people, pk_ri, uraian, lower, higher):
    cascade.turunkan(db.session, pk_ri, None)
    jatim = _pk_of(db, tree["35"])
    ketua = people("35").ketua
    row = next(i for i in _indikator(jatim) if i.uraian == uraian)
    with pytest.raises(IsiTidakValid, match=f"lebih rendah dari target induk {row.induk_target}"):
        operations.simpan_indikator(db.session, jatim, ketua, row.sasaran.kunci, uraian, lower, row.polaritas,
                                    kunci=row.kunci)
    operations.simpan_indikator(db.session, jatim, ketua, row.sasaran.kunci, uraian, higher, row.polaritas,
                                kunci=row.kunci)
    assert row.target == higher


def test_a_parent_change_shows_in_the_child_and_is_taken_with_one_action(db, tree, people, pk_ri):
    ketua_jatim, ketua_batu = people("35").ketua, people("35.79").ketua
    cascade.turunkan(db.session, pk_ri, None)
    jatim = _pk_of(db, tree["35"])
    cascade.turunkan(db.session, jatim, None)
    operations.ajukan(db.session, jatim, ketua_jatim)
    operations.tandatangani(db.session, jatim, ketua_jatim)
    operations.setujui(db.session, jatim, people("RI").reviewer)
    operations.revisi(db.session, jatim, ketua_jatim, AlasanRevisi.PERUBAHAN_PRIORITAS)
    row = _indikator(jatim)[0]
    operations.simpan_indikator(db.session, jatim, ketua_jatim, row.sasaran.kunci, row.uraian, "85%", kunci=row.kunci)
    db.session.commit()

    batu = _pk_of(db, tree["35.79"])
    changes = cascade.perubahan_induk(db.session, batu.revisi_aktif)
    assert [(c.indikator.uraian, c.lama, c.baru) for c in changes] == [("Persentase partisipasi pemilih", "81%", "85%")]
    assert cascade.ambil_perubahan_induk(db.session, batu, ketua_batu) == 1
    db.session.commit()
    assert cascade.perubahan_induk(db.session, batu.revisi_aktif) == []
    assert _indikator(batu)[0].target == "85%"


def test_only_the_penyusun_cascades_and_submitted_children_are_skipped(db, tree, people, pk_ri):
    with pytest.raises(Ditolak, match="Hanya Ketua KPU RI"):
        cascade.turunkan(db.session, pk_ri, people("RI").sekretaris)
    cascade.turunkan(db.session, pk_ri, None)
    bali = _pk_of(db, tree["51"])
    operations.ajukan(db.session, bali, people("51").ketua)
    s = pk_ri.revisi_aktif.sasaran[1]
    operations.simpan_indikator(db.session, pk_ri, people("RI").ketua, s.kunci, "Indikator baru nasional", "100%")
    hasil = cascade.turunkan(db.session, pk_ri, people("RI").ketua)
    assert hasil.indikator_baru == 1 and hasil.dilewati == [("KPU Provinsi Bali", "PK berstatus Diajukan")]


def test_an_inherited_indikator_keeps_its_direction_and_cannot_be_removed(db, tree, people, pk_ri):
    cascade.turunkan(db.session, pk_ri, None)
    jatim, ketua = _pk_of(db, tree["35"]), people("35").ketua
    row = _indikator(jatim)[0]
    with pytest.raises(Ditolak, match="mengikuti induknya"):
        operations.simpan_indikator(db.session, jatim, ketua, row.sasaran.kunci, row.uraian, "1%", Polaritas.TURUN,
                                    kunci=row.kunci)
    with pytest.raises(Ditolak, match="tidak dapat dihapus"):
        operations.hapus_indikator(db.session, jatim, ketua, row.sasaran.kunci, row.kunci)


def test_taking_a_parent_change_never_lowers_a_higher_child_target(db, tree, people, pk_ri):
    ketua_jatim, ketua_batu = people("35").ketua, people("35.79").ketua
    cascade.turunkan(db.session, pk_ri, None)
    jatim = _pk_of(db, tree["35"])
    cascade.turunkan(db.session, jatim, None)
    batu = _pk_of(db, tree["35.79"])
    row = _indikator(batu)[0]
    operations.simpan_indikator(db.session, batu, ketua_batu, row.sasaran.kunci, row.uraian, "95%", kunci=row.kunci)
    parent = _indikator(jatim)[0]
    operations.simpan_indikator(db.session, jatim, ketua_jatim, parent.sasaran.kunci, parent.uraian, "85%",
                                kunci=parent.kunci)
    assert cascade.ambil_perubahan_induk(db.session, batu, ketua_batu) == 1
    assert (row.target, row.induk_target) == ("95%", "85%")
