"""The to-do list (issue 16, point 3): what waits for one person, and only for that person."""
from datetime import date, timedelta

import pytest

from tests.conftest import csrf_token_from, section
from tests.test_realisasi import LAPORAN, PARTISIPASI, buat_pk, kunci
from workflow.dokumen import operations
from workflow.dokumen.models import JenisDokumen
from workflow.jadwal import operations as jadwal_ops
from workflow.jadwal.models import Butir
from workflow.realisasi import operations as realisasi_ops
from workflow.tugas import queries
from workflow.tugas.queries import JenisTugas


def tugas(db, user, hari_ini=date(2024, 5, 3)):
    return [(t.jenis, t.dokumen.id) for t in queries.daftar(db.session, user, hari_ini)]


def test_each_step_of_a_rak_waits_for_the_one_person_who_must_act(db, make_dokumen, people):
    batu, jatim, malang = people("35.79"), people("35"), people("35.73")
    rak = make_dokumen("rak_sekretariat", baris=3)  # rows carried out by Subbagian KUL
    assert tugas(db, batu.sekretaris) == [(JenisTugas.DRAF, rak.id)]
    assert tugas(db, batu.subbag_kul) == [(JenisTugas.BARIS, rak.id)]
    assert queries.baris(db.session, batu.subbag_kul)[0].jumlah == 3
    assert tugas(db, batu.subbag_rendatin) == [] and tugas(db, batu.ketua) == []

    operations.ajukan(db.session, rak, batu.sekretaris)
    db.session.commit()
    assert tugas(db, batu.sekretaris) == [(JenisTugas.TANDA_TANGAN, rak.id)]
    assert tugas(db, batu.ketua) == [], "the Ketua signs second, not yet"
    assert tugas(db, batu.subbag_kul) == [], "a submitted RAK's rows are frozen"

    operations.tandatangani(db.session, rak, batu.sekretaris)
    db.session.commit()
    assert tugas(db, batu.sekretaris) == []
    assert tugas(db, batu.ketua) == [(JenisTugas.TANDA_TANGAN, rak.id)]
    assert tugas(db, jatim.reviewer) == [], "the reviewer waits for the last signature"

    operations.tandatangani(db.session, rak, batu.ketua)
    db.session.commit()
    assert tugas(db, batu.ketua) == []
    assert tugas(db, jatim.reviewer) == [(JenisTugas.TINJAU, rak.id)]
    assert tugas(db, people("51").reviewer) == [] and tugas(db, malang.sekretaris) == []

    operations.kembalikan(db.session, rak, jatim.reviewer, "Target baris 2 tidak sesuai PK.")
    db.session.commit()
    assert tugas(db, jatim.reviewer) == []
    [kembali] = queries.daftar(db.session, batu.sekretaris, date(2024, 5, 3))
    assert (kembali.jenis, kembali.keterangan) == (JenisTugas.DIKEMBALIKAN, "Target baris 2 tidak sesuai PK.")
    assert tugas(db, batu.subbag_kul) == [(JenisTugas.BARIS, rak.id)]


def test_realisation_due_waits_for_the_unit_that_carries_the_indikator(db, tree, people):
    batu = people("35.79")
    pk = buat_pk(db, tree, people, jenis=JenisDokumen.PK_SEKRETARIAT, pelaksana={LAPORAN: "rendatin"})
    [item] = queries.daftar(db.session, batu.subbag_rendatin, date(2024, 5, 3))
    assert (item.jenis, item.dokumen.id, item.jumlah, item.keterangan) == (JenisTugas.REALISASI, pk.id, 1, "April 2024")
    sekretaris = queries.realisasi(db.session, batu.sekretaris, date(2024, 5, 3))
    assert [t.jumlah for t in sekretaris] == [5], "the penyusun answers for every indikator"
    assert tugas(db, batu.subbag_kul) == []

    realisasi_ops.isi_realisasi(db.session, pk, batu.subbag_rendatin, kunci(pk, LAPORAN), 4, "4 Laporan")
    db.session.commit()
    assert tugas(db, batu.subbag_rendatin) == []
    assert [t.jumlah for t in queries.realisasi(db.session, batu.sekretaris, date(2024, 5, 3))] == [4]
    assert tugas(db, batu.subbag_rendatin, date(2024, 1, 20)) == [], "nothing of 2024 is due in January 2024"
    januari = queries.realisasi(db.session, batu.sekretaris, date(2025, 1, 10))
    assert [t.keterangan for t in januari] == ["Desember 2024"]


def test_the_list_costs_the_same_statements_for_one_document_or_many(db, tree, make_dokumen, people,
                                                                     count_statements):
    batu = people("35.79")
    for butir, nilai in {"rak": date(2024, 1, 31), "pk": date(2024, 2, 29), "tinjauan": 5}.items():
        jadwal_ops.atur(db.session, tree["RI"], 2024, Butir(butir), nilai, people("RI").admin)
    make_dokumen("rak_sekretariat", baris=2)
    with count_statements() as one:
        assert len(queries.daftar(db.session, batu.sekretaris)) == 1
    for tahun in (2021, 2022, 2023, 2025):
        rak = make_dokumen("rak_sekretariat", tahun=tahun, baris=2)
        make_dokumen("pk_sekretariat", tahun=tahun)
        if tahun < 2024:
            operations.ajukan(db.session, rak, batu.sekretaris)
    db.session.commit()
    with count_statements() as many:
        assert len(queries.daftar(db.session, batu.sekretaris)) == 9
    # The account reloaded after the commit (2); one statement for the documents of one's
    # offices (to sign, drafts, which exist: the documents still to be made; and whether one
    # acts in a position today), one for the realisation due, one for the follow-ups one
    # owns or evaluates; the calendar's rows (1) and the DIPA dates only when a PK is listed
    # (not in "one").
    assert many.count <= 7, many.statements
    assert one.count == many.count - 1, one.statements


