"""The document workflow: who may move a document, what each move records, and what it refuses."""
from datetime import date

import pytest
import sqlalchemy as sa

from tests.documents import baris_contoh
from workflow import audit
from workflow.dokumen import canonical, operations
from workflow.dokumen.content import RakBaris
from workflow.dokumen.models import AlasanRevisi, HasilTinjauan, Status
from workflow.dokumen.operations import BarisData, Kepala
from workflow.errors import Ditolak, IsiTerkunci, IsiTidakValid, Konflik


@pytest.fixture
def rak(make_dokumen):
    return make_dokumen("rak_sekretariat", baris=3)


def assert_refused_by_the_database(db, sql: str) -> None:
    """Raw SQL, as from any database client: the triggers refuse it."""
    connection = db.session.connection()
    with pytest.raises(sa.exc.DatabaseError, match="terkunci|hanya dapat ditambah"):
        with connection.begin_nested():
            connection.exec_driver_sql(sql)


def submit_and_sign(db, dokumen, batu):
    operations.ajukan(db.session, dokumen, batu.sekretaris)
    operations.tandatangani(db.session, dokumen, batu.sekretaris)
    operations.tandatangani(db.session, dokumen, batu.ketua)
    db.session.commit()


def test_a_rak_walks_from_draft_to_reviewed_with_two_signatures(db, rak, people):
    batu, jatim = people("35.79"), people("35")
    operations.ajukan(db.session, rak, batu.sekretaris)
    assert rak.status is Status.SUBMITTED
    revisi = rak.revisi_aktif
    assert revisi.terkunci and len(revisi.hash_isi) == 64 and revisi.kode_verifikasi

    operations.tandatangani(db.session, rak, batu.sekretaris)
    assert rak.status is Status.SUBMITTED, "one of two signatures does not make it signed"
    operations.tandatangani(db.session, rak, batu.ketua)
    assert rak.status is Status.SIGNED
    assert [(t.kapasitas.value, t.user_id) for t in revisi.tanda_tangan] == [
        ("kpa", batu.sekretaris.id), ("mengetahui", batu.ketua.id)]
    assert all(t.hash_isi == canonical.hash_isi(revisi) for t in revisi.tanda_tangan)

    operations.setujui(db.session, rak, jatim.reviewer)
    db.session.commit()
    assert rak.status is Status.REVIEWED
    assert revisi.hasil_tinjauan is HasilTinjauan.DISETUJUI and revisi.ditinjau_oleh_id == jatim.reviewer.id

    log = db.session.scalars(sa.select(audit.AuditEntry).where(audit.AuditEntry.dokumen_id == rak.id)
                             .order_by(audit.AuditEntry.seq)).all()
    moves = [(e.aksi, e.dari, e.ke, e.username) for e in log if e.dari]
    assert moves == [
        ("submit", "draft", "submitted", batu.sekretaris.username),
        ("sign", "submitted", "submitted", batu.sekretaris.username),
        ("sign", "submitted", "signed", batu.ketua.username),
        ("approve", "signed", "reviewed", jatim.reviewer.username),
    ]
    assert log[-1].peran == "Reviewer"
    assert audit.verify(db.session).ok


@pytest.mark.parametrize("who, message", [
    ("subbag_kul", "Hanya Sekretaris KPU Kota Batu yang dapat mengajukan"),
    ("ketua", "Hanya Sekretaris KPU Kota Batu yang dapat mengajukan"),
])
def test_only_the_sekretaris_submits_a_sekretariat_document(db, rak, people, who, message):
    with pytest.raises(Ditolak, match=message):
        operations.ajukan(db.session, rak, getattr(people("35.79"), who))
    assert rak.status is Status.DRAFT


def test_the_ketua_submits_the_komisi_documents(db, make_dokumen, people):
    pk = make_dokumen("pk_komisi")
    with pytest.raises(Ditolak, match="Hanya Ketua KPU Kota Batu"):
        operations.ajukan(db.session, pk, people("35.79").sekretaris)
    operations.ajukan(db.session, pk, people("35.79").ketua)
    operations.tandatangani(db.session, pk, people("35.79").ketua)
    assert pk.status is Status.SIGNED, "the PK Komisi has one signatory"


