"""A period's realisation reported (issue 17 point 2): the penyusun submits it with an
analysis wherever capaian to date is below 100%, the parent office's reviewer verifies or
returns it with a reason, a verified period is locked, a correction opens a numbered
revision with its reason; the page per PK and period."""
import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token_from
from tests.test_realisasi import LAPORAN, PARTISIPASI, buat_pk, kunci
from workflow.dokumen import operations as dokumen_ops
from workflow.errors import Ditolak, IsiTidakValid
from workflow.pelaporan import operations, queries
from workflow.pelaporan.models import LaporanPeriode, RevisiLaporan, StatusLaporan
from workflow.pelaporan.operations import Analisis
from workflow.bukti import periode_terkunci
from workflow.realisasi import operations as realisasi_ops
from workflow.target import Polaritas

INDIKATOR = [(PARTISIPASI, "80%", Polaritas.NAIK), (LAPORAN, "12 Laporan", Polaritas.NAIK)]


@pytest.fixture
def pk(db, tree, people):
    """Kota Batu's signed PK Komisi with monthly targets for the count, realisation to March."""
    pk = buat_pk(db, tree, people, indikator=INDIKATOR, tandatangani=False)
    ketua = people("35.79").ketua
    ind = next(i for s in pk.revisi_aktif.sasaran for i in s.indikator if i.uraian == LAPORAN)
    dokumen_ops.simpan_indikator(db.session, pk, ketua, ind.sasaran.kunci, LAPORAN, "12 Laporan", kunci=ind.kunci,
                                 target_periode=[str(b) for b in range(1, 13)])
    dokumen_ops.ajukan(db.session, pk, ketua)
    dokumen_ops.tandatangani(db.session, pk, ketua)
    for bulan in (1, 2, 3):
        realisasi_ops.isi_realisasi(db.session, pk, ketua, kunci(pk, LAPORAN), bulan, "1 Laporan")
    realisasi_ops.isi_realisasi(db.session, pk, ketua, kunci(pk, PARTISIPASI), 3, "60%")
    db.session.commit()
    return pk


def _analisis(pk):
    return {kunci(pk, PARTISIPASI): Analisis("Pemutakhiran data terlambat", "Coklit ulang", "Sosialisasi April")}


def test_an_analysis_is_required_where_capaian_to_date_is_below_100(db, people, pk):
    ketua = people("35.79").ketua
    with pytest.raises(IsiTidakValid) as exc:
        operations.ajukan(db.session, pk, 3, ketua)
    # 60% of 80% is below; 3 of 3 reports by March is on track and needs none.
    assert len(exc.value.masalah) == 1 and "Persentase partisipasi pemilih" in exc.value.masalah[0]
    assert "75%" in exc.value.masalah[0]
    operations.simpan_analisis(db.session, pk, 3, ketua, _analisis(pk))
    lap = operations.ajukan(db.session, pk, 3, ketua)
    assert lap.status is StatusLaporan.DIAJUKAN and lap.diajukan_oleh_id == ketua.id
    assert queries.status_periode(db.session, pk.id, 3) is StatusLaporan.DIAJUKAN


def test_only_the_penyusun_reports_and_only_the_parent_reviewer_verifies(db, people, pk):
    batu, jatim = people("35.79"), people("35")
    for who in (batu.sekretaris, batu.anggota_teknis, jatim.reviewer):
        with pytest.raises(Ditolak):
            operations.simpan_analisis(db.session, pk, 3, who, _analisis(pk))
    operations.simpan_analisis(db.session, pk, 3, batu.ketua, _analisis(pk))
    operations.ajukan(db.session, pk, 3, batu.ketua)
    for who in (batu.ketua, batu.sekretaris, people("51").reviewer):
        with pytest.raises(Ditolak):
            operations.verifikasi(db.session, pk, 3, who)
    with pytest.raises(Ditolak, match="bukan periode pelaporan"):
        operations.ajukan(db.session, pk, 13, batu.ketua)