def test_the_home_page_lists_my_tasks_and_the_bar_counts_them(db, client, login, make_dokumen, people):
    batu = people("35.79")
    rak = make_dokumen("rak_sekretariat", baris=2)
    operations.ajukan(db.session, rak, batu.sekretaris)
    db.session.commit()
    login(batu.sekretaris)
    page = client.get("/").text
    tasks = section(page, "tugas")
    assert "RAK Sekretariat 2024 · KPU Kota Batu" in tasks and "Menunggu tanda tangan Anda" in tasks
    assert f'href="/dokumen/{rak.id}"' in page
    assert section(page, "jumlah-tugas") == "1"

    signed = client.post(f"/dokumen/{rak.id}/aksi/sign", data={
        "versi": rak.versi, "hash_dibaca": rak.revisi_aktif.hash_isi,
        "csrf_token": csrf_token_from(page)})
    assert signed.status_code == 302
    page = client.get("/").text
    assert 'data-testid="jumlah-tugas"' not in page, "one's own signature clears the count at once"
    assert "Tidak ada yang menunggu Anda saat ini." in page

    other = login(people("35.73").sekretaris, c=client.application.test_client())
    assert "KPU Kota Batu" not in section(other.get("/").text, "tugas")


def test_items_carry_their_due_dates_overdue_first_and_documents_still_to_make(db, tree, make_dokumen, people,
                                                                              client, login):
    batu = people("35.79")
    admin = people("RI").admin
    for butir, nilai in {"rak": date(2024, 5, 31), "rkt": date(2024, 4, 30), "pk": date(2024, 5, 20),
                         "lkj": date(2025, 2, 28), "realisasi_bulan": 10}.items():
        jadwal_ops.atur(db.session, tree["RI"], 2024, Butir(butir), nilai, admin)
    db.session.commit()
    rak = make_dokumen("rak_sekretariat", baris=2)
    items = queries.daftar(db.session, batu.sekretaris, date(2024, 5, 3))
    # RKT Sekretariat: due 30 April, not made, 3 days late, first. PK Sekretariat: due in 17
    # days, not made. The RAK draft: due 31 May. LKj 2024 (February 2025): not yet shown.
    assert [(t.jenis, t.jenis_dok, t.tenggat, t.terlambat_hari) for t in items] == [
        (JenisTugas.BUAT, JenisDokumen.RKT_SEKRETARIAT, date(2024, 4, 30), 3),
        (JenisTugas.BUAT, JenisDokumen.PK_SEKRETARIAT, date(2024, 5, 20), 0),
        (JenisTugas.DRAF, JenisDokumen.RAK_SEKRETARIAT, date(2024, 5, 31), 0)]
    assert items[2].dokumen.id == rak.id
    assert [t.jenis_dok for t in queries.daftar(db.session, batu.ketua, date(2024, 5, 3))] == [
        JenisDokumen.RKT_KOMISI, JenisDokumen.PK_KOMISI, JenisDokumen.RAK_KOMISIONER], "the Ketua's own kinds"
    assert queries.daftar(db.session, batu.subbag_kul, date(2024, 5, 3))[0].tenggat == date(2024, 5, 31)

    pk = buat_pk(db, tree, people, jenis=JenisDokumen.PK_SEKRETARIAT, pelaksana={LAPORAN: "rendatin"})
    [real] = queries.realisasi(db.session, batu.subbag_rendatin, date(2024, 5, 3))
    [real] = [t for t in queries.daftar(db.session, batu.subbag_rendatin, date(2024, 5, 13))
              if t.jenis is JenisTugas.REALISASI]
    assert (real.dokumen.id, real.tenggat, real.terlambat_hari) == (pk.id, date(2024, 5, 10), 3)

    # The home page lists today's: an RKT of this year due three days ago, not made.
    lalu = date.today() - timedelta(days=3)
    jadwal_ops.atur(db.session, tree["RI"], lalu.year, Butir.RKT, lalu, admin)
    db.session.commit()
    login(batu.sekretaris)
    page = client.get("/").text
    tasks = section(page, "tugas")
    assert f"Buat RKT Sekretariat {lalu.year} · KPU Kota Batu" in tasks
    assert f'href="/satker/35.79/dokumen?tahun={lalu.year}"' in page
    assert "terlambat 3 hari" in tasks
    assert section(page, "terlambat").startswith("terlambat")  # the 2024 RAK draft, most overdue: first
    assert 'class="text-danger font-weight-bold text-nowrap" data-testid="terlambat"' in page


def test_the_home_page_of_one_holding_their_own_office_counts_it_without_asking(db, client, login, make_dokumen,
                                                                                 people, count_statements):
    make_dokumen("rak_sekretariat", baris=2)
    login(people("35.79").sekretaris)
    client.get("/")
    with count_statements() as home:
        page = client.get("/").text
    assert "Anda dapat melihat 1 satker." in page and 'data-testid="children"' not in page
    assert "RAK Sekretariat 2024 · KPU Kota Batu" in section(page, "tugas")
    # The account, the breadcrumb, the to-do list (4); neither the count of the offices one
    # sees nor their children: the memberships tell (no child office is held).
    asked = [s for s in home.statements if "set_config" not in s]  # PostgreSQL: row-level security's setting
    assert len(asked) <= 6, asked