def test_signatures_come_in_order(db, make_dokumen, people):
    pk = make_dokumen("pk_sekretariat")
    batu = people("35.79")
    operations.ajukan(db.session, pk, batu.sekretaris)
    with pytest.raises(Ditolak, match="Giliran tanda tangan berikutnya: Pihak Pertama"):
        operations.tandatangani(db.session, pk, batu.ketua)
    operations.tandatangani(db.session, pk, batu.sekretaris)
    with pytest.raises(Ditolak, match="Pihak Kedua"):
        operations.tandatangani(db.session, pk, batu.sekretaris)
    operations.tandatangani(db.session, pk, batu.ketua)
    assert pk.status is Status.SIGNED
    with pytest.raises(Ditolak, match="tidak tersedia"):
        operations.tandatangani(db.session, pk, batu.ketua)


def test_only_the_parent_reviewer_reviews_and_never_the_submitter(db, rak, people, make_user, tree):
    batu = people("35.79")
    submit_and_sign(db, rak, batu)
    for outsider in (people("51").reviewer, people("35.73").ketua, people("RI").reviewer, batu.ketua):
        with pytest.raises(Ditolak, match="Hanya reviewer di satker induk"):
            operations.setujui(db.session, rak, outsider)
    both = make_user("35.79", "sekretaris")
    from tests.factories import grant
    grant(both, tree["35"], "reviewer")
    db.session.commit()
    rak2 = operations.buat_dokumen(db.session, tree["35.79"], 2025, rak.jenis, both)
    from tests.documents import isi_contoh
    isi_contoh(db.session, rak2, both)
    operations.ajukan(db.session, rak2, both)
    with pytest.raises(Ditolak, match="tidak boleh meninjaunya sendiri"):
        operations.kembalikan(db.session, rak2, both, alasan="Perbaiki")


def test_a_return_needs_a_reason_and_opens_a_copy_keeping_what_was_signed(db, rak, people):
    batu, jatim = people("35.79"), people("35")
    submit_and_sign(db, rak, batu)
    signed = rak.revisi_aktif
    signed_hash = signed.hash_isi
    with pytest.raises(IsiTidakValid, match="Alasan pengembalian wajib diisi"):
        operations.kembalikan(db.session, rak, jatim.reviewer, alasan="   ")
    assert rak.status is Status.SIGNED

    operations.kembalikan(db.session, rak, jatim.reviewer, alasan="Biaya baris 2 belum sesuai DIPA")
    db.session.commit()
    assert rak.status is Status.DRAFT
    assert [r.nomor for r in rak.revisi] == [0, 1]
    new = rak.revisi_aktif
    assert (new.nomor, new.alasan_jenis, new.alasan) == (1, AlasanRevisi.PENGEMBALIAN, "Biaya baris 2 belum sesuai DIPA")
    assert not new.terkunci and [b.kunci for b in new.baris] == [b.kunci for b in signed.baris]
    assert signed.terkunci and signed.hasil_tinjauan is HasilTinjauan.DIKEMBALIKAN
    assert canonical.hash_isi(signed) == signed_hash and len(signed.tanda_tangan) == 2

    data = baris_contoh(2, "kul", biaya=2_500_000)
    operations.simpan_baris(db.session, rak, batu.sekretaris, data, kunci=new.baris[1].kunci)
    db.session.commit()
    assert new.baris[1].biaya == 2_500_000 and signed.baris[1].biaya == 1_000_000


