"""Acting officials (issue 16 point 5): an admin appoints a Plh/Plt of an office's Ketua or
Sekretaris for a period; within it the appointee signs in that capacity, and the page, the
PDF and the Excel read "Plh. Sekretaris KPU Kota Batu" with the appointee's own name."""
from __future__ import annotations

import json
from datetime import timedelta
from io import BytesIO

import openpyxl
import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from tenants.penunjukan import JenisPenunjukan, Penunjukan, hari_ini
from tenants.people import Peran
from tests.conftest import csrf_token_from, section
from workflow import audit
from workflow.dokumen import operations as dokumen_ops
from workflow.errors import Ditolak, IsiTidakValid
from workflow.penunjukan import operations

PLH_SEKRETARIS = "Plh. Sekretaris KPU Kota Batu"


def hari(n: int):
    return hari_ini() + timedelta(days=n)


def tunjuk(db, admin, tree, pelaksana, *, peran=Peran.SEKRETARIS, jenis=JenisPenunjukan.PLH, mulai=-5, sampai=5,
           kode="35.79", nomor="123/KPU-Kot/XII/2026"):
    p = operations.tunjuk(db.session, admin, tree[kode], pelaksana, peran, jenis, hari(mulai), hari(sampai), nomor)
    db.session.commit()
    return p


@pytest.fixture
def admin(people):
    return people("35.79").admin


@pytest.fixture
def pk(db, make_dokumen, batu):
    dokumen = make_dokumen("pk_sekretariat")
    dokumen_ops.ajukan(db.session, dokumen, batu.sekretaris)
    db.session.commit()
    return dokumen


def test_a_plh_signs_within_the_period_and_the_page_pdf_and_excel_name_the_acting_position(
        db, app, tree, admin, batu, pk, client, login):
    pelaksana = batu.subbag_rendatin
    p = tunjuk(db, admin, tree, pelaksana)
    assert p.jabatan == PLH_SEKRETARIS

    dokumen_ops.tandatangani(db.session, pk, pelaksana)
    db.session.commit()
    ttd = pk.revisi_aktif.tanda_tangan[0]
    assert (ttd.jabatan, ttd.nama, ttd.penunjukan_id) == (PLH_SEKRETARIS, pelaksana.full_name, p.id)

    entry = db.session.scalar(sa.select(audit.AuditEntry).where(audit.AuditEntry.aksi == "sign"))
    rincian = json.loads(entry.rincian)
    assert (entry.username, entry.peran) == (pelaksana.username, PLH_SEKRETARIS)
    assert (rincian["penunjukan_id"], rincian["sebagai"]) == (p.id, PLH_SEKRETARIS)

    login(batu.ketua)
    page = client.get(f"/dokumen/{pk.id}").text
    assert PLH_SEKRETARIS in page and pelaksana.full_name in page

    pdf = client.get(f"/dokumen/{pk.id}/unduh.pdf")
    text = " ".join("".join(page.extract_text() for page in PdfReader(BytesIO(pdf.data)).pages).split())
    assert "Plh. Sekretaris Komisi Pemilihan Umum Kota Batu" in text  # the parties' table, the office in full
    assert "Plh. SEKRETARIS KOMISI PEMILIHAN UMUM" in text  # the signature block: "Plh." as written
    assert pelaksana.full_name in text

    sheet = openpyxl.load_workbook(BytesIO(client.get(f"/dokumen/{pk.id}/unduh.xlsx").data))
    cells = [c.value for ws in sheet.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert f"{PLH_SEKRETARIS}," in cells and pelaksana.full_name in cells


def test_outside_the_period_the_appointee_is_refused_with_the_period(db, tree, admin, batu, pk):
    tunjuk(db, admin, tree, batu.subbag_kul, mulai=3, sampai=10)
    with pytest.raises(Ditolak, match=r"Plh\. Sekretaris KPU Kota Batu berlaku .* s\.d\. .*di luar masa itu"):
        dokumen_ops.tandatangani(db.session, pk, batu.subbag_kul)
    db.session.rollback()


def test_the_document_page_says_who_may_sign_as_plh(db, tree, admin, batu, pk, client, login):
    pelaksana = batu.subbag_hukum_sdm
    tunjuk(db, admin, tree, pelaksana, sampai=4)
    login(batu.ketua)
    note = section(client.get(f"/dokumen/{pk.id}").text, "plh-berikut")
    assert note.startswith(f"Dapat ditandatangani oleh Plh. Sekretaris: {pelaksana.full_name} s.d. ")


@pytest.mark.parametrize("case, message", [
    ("overlap", "bertumpuk dengan penunjukan Plh. Sekretaris"),
    ("self", "tidak dapat menunjuk diri sendiri"),
    ("outsider", "bukan anggota KPU Kota Batu"),
    ("dates", "Tanggal mulai harus sebelum atau sama dengan tanggal selesai"),
    ("position", "hanya dapat ditunjuk untuk jabatan Ketua atau Sekretaris"),
])
def test_each_refusal_says_why(db, tree, people, admin, batu, case, message):
    kwargs = {}
    pelaksana = batu.subbag_kul
    if case == "overlap":
        tunjuk(db, admin, tree, batu.subbag_teknis_hupmas, mulai=0, sampai=10)
        kwargs = dict(mulai=10, sampai=20)
    elif case == "self":
        pelaksana = admin  # a member of the office: the admin membership counts
    elif case == "outsider":
        pelaksana = people("35.73").subbag_kul
    elif case == "dates":
        kwargs = dict(mulai=5, sampai=4)
    else:
        kwargs = dict(peran=Peran.ANGGOTA)
    with pytest.raises(IsiTidakValid, match=message):
        tunjuk(db, admin, tree, pelaksana, **kwargs)
    db.session.rollback()


def test_the_database_keeps_the_period_in_order_and_the_position_to_ketua_or_sekretaris(db, tree, batu):
    for values in ({"mulai": hari(2), "sampai": hari(1)}, {"peran": Peran.ANGGOTA}):
        row = dict(user_id=batu.subbag_kul.id, satker_id=tree["35.79"].id, peran=Peran.SEKRETARIS,
                   jenis=JenisPenunjukan.PLH, mulai=hari(0), sampai=hari(1), nomor_surat="1") | values
        with pytest.raises(sa.exc.IntegrityError):
            db.session.add(Penunjukan(**row))
            db.session.flush()
        db.session.rollback()


def test_only_an_admin_of_the_office_or_above_appoints(db, tree, people, batu, client, login):
    for outsider in (batu.sekretaris, people("35.73").admin, people("35").reviewer):
        with pytest.raises(Ditolak, match="Hanya admin KPU Kota Batu atau satker di atasnya"):
            tunjuk(db, outsider, tree, batu.subbag_kul)
        db.session.rollback()
    assert tunjuk(db, people("35").admin, tree, batu.subbag_kul).ditunjuk_oleh_id == people("35").admin.id

    login(batu.sekretaris)
    page = client.get("/satker/35.79/penunjukan")
    assert page.status_code == 200 and 'data-testid="form-penunjukan"' not in page.text
    response = client.post("/satker/35.79/penunjukan", data={
        "csrf_token": csrf_token_from(page.text), "user": str(batu.subbag_hukum_sdm.id), "jenis": "plh",
        "peran": "ketua", "mulai": hari(20).isoformat(), "sampai": hari(30).isoformat(), "nomor_surat": "9"})
    assert response.status_code == 403 and "Hanya admin" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Penunjukan)) == 1


