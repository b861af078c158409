"""Follow-ups of an evaluation's recommendations (issue 18, point 4): made when the evaluation
becomes final, reported with evidence by their owner, closed or returned by the evaluator,
on the to-do lists, in next year's LKj, and out of reach of another office."""
from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from docx import Document
from flask import render_template
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from tests import akses
from tests.conftest import csrf_token_from, section
from tests.test_evaluasi import TAHUN, _isi_semua, _nilai_semua
from tests.test_isolation_matrix import normalised
from tests.test_realisasi import buat_pk
from webapp import pdf, printed
from webapp.exports import word
from workflow.audit import AuditEntry
from workflow.bukti.models import Bukti
from workflow.errors import Ditolak, IsiTidakValid
from workflow.evaluasi import operations as ev_ops
from workflow.jadwal.queries import tanggal_lokal
from workflow.lkj import tabel
from workflow.notifikasi.models import JenisNotifikasi, Notifikasi
from workflow.tindaklanjut import operations, queries
from workflow.tindaklanjut.flow import AlurTindakLanjut
from workflow.tindaklanjut.models import StatusTindakLanjut, TindakLanjut
from workflow.tindaklanjut.operations import Tautan
from workflow.tugas import queries as tugas
from workflow.tugas.queries import JenisTugas

REKOMENDASI = ("Selaraskan RAK dengan Renstra.", "Tambahkan perbandingan dengan median provinsi pada LKj.")


def finalkan(db, tree, people, kode="35.79", rekomendasi=REKOMENDASI):
    """An evaluation of ``kode`` made final with a finding per recommendation, plus one without."""
    satker, sek, insp = tree[kode], people(kode).sekretaris, people("RI").inspektorat
    _isi_semua(db, satker, sek)
    ev_ops.transisi(db.session, satker, TAHUN, "ajukan", sek)
    _nilai_semua(db, satker, insp)
    for n, teks in enumerate(rekomendasi, start=1):
        ev_ops.tulis_temuan(db.session, satker, TAHUN, insp, f"Temuan {n}", teks)
    ev_ops.tulis_temuan(db.session, satker, TAHUN, insp, "Catatan tanpa rekomendasi", "")
    ev_ops.transisi(db.session, satker, TAHUN, "terbitkan", insp)
    ev = ev_ops.transisi(db.session, satker, TAHUN, "finalkan", insp)
    db.session.commit()
    return ev


def notifikasi(db, user, jenis):
    return list(db.session.scalars(select(Notifikasi).where(Notifikasi.user_id == user.id,
                                                            Notifikasi.jenis == jenis)))


def test_final_recommendations_become_follow_ups_owned_by_the_sekretaris(db, tree, people):
    batu = people("35.79")
    ev = finalkan(db, tree, people)
    daftar = queries.daftar(db.session, tree["35.79"].id)
    assert [(tl.nomor, tl.temuan.rekomendasi, tl.status) for tl in daftar] == [
        (1, REKOMENDASI[0], StatusTindakLanjut.TERBUKA), (2, REKOMENDASI[1], StatusTindakLanjut.TERBUKA)], \
        "one per recommendation; the finding without one gives none"
    assert {tl.pemilik_id for tl in daftar} == {batu.sekretaris.id}
    assert {tl.tenggat for tl in daftar} == {tanggal_lokal(ev.difinalkan_pada) + timedelta(days=60)}
    told = notifikasi(db, batu.sekretaris, JenisNotifikasi.PENGINGAT)
    assert sorted(n.tautan for n in told) == sorted(f"/satker/35.79/tindak-lanjut/{tl.id}" for tl in daftar)
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.aksi == "tindak_lanjut_dibuat")).all()
    assert len(entries) == 2 and {e.satker_kode for e in entries} == {"35.79"}
    # made once: the hook run again (a retried request) adds nothing
    assert operations.buat_dari_evaluasi(db.session, ev, people("RI").inspektorat) == []


