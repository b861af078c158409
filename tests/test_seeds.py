"""The demo's seven transcribed 2024 documents, Balangan's RAK reconstructed from its LKj and
the LKj itself: their figures, their states, loaded once."""
import json

import pytest
import sqlalchemy as sa

from tenants.hierarchy import load_hierarchy
from tenants.people import Peran, User
from tenants.satker import Satker
from webapp import demo
from workflow import audit, seeds
from workflow.dokumen.checks import peringatan, rupiah
from workflow.dokumen.content import RakBaris
from workflow.dokumen.models import AlasanRevisi, Dokumen, HasilTinjauan, JenisDokumen, Revisi, Status
from workflow.dokumen.signature import TandaTangan

BATU_PAGU_WARNING = ("Jumlah anggaran program Rp 19.527.520.000 kurang dari pagu Rp 20.999.655.000: "
                     "selisih Rp 1.472.135.000.")


@pytest.fixture
def loaded(db):
    """All 553 offices, the demo accounts and the demo documents, committed."""
    load_hierarchy(db.session)
    result = demo.load_demo(db.session)
    db.session.commit()
    return result


def dokumen(db, kode: str, jenis: str, tahun: int = 2024) -> Dokumen:
    return db.session.scalars(sa.select(Dokumen).join(Satker).where(
        Satker.kode == kode, Dokumen.tahun == tahun, Dokumen.jenis == JenisDokumen(jenis))).one()


def count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_every_account_the_seeds_use_is_a_demo_account():
    usernames = {a.username for a in demo.demo_accounts()}
    used = {step.username for steps in seeds.RENCANA.values() for step in steps}
    for path in [*seeds.berkas_demo(), *seeds.berkas_demo(seeds.DIREKTORI / "lkj")]:
        seed = json.loads(path.read_text(encoding="utf-8"))
        used.add(f"{seeds.AKUN_SATKER[seed['satker']]}.{JenisDokumen(seed['jenis']).penyusun.value}")
    assert used <= usernames
    assert len(seeds.berkas_demo()) == 8 and len(seeds.berkas_demo(seeds.DIREKTORI / "lkj")) == 1


def test_the_totals_are_those_of_the_printed_documents(db, loaded):
    komisioner = dokumen(db, "35.79", "rak_komisioner").revisi_aktif
    assert len(komisioner.baris) == 9 and rupiah(komisioner.total_biaya) == "Rp 10.962.494.100"
    sekretariat = dokumen(db, "35.79", "rak_sekretariat").revisi_aktif
    assert len(sekretariat.baris) == 15 and rupiah(sekretariat.total_biaya) == "Rp 15.556.432.100"

    pk = dokumen(db, "63.11", "pk_komisi").revisi_aktif
    assert [(p.kode, rupiah(p.anggaran)) for p in pk.program] == [
        ("076.01.CQ", "Rp 34.556.848.000"), ("076.01.WA", "Rp 2.375.964.000")]
    assert peringatan(pk) == [], "Balangan's PK states no pagu"

    # Kota Batu's programs do not add up to its DIPA: shown, as printed, never corrected.
    assert peringatan(komisioner) == [BATU_PAGU_WARNING]
    assert peringatan(sekretariat) == [BATU_PAGU_WARNING]
    assert (komisioner.dipa_nomor, str(komisioner.dipa_tanggal)) == ("SP DIPA-076.01.2.657956/2024", "2023-11-24")

    lines = {f"{r.satker_kode} {r.jenis.value}{f' {r.tahun}' if r.tahun else ''}": str(r) for r in loaded.dokumen}
    assert lines["35.79 rak_komisioner"] == (
        "KPU Kota Batu - RAK Komisioner: Draf, Revisi ke-1, total biaya Rp 10.962.494.100 (baru); "
        f"peringatan: {BATU_PAGU_WARNING}")
    assert lines["63.11 pk_komisi"] == "KPU Kabupaten Balangan - PK Komisi: Disetujui, Revisi ke-0 (baru)"
    assert lines["35.79 rak_sekretariat 2023"].startswith(
        "KPU Kota Batu - RAK Sekretariat 2023: Ditandatangani, Revisi ke-0, total biaya Rp 15.556.432.100 (baru)")