def test_revise_takes_a_reason_from_the_official_list(db, rak, people):
    batu = people("35.79")
    submit_and_sign(db, rak, batu)
    operations.setujui(db.session, rak, people("35").reviewer)
    with pytest.raises(IsiTidakValid, match="daftar resmi"):
        operations.revisi(db.session, rak, batu.sekretaris, AlasanRevisi.PENGEMBALIAN, "x")
    with pytest.raises(IsiTidakValid, match="harus dituliskan"):
        operations.revisi(db.session, rak, batu.sekretaris, AlasanRevisi.LAINNYA, "")
    with pytest.raises(Ditolak, match="Hanya Sekretaris"):
        operations.revisi(db.session, rak, batu.subbag_kul, AlasanRevisi.PERUBAHAN_ANGGARAN)
    operations.revisi(db.session, rak, batu.sekretaris, AlasanRevisi.PERUBAHAN_ANGGARAN)
    assert rak.status is Status.DRAFT and rak.revisi_aktif.label == "Revisi ke-1"
    assert rak.revisi_aktif.alasan_jenis.label == "Perubahan program/kegiatan/alokasi anggaran"


def test_submit_is_refused_with_every_gap_named(db, make_dokumen, people):
    rak = make_dokumen("rak_sekretariat", baris=2)
    batu = people("35.79")
    incomplete = BarisData(indikator="Jumlah laporan", target="2", kegiatan=[], sel_jadwal=[], pelaksana="kul")
    operations.simpan_baris(db.session, rak, batu.sekretaris, incomplete)
    with pytest.raises(IsiTidakValid) as refused:
        operations.ajukan(db.session, rak, batu.sekretaris)
    assert refused.value.masalah == [
        "Baris 3: satuan target belum diisi.",
        "Baris 3: belum ada kegiatan.",
        "Baris 3: jadwal pelaksanaan belum ditandai.",
    ]
    assert rak.status is Status.DRAFT and not rak.revisi_aktif.terkunci


def test_a_pk_indikator_without_target_blocks_submit(db, make_dokumen, people):
    pk = make_dokumen("pk_sekretariat", sasaran=1)
    sasaran = operations.simpan_sasaran(db.session, pk, people("35.79").sekretaris, "Sasaran tanpa indikator")
    with pytest.raises(IsiTidakValid) as refused:
        operations.ajukan(db.session, pk, people("35.79").sekretaris)
    assert refused.value.masalah == ["Sasaran 2 belum memiliki indikator kinerja."]
    assert sasaran.uraian == "Sasaran tanpa indikator"


@pytest.mark.parametrize(("field", "value", "ok"), [
    ("tanggal", date(2204, 1, 13), False), ("tanggal", date(2022, 12, 31), False), ("dipa_tanggal", date(2026, 1, 1), False),
    ("tanggal", date(2023, 12, 29), True), ("dipa_tanggal", date(2023, 11, 24), True), ("tanggal", date(2025, 2, 3), True),
])
def test_a_date_outside_the_years_around_the_document_s_is_refused_with_the_year_to_use(
        db, rak, people, field, value, ok):
    sekretaris = people("35.79").sekretaris
    assert rak.tahun == 2024
    kepala = Kepala(tempat="Batu", pagu=20_999_655_000, **{field: value})
    if ok:
        operations.ubah_kepala(db.session, rak, sekretaris, kepala, versi=None)
        assert getattr(rak.revisi_aktif, field) == value
        return
    before = getattr(rak.revisi_aktif, field)
    with pytest.raises(IsiTidakValid, match=rf"^{'Tanggal DIPA' if field == 'dipa_tanggal' else 'Tanggal'} "
                                            rf"{value:%d-%m-%Y} tidak sesuai dokumen tahun 2024: isi tanggal pada "
                                            rf"tahun 2023 sampai 2025\.$"):
        operations.ubah_kepala(db.session, rak, sekretaris, kepala, versi=None)
    assert getattr(rak.revisi_aktif, field) == before


def test_a_date_already_stored_is_not_checked_again_and_an_lkj_has_no_dipa_date_to_check(db, rak, people, make_dokumen):
    sekretaris = people("35.79").sekretaris
    rak.revisi_aktif.dipa_tanggal = date(2020, 11, 24)  # saved before the rule existed
    db.session.flush()
    operations.ubah_kepala(db.session, rak, sekretaris, Kepala(tempat="Kota Batu", dipa_tanggal=date(2020, 11, 24)),
                           versi=None)
    assert rak.revisi_aktif.tempat == "Kota Batu"
    lkj = make_dokumen("lkj")
    operations.ubah_kepala(db.session, lkj, people("35.79").sekretaris,
                           Kepala(tempat="Batu", tanggal=date(lkj.tahun + 1, 1, 13), dipa_tanggal=date(1999, 1, 1)),
                           versi=None)
    assert lkj.revisi_aktif.dipa_tanggal is None, "a report states no budget of its own"


