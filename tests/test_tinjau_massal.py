"""Reviewers at scale (issue 16, point 6): approving several signed documents with one
authenticator code, the inbox's filters and compare links, the office lists' filters, and
the search of the navigation bar, as a reviewer and a kabupaten user use them."""
import html
import re

import pytest
import sqlalchemy as sa

from tenants.people import User
from tests.conftest import csrf_token_from, section, totp_code
from workflow import audit
from workflow.dokumen import operations
from workflow.dokumen.models import AlasanRevisi, Dokumen, HasilTinjauan, Status


def signed(db, make_dokumen, people, jenis="rak_sekretariat", kode="35.79", tahun=2024, sign=True) -> Dokumen:
    dokumen = make_dokumen(jenis, kode=kode, tahun=tahun)
    office = people(kode)
    operations.ajukan(db.session, dokumen, getattr(office, dokumen.jenis.penyusun.value))
    for p in dokumen.jenis.penandatangan if sign else ():
        operations.tandatangani(db.session, dokumen, getattr(office, p.peran.value))
    db.session.commit()
    return dokumen


def fresh_code(db, user) -> str:
    """The code of now, the sign-in's use of it forgotten (a later step in real life)."""
    db.session.execute(sa.update(User).where(User.id == user.id).values(totp_last_step=None))
    db.session.commit()
    return totp_code()


def post_batch(client, docs, kode: str | None, alasan: str = "", ids=None):
    token = csrf_token_from(client.get("/tinjauan").text)
    data = {"csrf_token": token, "dokumen": [str(i) for i in (ids or [d.id for d in docs])], "alasan": alasan,
            **{f"versi-{d.id}": str(d.versi) for d in docs}}
    if kode is not None:
        data["kode_totp"] = kode
    return client.post("/tinjauan/setujui", data=data)


def outcome(page: str) -> dict[int, str]:
    return {int(i): f"{where}: {html.unescape(re.sub(r'<[^>]+>', '', text)).strip()}"
            for where, i, text in re.findall(r'<li data-testid="(disetujui|ditolak)-(\d+)">(.*?)</li>', page, re.S)}


@pytest.fixture
def reviewer(people):
    return people("35").reviewer


def test_three_signed_documents_are_approved_with_one_code_and_the_unsigned_one_is_refused_with_its_reason(
        db, client, login, people, make_dokumen, reviewer):
    docs = [signed(db, make_dokumen, people, tahun=t) for t in (2024, 2025, 2026)]
    belum = signed(db, make_dokumen, people, jenis="pk_komisi", sign=False)
    login(reviewer)
    response = post_batch(client, [*docs, belum], fresh_code(db, reviewer), alasan="Sesuai PK; lanjutkan.")
    assert response.status_code == 200, response.text
    result = outcome(response.text)
    for d in docs:
        assert result[d.id] == f"disetujui: RAK Sekretariat KPU Kota Batu {d.tahun}"
    assert result[belum.id] == ("ditolak: PK Komisi KPU Kota Batu 2024: Dokumen berstatus Diajukan: aksi 'Setujui' "
                                "tidak tersedia.")
    db.session.expire_all()
    for d in docs:
        d = db.session.get(Dokumen, d.id)
        assert d.status is Status.REVIEWED and d.revisi_aktif.hasil_tinjauan is HasilTinjauan.DISETUJUI
        assert d.revisi_aktif.catatan_tinjauan == "Sesuai PK; lanjutkan."
        # Audited on its own, as a single approve is: one entry per document, by the reviewer.
        log = db.session.scalars(sa.select(audit.AuditEntry).where(
            audit.AuditEntry.dokumen_id == d.id, audit.AuditEntry.aksi == "approve")).all()
        assert [(e.username, e.dari, e.ke, e.alasan) for e in log] == [
            (reviewer.username, "signed", "reviewed", "Sesuai PK; lanjutkan.")]
    assert db.session.get(Dokumen, belum.id).status is Status.SUBMITTED
    assert audit.verify(db.session).ok


def test_the_reviewers_own_signature_is_refused_in_a_batch_and_the_others_go_on(db, client, login, people, tree,
                                                                                  make_dokumen):
    # The province's ketua who also reviews at KPU RI would approve his own signature.
    ketua_jatim = people("35").ketua
    from tests.factories import grant
    grant(ketua_jatim, tree["RI"], "reviewer")
    db.session.commit()
    own = signed(db, make_dokumen, people, jenis="pk_sekretariat", kode="35")  # he signs it second
    other = signed(db, make_dokumen, people, jenis="rkt_sekretariat", kode="35")  # the sekretaris's alone
    login(ketua_jatim)
    response = post_batch(client, [own, other], fresh_code(db, ketua_jatim))
    result = outcome(response.text)
    assert result[other.id].startswith("disetujui: ")
    assert result[own.id] == ("ditolak: PK Sekretariat KPU Provinsi Jawa Timur 2024: Yang menandatangani dokumen tidak "
                              "boleh meninjaunya sendiri: tinjauan harus oleh reviewer lain di satker induk.")
    db.session.expire_all()
    assert db.session.get(Dokumen, own.id).status is Status.SIGNED