def test_a_return_says_why_and_the_corrected_report_is_submitted_again(db, people, pk):
    batu, jatim = people("35.79"), people("35")
    operations.simpan_analisis(db.session, pk, 3, batu.ketua, _analisis(pk))
    operations.ajukan(db.session, pk, 3, batu.ketua)
    with pytest.raises(IsiTidakValid, match="Alasan wajib diisi"):
        operations.kembalikan(db.session, pk, 3, jatim.reviewer, "  ")
    lap = operations.kembalikan(db.session, pk, 3, jatim.reviewer, "Upaya belum menyebut waktu")
    assert (lap.status, lap.catatan) == (StatusLaporan.DIKEMBALIKAN, "Upaya belum menyebut waktu")
    operations.simpan_analisis(db.session, pk, 3, batu.ketua, {kunci(pk, PARTISIPASI): Analisis(
        "Pemutakhiran data terlambat", "Coklit ulang minggu ke-2 April", "Sosialisasi April")})
    operations.ajukan(db.session, pk, 3, batu.ketua)
    operations.verifikasi(db.session, pk, 3, jatim.reviewer)
    assert queries.kunci_periode(db.session, pk.id, 3)
    aksi = [e.aksi for e in queries.riwayat(db.session, pk.id, 3)]
    assert aksi == ["laporan_analisis", "laporan_ajukan", "laporan_kembalikan", "laporan_analisis", "laporan_ajukan",
                    "laporan_verifikasi"]


def test_a_verified_period_is_locked_and_a_correction_opens_a_revision_with_its_reason(db, people, pk):
    batu, jatim = people("35.79"), people("35")
    operations.simpan_analisis(db.session, pk, 3, batu.ketua, _analisis(pk))
    operations.ajukan(db.session, pk, 3, batu.ketua)
    operations.verifikasi(db.session, pk, 3, jatim.reviewer)
    db.session.commit()
    with pytest.raises(Ditolak, match="Realisasi Maret sudah diverifikasi dan terkunci"):
        realisasi_ops.isi_realisasi(db.session, pk, batu.ketua, kunci(pk, PARTISIPASI), 3, "70%")
    with pytest.raises(Ditolak):
        operations.simpan_analisis(db.session, pk, 3, batu.ketua, _analisis(pk))
    # Its evidence files are locked with it (workflow.bukti asks the reports).
    assert periode_terkunci(db.session, pk.id, 3) and not periode_terkunci(db.session, pk.id, 4)
    # Other months still take entries.
    realisasi_ops.isi_realisasi(db.session, pk, batu.ketua, kunci(pk, PARTISIPASI), 4, "70%")
    with pytest.raises(IsiTidakValid, match="Alasan wajib diisi"):
        operations.koreksi(db.session, pk, 3, batu.ketua, "")
    lap = operations.koreksi(db.session, pk, 3, batu.ketua, "Angka partisipasi Maret salah ketik")
    assert (lap.status, lap.nomor_revisi) == (StatusLaporan.DRAFT, 1)
    assert not queries.kunci_periode(db.session, pk.id, 3)
    realisasi_ops.isi_realisasi(db.session, pk, batu.ketua, kunci(pk, PARTISIPASI), 3, "70%")
    revisi = db.session.scalars(sa.select(RevisiLaporan).where(RevisiLaporan.laporan_id == lap.id)
                                .order_by(RevisiLaporan.nomor)).all()
    assert [(r.nomor, r.alasan, r.diverifikasi_oleh_id) for r in revisi] == [
        (0, None, jatim.reviewer.id), (1, "Angka partisipasi Maret salah ketik", None)]
    # The verified revision's analysis is kept; the correction starts from a copy.
    assert queries.analisis(db.session, lap, 0)[kunci(pk, PARTISIPASI)].upaya == "Coklit ulang"
    assert queries.analisis(db.session, lap)[kunci(pk, PARTISIPASI)].upaya == "Coklit ulang"