def test_programs_that_do_not_add_up_to_the_pagu_are_pointed_out_not_blocked(db, rak, people):
    from workflow.dokumen.checks import peringatan
    assert peringatan(rak.revisi_aktif) == [
        "Jumlah anggaran program Rp 19.527.520.000 kurang dari pagu Rp 20.999.655.000: selisih Rp 1.472.135.000."]
    operations.ajukan(db.session, rak, people("35.79").sekretaris)
    assert rak.status is Status.SUBMITTED


def test_a_subbag_edits_only_the_rows_it_carries_out(db, make_dokumen, people):
    rak = make_dokumen("rak_sekretariat", baris=1, pelaksana="rendatin")
    batu = people("35.79")
    own = operations.simpan_baris(db.session, rak, batu.subbag_kul, baris_contoh(9, "kul"))
    assert own.pelaksana == "kul"
    with pytest.raises(Ditolak, match="subbagian pelaksananya"):
        operations.simpan_baris(db.session, rak, batu.subbag_kul, baris_contoh(10, "rendatin"))
    with pytest.raises(Ditolak, match="unit Anda sendiri"):
        operations.simpan_baris(db.session, rak, batu.subbag_kul, baris_contoh(9, "rendatin"), kunci=own.kunci)
    with pytest.raises(Ditolak, match="subbagian pelaksananya"):
        operations.hapus_baris(db.session, rak, batu.subbag_kul, rak.revisi_aktif.baris[0].kunci)
    with pytest.raises(Ditolak, match="Hanya Sekretaris"):
        operations.ubah_kepala(db.session, rak, batu.subbag_kul, Kepala(tempat="Malang"), versi=None)
    operations.hapus_baris(db.session, rak, batu.subbag_kul, own.kunci)
    assert [b.pelaksana for b in rak.revisi_aktif.baris] == ["rendatin"]


def test_a_save_on_an_old_version_is_a_conflict_and_changes_nothing(db, rak, people):
    batu = people("35.79")
    seen = rak.versi
    operations.simpan_baris(db.session, rak, batu.sekretaris, baris_contoh(1, "kul", biaya=5), kunci=rak.revisi_aktif.baris[0].kunci, versi=seen)
    db.session.commit()
    with pytest.raises(Konflik, match="telah diubah oleh"):
        operations.simpan_baris(db.session, rak, batu.sekretaris, baris_contoh(1, "kul", biaya=7),
                                kunci=rak.revisi_aktif.baris[0].kunci, versi=seen)
    assert rak.revisi_aktif.baris[0].biaya == 5


class TestNoPathChangesSubmittedContent:
    @pytest.fixture
    def submitted(self, db, rak, people):
        submit_and_sign(db, rak, people("35.79"))
        return rak

    def test_operations_refuse_with_the_status(self, db, submitted, people):
        with pytest.raises(Ditolak, match="berstatus Ditandatangani"):
            operations.simpan_baris(db.session, submitted, people("35.79").sekretaris, baris_contoh(4, "kul"))

    def test_direct_orm_changes_are_refused_at_flush(self, db, submitted):
        row = submitted.revisi_aktif.baris[0]
        row.biaya = 1
        with pytest.raises(IsiTerkunci):
            db.session.flush()
        db.session.rollback()
        submitted.revisi_aktif.pagu = 1
        with pytest.raises(IsiTerkunci):
            db.session.flush()
        db.session.rollback()
        submitted.revisi_aktif.baris[0].kegiatan.pop()
        with pytest.raises(IsiTerkunci):
            db.session.flush()
        db.session.rollback()
        submitted.revisi_aktif.tanda_tangan[0].nama = "Orang Lain"
        with pytest.raises(IsiTerkunci):
            db.session.flush()

    def test_orm_bulk_statements_are_refused(self, db, submitted):
        with pytest.raises(IsiTerkunci):
            db.session.execute(sa.update(RakBaris).values(biaya=0))

    @pytest.mark.parametrize("sql", [
        "UPDATE rak_baris SET biaya = 0",
        "DELETE FROM kegiatan",
        "INSERT INTO sasaran (revisi_id, urutan, kunci, uraian) SELECT id, 9, 'x', 'x' FROM revisi",
        "UPDATE revisi SET pagu = 1",
        "UPDATE revisi SET terkunci = false",
        "UPDATE tanda_tangan SET nama = 'x'",
        "DELETE FROM audit_log",
    ])
    def test_the_database_refuses_raw_sql_too(self, db, submitted, sql):
        assert_refused_by_the_database(db, sql)