def test_report_return_and_close_with_reasons_and_evidence(db, tree, people):
    batu, insp = people("35.79"), people("RI").inspektorat
    finalkan(db, tree, people)
    pk = buat_pk(db, tree, people, tahun=2025)
    kode = pk.revisi_aktif.kode_verifikasi
    berkas = Bukti(dokumen_id=pk.id, sasaran="dokumen", revisi_nomor=pk.nomor_revisi, nama="notulen-rapat.pdf",
                   mime="application/pdf", ukuran=10, sha256="0" * 64, penyimpanan="basisdata", lokasi="uji-tl-1")
    db.session.add(berkas)
    asing = buat_pk(db, tree, people, kode="35.73", tahun=2025)
    db.session.commit()
    tl = queries.daftar(db.session, tree["35.79"].id)[0]

    with pytest.raises(IsiTidakValid, match="Uraian perkembangan"):
        operations.transisi(db.session, tl, "laporkan", batu.sekretaris, uraian="   ")
    with pytest.raises(Ditolak, match="penanggung jawab"):
        operations.transisi(db.session, tl, "laporkan", batu.ketua, uraian="RAK diselaraskan")
    with pytest.raises(Ditolak, match="penanggung jawab"):
        operations.transisi(db.session, tl, "laporkan", people("35.73").sekretaris, uraian="RAK diselaraskan")
    with pytest.raises(IsiTidakValid, match="bukan dokumen bertanda tangan satker ini"):
        operations.transisi(db.session, tl, "laporkan", batu.sekretaris, uraian="RAK diselaraskan",
                            tautan=Tautan(kode=(asing.revisi_aktif.kode_verifikasi,)))
    with pytest.raises(Ditolak, match="tidak tersedia"):
        operations.transisi(db.session, tl, "selesaikan", insp)
    db.session.rollback()
    assert tl.status is StatusTindakLanjut.TERBUKA and tl.laporan == []

    operations.transisi(db.session, tl, "laporkan", batu.sekretaris, uraian="RAK 2025 diselaraskan dengan Renstra.",
                        tautan=Tautan(bukti=(berkas.id,), kode=(kode.lower(),)))
    db.session.commit()
    assert tl.status is StatusTindakLanjut.DILAPORKAN
    [lap] = tl.laporan
    assert (lap.nomor, lap.tautan_list) == (1, [{"bukti": berkas.id}, {"kode": kode}])
    assert [n.judul for n in notifikasi(db, insp, JenisNotifikasi.TINJAUAN)] == [
        "Tindak lanjut 1 evaluasi 2024 KPU Kota Batu dilaporkan"]

    with pytest.raises(Ditolak, match="Inspektorat"):
        operations.transisi(db.session, tl, "selesaikan", batu.sekretaris)
    with pytest.raises(IsiTidakValid, match="Alasan pengembalian"):
        operations.transisi(db.session, tl, "kembalikan", insp, alasan="")
    db.session.rollback()
    operations.transisi(db.session, tl, "kembalikan", insp, alasan="Lampirkan RAK yang telah ditandatangani.")
    db.session.commit()
    assert (tl.status, tl.catatan, tl.laporan[0].keputusan) == (
        StatusTindakLanjut.TERBUKA, "Lampirkan RAK yang telah ditandatangani.", "dikembalikan")
    [kembali] = notifikasi(db, batu.sekretaris, JenisNotifikasi.DIKEMBALIKAN)
    assert "Lampirkan RAK" in kembali.isi

    operations.transisi(db.session, tl, "laporkan", batu.sekretaris, uraian="RAK bertanda tangan dilampirkan.",
                        tautan=Tautan(kode=(kode,)))
    operations.transisi(db.session, tl, "selesaikan", insp)
    db.session.commit()
    assert tl.status is StatusTindakLanjut.SELESAI and tl.ditutup_oleh_id == insp.id
    assert [(lap.nomor, lap.keputusan) for lap in tl.laporan] == [(1, "dikembalikan"), (2, "selesai")]
    with pytest.raises(Ditolak, match="tidak tersedia"):
        operations.transisi(db.session, tl, "laporkan", batu.sekretaris, uraian="lagi")
    assert [e.aksi for e in queries.riwayat(db.session, tl)] == [
        "tindak_lanjut_dibuat", "tindak_lanjut_laporkan", "tindak_lanjut_kembalikan", "tindak_lanjut_laporkan",
        "tindak_lanjut_selesai"]


