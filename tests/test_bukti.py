"""Evidence files (issue 17 point 3): what is accepted and refused (by the content, not the
name), stored and sent back byte for byte in chunks with its SHA-256, who may add and
withdraw, another office's file answering like a missing one, the audit trail, the
period's lock, and memory that does not grow with the file."""
from __future__ import annotations

import hashlib
import io
import re
import tracemalloc
import zipfile

import pytest
import sqlalchemy as sa

from tests.test_realisasi import INDIKATOR, LAPORAN, PARTISIPASI, buat_pk, kunci
from workflow import audit
from workflow.bukti import PERIODE_TERKUNCI, operations
from workflow.pelaporan.queries import kunci_periode
from workflow.bukti.models import Bukti, BuktiPotongan, Sasaran
from workflow.bukti.operations import Tempat
from workflow.errors import Ditolak, IsiTidakValid

MB = 1024 * 1024


# -- sample files, made here ---------------------------------------------------------------------

def pdf_bytes(pad: int = 0) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    if pad:
        # A page whose content stream is long (a scan is large for the same reason).
        stream = DecodedStreamObject()
        stream.set_data(b"% " + b"0" * pad + b"\n")
        page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(fmt: str = "PNG") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(out, fmt)
    return out.getvalue()


def docx_bytes() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("Berita acara")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "Daftar hadir"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("isi.txt", "halo")
    return out.getvalue()


@pytest.fixture
def pk(db, tree, people):
    return buat_pk(db, tree, people, pelaksana={LAPORAN: "teknis"})


def unggah(client, pk, data: bytes, nama: str, indikator: str = PARTISIPASI, periode: int = 1, pk_kunci=None):
    page = client.get(f"/dokumen/{pk.id}/bukti?kunci={pk_kunci or kunci(pk, indikator)}&periode={periode}")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post(f"/dokumen/{pk.id}/bukti", data={
        "csrf_token": token, "kunci": pk_kunci or kunci(pk, indikator), "periode": str(periode),
        "berkas": (io.BytesIO(data), nama)}, content_type="multipart/form-data")


def token_of(client, url: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)


# -- accepted --------------------------------------------------------------------------------------