def test_audit_verify_names_the_first_altered_entry(db, rak, people, backend):
    submit_and_sign(db, rak, people("35.79"))
    result = audit.verify(db.session)
    assert result.ok and result.checked >= 8
    assert result.head == db.session.scalar(sa.select(audit.AuditEntry.hash).order_by(audit.AuditEntry.seq.desc()).limit(1))
    target = db.session.scalar(sa.select(audit.AuditEntry.seq).where(audit.AuditEntry.aksi == "submit"))
    connection = db.session.connection()
    if backend == "postgresql":
        connection.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_hanya_tambah")
    else:
        connection.exec_driver_sql("DROP TRIGGER audit_log_hanya_tambah_update")
    connection.execute(sa.text("UPDATE audit_log SET alasan = 'disisipkan' WHERE seq = :seq"), {"seq": target})
    db.session.expire_all()
    broken = audit.verify(db.session).broken
    assert broken is not None and broken.seq == target and "diubah" in broken.reason


def test_rows_move_and_delete_in_one_session_as_the_planner_sees_them(db, make_dokumen, people):
    rak = make_dokumen("rak_sekretariat", baris=3)
    sek = people("35.79").sekretaris
    first, second, third = [b.kunci for b in rak.revisi_aktif.baris]
    operations.geser(db.session, rak, sek, third, -1)
    operations.geser(db.session, rak, sek, third, -1)
    operations.hapus_baris(db.session, rak, sek, second)
    db.session.commit()
    db.session.expire_all()
    assert [(b.kunci, b.urutan) for b in rak.revisi_aktif.baris] == [(third, 1), (first, 2)]


def test_a_quarterly_rak_keeps_its_shape_within_one_session(db, make_dokumen, people):
    from workflow import schedule
    from workflow.schedule import BentukJadwal
    rak = make_dokumen("rak_sekretariat", baris=0)
    sek = people("35.79").sekretaris
    operations.ubah_kepala(db.session, rak, sek, Kepala(bentuk_jadwal=BentukJadwal.TRIWULAN), versi=None)
    data = baris_contoh(1, "kul")
    data.sel_jadwal = [1, 3]
    row = operations.simpan_baris(db.session, rak, sek, data)
    assert schedule.uraian(row.jadwal, BentukJadwal.TRIWULAN) == "TW1, TW3"
    assert schedule.bulan(row.jadwal) == [1, 2, 3, 7, 8, 9]