def test_the_evaluator_changes_owner_and_due_date_within_the_office(db, tree, people):
    batu, insp = people("35.79"), people("RI").inspektorat
    finalkan(db, tree, people)
    tl = queries.daftar(db.session, tree["35.79"].id)[0]
    with pytest.raises(Ditolak):
        operations.ubah(db.session, tl, batu.sekretaris, pemilik_id=batu.subbag_kul.id, tenggat=date(2025, 9, 1))
    with pytest.raises(IsiTidakValid, match="anggota aktif"):
        operations.ubah(db.session, tl, insp, pemilik_id=people("35.73").sekretaris.id, tenggat=date(2025, 9, 1))
    operations.ubah(db.session, tl, insp, pemilik_id=batu.subbag_kul.id, tenggat=date(2025, 9, 1))
    db.session.commit()
    assert (tl.pemilik_id, tl.tenggat) == (batu.subbag_kul.id, date(2025, 9, 1))
    assert len(notifikasi(db, batu.subbag_kul, JenisNotifikasi.PENGINGAT)) == 1
    # the new owner reports (the Sekretaris still may too: the office answers for it)
    operations.transisi(db.session, tl, "laporkan", batu.subbag_kul, uraian="RAK diselaraskan.")
    db.session.commit()
    assert tl.laporan[0].dilaporkan_oleh_id == batu.subbag_kul.id


def test_the_database_refuses_a_status_its_fields_contradict(db, tree, people):
    finalkan(db, tree, people)
    tl = queries.daftar(db.session, tree["35.79"].id)[0]
    for values in ({"status": "dilaporkan"}, {"status": "selesai"}):
        with pytest.raises(IntegrityError):
            db.session.execute(update(TindakLanjut).where(TindakLanjut.id == tl.id).values(**values))
            db.session.flush()
        db.session.rollback()


def test_to_do_items_for_the_owner_by_due_date_and_for_the_evaluator_once_reported(db, tree, people):
    batu, insp = people("35.79"), people("RI").inspektorat
    finalkan(db, tree, people)
    pertama, kedua = queries.daftar(db.session, tree["35.79"].id)
    operations.ubah(db.session, kedua, insp, pemilik_id=batu.sekretaris.id, tenggat=pertama.tenggat - timedelta(days=5))
    db.session.commit()
    hari_ini = pertama.tenggat + timedelta(days=1)
    items = [t for t in tugas.daftar(db.session, batu.sekretaris, hari_ini) if t.jenis is JenisTugas.TINDAK_LANJUT]
    assert [(t.jumlah, t.tenggat) for t in items] == [(kedua.id, kedua.tenggat), (pertama.id, pertama.tenggat)]
    assert [t.terlambat_hari for t in items] == [6, 1]
    assert not [t for t in tugas.daftar(db.session, insp, hari_ini) if t.jenis is JenisTugas.TUTUP_TINDAK_LANJUT]
    assert not [t for t in tugas.daftar(db.session, batu.ketua, hari_ini) if t.dokumen is None and t.tahun == TAHUN]

    operations.transisi(db.session, pertama, "laporkan", batu.sekretaris, uraian="Selesai diselaraskan.")
    db.session.commit()
    mine = [(t.jenis, t.jumlah) for t in tugas.daftar(db.session, batu.sekretaris, hari_ini)
            if t.dokumen is None and t.jenis in (JenisTugas.TINDAK_LANJUT, JenisTugas.TUTUP_TINDAK_LANJUT)]
    assert mine == [(JenisTugas.TINDAK_LANJUT, kedua.id)]
    assert [(t.jenis, t.jumlah) for t in tugas.daftar(db.session, insp, hari_ini)] == [
        (JenisTugas.TUTUP_TINDAK_LANJUT, pertama.id)]
    assert tugas.daftar(db.session, people("35").inspektorat, hari_ini) != [], "an inspektorat above evaluates too"
    assert tugas.daftar(db.session, people("51").inspektorat, hari_ini) == [], "another province's does not"


