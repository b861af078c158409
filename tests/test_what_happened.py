"""What happened is obvious (issue 14 point 10): the verify page of a returned or replaced
revision says so first, a typed code is found however it was typed, a returned document
says "Dikembalikan" and why in its office's list and at the top of its page, and whoever
cannot act yet reads whose turn it is."""
import re

import pytest

from tests.conftest import section
from workflow.dokumen import operations
from workflow.dokumen.models import AlasanRevisi


@pytest.fixture
def rak(make_dokumen):
    return make_dokumen("rak_sekretariat", baris=2)


def _alerts(html: str) -> list[tuple[str, str]]:
    """The page's alerts in order: (colour, text)."""
    found = re.findall(r'<div class="alert alert-([a-z]+)[^"]*"[^>]*>(.*?)</div>', html, re.S)
    return [(colour, " ".join(re.sub(r"<[^>]+>", " ", text).split())) for colour, text in found]


def _return(db, people, dokumen, alasan="Perbaiki target baris 2: satuan belum diisi"):
    batu = people("35.79")
    operations.ajukan(db.session, dokumen, batu.sekretaris)
    operations.tandatangani(db.session, dokumen, batu.sekretaris)
    operations.tandatangani(db.session, dokumen, batu.ketua)
    kode = dokumen.revisi_aktif.kode_verifikasi
    operations.kembalikan(db.session, dokumen, people("35").reviewer, alasan=alasan)
    db.session.commit()
    return kode


def test_the_verify_page_of_a_returned_revision_says_so_before_any_green_banner(db, client, people, rak):
    kode = _return(db, people, rak)
    alerts = _alerts(client.get(f"/verifikasi/{kode}").text)
    colour, text = alerts[0]
    assert colour == "danger" and "DIKEMBALIKAN" in text and "tidak berlaku" in text, alerts
    assert "Revisi terbaru dokumen ini: Revisi ke-1 (Draf)" in text
    assert "success" not in [c for c, _t in alerts], "no green banner for a revision that is not in force"


def test_the_verify_page_of_a_revision_replaced_by_a_revise_says_so_first(db, client, people, rak):
    batu = people("35.79")
    operations.ajukan(db.session, rak, batu.sekretaris)
    for p in rak.jenis.penandatangan:
        operations.tandatangani(db.session, rak, getattr(batu, p.peran.value))
    operations.setujui(db.session, rak, people("35").reviewer)
    kode = rak.revisi_aktif.kode_verifikasi
    operations.revisi(db.session, rak, batu.sekretaris, AlasanRevisi.PERUBAHAN_ANGGARAN)
    db.session.commit()
    alerts = _alerts(client.get(f"/verifikasi/{kode}").text)
    assert alerts[0][0] == "warning" and "DIGANTIKAN" in alerts[0][1], alerts
    assert "success" not in [c for c, _t in alerts]


def test_the_verify_page_of_the_revision_in_force_still_opens_with_the_green_banner(db, client, people, rak):
    operations.ajukan(db.session, rak, people("35.79").sekretaris)
    db.session.commit()
    alerts = _alerts(client.get(f"/verifikasi/{rak.revisi_aktif.kode_verifikasi}").text)
    assert alerts[0][0] == "success" and "masih sama" in alerts[0][1], alerts


@pytest.mark.parametrize("typed", ["{a}{b}", "{a}-{b}", " {a} {b} ", "{A}{B}"])
def test_a_code_typed_in_lower_case_or_without_its_dash_finds_the_document(db, client, people, rak, typed):
    operations.ajukan(db.session, rak, people("35.79").sekretaris)
    db.session.commit()
    kode = rak.revisi_aktif.kode_verifikasi
    a, b = kode.split("-")
    typed = typed.format(a=a.lower(), b=b.lower(), A=a, B=b)
    page = client.get(f"/verifikasi/{typed}")
    assert page.status_code == 200 and rak.revisi_aktif.hash_isi in page.text, typed
    # The form too: it sends the visitor to the code as printed.
    response = client.get("/verifikasi", query_string={"kode": typed})
    assert response.status_code == 302 and response.location.endswith(f"/verifikasi/{kode}")


def test_a_code_that_is_not_one_is_still_not_found(client, db):
    assert client.get("/verifikasi/abcd123").status_code == 404
    assert client.get("/verifikasi/zzzzzzzz").status_code == 404


def test_a_returned_document_says_dikembalikan_and_why_in_the_list_and_at_the_top_of_its_page(
        db, client, login, people, rak):
    _return(db, people, rak)
    login(people("35.79").sekretaris)
    row = section(client.get("/satker/35.79/dokumen?tahun=2024").text, "doc-rak_sekretariat")
    assert "Dikembalikan" in row and "Perbaiki target baris 2: satuan belum diisi" in row, row

    page = client.get(f"/dokumen/{rak.id}").text
    top = section(page, "returned")
    assert "Dikembalikan untuk diperbaiki." in top and "Perbaiki target baris 2: satuan belum diisi" in top
    assert people("35").reviewer.full_name in top and "Revisi ke-0" in top
    assert page.index('data-testid="returned"') < page.index('data-testid="actions"'), "above the buttons"
    assert section(page, "returned-badge") == "Dikembalikan"

    # Submitted again, it is no longer a returned draft.
    operations.ajukan(db.session, rak, people("35.79").sekretaris)
    db.session.commit()
    assert "Dikembalikan" not in section(client.get("/satker/35.79/dokumen?tahun=2024").text, "doc-rak_sekretariat")
    assert 'data-testid="returned"' not in client.get(f"/dokumen/{rak.id}").text


@pytest.mark.parametrize("jenis, kedua", [("rak_sekretariat", "Mengetahui, Ketua"), ("pk_sekretariat", "Pihak Kedua")])
def test_the_ketua_reads_that_the_sekretaris_signs_first(db, app, login, people, make_dokumen, jenis, kedua):
    dokumen = make_dokumen(jenis)
    batu = people("35.79")
    operations.ajukan(db.session, dokumen, batu.sekretaris)
    db.session.commit()
    ketua = login(batu.ketua, c=app.test_client())
    sekretaris = login(batu.sekretaris, c=app.test_client())

    page = ketua.get(f"/dokumen/{dokumen.id}").text
    assert section(page, "waiting") == (f"Menunggu tanda tangan Sekretaris KPU Kota Batu. "
                                        f"Anda menandatangani sesudahnya sebagai {kedua}.")
    assert 'data-testid="waiting"' not in sekretaris.get(f"/dokumen/{dokumen.id}").text, "the sekretaris may sign"

    operations.tandatangani(db.session, dokumen, batu.sekretaris)
    db.session.commit()
    assert 'data-testid="waiting"' not in ketua.get(f"/dokumen/{dokumen.id}").text, "now the ketua may sign"
    assert section(sekretaris.get(f"/dokumen/{dokumen.id}").text, "waiting") == \
        "Menunggu tanda tangan Ketua KPU Kota Batu."

    operations.tandatangani(db.session, dokumen, batu.ketua)
    db.session.commit()
    assert section(ketua.get(f"/dokumen/{dokumen.id}").text, "waiting") == \
        "Menunggu tinjauan reviewer KPU Provinsi Jawa Timur."


def test_whoever_cannot_submit_a_draft_reads_who_submits_it(db, client, login, people, rak):
    login(people("35.79").ketua)
    assert section(client.get(f"/dokumen/{rak.id}").text, "waiting") == \
        "Menunggu diajukan oleh Sekretaris KPU Kota Batu."