def test_the_documents_are_left_in_the_states_that_show_the_workflow(db, loaded):
    states = {}
    for kode, jenis in [("63.11", "pk_komisi"), ("63.11", "pk_sekretariat"), ("63.11", "rkt_komisi"),
                        ("63.11", "rkt_sekretariat"), ("63.11", "rak_sekretariat"), ("63.11", "lkj"),
                        ("35.79", "rak_komisioner"), ("35.79", "rak_sekretariat"), ("61.12", "rak_sekretariat")]:
        d = dokumen(db, kode, jenis)
        states[kode, jenis] = (d.status, d.nomor_revisi, [t.nama for t in d.revisi_aktif.tanda_tangan])
    assert states == {
        ("63.11", "pk_komisi"): (Status.REVIEWED, 0, ["Ketua Balangan"]),
        ("63.11", "pk_sekretariat"): (Status.SIGNED, 0, ["Sekretaris Balangan", "Ketua Balangan"]),
        ("63.11", "rkt_komisi"): (Status.SUBMITTED, 0, []),
        ("63.11", "rkt_sekretariat"): (Status.DRAFT, 0, []),
        ("63.11", "rak_sekretariat"): (Status.SIGNED, 0, ["Sekretaris Balangan", "Ketua Balangan"]),
        ("63.11", "lkj"): (Status.SIGNED, 0, ["Ketua Balangan"]),
        ("35.79", "rak_komisioner"): (Status.DRAFT, 1, []),
        ("35.79", "rak_sekretariat"): (Status.DRAFT, 0, []),
        ("61.12", "rak_sekretariat"): (Status.DRAFT, 0, []),
    }
    # The eight seeds, Jawa Timur's PK Komisi cascaded to its 38 kabupaten/kota (seeds.load_demo_cascade),
    # Balangan's LKj (seeds.load_demo_lkj), Kota Batu's two RAKs of 2023 (seeds.load_demo_menunggu) and
    # Kota Batu's LKj 2024, submitted (seeds.load_demo_banding).
    assert count(db, Dokumen) == 8 + 1 + 38 + 1 + 2 + 1
    # Those two wait, signed, in reviewer.jatim's inbox: approving several at once can be tried.
    for jenis in ("rak_sekretariat", "rak_komisioner"):
        d = dokumen(db, "35.79", jenis, 2023)
        assert (d.status, [t.nama for t in d.revisi_aktif.tanda_tangan]) == (
            Status.SIGNED, ["Sekretaris Batu", "Ketua Batu"])
        assert d.revisi_aktif.dipa_nomor == "SP DIPA-076.01.2.657956/2023"
    assert (dokumen(db, "35", "pk_komisi").status, dokumen(db, "35.79", "pk_komisi").status) == (
        Status.SIGNED, Status.REVIEWED)

    pk = dokumen(db, "63.11", "pk_komisi").revisi_aktif
    assert pk.hasil_tinjauan is HasilTinjauan.DISETUJUI and pk.ditinjau_oleh.username == "reviewer.kalsel"

    # Kota Batu's RAK Komisioner was returned: what was signed stays on record as Revisi ke-0.
    rak = dokumen(db, "35.79", "rak_komisioner")
    returned, current = rak.revisi_ke(0), rak.revisi_ke(1)
    assert returned.terkunci and returned.diajukan_oleh.username == "batu.ketua"
    assert returned.hasil_tinjauan is HasilTinjauan.DIKEMBALIKAN
    assert returned.ditinjau_oleh.username == "reviewer.jatim"
    assert returned.catatan_tinjauan == ("Jadwal baris 4 tidak sesuai tahapan pembentukan badan ad hoc; "
                                         "mohon diperiksa kembali.")
    assert [(t.kapasitas.value, t.nama) for t in returned.tanda_tangan] == [
        ("kpa", "Sekretaris Batu"), ("mengetahui", "Ketua Batu")]
    assert current.label == "Revisi ke-1" and not current.terkunci
    assert current.alasan_jenis is AlasanRevisi.PENGEMBALIAN and current.alasan == returned.catatan_tinjauan
    assert current.total_biaya == returned.total_biaya == 10_962_494_100

    # Signatures carry the demo accounts' names, never the transcriptions' signatories.
    names = {a.full_name for a in demo.demo_accounts()}
    assert set(db.session.scalars(sa.select(TandaTangan.nama))) <= names

    # Kubu Raya's RAK states one target without its unit ("3,5"): a draft that says why it cannot go.
    kubu_raya = next(r for r in loaded.dokumen if r.satker_kode == "61.12")
    assert kubu_raya.masalah == ["Baris 49: satuan target belum diisi."]
    assert kubu_raya.total_biaya is None and "biaya belum diisi" in str(kubu_raya)