def test_next_years_lkj_lists_the_follow_ups_and_keeps_them_frozen(db, tree, people, make_dokumen, client, login,
                                                                  app):
    batu, insp = people("35.79"), people("RI").inspektorat
    finalkan(db, tree, people)
    tl = queries.daftar(db.session, tree["35.79"].id)[0]
    operations.transisi(db.session, tl, "laporkan", batu.sekretaris, uraian="RAK diselaraskan.")
    operations.transisi(db.session, tl, "selesaikan", insp)
    db.session.commit()
    data = tabel.susun(db.session, tree["35.79"], TAHUN + 1)["tindak_lanjut"]
    assert (data["tahun_evaluasi"], data["selesai"]) == (TAHUN, 1)
    assert [(b["nomor"], b["rekomendasi"], b["status"]) for b in data["baris"]] == [
        (1, REKOMENDASI[0], "selesai"), (2, REKOMENDASI[1], "terbuka")]
    assert tabel.susun(db.session, tree["35.79"], TAHUN)["tindak_lanjut"] is None, "the LKj of the year evaluated"

    lkj = make_dokumen("lkj", tahun=TAHUN + 1)
    login(batu.sekretaris)
    page = client.get(f"/dokumen/{lkj.id}")
    rows = section(page.text, "lkj-tindak-lanjut")
    assert REKOMENDASI[1] in rows and "Selesai" in rows and "Terbuka" in rows
    # on paper: the PDF's and the Word file's Bab III
    with app.test_request_context("/"):
        ctx = pdf.konteks(lkj, lkj.revisi_aktif)
        html = render_template("pdf/lkj.html", **ctx)
        docx = Document(BytesIO(word.dokumen_docx(lkj, lkj.revisi_aktif)))
    assert "TINDAK LANJUT HASIL EVALUASI AKIP 2024" in html and REKOMENDASI[1] in html
    assert ctx["tindak_lanjut"]["baris"][0]["tenggat"] == printed.tanggal(tl.tenggat)
    sel = [c.text for table in docx.tables for row in table.rows for c in row.cells]
    assert REKOMENDASI[0] in sel and "Selesai" in sel
    # frozen as the LKj is submitted: a later step does not move the signed report
    tabel.bekukan(db.session, lkj, lkj.revisi_aktif)
    db.session.commit()
    kedua = queries.daftar(db.session, tree["35.79"].id)[1]
    operations.transisi(db.session, kedua, "laporkan", batu.sekretaris, uraian="Perbandingan ditambahkan.")
    db.session.commit()
    beku = tabel.tabel(db.session, lkj.revisi_aktif)["tindak_lanjut"]
    assert [b["status"] for b in beku["baris"]] == ["selesai", "terbuka"]
    assert [b["status"] for b in tabel.susun(db.session, tree["35.79"], TAHUN + 1)["tindak_lanjut"]["baris"]] == [
        "selesai", "dilaporkan"]