@pytest.mark.parametrize("nama,buat,mime", [
    ("berita-acara.pdf", pdf_bytes, "application/pdf"),
    ("foto kegiatan.png", image_bytes, "image/png"),
    ("foto.jpg", lambda: image_bytes("JPEG"), "image/jpeg"),
    ("daftar hadir.xlsx", xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("notulen.docx", docx_bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_an_accepted_file_is_listed_with_its_sha256_and_comes_back_byte_for_byte(db, app, login, people, pk, nama,
                                                                                    buat, mime):
    data = buat()
    ketua = login(people("35.79").ketua, c=app.test_client())
    response = unggah(ketua, pk, data, nama)
    assert response.status_code == 302, response.text
    sha = hashlib.sha256(data).hexdigest()
    page = ketua.get(response.location).text
    assert sha in page and nama in page
    bukti = db.session.scalar(sa.select(Bukti).where(Bukti.dokumen_id == pk.id))
    assert (bukti.sha256, bukti.ukuran, bukti.mime, bukti.nama) == (sha, len(data), mime, nama)

    download = ketua.get(f"/dokumen/{pk.id}/bukti/{bukti.id}")
    assert download.status_code == 200 and download.is_streamed
    assert download.data == data
    assert download.mimetype == mime
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert int(download.headers["Content-Length"]) == len(data)


def test_a_file_of_several_chunks_is_stored_in_chunks_and_streamed_back_whole(db, app, login, people, pk):
    data = pdf_bytes(pad=int(2.5 * MB))
    ketua = login(people("35.79").ketua, c=app.test_client())
    assert unggah(ketua, pk, data, "pindaian.pdf").status_code == 302
    bukti = db.session.scalar(sa.select(Bukti).where(Bukti.dokumen_id == pk.id))
    sizes = db.session.scalars(sa.select(sa.func.length(BuktiPotongan.isi)).where(
        BuktiPotongan.lokasi == bukti.lokasi).order_by(BuktiPotongan.urutan)).all()
    assert len(sizes) == 3 and max(sizes) == MB
    download = ketua.get(f"/dokumen/{pk.id}/bukti/{bukti.id}")
    chunks = list(download.response)
    assert len(chunks) == 3 and b"".join(chunks) == data


# -- refused ---------------------------------------------------------------------------------------

REFUSALS = [
    ("laporan.pdf", lambda: b"MZ\x90\x00\x03" + b"\x00" * 600, "program (executable)"),
    ("program.pdf", lambda: b"\x7fELF\x02\x01\x01" + b"\x00" * 600, "program (executable)"),
    ("ganda.pdf", lambda: pdf_bytes() + zip_bytes(), "sekaligus arsip ZIP"),
    ("terpotong.pdf", lambda: pdf_bytes()[:-120], "PDF terpotong"),
    ("foto.png", lambda: image_bytes() + b"<script>alert(1)</script>", "skrip"),
    ("foto.pdf", image_bytes, "isinya PNG, tetapi namanya berakhiran .pdf"),
    ("tabel.docx", xlsx_bytes, "isinya XLSX, tetapi namanya berakhiran .docx"),
    ("catatan.txt", lambda: b"hanya teks", "berkas .txt tidak diterima"),
    ("arsip.docx", zip_bytes, "bukan berkas Office"),
]


@pytest.mark.parametrize("nama,buat,pesan", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_refused_file_is_named_with_the_reason_and_nothing_is_kept(db, app, login, people, pk, nama, buat, pesan):
    ketua = login(people("35.79").ketua, c=app.test_client())
    response = unggah(ketua, pk, buat(), nama)
    assert response.status_code == 422
    error = re.search(r'data-testid="error">([^<]+)<', response.text).group(1)
    assert nama in error and pesan in error, error
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Bukti)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BuktiPotongan)) == 0


def test_a_zip_member_that_is_a_program_is_refused(db, people, pk):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as src, zipfile.ZipFile(out, "w") as z:
        for name in src.namelist():
            z.writestr(name, src.read(name))
        z.writestr("word/media/pasang.exe", b"MZ")
    with pytest.raises(IsiTidakValid, match="notulen.docx: berisi program atau makro"):
        operations.unggah(db.session, pk, people("35.79").ketua, Tempat(Sasaran.INDIKATOR, kunci(pk, PARTISIPASI), 1),
                          io.BytesIO(out.getvalue()), "notulen.docx")


def test_a_file_over_the_limit_is_refused_by_name_without_being_read_to_the_end(db, app, login, people, pk):
    ketua = login(people("35.79").ketua, c=app.test_client())
    data = pdf_bytes(pad=21 * MB)
    response = unggah(ketua, pk, data, "besar.pdf")
    assert response.status_code == 422
    assert "besar.pdf: berkas lebih besar dari 20 MB" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Bukti)) == 0

    class Hitung(io.BytesIO):
        dibaca = 0

        def read(self, n=-1):
            isi = super().read(n)
            self.dibaca += len(isi)
            return isi

    berkas = Hitung(data)
    with pytest.raises(IsiTidakValid):
        operations.unggah(db.session, pk, people("35.79").ketua, Tempat(Sasaran.INDIKATOR, kunci(pk, PARTISIPASI), 1),
                          berkas, "besar.pdf")
    assert berkas.dibaca < 20 * MB + 8192 + 2 * MB


def test_a_body_far_over_the_limit_is_refused_unread(db, app, login, people, pk):
    ketua = login(people("35.79").ketua, c=app.test_client())
    response = unggah(ketua, pk, b"%PDF-" + b"0" * (27 * MB), "sangat-besar.pdf")
    assert response.status_code == 413
    assert "20 MB" in response.text


# -- who ---------------------------------------------------------------------------------------------

def test_another_office_s_file_answers_like_a_missing_one(db, app, login, people, pk):
    ketua = login(people("35.79").ketua, c=app.test_client())
    assert unggah(ketua, pk, image_bytes(), "foto.png").status_code == 302
    bukti = db.session.scalar(sa.select(Bukti))
    other = login(people("51.71").ketua, c=app.test_client())
    url, url_missing = f"/dokumen/{pk.id}/bukti/{bukti.id}", f"/dokumen/{pk.id + 10_000}/bukti/{bukti.id}"
    found, missing = other.get(url), other.get(url_missing)
    assert found.status_code == missing.status_code == 404
    # The same page, but for the path (the language switcher sends the visitor back to it).
    assert found.data.replace(url.encode(), b"*") == missing.data.replace(url_missing.encode(), b"*")
    assert other.get(f"/satker/35.79/bukti?tahun={pk.tahun}").status_code == 404
    # Within the office, a file named through another document is missing too.
    assert ketua.get(f"/dokumen/{pk.id}/bukti/{bukti.id + 1}").status_code == 404