def test_kota_batu_reports_tw_i_verified_and_april_waits_for_reviewer_jatim(db, loaded):
    from tenants.people import User
    from workflow.notifikasi.models import Notifikasi
    from workflow.pelaporan import queries as lapor
    from workflow.pelaporan.models import StatusLaporan
    pk = dokumen(db, "35.79", "pk_komisi")
    laporan = next(i for s in pk.revisi_aktif.sasaran for i in s.indikator if i.uraian.startswith("Jumlah laporan"))
    from workflow.dokumen import target_periode

    # Jawa Timur's quarterly targets carried down by the cascade.
    assert [target_periode.tulis(laporan, v) for v in target_periode.daftar(laporan)] == [
        "3 Laporan", "6 Laporan", "9 Laporan", "12 Laporan"]
    status = {p: lapor.status_periode(db.session, pk.id, p) for p in range(1, 6)}
    assert status == {1: StatusLaporan.TERVERIFIKASI, 2: StatusLaporan.TERVERIFIKASI, 3: StatusLaporan.TERVERIFIKASI,
                      4: StatusLaporan.DIAJUKAN, 5: StatusLaporan.DRAFT}
    bab3 = lapor.analisis_terverifikasi(db.session, pk.id)
    assert [p for p, _a in bab3[laporan.kunci]] == [1, 2, 3]
    reviewer = db.session.scalar(sa.select(User).where(User.username == "reviewer.jatim"))
    tautan = set(db.session.scalars(sa.select(Notifikasi.tautan).where(Notifikasi.user_id == reviewer.id)))
    assert f"/dokumen/{pk.id}/periode/4" in tautan


def test_kota_batus_lkj_compares_its_capaian_with_five_jawa_timur_offices(db, loaded):
    from workflow.lkj import tabel

    for kode in seeds.PEMBANDING_JATIM:
        assert dokumen(db, kode, "pk_komisi").status is Status.REVIEWED
    banding = tabel.tabel(db.session, dokumen(db, "35.79", "lkj").revisi_aktif)["banding"]
    partisipasi = banding["baris"][0]
    assert partisipasi["uraian"] == "Persentase partisipasi pemilih pada Pemilu 2024"
    assert partisipasi["capaian"] == "97,5%"
    k = partisipasi["provinsi"]
    assert (k["n"], k["q1_teks"], k["median_teks"], k["q3_teks"], k["peringkat"]) == (
        6, "91,25%", "96,25%", "101,25%", 3)


def test_loading_twice_changes_nothing_and_the_audit_trail_holds(db, loaded):
    models = (Dokumen, Revisi, RakBaris, TandaTangan, audit.AuditEntry)
    before = [count(db, m) for m in models]
    assert audit.verify(db.session).ok and audit.verify(db.session).checked == before[-1]

    again = demo.load_demo(db.session)
    db.session.commit()
    assert [count(db, m) for m in models] == before
    assert not any(created for _, created in again.akun)
    assert not any(r.dibuat for r in again.dokumen)
    assert [str(r).replace("(sudah ada)", "(baru)") for r in again.dokumen] == [str(r) for r in loaded.dokumen]
    assert audit.verify(db.session).ok


def test_the_evaluations_kota_batu_submitted_and_balangan_final_with_three_recommendations(db, loaded, client):
    from workflow.evaluasi import canonical
    from workflow.evaluasi.models import Evaluasi, StatusEvaluasi

    inspektorat = db.session.scalar(sa.select(User).where(User.username == "inspektorat.ri"))
    assert [(m.satker.kode, m.peran) for m in inspektorat.memberships] == [("RI", Peran.INSPEKTORAT)]
    ev = {e.satker.kode: e for e in db.session.scalars(sa.select(Evaluasi).where(Evaluasi.tahun == 2024))}
    assert set(ev) == {"35.79", "63.11", "61.12"}
    batu, balangan = ev["35.79"], ev["63.11"]
    assert batu.status is StatusEvaluasi.DIAJUKAN and db.session.get(User, batu.diajukan_oleh_id).username == "batu.sekretaris"
    assert sum(1 for j in batu.jawaban if j.jawaban) == 80 and batu.skor_total is None
    # the pre-fill from Kota Batu's records: its PK Komisi, signed when the demo loads, is late
    pk = next(j for j in batu.jawaban if j.kriteria.kode == "1.b.2")
    assert pk.usulan == "T" and pk.usulan_fakta_list[0]["kode"] == dokumen(db, "35.79", "pk_komisi").revisi_aktif.kode_verifikasi
    assert balangan.final and balangan.predikat == "BB" and balangan.difinalkan_oleh.username == "inspektorat.ri"
    assert [t.rekomendasi[:22] for t in balangan.temuan] == ["Tetapkan target IKU 20", "Tambahkan perbandingan",
                                                             "Petakan setiap rekomen"]
    # their follow-ups: one open, one reported, one closed
    from workflow.tindaklanjut import queries as tl_queries
    assert [(tl.nomor, tl.status.value, tl.pemilik.username) for tl in tl_queries.daftar(db.session, balangan.satker_id)] \
        == [(1, "terbuka", "balangan.sekretaris"), (2, "dilaporkan", "balangan.sekretaris"),
            (3, "selesai", "balangan.sekretaris")]
    assert canonical.hash_teks(balangan.isi_final) == balangan.hash_isi
    page = client.get(f"/verifikasi/{balangan.kode_verifikasi}", follow_redirects=True)
    assert "KPU Kabupaten Balangan" in page.text and ">BB<" in page.text

    demo.load_demo(db.session)
    db.session.commit()
    assert count(db, Evaluasi) == 6 and balangan.versi == db.session.get(Evaluasi, balangan.id).versi


