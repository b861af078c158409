"""The year's calendar (issue 16, points 1 and 2): working days over Indonesia's holidays
and cuti bersama, KPU RI's dates and a province's earlier ones, a document's due date on
its page, where the offices below stand, and reminders."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token_from, section
from workflow.audit import AuditEntry
from workflow.dokumen import operations as dok_ops
from workflow.dokumen.models import JenisDokumen
from workflow.errors import Ditolak, IsiTidakValid
from workflow.jadwal import hari_kerja, operations, queries
from workflow.jadwal.models import Butir, Pengingat


def test_working_days_skip_idul_fitri_2024_and_its_cuti_bersama():
    # 10-11 April 2024 Idul Fitri; 8, 9, 12 and 15 April cuti bersama; 13-14 a weekend.
    assert not hari_kerja.hari_kerja(date(2024, 4, 10))
    assert not hari_kerja.hari_kerja(date(2024, 4, 8))  # cuti bersama, a Monday
    assert hari_kerja.nama_libur(date(2024, 4, 8)) is not None
    assert hari_kerja.hari_kerja(date(2024, 4, 16))
    # Signed Friday 5 April: the reviewer's three working days are 16, 17 and 18 April.
    assert hari_kerja.tambah_hari_kerja(date(2024, 4, 5), 3) == date(2024, 4, 18)
    assert hari_kerja.tambah_hari_kerja(date(2024, 3, 4), 3) == date(2024, 3, 7)
    assert hari_kerja.hari_kerja_di_antara(date(2024, 4, 5), date(2024, 4, 18)) == 3


def test_a_province_sets_earlier_dates_never_later_and_the_nearest_applies(db, tree, people):
    ri, jatim = people("RI").admin, people("35").reviewer
    operations.atur(db.session, tree["RI"], 2024, Butir.RKT, date(2024, 1, 31), ri)
    operations.atur(db.session, tree["RI"], 2024, Butir.REALISASI_BULAN, 10, ri)
    with pytest.raises(IsiTidakValid, match="tidak lebih lambat"):
        operations.atur(db.session, tree["35"], 2024, Butir.RKT, date(2024, 2, 5), jatim)
    with pytest.raises(IsiTidakValid, match="tidak lebih lambat"):
        operations.atur(db.session, tree["35"], 2024, Butir.REALISASI_BULAN, 12, jatim)
    operations.atur(db.session, tree["35"], 2024, Butir.RKT, date(2024, 1, 20), jatim)
    db.session.commit()
    assert queries.tenggat(db.session, tree["35.79"], 2024, Butir.RKT) == date(2024, 1, 20)
    assert queries.tenggat(db.session, tree["51.71"], 2024, Butir.RKT) == date(2024, 1, 31)
    assert queries.tenggat(db.session, tree["35"], 2024, Butir.RKT) == date(2024, 1, 31)  # its own: KPU RI's
    assert queries.tenggat(db.session, tree["RI"], 2024, Butir.RKT) == date(2024, 1, 31)
    # Day 10 of the following month: December's is due in January.
    assert queries.tenggat(db.session, tree["35.79"], 2024, Butir.REALISASI_BULAN, periode=3) == date(2024, 4, 10)
    assert queries.tenggat(db.session, tree["35.79"], 2024, Butir.REALISASI_BULAN, periode=12) == date(2025, 1, 10)
    assert queries.tenggat(db.session, tree["35.79"], 2025, Butir.RKT) is None


def test_who_may_set_and_every_change_is_audited(db, tree, people):
    with pytest.raises(Ditolak, match="admin KPU RI"):
        operations.atur(db.session, tree["RI"], 2024, Butir.LKJ, date(2025, 2, 28), people("RI").reviewer)
    with pytest.raises(Ditolak):
        operations.atur(db.session, tree["35.79"], 2024, Butir.LKJ, date(2025, 2, 28), people("35.79").admin)
    with pytest.raises(Ditolak):
        operations.atur(db.session, tree["35"], 2024, Butir.LKJ, date(2025, 2, 28), people("35").ketua)
    admin = people("RI").admin
    operations.atur(db.session, tree["RI"], 2024, Butir.LKJ, date(2025, 3, 31), admin)
    operations.atur(db.session, tree["RI"], 2024, Butir.LKJ, date(2025, 2, 28), admin)
    db.session.commit()
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.aksi == "ubah_jadwal")
                                 .order_by(AuditEntry.seq)).all()
    assert [(e.username, e.satker_kode, e.rincian_data["dari"], e.rincian_data["ke"]) for e in entries] == [
        (admin.username, "RI", None, "2025-03-31"), (admin.username, "RI", "2025-03-31", "2025-02-28")]


def _ajukan_pada(db, monkeypatch, dokumen, user, pada: datetime) -> None:
    """Submit as on that day: the state machine's clock set back (a submission is locked
    the moment it is made)."""
    from workflow.dokumen import flow

    monkeypatch.setattr(flow, "utcnow", lambda: pada)
    dok_ops.transisi(db.session, dokumen, "submit", user)
    db.session.commit()
    monkeypatch.undo()


def test_the_document_page_shows_its_due_date(monkeypatch, db, tree, people, make_dokumen, login, client):
    operations.atur(db.session, tree["RI"], 2024, Butir.RKT, date(2024, 1, 31), people("RI").admin)
    db.session.commit()
    rkt = make_dokumen("rkt_komisi", kode="35.79")
    login(people("35.79").ketua)
    page = client.get(f"/dokumen/{rkt.id}").text
    assert "Tenggat pengajuan: 31 Januari 2024" in section(page, "tenggat")
    assert "terlambat" in section(page, "tenggat")  # a 2024 date, never met
    # Days left, and a submission on the due date (23.30 WIB, 16.30 UTC) is on time.
    t = queries.tenggat_dokumen(db.session, rkt, pada=date(2024, 1, 21))
    assert (t.sisa_hari, t.keadaan) == (10, queries.Keadaan.BELUM_JATUH_TEMPO)
    _ajukan_pada(db, monkeypatch, rkt, people("35.79").ketua, datetime(2024, 1, 31, 16, 30, tzinfo=timezone.utc))
    assert "diajukan tepat waktu" in section(client.get(f"/dokumen/{rkt.id}").text, "tenggat")


def test_the_pk_is_due_a_month_after_its_dipa_unless_a_date_is_set(db, tree, people, make_dokumen):
    pk = make_dokumen("pk_komisi", kode="35.79")
    dok_ops.ubah_kepala(db.session, pk, people("35.79").ketua,
                        dok_ops.Kepala(tempat="Batu", dipa_tanggal=date(2024, 1, 31)), versi=None)
    assert queries.tenggat_dokumen(db.session, pk, pada=date(2024, 2, 1)).tanggal == date(2024, 2, 29)
    operations.atur(db.session, tree["RI"], 2024, Butir.PK, date(2024, 2, 15), people("RI").admin)
    assert queries.tenggat_dokumen(db.session, pk, pada=date(2024, 2, 1)).tanggal == date(2024, 2, 15)


def test_status_of_the_offices_below_in_a_constant_number_of_statements(monkeypatch, db, tree, people, make_dokumen,
                                                                          count_statements):
    operations.atur(db.session, tree["RI"], 2024, Butir.RKT, date(2024, 1, 31), people("RI").admin)
    db.session.commit()
    assert tree["35"].path and tree["RI"].path  # loaded before counting: the caller holds its office
    with count_statements() as before:
        kosong = queries.kepatuhan(db.session, tree["35"], 2024, JenisDokumen.RKT_KOMISI, date(2024, 2, 10))
    assert {b.satker.kode: b.keadaan for b in kosong.baris} == {
        "35.73": queries.Keadaan.BELUM_MENGAJUKAN, "35.79": queries.Keadaan.BELUM_MENGAJUKAN}
    batu, malang = make_dokumen("rkt_komisi", kode="35.79"), make_dokumen("rkt_komisi", kode="35.73")
    _ajukan_pada(db, monkeypatch, batu, people("35.79").ketua, datetime(2024, 1, 30, 3, tzinfo=timezone.utc))
    _ajukan_pada(db, monkeypatch, malang, people("35.73").ketua, datetime(2024, 2, 3, 3, tzinfo=timezone.utc))
    make_dokumen("rkt_komisi", kode="51.71")
    assert tree["RI"].path
    with count_statements() as after:
        data = queries.kepatuhan(db.session, tree["RI"], 2024, JenisDokumen.RKT_KOMISI, date(2024, 2, 10),
                                 semua_turunan=True)
    assert {b.satker.kode: (b.keadaan, b.terlambat_hari) for b in data.baris} == {
        "35.79": (queries.Keadaan.TEPAT_WAKTU, 0), "35.73": (queries.Keadaan.TERLAMBAT, 3),
        "51.71": (queries.Keadaan.BELUM_MENGAJUKAN, 10), "51.03": (queries.Keadaan.BELUM_MENGAJUKAN, 10)}
    assert data.jumlah[queries.Keadaan.BELUM_MENGAJUKAN] == 2
    assert before.count == after.count == 4, (before.statements, after.statements)
    awal = queries.kepatuhan(db.session, tree["51"], 2024, JenisDokumen.RKT_KOMISI, date(2024, 1, 10))
    assert {b.keadaan for b in awal.baris} == {queries.Keadaan.BELUM_JATUH_TEMPO}


def _post(client, url: str, page_url: str, **data):
    token = csrf_token_from(client.get(page_url).text)
    return client.post(url, data={"csrf_token": token, **data})


def test_the_pages_set_dates_show_lateness_and_remind(app, db, tree, people, make_dokumen, login, client):
    login(people("RI").admin)
    response = _post(client, "/satker/RI/jadwal", "/satker/RI/jadwal?tahun=2024", tahun="2024",
                     pk="2024-02-29", tinjauan="5", rkt="bukan tanggal")
    assert response.status_code == 422 and "bukan tanggal" in section(response.text, "error")
    assert 'value="2024-02-29"' in response.text  # nothing typed lost
    response = _post(client, "/satker/RI/jadwal", "/satker/RI/jadwal?tahun=2024", tahun="2024",
                     pk="2024-02-29", tinjauan="5", rkt="")
    assert response.status_code == 302
    reviewer = people("35").reviewer
    client = login(reviewer, c=app.test_client())
    page = client.get("/satker/35/jadwal?tahun=2024").text
    assert "29 Februari 2024" in section(page, "induk-pk")
    response = _post(client, "/satker/35/jadwal", "/satker/35/jadwal?tahun=2024", tahun="2024", pk="2024-03-05")
    assert response.status_code == 422 and "tidak lebih lambat" in response.text
    make_dokumen("pk_komisi", kode="35.79")
    page = client.get("/satker/35/kepatuhan?tahun=2024&jenis=pk_komisi").text
    assert "Belum mengajukan: 2" in section(page, "counts")
    response = _post(client, "/satker/35/ingatkan", "/satker/35/kepatuhan?tahun=2024&jenis=pk_komisi",
                     tahun="2024", jenis="pk_komisi", satker="35.79")
    assert response.status_code == 302
    pengingat = db.session.scalars(select(Pengingat)).all()
    assert [(p.satker_id, p.oleh_id) for p in pengingat] == [(tree["35.79"].id, reviewer.id)]
    page = client.get("/satker/35/kepatuhan?tahun=2024&jenis=pk_komisi").text
    # "Terakhir diingatkan": a time for Kota Batu, none ("-") for Kota Malang.
    assert not section(page, "satker-35.79").endswith("- Ingatkan")
    assert section(page, "satker-35.73").endswith("- Ingatkan")
    _post(client, "/satker/35/ingatkan", "/satker/35/kepatuhan?tahun=2024&jenis=pk_komisi",
          tahun="2024", jenis="pk_komisi")
    assert db.session.query(Pengingat).count() == 3
    assert db.session.query(AuditEntry).filter_by(aksi="ingatkan").count() == 3


def test_a_foreign_or_kabupaten_office_answers_404_and_others_are_refused(app, db, tree, people, login, client):
    login(people("51").reviewer)
    for url in ("/satker/35/jadwal", "/satker/35/kepatuhan", "/satker/51.71/jadwal", "/satker/XX/kepatuhan"):
        assert client.get(url).status_code == 404, url
    assert client.get("/satker/51/kepatuhan").status_code == 200
    client = login(people("51").ketua, c=app.test_client())
    response = _post(client, "/satker/51/ingatkan", "/satker/51/kepatuhan", tahun="2024", jenis="pk_komisi")
    assert response.status_code == 403
    response = _post(client, "/satker/51/jadwal", "/satker/51/jadwal", tahun="2024", rkt="2024-01-01")
    assert response.status_code == 403


def test_the_lists_late_filter_agrees_with_the_calendar(monkeypatch, db, tree, people, make_dokumen, login, client):
    """"Terlambat saja" on the office list and the inbox: submitted after the due date (on
    the offices' clock: 23.30 WIB on the due date is on time), or not submitted and overdue."""
    from workflow.dokumen.models import Dokumen
    from workflow.tinjauan.queries import Saringan

    operations.atur(db.session, tree["RI"], 2024, Butir.RKT, date(2024, 1, 31), people("RI").admin)
    operations.atur(db.session, tree["35"], 2024, Butir.RKT, date(2024, 1, 20), people("35").reviewer)
    db.session.commit()
    tepat = make_dokumen("rkt_komisi", kode="35.79")   # 20 January 23.30 WIB: on time
    telat = make_dokumen("rkt_komisi", kode="35.73")   # 21 January: late by Jawa Timur's date
    bali = make_dokumen("rkt_komisi", kode="51.71")    # 21 January: on time by KPU RI's
    belum = make_dokumen("rkt_sekretariat", kode="51.03")  # never submitted: overdue
    _ajukan_pada(db, monkeypatch, tepat, people("35.79").ketua, datetime(2024, 1, 20, 16, 30, tzinfo=timezone.utc))
    _ajukan_pada(db, monkeypatch, telat, people("35.73").ketua, datetime(2024, 1, 21, 3, tzinfo=timezone.utc))
    _ajukan_pada(db, monkeypatch, bali, people("51.71").ketua, datetime(2024, 1, 21, 3, tzinfo=timezone.utc))
    saringan = Saringan.dari({"terlambat": "1"})
    late = db.session.scalars(select(Dokumen.id).where(*saringan.where())).all()
    assert sorted(late) == sorted([telat.id, belum.id])
    for d in (tepat, telat, bali, belum):  # the page's reading of the same calendar
        assert (queries.tenggat_dokumen(db.session, d).keadaan in
                (queries.Keadaan.TERLAMBAT, queries.Keadaan.BELUM_MENGAJUKAN)) == (d.id in late)

    login(people("35").reviewer)
    inbox = client.get("/tinjauan?terlambat=1").text
    assert f"/dokumen/{telat.id}" in inbox and f"/dokumen/{tepat.id}" not in inbox