def test_the_database_refuses_a_state_its_fields_contradict(db, people, pk):
    operations.buka(db.session, pk, 3, people("35.79").ketua)
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.update(LaporanPeriode).values(status="terverifikasi"))
        db.session.flush()
    db.session.rollback()
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.update(LaporanPeriode).values(status="dikembalikan", diajukan_oleh_id=people("35.79").ketua.id,
                                                            diajukan_pada=sa.func.now()))
        db.session.flush()
    db.session.rollback()


# -- the page ------------------------------------------------------------------------------

def test_the_page_shows_target_capaian_and_the_buttons_per_policy(db, client, login, people, pk):
    login(people("35.79").ketua)
    page = client.get(f"/dokumen/{pk.id}/periode/3")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "3 Laporan" in html and "Ajukan" in html and "Kendala" in html
    assert "Verifikasi" not in html
    token = csrf_token_from(html)
    k = kunci(pk, PARTISIPASI)
    saved = client.post(f"/dokumen/{pk.id}/periode/3", data={
        "csrf_token": token, f"kendala-{k}": "Data terlambat", f"upaya-{k}": "Coklit ulang",
        f"rencana-{k}": "Sosialisasi"})
    assert saved.status_code == 302
    sent = client.post(f"/dokumen/{pk.id}/periode/3/ajukan", data={"csrf_token": token})
    assert sent.status_code == 302
    assert queries.status_periode(db.session, pk.id, 3) is StatusLaporan.DIAJUKAN


def test_another_offices_report_page_answers_404(db, client, login, people, pk):
    login(people("35.73").ketua)
    assert client.get(f"/dokumen/{pk.id}/periode/3").status_code == 404
    assert client.get(f"/dokumen/{pk.id}/periode/5").status_code == 404


# -- who is told -----------------------------------------------------------------------------

def _kabar(db, user):
    from workflow.notifikasi.models import Notifikasi
    return db.session.scalars(sa.select(Notifikasi).where(Notifikasi.user_id == user.id).order_by(Notifikasi.id)).all()


def test_each_step_of_a_report_tells_whoever_acts_next_in_their_language(db, people, pk):
    batu, jatim = people("35.79"), people("35")
    jatim.reviewer.bahasa = "en"
    sebelum = {u.id: len(_kabar(db, u)) for u in (batu.ketua, batu.sekretaris, jatim.reviewer, people("51").reviewer)}
    operations.simpan_analisis(db.session, pk, 3, batu.ketua, _analisis(pk))
    operations.ajukan(db.session, pk, 3, batu.ketua)
    baru = _kabar(db, jatim.reviewer)[sebelum[jatim.reviewer.id]:]
    assert [n.tautan for n in baru] == [f"/dokumen/{pk.id}/periode/3"]
    assert "waits for your verification" in baru[0].judul and "Kota Batu" in baru[0].judul
    # Nobody else with a role is told: not another province's reviewer, not the Sekretaris.
    assert len(_kabar(db, people("51").reviewer)) == sebelum[people("51").reviewer.id]
    assert len(_kabar(db, batu.sekretaris)) == sebelum[batu.sekretaris.id]

    operations.kembalikan(db.session, pk, 3, jatim.reviewer, "Upaya belum menyebut waktu")
    kembali = _kabar(db, batu.ketua)[-1]
    assert "dikembalikan" in kembali.judul and "Alasan: Upaya belum menyebut waktu" in kembali.isi
    operations.ajukan(db.session, pk, 3, batu.ketua)
    operations.verifikasi(db.session, pk, 3, jatim.reviewer)
    akhir = _kabar(db, batu.ketua)[-1]
    assert "diverifikasi" in akhir.judul and "terkunci" in akhir.isi
    assert len(_kabar(db, jatim.reviewer)) == sebelum[jatim.reviewer.id] + 2  # two submissions
    operations.koreksi(db.session, pk, 3, batu.ketua, "Salah ketik")
    assert len(_kabar(db, jatim.reviewer)) == sebelum[jatim.reviewer.id] + 2