def test_the_recap_has_years_to_compare_and_predikat_to_count(db, loaded):
    from workflow.evaluasi import rekap
    from workflow.evaluasi.models import Evaluasi

    final = {(e.satker.kode, e.tahun): e for e in db.session.scalars(sa.select(Evaluasi)) if e.final}
    assert set(final) == {("63.11", 2024), ("61.12", 2024), ("35.79", 2023), ("63.11", 2023), ("61.12", 2023)}
    assert final[("63.11", 2024)].skor_total > final[("63.11", 2023)].skor_total
    assert final[("61.12", 2024)].skor_total > final[("61.12", 2023)].skor_total
    assert len({e.predikat for e in final.values()}) >= 3
    inspektorat = db.session.scalar(sa.select(User).where(User.username == "inspektorat.ri"))
    r = rekap.rekap(db.session, inspektorat, 2024)
    baris = {b.satker.kode: b for b in r.baris}
    assert baris["63.11"].perubahan == final[("63.11", 2024)].skor_total - final[("63.11", 2023)].skor_total > 0
    assert baris["35.79"].predikat is None and baris["35.79"].sebelumnya[2023].predikat == final[("35.79", 2023)].predikat
    assert r.total.final == 2 and sum(d.final for d in r.distribusi) == 2


def test_a_target_that_cannot_be_read_is_reported_and_the_rest_is_loaded(db, tmp_path, monkeypatch):
    load_hierarchy(db.session)
    monkeypatch.setattr(demo, "load_demo_documents", lambda session: [])  # the accounts only
    demo.load_demo(db.session)

    pk = json.loads((seeds.DIREKTORI / "63.11-2024-pk_komisi.json").read_text(encoding="utf-8"))
    for indikator in pk["sasaran"][2]["indikator"]:
        indikator["target"] = "sekitar sembilan puluh"
    (tmp_path / "pk.json").write_text(json.dumps(pk), encoding="utf-8")
    rak = json.loads((seeds.DIREKTORI / "35.79-2024-rak_sekretariat.json").read_text(encoding="utf-8"))
    rak["tahun"], rak["baris"][1]["target"] = 2025, "85 %%"
    rak["dipa"]["tanggal"] = "2024-11-25"  # the next year's DIPA
    (tmp_path / "rak.json").write_text(json.dumps(rak), encoding="utf-8")

    result = {r.jenis.value: r for r in seeds.load_demo_documents(db.session, tmp_path)}
    db.session.commit()

    pk_result = result["pk_komisi"]
    assert pk_result.dibuat and pk_result.status is Status.DRAFT, "content that fails the checks is not submitted"
    assert pk_result.masalah == ["Sasaran 3 belum memiliki indikator kinerja."]
    assert any("target 'sekitar sembilan puluh' tidak terbaca" in c for c in pk_result.catatan)
    assert any("Dibiarkan berstatus draf" in c for c in pk_result.catatan)
    assert len(dokumen(db, "63.11", "pk_komisi").revisi_aktif.sasaran) == 3

    rak_result = result["rak_sekretariat"]
    assert rak_result.dibuat and rak_result.status is Status.DRAFT
    assert any(c.startswith("Baris 2: target '85 %%' tidak terbaca") for c in rak_result.catatan)
    assert rak_result.masalah == ["Baris 2: target belum diisi."]
    assert len(dokumen(db, "35.79", "rak_sekretariat", 2025).revisi_aktif.baris) == 15
    assert audit.verify(db.session).ok