class TestNoPathChangesASignedPK:
    @pytest.fixture
    def signed_pk(self, db, make_dokumen, people):
        pk = make_dokumen("pk_sekretariat")
        batu = people("35.79")
        operations.ajukan(db.session, pk, batu.sekretaris)
        operations.tandatangani(db.session, pk, batu.sekretaris)
        operations.tandatangani(db.session, pk, batu.ketua)
        db.session.commit()
        assert pk.status is Status.SIGNED
        return pk

    def test_operations_orm_and_bulk_are_refused(self, db, signed_pk, people):
        from decimal import Decimal

        from workflow.dokumen.content import Indikator
        sek = people("35.79").sekretaris
        sasaran = signed_pk.revisi_aktif.sasaran[0]
        with pytest.raises(Ditolak):
            operations.simpan_indikator(db.session, signed_pk, sek, sasaran.kunci, "Baru", "50%")
        sasaran.indikator[0].target_nilai = Decimal("1")
        with pytest.raises(IsiTerkunci):
            db.session.flush()
        db.session.rollback()
        signed_pk.revisi_aktif.program[0].anggaran = 0
        with pytest.raises(IsiTerkunci):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(IsiTerkunci):
            db.session.execute(sa.delete(Indikator))
        assert canonical.hash_isi(signed_pk.revisi_aktif) == signed_pk.revisi_aktif.hash_isi

    @pytest.mark.parametrize("sql", [
        "UPDATE indikator SET target_nilai = 1",
        "UPDATE indikator SET target_kode = 'TMP', target_nilai = NULL, jenis_target = 'opini'",
        "DELETE FROM sasaran",
        "UPDATE program_anggaran SET anggaran = 0",
        "INSERT INTO program_anggaran (revisi_id, urutan, kode, nama, anggaran) SELECT id, 9, 'x', 'x', 1 FROM revisi",
        "UPDATE revisi SET tanggal = '2024-02-02'",
        "DELETE FROM revisi",
    ])
    def test_the_database_refuses_raw_sql(self, db, signed_pk, sql):
        assert_refused_by_the_database(db, sql)


class TestReviewFindings:
    """Paths a careful attacker tried against a locked revision (review of issue 3)."""

    @pytest.fixture
    def returned(self, db, rak, people):
        submit_and_sign(db, rak, people("35.79"))
        operations.kembalikan(db.session, rak, people("35").reviewer, alasan="Perbaiki jadwal")
        db.session.commit()
        return rak  # Revisi ke-0 locked and reviewed, Revisi ke-1 a draft

    def test_a_draft_row_cannot_be_hung_under_a_locked_row(self, db, returned):
        from workflow.dokumen.content import Kegiatan
        locked, draft = returned.revisi_ke(0), returned.revisi_ke(1)
        db.session.add(Kegiatan(baris_id=locked.baris[0].id, revisi_id=draft.id, urutan=9, uraian="Disusupkan"))
        with pytest.raises(IsiTerkunci):
            db.session.flush()

    def test_the_database_refuses_it_too(self, db, returned):
        locked, draft = returned.revisi_ke(0), returned.revisi_ke(1)
        connection = db.session.connection()
        with pytest.raises(sa.exc.IntegrityError):
            with connection.begin_nested():
                connection.execute(sa.text(
                    "INSERT INTO kegiatan (revisi_id, baris_id, urutan, uraian) VALUES (:d, :b, 9, 'x')"),
                    {"d": draft.id, "b": locked.baris[0].id})
        with pytest.raises(sa.exc.IntegrityError):
            with connection.begin_nested():
                connection.execute(sa.text("UPDATE kegiatan SET baris_id = :b WHERE revisi_id = :d"),
                                   {"d": draft.id, "b": locked.baris[0].id})

    def test_the_review_record_is_frozen_once_written(self, db, returned):
        locked = returned.revisi_ke(0)
        locked.catatan_tinjauan = "tidak pernah dikembalikan"
        with pytest.raises(IsiTerkunci):
            db.session.flush()
        db.session.rollback()
        connection = db.session.connection()
        with pytest.raises(sa.exc.DatabaseError, match="terkunci"):
            with connection.begin_nested():
                connection.execute(sa.text("UPDATE revisi SET catatan_tinjauan = 'x' WHERE id = :i"), {"i": locked.id})

    def test_moving_a_locked_row_to_the_draft_and_bulk_inserts_are_refused(self, db, returned):
        from workflow.dokumen.content import ProgramAnggaran
        locked, draft = returned.revisi_ke(0), returned.revisi_ke(1)
        locked.baris[0].revisi_id = draft.id
        with pytest.raises(IsiTerkunci):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(IsiTerkunci):
            db.session.execute(sa.insert(ProgramAnggaran), [
                {"revisi_id": locked.id, "urutan": 9, "kode": "x", "nama": "x", "anggaran": 1}])

    def test_status_moves_only_through_the_machine(self, db, rak):
        rak.status = Status.REVIEWED
        with pytest.raises(IsiTerkunci, match="alur kerja"):
            db.session.flush()