# -- the links, the badges and the locked months ----------------------------------------------

def _verifikasi_maret(db, people, pk):
    batu, jatim = people("35.79"), people("35")
    operations.simpan_analisis(db.session, pk, 3, batu.ketua, _analisis(pk))
    operations.ajukan(db.session, pk, 3, batu.ketua)
    operations.verifikasi(db.session, pk, 3, jatim.reviewer)


def test_the_document_page_and_the_grid_link_each_period_with_its_status(db, client, login, people, tree, pk):
    from workflow.jadwal import operations as jadwal_ops
    from workflow.jadwal.models import Butir

    # Each month's realisation due on the 10th of the next: every period of 2024 is past it.
    jadwal_ops.atur(db.session, tree["RI"], 2024, Butir.REALISASI_BULAN, 10, people("RI").admin)
    _verifikasi_maret(db, people, pk)
    db.session.commit()
    login(people("35.79").ketua)
    for url in (f"/dokumen/{pk.id}", f"/dokumen/{pk.id}/realisasi"):
        html = client.get(url).text
        daftar = html.split('data-testid="laporan-periode"')[1].split("</nav>")[0]
        assert all(f'href="/dokumen/{pk.id}/periode/{n}"' in daftar for n in range(1, 13))
        maret = daftar.split('data-testid="periode-3"')[1].split("</li>")[0]
        april = daftar.split('data-testid="periode-4"')[1].split("</li>")[0]
        assert "Diverifikasi" in maret and "Belum dilaporkan" in april and "terlambat" in april
        assert "terlambat" in maret  # submitted in 2026, due 10 April 2024


def test_a_verified_periods_months_are_read_only_in_the_grid(db, client, login, people, pk):
    _verifikasi_maret(db, people, pk)
    db.session.commit()
    login(people("35.79").ketua)
    html = client.get(f"/dokumen/{pk.id}/realisasi").text
    k = kunci(pk, PARTISIPASI)
    assert f'name="r-{k}-3"' not in html and f'name="r-{k}-4"' in html
    baris = html.split(f'data-testid="ind-{k}"')[1].split("</tr>")[0]
    assert "60%" in baris and 'data-testid="terkunci"' in baris
    assert "terkunci: diverifikasi" in html.split('data-testid="terkunci-3"')[1].split("</th>")[0]
    assert 'data-testid="terkunci-4"' not in html
    # Saving the other months still works: the locked one is not in the form.
    token = csrf_token_from(html)
    saved = client.post(f"/dokumen/{pk.id}/realisasi", data={"csrf_token": token, "versi": str(pk.versi),
                                                           f"r-{k}-4": "65%"})
    assert saved.status_code == 302


def test_a_submitted_report_waits_on_the_reviewer_s_to_do_list_until_verified(db, people, pk):
    from datetime import date

    from workflow.tugas import queries as tugas

    batu, jatim = people("35.79"), people("35")
    operations.simpan_analisis(db.session, pk, 3, batu.ketua, _analisis(pk))
    operations.ajukan(db.session, pk, 3, batu.ketua)
    db.session.commit()
    [item] = [t for t in tugas.daftar(db.session, jatim.reviewer, date(2024, 4, 20))
              if t.jenis is tugas.JenisTugas.VERIFIKASI]
    assert (item.dokumen.id, item.jumlah, item.keterangan) == (pk.id, 3, "Maret")
    assert not [t for t in tugas.daftar(db.session, people("51").reviewer, date(2024, 4, 20))
                if t.jenis is tugas.JenisTugas.VERIFIKASI], "another province's reviewer"
    operations.verifikasi(db.session, pk, 3, jatim.reviewer)
    db.session.commit()
    assert not tugas.verifikasi(db.session, jatim.reviewer)
