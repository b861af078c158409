"""Reminders that reach the one who must act (issue 16, point 4): the province reviewer's
"Ingatkan" tells the penyusun of that kind at that office (in the app, and by e-mail through
a real SMTP server started here); the daily run (`sakip ingatkan`) reminds N working days
before a due date and once after it is missed, never twice, never for what is done, at a
cost that does not grow with the offices."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tenants.hierarchy import Office, load_hierarchy
from tenants.penunjukan import JenisPenunjukan, Penunjukan
from tenants.people import Peran
from tenants.satker import Satker, Tingkat
from tests.conftest import csrf_token_from
from tests.test_notifikasi import body, notifikasi_of, smtp, smtp_app, with_email  # noqa: F401 (fixtures)
from tests.test_realisasi import LAPORAN, buat_pk, kunci
from webapp.cli import ingatkan_command, worker_command
from workflow.dokumen import operations as dok_ops
from workflow.jadwal import operations as jadwal_ops
from workflow.jadwal.models import Butir, Pengingat
from workflow.notifikasi import pengingat
from workflow.notifikasi.models import JenisNotifikasi, PengingatTerkirim, SuratKeluar, TahapPengingat
from workflow.realisasi import operations as realisasi_ops


def atur(db, tree, people, **nilai) -> None:
    for butir, value in nilai.items():
        jadwal_ops.atur(db.session, tree["RI"], 2024, Butir(butir), value, people("RI").admin)
    db.session.commit()


def pengingat_of(db, user) -> list:
    return [n for n in notifikasi_of(db, user) if n.jenis is JenisNotifikasi.PENGINGAT]


def jalankan(app, tanggal: str, *extra: str) -> str:
    result = app.test_cli_runner().invoke(ingatkan_command, ["--tanggal", tanggal, "--tahun", "2024", *extra])
    assert result.exit_code == 0, result.output
    return result.output


def test_ingatkan_tells_the_penyusun_of_that_office_only_and_mails_it(smtp_app, smtp, db, tree, people, login,
                                                                       client):
    atur(db, tree, people, pk=date(2024, 2, 29))
    batu, malang = people("35.79"), people("35.73")
    sekretaris = with_email(db, batu.sekretaris)
    others = [with_email(db, u) for u in (batu.subbag_kul, batu.ketua, malang.sekretaris, malang.ketua,
                                            people("51.71").sekretaris)]
    reviewer = people("35").reviewer
    login(reviewer)
    page = client.get("/satker/35/kepatuhan?tahun=2024&jenis=pk_sekretariat").text
    response = client.post("/satker/35/ingatkan", data={"csrf_token": csrf_token_from(page), "tahun": "2024",
                                                        "jenis": "pk_sekretariat", "satker": "35.79"})
    assert response.status_code == 302

    [n] = pengingat_of(db, sekretaris)
    assert "PK Sekretariat 2024 KPU Kota Batu" in n.judul and "terlambat" in n.judul
    assert "29 Februari 2024" in n.isi and "Reviewer: KPU Provinsi Jawa Timur" in n.isi
    assert n.tautan == "/satker/35.79/dokumen?tahun=2024"  # no document yet: the office's list
    assert all(not notifikasi_of(db, u) for u in others)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Pengingat)) == 1

    result = smtp_app.test_cli_runner().invoke(worker_command, ["--once"])
    assert result.exit_code == 0 and "1 terkirim" in result.output, result.output
    [mail] = smtp.kotak.pesan
    assert mail["To"] == sekretaris.email and "PK Sekretariat 2024 KPU Kota Batu" in mail["Subject"]
    assert "29 Februari 2024" in body(mail, "plain") and "/satker/35.79/dokumen?tahun=2024" in body(mail, "plain")


def test_the_reminder_is_written_in_the_recipients_language_and_links_the_document(db, tree, people, make_dokumen):
    atur(db, tree, people, rkt=date(2024, 1, 31))
    ketua = with_email(db, people("35.79").ketua, "en")
    rkt = make_dokumen("rkt_komisi", kode="35.79")
    pengingat.ingatkan(db.session, tree["35"], 2024, dok_ops.JenisDokumen.RKT_KOMISI, ["35.79"],
                       people("35").reviewer, pada=date(2024, 2, 5))
    [n] = pengingat_of(db, ketua)
    assert n.judul == "Reminder: RKT Komisi 2024 KPU Kota Batu 5 days late"
    assert "31 January 2024" in n.isi and n.tautan == f"/dokumen/{rkt.id}"


def test_the_daily_run_reminds_three_working_days_before_skipping_idul_fitri(app, db, tree, people, make_dokumen):
    # Due Thursday 18 April 2024. Working days before it: 17, 16, then (Idul Fitri 10-11,
    # cuti bersama 8, 9, 12, 15 April, a weekend) Friday 5 April: the third.
    atur(db, tree, people, rkt=date(2024, 4, 18))
    batu, malang = people("35.79"), people("35.73")
    watched = [batu.ketua, batu.sekretaris, batu.subbag_kul, malang.ketua, people("35").reviewer]
    assert "0 pengingat" in jalankan(app, "2024-04-04")
    assert all(not notifikasi_of(db, u) for u in watched)
    assert pengingat.tahap(date(2024, 4, 13), date(2024, 4, 18)) is None  # a Saturday

    output = jalankan(app, "2024-04-05")
    assert "14 pengingat" in output and "rkt: 14" in output  # 7 offices x RKT Komisi and RKT Sekretariat
    [n] = pengingat_of(db, batu.ketua)
    assert "RKT Komisi 2024 KPU Kota Batu" in n.judul and "18 April 2024" in n.judul
    assert "13 hari lagi" in n.isi and "Reviewer: KPU Provinsi Jawa Timur" in n.isi
    assert ["RKT Sekretariat 2024 KPU Kota Batu" in n.judul for n in pengingat_of(db, batu.sekretaris)] == [True]
    assert not notifikasi_of(db, batu.subbag_kul) and not notifikasi_of(db, people("35").reviewer)

    assert "0 pengingat" in jalankan(app, "2024-04-05"), "a second run of the day sends nothing"
    assert "0 pengingat" in jalankan(app, "2024-04-17"), "the first reminder went already"
    assert len(pengingat_of(db, malang.ketua)) == 1

    rkt = make_dokumen("rkt_komisi", kode="35.79")
    dok_ops.ajukan(db.session, rkt, batu.ketua)  # submitted: done
    db.session.commit()
    output = jalankan(app, "2024-04-19")  # the first working day after the due date
    assert "13 pengingat" in output
    assert len(pengingat_of(db, batu.ketua)) == 1, "a submitted document gets no reminder"
    [_sebelum, terlewat] = pengingat_of(db, malang.ketua)
    assert "terlambat 1 hari" in terlewat.judul and "18 April 2024" in terlewat.isi
    assert "0 pengingat" in jalankan(app, "2024-04-22")
    keys = db.session.scalars(sa.select(PengingatTerkirim.tahap).where(
        PengingatTerkirim.satker_id == tree["35.73"].id, PengingatTerkirim.jenis == "rkt_komisi")).all()
    assert sorted(keys) == [TahapPengingat.SEBELUM, TahapPengingat.TERLEWAT]


def test_reviews_and_realisation_remind_the_reviewers_and_the_units_that_carry_them(db, tree, people):
    batu, jatim = people("35.79"), people("35")
    pk = buat_pk(db, tree, people, jenis=dok_ops.JenisDokumen.PK_SEKRETARIAT, pelaksana={LAPORAN: "rendatin"})
    realisasi_ops.isi_realisasi(db.session, pk, batu.subbag_rendatin, kunci(pk, LAPORAN), 4, "4 Laporan")
    db.session.commit()
    # Monthly realisation due on the 10th: May's on Monday 10 June 2024.
    atur(db, tree, people, realisasi_bulan=10, tinjauan=5)
    watched = {"sekretaris": batu.sekretaris, "rendatin": batu.subbag_rendatin, "kul": batu.subbag_kul,
               "reviewer": jatim.reviewer, "malang": people("35.73").sekretaris}
    hasil = pengingat.jalankan(db.session, 2024, date(2024, 6, 5))
    db.session.commit()
    got = {k: [n.judul for n in pengingat_of(db, u)] for k, u in watched.items()}
    mei = "Realisasi Mei 2024 PK Sekretariat KPU Kota Batu"
    assert any(mei in j for j in got["sekretaris"]) and [mei in j for j in got["rendatin"]] == [True]
    assert got["kul"] == [] and got["malang"] == []
    assert hasil.pengingat[("realisasi_bulan", "sebelum")] == 1
    # April's value is in for the rendatin's indikator only: the rest is still missing.
    april = pengingat.jalankan(db.session, 2024, date(2024, 5, 13))
    assert april.pengingat[("realisasi_bulan", "terlewat")] == 1


def _kantor_baru(db, tree, people, kode: list[str]) -> None:
    load_hierarchy(db.session, [Office(k, f"KPU Kab. Uji {k}", Tingkat.KABKOTA, "35") for k in kode])
    db.session.commit()
    tree.update({s.kode: s for s in db.session.scalars(sa.select(Satker).where(Satker.kode.in_(kode)))})
    for k in kode:
        with_email(db, people(k).ketua), with_email(db, people(k).sekretaris)


def test_the_run_costs_the_same_statements_for_2_or_6_offices(db, tree, people, make_dokumen, count_statements):
    atur(db, tree, people, rkt=date(2024, 4, 18), tinjauan=5, realisasi_bulan=10)
    for kode in ("35.79", "35.73"):
        with_email(db, people(kode).ketua), with_email(db, people(kode).sekretaris)
        make_dokumen("rak_sekretariat", kode=kode)
    with count_statements() as dua:
        hasil = pengingat.jalankan(db.session, 2024, date(2024, 4, 5))
    assert hasil.notifikasi == 4
    _kantor_baru(db, tree, people, ["35.01", "35.02", "35.03", "35.04"])
    with count_statements() as enam:
        hasil = pengingat.jalankan(db.session, 2024, date(2024, 4, 5))
    assert hasil.notifikasi == 8
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SuratKeluar)) == 12
    assert enam.count == dua.count, "\n".join(x[:120].replace("\n", " ") for x in ["--2--", *dua.statements, "--6--", *enam.statements])
    assert pengingat.jalankan(db.session, 2024, date(2024, 4, 6)).jumlah == 0  # a Saturday: nothing


@pytest.mark.parametrize("pada,tenggat,tahap", [
    (date(2024, 4, 5), date(2024, 4, 18), TahapPengingat.SEBELUM),
    (date(2024, 4, 4), date(2024, 4, 18), None),
    (date(2024, 4, 18), date(2024, 4, 18), TahapPengingat.SEBELUM),
    (date(2024, 4, 19), date(2024, 4, 18), TahapPengingat.TERLEWAT),
    (date(2024, 6, 7), date(2024, 6, 9), TahapPengingat.SEBELUM),   # Friday before a Sunday
    (date(2024, 6, 10), date(2024, 6, 9), TahapPengingat.TERLEWAT),
    (date(2024, 7, 1), date(2024, 6, 10), None),                      # long past: not nagged
])
def test_which_reminder_a_day_calls_for(pada, tenggat, tahap):
    assert pengingat.tahap(pada, tenggat) == tahap


def test_the_acting_sekretaris_in_force_is_reminded_too(db, tree, people):
    atur(db, tree, people, rkt=date(2024, 4, 18))
    batu = people("35.79")
    plh, sekretaris = batu.subbag_kul, batu.sekretaris
    db.session.add(Penunjukan(user_id=plh.id, satker_id=tree["35.79"].id, peran=Peran.SEKRETARIS,
                              jenis=JenisPenunjukan.PLH, mulai=date(2024, 4, 1), sampai=date(2024, 4, 12),
                              nomor_surat="12/KPU-Kot/IV/2024"))
    db.session.commit()
    pengingat.jalankan(db.session, 2024, date(2024, 4, 5))
    assert ["RKT Sekretariat 2024 KPU Kota Batu" in n.judul for n in pengingat_of(db, plh)] == [True]
    assert len(pengingat_of(db, sekretaris)) == 1
    pengingat.jalankan(db.session, 2024, date(2024, 4, 19))  # the appointment has ended
    assert len(pengingat_of(db, plh)) == 1 and len(pengingat_of(db, sekretaris)) == 2