def test_the_audit_records_the_appointee_and_the_position(db, tree, admin, batu):
    p = tunjuk(db, admin, tree, batu.subbag_kul, jenis=JenisPenunjukan.PLT, peran=Peran.KETUA)
    entry = db.session.scalar(sa.select(audit.AuditEntry).where(audit.AuditEntry.aksi == "tunjuk_pelaksana"))
    rincian = json.loads(entry.rincian)
    assert (entry.username, entry.satker_kode) == (admin.username, "35.79")
    assert (rincian["pelaksana"], rincian["jabatan"], rincian["nomor_surat"]) == (
        batu.subbag_kul.username, "Plt. Ketua KPU Kota Batu", "123/KPU-Kot/XII/2026")
    assert rincian["penunjukan_id"] == p.id


def test_the_page_appoints_keeps_the_input_on_a_refusal_and_ends_early(db, tree, admin, batu, client, login):
    pelaksana = batu.subbag_kul
    login(admin)
    page = client.get("/satker/35.79/penunjukan")
    assert 'data-testid="form-penunjukan"' in page.text and pelaksana.full_name in page.text
    form = {"csrf_token": csrf_token_from(page.text), "user": str(pelaksana.id), "jenis": "plh", "peran": "sekretaris",
            "mulai": hari(0).isoformat(), "sampai": hari(9).isoformat(), "nomor_surat": "77/PP.01/2026"}
    bad = client.post("/satker/35.79/penunjukan", data=form | {"sampai": "31-02-2026"})
    assert bad.status_code == 422 and "Tanggal selesai tidak dapat dibaca" in bad.text
    assert 'value="77/PP.01/2026"' in bad.text  # nothing typed lost
    assert client.post("/satker/35.79/penunjukan", data=form).status_code == 302
    listed = section(client.get("/satker/35.79/penunjukan").text, "penunjukan")
    assert PLH_SEKRETARIS in listed and pelaksana.full_name in listed and "Berlaku" in listed

    p = db.session.scalar(sa.select(Penunjukan))
    ended = client.post("/satker/35.79/penunjukan/akhiri", data={"csrf_token": form["csrf_token"],
                                                                   "penunjukan": str(p.id)})
    assert ended.status_code == 302
    db.session.expire_all()
    assert db.session.get(Penunjukan, p.id).sampai == hari(0)  # began today: ends tonight