@pytest.mark.parametrize("target, message", [
    ("0,12345%", "paling banyak 4 angka di belakang koma"),
    ("999.999.999.999,5 Orang", "terlalu besar"),
    ("1 " + "U" * 41, "satuan paling banyak 40 karakter"),
])
def test_targets_that_could_not_be_stored_exactly_are_refused(db, rak, people, target, message):
    data = baris_contoh(7, "kul")
    data.target = target
    with pytest.raises(IsiTidakValid, match=message):
        operations.simpan_baris(db.session, rak, people("35.79").sekretaris, data)


def test_the_signed_hash_matches_the_stored_rows_after_a_reload(db, rak, people):
    batu = people("35.79")
    for target in ("97,50%", "0.16%", "2.498 Orang", "3,5 Level", "BB"):
        data = baris_contoh(8, "kul")
        data.target = target
        operations.simpan_baris(db.session, rak, batu.sekretaris, data)
    operations.ajukan(db.session, rak, batu.sekretaris)
    db.session.commit()
    db.session.expire_all()
    assert canonical.hash_isi(rak.revisi_aktif) == rak.revisi_aktif.hash_isi


def test_one_person_holding_both_roles_does_not_sign_twice(db, make_dokumen, make_user, tree):
    from tests.documents import isi_contoh
    from tests.factories import grant
    both = make_user("35.79", "sekretaris")
    grant(both, tree["35.79"], "ketua")
    db.session.commit()
    pk = operations.buat_dokumen(db.session, tree["35.79"], 2024, rak_jenis("pk_sekretariat"), both)
    isi_contoh(db.session, pk, both)
    operations.ajukan(db.session, pk, both)
    operations.tandatangani(db.session, pk, both)
    with pytest.raises(Ditolak, match="harus oleh orang lain"):
        operations.tandatangani(db.session, pk, both)


def rak_jenis(value):
    from workflow.dokumen.models import JenisDokumen
    return JenisDokumen(value)


def test_a_sign_on_a_draft_is_refused_for_the_real_reason(db, rak, people):
    with pytest.raises(Ditolak, match="tidak tersedia"):
        operations.tandatangani(db.session, rak, people("35.79").subbag_kul, hash_dibaca="0" * 64)


def test_an_indikator_moves_within_its_sasaran(db, make_dokumen, people):
    pk = make_dokumen("pk_sekretariat", sasaran=1)
    sek = people("35.79").sekretaris
    sasaran = pk.revisi_aktif.sasaran[0]
    first, second = [i.kunci for i in sasaran.indikator]
    operations.geser(db.session, pk, sek, second, -1, sasaran_kunci=sasaran.kunci)
    db.session.commit()
    db.session.expire_all()
    assert [i.kunci for i in pk.revisi_aktif.sasaran[0].indikator] == [second, first]


def test_a_new_rak_starts_in_the_schedule_shape_its_office_chose(db, make_dokumen, people, tree):
    from workflow.dokumen.models import JenisDokumen
    from workflow.schedule import BentukJadwal
    first = make_dokumen("rak_sekretariat", tahun=2024, baris=0)
    operations.ubah_kepala(db.session, first, people("35.79").sekretaris, Kepala(bentuk_jadwal=BentukJadwal.TRIWULAN), None)
    later = operations.buat_dokumen(db.session, tree["35.79"], 2025, JenisDokumen.RAK_KOMISIONER, None)
    elsewhere = operations.buat_dokumen(db.session, tree["35.73"], 2025, JenisDokumen.RAK_KOMISIONER, None)
    assert later.revisi_aktif.bentuk_jadwal is BentukJadwal.TRIWULAN
    assert elsewhere.revisi_aktif.bentuk_jadwal is BentukJadwal.BULAN