def test_the_code_is_used_up_by_its_batch_and_a_wrong_one_keeps_the_choice(db, client, login, people, make_dokumen,
                                                                          reviewer):
    first, second = (signed(db, make_dokumen, people, tahun=t) for t in (2024, 2025))
    login(reviewer)
    kode = fresh_code(db, reviewer)
    assert post_batch(client, [first], kode).status_code == 200
    again = post_batch(client, [second], kode, alasan="Catatan yang diketik")
    assert again.status_code == 403
    assert "Kode autentikator salah atau sudah dipakai" in section(again.text, "error")
    # Nothing typed is lost: the same document ticked, the note kept, the code asked again.
    assert f'value="{second.id}" id="pilih-{second.id}" checked' in again.text
    assert "Catatan yang diketik</textarea>" in again.text and 'data-testid="kode-massal"' in again.text
    no_code = post_batch(client, [second], None)
    assert no_code.status_code == 403
    db.session.expire_all()
    assert db.session.get(Dokumen, second.id).status is Status.SIGNED


def test_a_foreign_document_in_the_batch_reads_as_a_missing_one_and_is_untouched(db, client, login, people,
                                                                                  make_dokumen, reviewer):
    ours = signed(db, make_dokumen, people)
    foreign = signed(db, make_dokumen, people, kode="51.71")  # Bali's: not the Jawa Timur reviewer's
    login(reviewer)
    response = post_batch(client, [ours, foreign], fresh_code(db, reviewer), ids=[ours.id, foreign.id, 999999])
    result = outcome(response.text)
    assert result[foreign.id].replace(str(foreign.id), "N") == result[999999].replace("999999", "N") == (
        "ditolak: Dokumen nomor N: Dokumen tidak ditemukan.")
    db.session.expire_all()
    assert db.session.get(Dokumen, foreign.id).status is Status.SIGNED
    # Only foreign and missing ids: the answer of a missing document.
    only = post_batch(client, [foreign], fresh_code(db, reviewer), ids=[foreign.id])
    assert only.status_code == 404


def test_the_statements_of_a_batch_grow_by_a_bounded_number_per_document(db, app, login, people, make_dokumen,
                                                                         reviewer, count_statements):
    counts = {}
    tahun = iter(range(2030, 2040))
    for n in (2, 3, 4):
        docs = [signed(db, make_dokumen, people, tahun=next(tahun)) for _ in range(n)]
        client = login(reviewer, c=app.test_client())
        kode = fresh_code(db, reviewer)
        token = csrf_token_from(client.get("/tinjauan").text)
        data = {"csrf_token": token, "dokumen": [str(d.id) for d in docs], "kode_totp": kode,
                **{f"versi-{d.id}": str(d.versi) for d in docs}}
        with count_statements() as counter:
            assert client.post("/tinjauan/setujui", data=data).status_code == 200
        counts[n] = counter.count
    per_document = counts[3] - counts[2]
    assert counts[4] - counts[3] == per_document, counts
    assert per_document <= 25, counts


def test_the_inbox_links_each_document_to_its_last_approved_revision(db, client, login, people, make_dokumen,
                                                                     reviewer):
    batu = people("35.79")
    approved_before = signed(db, make_dokumen, people)
    operations.setujui(db.session, approved_before, reviewer)
    operations.revisi(db.session, approved_before, batu.sekretaris, AlasanRevisi.PERUBAHAN_ANGGARAN)
    operations.ajukan(db.session, approved_before, batu.sekretaris)
    operations.tandatangani(db.session, approved_before, batu.sekretaris)
    operations.tandatangani(db.session, approved_before, batu.ketua)
    operations.kembalikan(db.session, approved_before, reviewer, "Perbaiki baris 2.")
    operations.ajukan(db.session, approved_before, batu.sekretaris)  # Revisi ke-2, submitted
    returned_only = signed(db, make_dokumen, people, jenis="rak_komisioner")
    operations.kembalikan(db.session, returned_only, reviewer, "Jadwal baris 1.")
    operations.ajukan(db.session, returned_only, batu.ketua)  # Revisi ke-1
    first = signed(db, make_dokumen, people, tahun=2025)
    db.session.commit()
    login(reviewer)
    page = client.get("/tinjauan").text
    link = re.search(rf'href="([^"]+)" data-testid="banding-{approved_before.id}"', page).group(1)
    assert link.replace("&amp;", "&") == f"/dokumen/{approved_before.id}/banding?dari=0&ke=2"
    assert section(page, f"banding-{approved_before.id}") == "Bandingkan dengan Revisi ke-0 (disetujui)"
    assert section(page, f"banding-{returned_only.id}") == (
        "Bandingkan dengan revisi sebelumnya (Revisi ke-0, belum pernah disetujui)")
    assert f'data-testid="banding-{first.id}"' not in page and "Revisi pertama" in section(page, f"inbox-{first.id}")
    compared = client.get(link.replace("&amp;", "&"))
    assert compared.status_code == 200 and "Revisi ke-0" in compared.text and "Revisi ke-2" in compared.text
    # Only signed documents can be ticked; submitted ones wait for their signatures.
    assert f'data-testid="pilih-{first.id}"' in page and f'data-testid="pilih-{approved_before.id}"' not in page