def test_pages_forms_refusals_and_404_for_another_office(db, tree, people, client, login, app):
    batu = people("35.79")
    finalkan(db, tree, people)
    tl = queries.daftar(db.session, tree["35.79"].id)[0]
    url = f"/satker/35.79/tindak-lanjut/{tl.id}"

    login(batu.sekretaris)
    daftar = client.get("/satker/35.79/tindak-lanjut")
    assert daftar.status_code == 200 and REKOMENDASI[1] in section(daftar.text, "daftar-tindak-lanjut")
    assert 'data-testid="tindak-lanjut-link"' in client.get("/satker/35.79/evaluasi/2024").text
    assert "/satker/35.79/tindak-lanjut" in client.get("/satker/35.79").text
    page = client.get(url)
    assert 'data-testid="form-laporkan"' in page.text and 'data-testid="tombol-selesaikan"' not in page.text
    home = client.get("/")
    assert f'href="/satker/35.79/tindak-lanjut/{tl.id}"' in home.text
    assert "Tindak lanjut evaluasi AKIP 2024 · KPU Kota Batu" in section(home.text, "tugas")

    # an empty note: the reason, and nothing typed is lost
    kosong = client.post(url + "/laporkan", data={"csrf_token": csrf_token_from(page.text), "uraian": "  ",
                                                  "kode": "ABCD-EFGH", "versi": tl.versi})
    assert kosong.status_code == 422 and "Uraian perkembangan tindak lanjut wajib diisi." in kosong.text
    assert 'value="ABCD-EFGH"' in kosong.text
    ok = client.post(url + "/laporkan", data={"csrf_token": csrf_token_from(page.text),
                                              "uraian": "RAK diselaraskan.", "versi": tl.versi})
    assert ok.status_code == 302
    assert "RAK diselaraskan." in section(client.get(url).text, "laporan")
    refused = client.post(url + "/selesaikan", data={"csrf_token": csrf_token_from(page.text)})
    assert refused.status_code == 403

    # the evaluator: close / return buttons; closing without a reason for a return is refused
    client = login(people("RI").inspektorat, c=app.test_client())
    page = client.get(url)
    assert 'data-testid="tombol-selesaikan"' in page.text and 'data-testid="form-ubah"' in page.text
    tanpa = client.post(url + "/kembalikan", data={"csrf_token": csrf_token_from(page.text), "alasan": ""})
    assert tanpa.status_code == 422 and "Alasan pengembalian wajib diisi." in tanpa.text
    bad_date = client.post(url + "/ubah", data={"csrf_token": csrf_token_from(page.text), "tenggat": "besok",
                                                "pemilik": batu.sekretaris.id})
    assert bad_date.status_code == 422 and 'value="besok"' in bad_date.text

    # another office: the follow-up and the list answer exactly as a missing office
    client = login(people("35.73").sekretaris, c=app.test_client())
    for path in (url, "/satker/35.79/tindak-lanjut", f"/satker/35.73/tindak-lanjut/{tl.id}"):
        hilang = path.replace("35.79", "99.99").replace("35.73", "99.99")
        assert normalised(client.get(path), path) == normalised(client.get(hilang), hilang), path
        assert client.get(path).status_code == 404
    post = client.post(url + "/laporkan", data={"csrf_token": csrf_token_from(client.get("/").text),
                                                "uraian": "dari luar"})
    assert post.status_code == 404
    db.session.expire_all()
    assert len(db.session.get(TindakLanjut, tl.id).laporan) == 1


def test_the_steps_in_docs_akses_are_the_machines():
    """docs/akses.md's follow-up table (who takes which step in which state) is the oracle's,
    and the state machine has exactly those steps in those states."""
    assert akses.tindak_lanjut_in_doc() == akses.TINDAK_LANJUT
    mesin = {s.value.value: {t.event for t in s.transitions} for s in AlurTindakLanjut.states}
    for langkah, (states, _who) in akses.TINDAK_LANJUT.items():
        if langkah in mesin["terbuka"] | mesin["dilaporkan"]:
            assert {s for s, events in mesin.items() if langkah in events} == states, langkah


def test_the_to_do_list_costs_the_same_statements_for_one_follow_up_or_many(db, tree, people, count_statements):
    insp = people("RI").inspektorat

    def laporkan_semua(kode):
        for tl in queries.daftar(db.session, tree[kode].id):
            operations.transisi(db.session, tl, "laporkan", people(kode).sekretaris, uraian="Sudah ditindaklanjuti.")
        db.session.commit()

    finalkan(db, tree, people, rekomendasi=REKOMENDASI[:1])
    laporkan_semua("35.79")
    db.session.expire_all()
    with count_statements() as one:
        assert len(tugas.daftar(db.session, insp)) == 1
    finalkan(db, tree, people, kode="35.73")
    laporkan_semua("35.73")
    db.session.expire_all()
    with count_statements() as many:
        assert len(tugas.daftar(db.session, insp)) == 3
    assert many.count == one.count, many.statements