def test_a_coming_appointment_is_deleted_and_another_office_s_is_missing(db, tree, people, admin, batu, client, login):
    coming = tunjuk(db, admin, tree, batu.subbag_kul, mulai=3, sampai=6)
    coming_id = coming.id
    malang = tunjuk(db, people("35.73").admin, tree, people("35.73").subbag_kul, kode="35.73")
    login(admin)
    token = csrf_token_from(client.get("/satker/35.79/penunjukan").text)
    foreign = client.post("/satker/35.79/penunjukan/akhiri", data={"csrf_token": token, "penunjukan": str(malang.id)})
    assert foreign.status_code == 404
    assert client.post("/satker/35.79/penunjukan/akhiri",
                       data={"csrf_token": token, "penunjukan": str(coming.id)}).status_code == 302
    left = set(db.session.scalars(sa.select(Penunjukan.id).execution_options(populate_existing=True)))
    assert coming_id not in left and malang.id in left
    # another province's office page answers like a missing office
    assert client.get("/satker/51.71/penunjukan").status_code == 404


def test_the_demo_has_a_plh_sekretaris_in_kota_batu_in_force_this_year(db, client, login):
    from tenants.hierarchy import load_hierarchy
    from webapp import demo

    load_hierarchy(db.session)
    demo.load_demo(db.session)
    db.session.commit()
    p = db.session.scalars(sa.select(Penunjukan)).one()
    assert (p.jabatan, p.user.username, p.berlaku_pada(hari_ini())) == (PLH_SEKRETARIS, "batu.rendatin", True)
    demo.load_demo(db.session)  # a second load appoints nobody twice
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Penunjukan)) == 1

    login(p.user, password=demo.DEMO_PASSWORD)
    assert 'data-testid="penunjukan-link"' in client.get("/satker/35.79").text
    listed = section(client.get("/satker/35.79/penunjukan").text, "penunjukan")
    assert f"{PLH_SEKRETARIS} {p.user.full_name}" in listed and "Berlaku" in listed


def test_a_plt_ketua_signs_the_lkj_and_the_word_file_reads_plt_ketua(db, tree, people, admin, batu, client, login):
    import io

    from docx import Document

    from tests.test_lkj import buat_lkj_batu

    _pk, lkj = buat_lkj_batu(db, tree, people)
    dokumen_ops.ajukan(db.session, lkj, batu.sekretaris)
    pelaksana = batu.subbag_teknis_hupmas
    tunjuk(db, admin, tree, pelaksana, jenis=JenisPenunjukan.PLT, peran=Peran.KETUA)
    dokumen_ops.tandatangani(db.session, lkj, pelaksana)
    db.session.commit()
    assert lkj.revisi_aktif.tanda_tangan[0].jabatan == "Plt. Ketua KPU Kota Batu"

    login(batu.sekretaris)
    doc = Document(io.BytesIO(client.get(f"/dokumen/{lkj.id}/unduh.docx").data))
    signature = next(c.text for t in doc.tables for c in t.rows[0].cells if c.text.startswith("Batu,"))
    assert "Plt. Ketua," in signature and signature.endswith(pelaksana.full_name)


def test_the_plh_in_force_finds_the_signature_on_the_to_do_list_and_is_notified(db, tree, admin, batu, make_dokumen):
    from workflow.notifikasi.models import Notifikasi
    from workflow.tugas import queries as tugas

    tunjuk(db, admin, tree, batu.subbag_rendatin)
    dokumen = make_dokumen("pk_sekretariat")
    dokumen_ops.ajukan(db.session, dokumen, batu.sekretaris)
    db.session.commit()
    todo = tugas.tanda_tangan(db.session, batu.subbag_rendatin, hari_ini())
    assert [(t.dokumen.id, t.keterangan) for t in todo] == [(dokumen.id, "Pihak Pertama")]
    notified = db.session.scalars(sa.select(Notifikasi.user_id).where(Notifikasi.dokumen_id == dokumen.id)).all()
    assert batu.subbag_rendatin.id in notified and batu.subbag_kul.id not in notified
    assert tugas.tanda_tangan(db.session, batu.subbag_rendatin, hari(30)) == [], "after the period: not theirs"