def test_the_inbox_and_the_office_lists_filter_by_kind_status_and_year(db, client, login, people, make_dokumen,
                                                                       reviewer):
    rak_2024 = signed(db, make_dokumen, people)
    rak_2025 = signed(db, make_dokumen, people, tahun=2025)
    pk_malang = signed(db, make_dokumen, people, jenis="pk_komisi", kode="35.73", sign=False)
    login(reviewer)

    def rows(url):
        return set(map(int, re.findall(r'data-testid="inbox-(\d+)"', client.get(url).text)))

    assert rows("/tinjauan") == {rak_2024.id, rak_2025.id, pk_malang.id}
    assert rows("/tinjauan?jenis=rak_sekretariat") == {rak_2024.id, rak_2025.id}
    assert rows("/tinjauan?status=submitted") == {pk_malang.id}
    assert rows("/tinjauan?jenis=rak_sekretariat&tahun=2025") == {rak_2025.id}
    assert rows("/tinjauan?status=draft&jenis=tidak-ada&tahun=abc") == rows("/tinjauan"), "unknown values are ignored"
    page = client.get("/tinjauan?jenis=pk_komisi&tahun=2030").text
    assert "Tidak ada dokumen yang menunggu tinjauan dengan saringan ini." in page
    assert 'value="pk_komisi" selected' in page and 'value="2030" selected' in page  # kept in the form

    listed = client.get("/satker/35.79/dokumen?tahun=2024&status=signed").text
    assert 'data-testid="doc-rak_sekretariat"' in listed and 'data-testid="doc-pk_komisi"' not in listed
    assert 'data-testid="doc-rak_komisioner"' not in client.get("/satker/35.79/dokumen?tahun=2024&jenis=lkj").text

    office = client.get("/satker/35?jenis=rak_sekretariat&status=signed&tahun=2025").text
    assert "KPU Kota Batu" in section(office, "children") and "KPU Kota Malang" not in section(office, "children")
    assert "RAK Sekretariat 2025" in section(office, "children")
    assert "KPU Kota Malang" in section(client.get("/satker/35?jenis=pk_komisi").text, "children")
    assert "KPU Kota Malang" in section(client.get("/satker/35").text, "children")


def test_the_search_finds_what_the_person_may_see_and_nothing_else(db, client, app, login, people, make_dokumen,
                                                                   reviewer):
    rak = signed(db, make_dokumen, people)
    kode_verifikasi = rak.revisi_aktif.kode_verifikasi
    login(reviewer)
    for q in ("batu", "35.79", "Kota Batu"):
        found = client.get("/cari", query_string={"q": q}).text
        assert "KPU Kota Batu" in section(found, "hasil-satker"), q
    docs = client.get("/cari", query_string={"q": "batu rak 2024"}).text
    assert section(docs, "hasil-dokumen") == "Dokumen Satker Tahun Status RAK Sekretariat KPU Kota Batu 2024 Ditandatangani"
    opened = client.get("/cari", query_string={"q": kode_verifikasi.lower().replace("-", " ")})
    assert opened.status_code == 302 and opened.location == f"/dokumen/{rak.id}/revisi/0"

    # A kabupaten user of another province finds nothing of Jawa Timur, by name, code or printed code.
    bali = login(people("51.71").sekretaris, c=app.test_client())
    for q in ("batu", "35.79", "35", "jawa timur", "rak 2024", kode_verifikasi):
        page = bali.get("/cari", query_string={"q": q})
        assert page.status_code == 200, q
        assert "Batu" not in page.text and "Jawa Timur" not in page.text, q
        assert 'data-testid="tidak-ada"' in page.text, q
    assert "KPU Kota Denpasar" in section(bali.get("/cari?q=denpasar").text, "hasil-satker")


def test_the_search_pages_its_results(db, client, login, people, tree):
    from tenants.hierarchy import load_hierarchy
    from tenants.satker import Tingkat
    from tests.conftest import TREE
    extra = [type(TREE[0])(f"35.{n:02d}", f"KPU Kabupaten Uji {n:02d}", Tingkat.KABKOTA, "35") for n in range(1, 26)]
    load_hierarchy(db.session, TREE + extra)
    db.session.commit()
    login(people("35").reviewer)
    first = client.get("/cari?q=uji").text
    assert section(first, "hasil-satker").count("KPU Kabupaten Uji") == 20 and 'data-testid="berikutnya"' in first
    second = client.get("/cari?q=uji&halaman=2").text
    assert section(second, "hasil-satker").count("KPU Kabupaten Uji") == 5 and 'data-testid="berikutnya"' not in second