def test_whoever_may_enter_the_realisation_may_attach_to_it_others_may_not(db, people, pk):
    batu = people("35.79")
    laporan = Tempat(Sasaran.INDIKATOR, kunci(pk, LAPORAN), 1)
    operations.unggah(db.session, pk, batu.anggota_teknis, laporan, io.BytesIO(image_bytes()), "foto.png")
    partisipasi = Tempat(Sasaran.INDIKATOR, kunci(pk, PARTISIPASI), 1)
    with pytest.raises(Ditolak):
        operations.unggah(db.session, pk, batu.anggota_teknis, partisipasi, io.BytesIO(image_bytes()), "foto.png")
    with pytest.raises(Ditolak):
        operations.unggah(db.session, pk, people("35").reviewer, laporan, io.BytesIO(image_bytes()), "foto.png")


def test_the_penyusun_attaches_the_signed_scan_to_the_document_at_any_status(db, app, login, people, pk):
    batu = people("35.79")
    ketua = login(batu.ketua, c=app.test_client())
    token = token_of(ketua, f"/dokumen/{pk.id}")
    response = ketua.post(f"/dokumen/{pk.id}/lampiran", data={
        "csrf_token": token, "berkas": (io.BytesIO(pdf_bytes()), "PK ditandatangani.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    page = ketua.get(f"/dokumen/{pk.id}").text
    lampiran = page[page.index('data-testid="lampiran"'):page.index('data-testid="revisions"')]
    assert "PK ditandatangani.pdf" in lampiran and hashlib.sha256(pdf_bytes()).hexdigest() in lampiran
    bukti = db.session.scalar(sa.select(Bukti))
    assert (bukti.sasaran, bukti.revisi_nomor, bukti.kunci, bukti.periode) == ("dokumen", pk.nomor_revisi, None, None)

    sekretaris = login(batu.sekretaris, c=app.test_client())
    response = sekretaris.post(f"/dokumen/{pk.id}/lampiran", data={
        "csrf_token": token_of(sekretaris, f"/dokumen/{pk.id}"), "berkas": (io.BytesIO(pdf_bytes()), "lain.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 403 and "Hanya Ketua" in response.text


# -- withdrawn, locked, audited ----------------------------------------------------------------------

def test_withdrawing_removes_the_bytes_keeps_the_record_and_is_audited(db, app, login, people, pk):
    ketua = login(people("35.79").ketua, c=app.test_client())
    data = image_bytes()
    assert unggah(ketua, pk, data, "foto.png").status_code == 302
    bukti = db.session.scalar(sa.select(Bukti))
    url = f"/dokumen/{pk.id}/bukti?kunci={kunci(pk, PARTISIPASI)}&periode=1"
    response = ketua.post(f"/dokumen/{pk.id}/bukti/{bukti.id}/tarik", data={"csrf_token": token_of(ketua, url)})
    assert response.status_code == 302
    assert ketua.get(f"/dokumen/{pk.id}/bukti/{bukti.id}").status_code == 404
    assert "foto.png" not in ketua.get(url).text
    db.session.expire_all()
    assert db.session.get(Bukti, bukti.id).ditarik_pada is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BuktiPotongan)) == 0
    entries = db.session.scalars(sa.select(audit.AuditEntry).where(audit.AuditEntry.dokumen_id == pk.id)
                                 .order_by(audit.AuditEntry.seq.desc()).limit(2)).all()
    assert [e.aksi for e in entries] == ["tarik_bukti", "unggah_bukti"]
    assert entries[0].rincian_data["sha256"] == hashlib.sha256(data).hexdigest()
    assert entries[0].username == people("35.79").ketua.username
    assert audit.verify(db.session).ok


def test_a_locked_period_refuses_adding_and_withdrawing(db, app, login, people, pk, monkeypatch):
    ketua = login(people("35.79").ketua, c=app.test_client())
    assert unggah(ketua, pk, image_bytes(), "foto.png", periode=2).status_code == 302
    bukti = db.session.scalar(sa.select(Bukti))
    monkeypatch.setattr("workflow.bukti.PERIODE_TERKUNCI", [lambda session, dokumen_id, periode:
                                                              dokumen_id == pk.id and periode == 2])
    assert PERIODE_TERKUNCI == [kunci_periode]  # the package's own list (the period reports) is untouched
    url = f"/dokumen/{pk.id}/bukti?kunci={kunci(pk, PARTISIPASI)}&periode=2"
    page = ketua.get(url).text
    assert "sudah dikunci" in page and 'data-testid="form-unggah"' not in page
    response = unggah(ketua, pk, image_bytes(), "lagi.png", periode=2)
    assert response.status_code == 403 and "Periode Februari sudah dikunci" in response.text
    response = ketua.post(f"/dokumen/{pk.id}/bukti/{bukti.id}/tarik", data={"csrf_token": token_of(ketua, url)})
    assert response.status_code == 403
    assert ketua.get(f"/dokumen/{pk.id}/bukti/{bukti.id}").status_code == 200
    assert unggah(ketua, pk, image_bytes(), "maret.png", periode=3).status_code == 302


# -- where people find them --------------------------------------------------------------------------

def test_the_grid_links_each_cell_to_its_files_and_the_office_lists_them_per_period(db, app, login, people, pk):
    ketua = login(people("35.79").ketua, c=app.test_client())
    assert unggah(ketua, pk, image_bytes(), "foto.png", periode=1).status_code == 302
    assert unggah(ketua, pk, pdf_bytes(), "ba.pdf", periode=1).status_code == 302
    assert unggah(ketua, pk, pdf_bytes(), "ba-feb.pdf", periode=2).status_code == 302
    grid = ketua.get(f"/dokumen/{pk.id}/realisasi").text
    k = kunci(pk, PARTISIPASI)
    assert re.search(rf'data-testid="bukti-{k}-1">Bukti \(2\)</a>', grid)
    assert re.search(rf'data-testid="bukti-{k}-2">Bukti \(1\)</a>', grid)
    januari = ketua.get(f"/satker/35.79/bukti?tahun={pk.tahun}&periode=1").text
    assert "foto.png" in januari and "ba.pdf" in januari and "ba-feb.pdf" not in januari
    semua = ketua.get(f"/satker/35.79/bukti?tahun={pk.tahun}").text
    assert "ba-feb.pdf" in semua


# -- memory --------------------------------------------------------------------------------------------

def test_memory_does_not_grow_with_the_file(db, people, pk, tmp_path):
    path = tmp_path / "pindaian.pdf"
    path.write_bytes(pdf_bytes(pad=12 * MB))
    tempat = Tempat(Sasaran.INDIKATOR, kunci(pk, PARTISIPASI), 1)
    with path.open("rb") as berkas:
        tracemalloc.start()
        try:
            bukti = operations.unggah(db.session, pk, people("35.79").ketua, tempat, berkas, "pindaian.pdf")
            _now, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert bukti.ukuran > 12 * MB
    # Chunks of 1 MB (and the driver's copy of one): far below the 12 MB file.
    assert peak < 6 * MB, peak


# -- the demo ------------------------------------------------------------------------------------------

def test_the_demo_gives_kota_batu_s_pk_komisi_two_evidence_files(db):
    from tenants.hierarchy import load_hierarchy
    from tenants.satker import Satker
    from webapp import demo
    from workflow.bukti import periksa, queries
    from workflow.bukti.penyimpanan import backend
    from workflow.dokumen.models import Dokumen, JenisDokumen

    load_hierarchy(db.session)
    demo.load_demo(db.session)
    db.session.commit()
    pk = db.session.scalars(sa.select(Dokumen).join(Satker).where(
        Satker.kode == "35.79", Dokumen.tahun == 2024, Dokumen.jenis == JenisDokumen.PK_KOMISI)).one()
    files = queries.daftar_dokumen(db.session, pk.id)
    assert sorted(b.nama for b in files) == ["berita-acara-rekapitulasi.pdf", "foto-kegiatan.png"]
    for b in files:
        isi = b"".join(backend(b.penyimpanan).baca(db.session, b.lokasi))
        assert hashlib.sha256(isi).hexdigest() == b.sha256
        assert periksa.periksa(io.BytesIO(isi), b.nama).jenis.mime == b.mime


def test_another_backend_replaces_the_database_behind_the_same_interface(db, people, pk, tmp_path):
    from workflow.bukti.penyimpanan import Direktori, backend, daftarkan

    daftarkan(Direktori(tmp_path))
    data = pdf_bytes(pad=int(1.5 * MB))
    tempat = Tempat(Sasaran.INDIKATOR, kunci(pk, PARTISIPASI), 1)
    bukti = operations.unggah(db.session, pk, people("35.79").ketua, tempat, io.BytesIO(data), "ba.pdf",
                              penyimpanan=backend("dir"))
    assert bukti.penyimpanan == "dir"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BuktiPotongan)) == 0
    assert b"".join(backend("dir").baca(db.session, bukti.lokasi)) == data
    operations.tarik(db.session, bukti, people("35.79").ketua)
    assert not any(p.is_file() for p in tmp_path.rglob("*"))
