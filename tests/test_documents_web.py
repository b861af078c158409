"""The document pages as a planner, a ketua and a reviewer use them."""
import re

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token_from, masked, section
from tests.documents import baris_contoh
from workflow import audit
from workflow.dokumen import operations
from workflow.dokumen.models import Dokumen, Status


def _post_form(client, page_url, action_url, data):
    token = csrf_token_from(client.get(page_url).text)
    return client.post(action_url, data={"csrf_token": token, **data})


def _versi(html: str) -> str:
    return re.search(r'name="versi" type="hidden" value="(\d+)"', html).group(1)


def _buttons(html: str) -> list[str]:
    return re.findall(r'data-testid="btn-(\w+)"', html) + (["send_back"] if 'data-testid="return-dialog"' in html else []) \
        + (["revise"] if 'data-testid="revise-dialog"' in html else [])


@pytest.fixture
def rak(make_dokumen):
    return make_dokumen("rak_sekretariat", baris=2)


def test_the_sekretaris_creates_a_draft_from_the_office_list(db, client, login, people, tree):
    login(people("35.79").sekretaris)
    page = client.get("/satker/35.79/dokumen?tahun=2024")
    assert page.status_code == 200 and "RAK Sekretariat" in page.text and "Buat draf" in page.text
    response = _post_form(client, "/satker/35.79/dokumen?tahun=2024", "/satker/35.79/dokumen/2024/rak_sekretariat", {})
    assert response.status_code == 302
    db.session.expire_all()
    dokumen = db.session.query(Dokumen).one()
    assert (dokumen.jenis.value, dokumen.tahun, dokumen.status) == ("rak_sekretariat", 2024, Status.DRAFT)
    # Komisi documents are the ketua's to create.
    assert "/satker/35.79/dokumen/2024/pk_komisi" not in client.get("/satker/35.79/dokumen?tahun=2024").text


@pytest.mark.parametrize("who, expected", [
    ("sekretaris", ["submit"]),
    ("ketua", []),
    ("subbag_kul", []),
])
def test_a_draft_shows_exactly_the_buttons_the_user_may_press(client, login, people, rak, who, expected):
    login(getattr(people("35.79"), who))
    assert _buttons(client.get(f"/dokumen/{rak.id}").text) == expected


def test_buttons_follow_the_signing_order_and_the_review(db, client, login, people, rak):
    batu, jatim = people("35.79"), people("35")
    operations.ajukan(db.session, rak, batu.sekretaris)
    db.session.commit()
    ketua = client
    login(batu.ketua)
    assert _buttons(ketua.get(f"/dokumen/{rak.id}").text) == [], "the ketua signs after the sekretaris"
    operations.tandatangani(db.session, rak, batu.sekretaris)
    db.session.commit()
    assert _buttons(ketua.get(f"/dokumen/{rak.id}").text) == ["sign"]
    operations.tandatangani(db.session, rak, batu.ketua)
    db.session.commit()
    reviewer = login(jatim.reviewer, c=ketua.application.test_client())
    assert _buttons(reviewer.get(f"/dokumen/{rak.id}").text) == ["approve", "send_back"]


def test_a_document_of_another_office_answers_like_a_missing_one(client, login, people, rak):
    login(people("51.71").sekretaris)
    foreign = client.get(f"/dokumen/{rak.id}")
    missing = client.get("/dokumen/999999")
    assert foreign.status_code == missing.status_code == 404
    # Identical but for the page's own address (carried by the language switch).
    assert foreign.text.replace(f"/dokumen/{rak.id}", "URL") == missing.text.replace("/dokumen/999999", "URL")
    for url in (f"/dokumen/{rak.id}/baris", f"/dokumen/{rak.id}/revisi/0", f"/dokumen/{rak.id}/banding",
                f"/dokumen/{rak.id}/kepala"):
        assert client.get(url).status_code == 404, url


def test_the_province_reviewer_and_ri_can_read_but_a_sibling_cannot(client, login, people, rak, app):
    for kode, role, status in (("35", "reviewer", 200), ("RI", "inspektorat", 200), ("35.73", "sekretaris", 404)):
        c = login(getattr(people(kode), role), c=app.test_client())
        assert c.get(f"/dokumen/{rak.id}").status_code == status, (kode, role)


def test_a_planner_adds_a_rak_row_with_amounts_as_offices_write_them(db, client, login, people, rak):
    login(people("35.79").sekretaris)
    page = client.get(f"/dokumen/{rak.id}/baris")
    assert page.status_code == 200
    response = client.post(f"/dokumen/{rak.id}/baris", data={
        "csrf_token": csrf_token_from(page.text), "versi": re.search(r'name="versi" type="hidden" value="(\d+)"', page.text).group(1),
        "sasaran": "Pembentukan Badan Penyelenggara Adhoc", "indikator": "Jumlah Badan Adhoc yang dibentuk",
        "target": "100%", "polaritas": "naik",
        "kegiatan": "Rapat Koordinasi Pembentukan Badan AdHoc\nSupervisi/ Monitoring Pembentukan\n",
        "kode_output": "cq.6867.qge.002", "biaya": "Rp 10.604.086.100", "pelaksana": "hukum_sdm",
        "jadwal": ["1", "2", "5", "6", "10", "11", "12"],
    })
    assert response.status_code == 302, response.text
    db.session.expire_all()
    row = rak.revisi_aktif.baris[-1]
    assert row.biaya == 10_604_086_100 and row.kode_output == "CQ.6867.QGE.002"
    assert [k.uraian for k in row.kegiatan] == ["Rapat Koordinasi Pembentukan Badan AdHoc", "Supervisi/ Monitoring Pembentukan"]
    from workflow import schedule
    assert schedule.bulan(row.jadwal) == [1, 2, 5, 6, 10, 11, 12]
    html = client.get(f"/dokumen/{rak.id}").text
    assert "Rp 10.604.086.100" in html and "Rp 10.606.086.100" in html  # the row, and the total with 2 x 1.000.000


def test_bad_input_gets_a_message_and_saves_nothing(db, client, login, people, rak):
    login(people("35.79").sekretaris)
    page = client.get(f"/dokumen/{rak.id}/baris")
    versi = _versi(page.text)
    response = client.post(f"/dokumen/{rak.id}/baris", data={
        "csrf_token": csrf_token_from(page.text), "versi": versi, "indikator": "Indikator", "target": "seratus",
        "polaritas": "naik", "kegiatan": "Rapat", "biaya": "sepuluh juta", "pelaksana": "kul", "jadwal": ["1"],
    })
    assert response.status_code == 422
    assert "&#39;sepuluh juta&#39; bukan jumlah rupiah: tulis mis. 1.250.000" in response.text
    assert "Rapat" in response.text, "what the user typed stays in the form"
    for negatif in ("-5000", "Rp -5.000", "Rp. −5.000", "-Rp 5.000"):
        response = client.post(f"/dokumen/{rak.id}/baris", data={
            "csrf_token": csrf_token_from(page.text), "versi": versi, "indikator": "Indikator", "target": "100%",
            "polaritas": "naik", "kegiatan": "Rapat", "biaya": negatif, "pelaksana": "kul", "jadwal": ["1"]})
        assert response.status_code == 422 and "Jumlah rupiah tidak boleh negatif." in response.text, negatif
    response = client.post(f"/dokumen/{rak.id}/baris", data={
        "csrf_token": csrf_token_from(page.text), "versi": versi, "indikator": "Indikator", "target": "seratus",
        "polaritas": "naik", "kegiatan": "Rapat", "biaya": "1.000", "pelaksana": "kul", "jadwal": ["13", "x", "²"],
    })
    assert response.status_code == 422 and "target &#39;seratus&#39; tidak dikenali" in response.text
    db.session.expire_all()
    assert len(rak.revisi_aktif.baris) == 2


def test_two_planners_saving_the_same_draft_the_second_is_told_and_keeps_the_input(db, app, login, people, rak):
    batu = people("35.79")
    first = login(batu.sekretaris, c=app.test_client())
    second = login(batu.subbag_kul, c=app.test_client())
    kunci = rak.revisi_aktif.baris[0].kunci
    pages = [c.get(f"/dokumen/{rak.id}/baris/{kunci}").text for c in (first, second)]

    def save(c, page, biaya):
        return c.post(f"/dokumen/{rak.id}/baris/{kunci}", data={
            "csrf_token": csrf_token_from(page), "versi": re.search(r'name="versi" type="hidden" value="(\d+)"', page).group(1),
            "indikator": "Persentase capaian kegiatan 1", "target": "97,5%", "polaritas": "naik",
            "kegiatan": "Rapat koordinasi 1", "biaya": biaya, "pelaksana": "kul", "jadwal": ["1"],
        })

    assert save(first, pages[0], "Rp 2.000.000").status_code == 302
    conflict = save(second, pages[1], "Rp 3.333.000")
    assert conflict.status_code == 409
    assert "telah diubah oleh" in conflict.text and 'value="Rp 3.333.000"' in conflict.text
    db.session.expire_all()
    assert rak.revisi_aktif.baris[0].biaya == 2_000_000


def test_the_whole_review_round_through_the_pages(db, app, login, people, rak):
    batu, jatim = people("35.79"), people("35")
    sek = login(batu.sekretaris, c=app.test_client())

    def press(c, event, **data):
        page = c.get(f"/dokumen/{rak.id}").text
        form = {"csrf_token": csrf_token_from(page), "versi": re.search(r'name="versi" value="(\d+)"', page).group(1)}
        if event == "sign":
            form["hash_dibaca"] = re.search(r'name="hash_dibaca" value="(\w+)"', page).group(1)
        return c.post(f"/dokumen/{rak.id}/aksi/{event}", data={**form, **data})

    assert press(sek, "submit").status_code == 302
    assert press(sek, "sign").status_code == 302
    ketua = login(batu.ketua, c=app.test_client())
    assert press(ketua, "sign").status_code == 302
    rev = login(jatim.reviewer, c=app.test_client())
    refused = press(rev, "send_back", alasan="  ")
    # A blank reason is the reviewer's to fix (422), and what they had typed stays in the form.
    assert refused.status_code == 422 and "Alasan pengembalian wajib diisi" in refused.text
    assert press(rev, "send_back", alasan="Biaya baris 1 terlalu kecil").status_code == 302
    db.session.expire_all()
    assert (rak.status, rak.nomor_revisi) == (Status.DRAFT, 1)
    page = sek.get(f"/dokumen/{rak.id}").text
    assert "Dikembalikan untuk perbaikan: Biaya baris 1 terlalu kecil" in page
    assert "Revisi ke-0" in page and "Revisi ke-1" in page
    old = sek.get(f"/dokumen/{rak.id}/revisi/0")
    assert old.status_code == 200 and "hanya baca" in old.text and 'data-testid="btn-' not in old.text
    assert section(old.text, "status") == "Dikembalikan", "the returned revision, not the document's new draft"

    # Revision 1 approved: revision 0 stays returned, and 1 reads as approved, not as returned.
    assert press(sek, "submit").status_code == 302
    assert press(sek, "sign").status_code == 302
    assert press(ketua, "sign").status_code == 302
    assert press(rev, "approve").status_code == 302
    assert section(sek.get(f"/dokumen/{rak.id}/revisi/0").text, "status") == "Dikembalikan"
    page = sek.get(f"/dokumen/{rak.id}").text
    assert section(page, "status") == "Disetujui"
    assert section(page, "revisi-alasan") == "· alasan revisi: Dikembalikan untuk perbaikan: Biaya baris 1 terlalu kecil"
    revisions = section(page, "revisions")
    assert "Revisi ke-0 Dokumen awal" in revisions and revisions.count("Dikembalikan") == 2  # outcome and reason
    assert re.search(r"Revisi ke-1 Dikembalikan untuk perbaikan: Biaya baris 1 terlalu kecil .* Disetujui", revisions)


def test_a_sign_on_content_other_than_what_was_read_is_refused(db, app, login, people, rak):
    batu = people("35.79")
    operations.ajukan(db.session, rak, batu.sekretaris)
    db.session.commit()
    sek = login(batu.sekretaris, c=app.test_client())
    page = sek.get(f"/dokumen/{rak.id}").text
    response = sek.post(f"/dokumen/{rak.id}/aksi/sign", data={
        "csrf_token": csrf_token_from(page), "versi": str(rak.versi), "hash_dibaca": "0" * 64})
    assert response.status_code == 409 and "bukan isi yang diajukan" in response.text


def test_the_reviewer_inbox_lists_waiting_documents_oldest_first(db, app, login, people, make_dokumen):
    from datetime import timedelta
    batu = people("35.79")
    older = make_dokumen("rak_sekretariat")
    newer = make_dokumen("rak_sekretariat", kode="35.73")
    operations.ajukan(db.session, newer, people("35.73").sekretaris)
    operations.ajukan(db.session, older, batu.sekretaris)
    older.revisi_aktif.diajukan_pada  # loaded
    db.session.commit()
    # Back-date through SQL (the submitted revision is locked for the ORM, but not its clock in tests).
    db.session.connection().exec_driver_sql("DROP TRIGGER revisi_terkunci_update") if db.session.get_bind().dialect.name == "sqlite" \
        else db.session.connection().exec_driver_sql("ALTER TABLE revisi DISABLE TRIGGER revisi_terkunci")
    import sqlalchemy as sa
    from workflow.dokumen.models import Revisi
    from tenants.db import utcnow
    db.session.connection().execute(sa.update(Revisi.__table__).where(Revisi.__table__.c.dokumen_id == older.id)
                                    .values(diajukan_pada=utcnow() - timedelta(days=3)))
    db.session.commit()
    c = login(people("35").reviewer, c=app.test_client())
    html = c.get("/tinjauan").text
    assert html.index("KPU Kota Batu") < html.index("KPU Kota Malang")
    assert "3 hari" in html
    assert login(people("51").reviewer, c=app.test_client()).get("/tinjauan").text.count("<tr>") == 0


def test_the_verify_page_is_public_and_says_whether_content_still_matches(db, client, people, rak):
    batu = people("35.79")
    operations.ajukan(db.session, rak, batu.sekretaris)
    operations.tandatangani(db.session, rak, batu.sekretaris)
    db.session.commit()
    code = rak.revisi_aktif.kode_verifikasi
    page = client.get(f"/verifikasi/{code.lower()}")
    assert page.status_code == 200
    assert "masih sama dengan yang diajukan" in page.text and rak.revisi_aktif.hash_isi in page.text
    assert batu.sekretaris.full_name in page.text
    assert client.get("/verifikasi/ZZZZ-ZZZZ").status_code == 404
    assert client.get(f"/verifikasi?kode={code}").status_code == 302


def test_the_diff_page_shows_the_changed_cell_and_the_totals(db, app, login, people, rak):
    batu, jatim = people("35.79"), people("35")
    operations.ajukan(db.session, rak, batu.sekretaris)
    operations.kembalikan(db.session, rak, jatim.reviewer, alasan="Perbaiki biaya")
    operations.simpan_baris(db.session, rak, batu.sekretaris, baris_contoh(1, "kul", biaya=1_500_000),
                            kunci=rak.revisi_aktif.baris[0].kunci)
    db.session.commit()
    c = login(batu.sekretaris, c=app.test_client())
    html = c.get(f"/dokumen/{rak.id}/banding?dari=0&ke=1").text
    assert "Perkiraan biaya" in html and "Rp 1.000.000" in html and "Rp 1.500.000" in html
    assert "Rp 2.000.000" in html and "Rp 2.500.000" in html  # totals before and after


@pytest.mark.parametrize("path", ["/dokumen/{id}", "/dokumen/{id}/baris/{kunci}"])
def test_pages_issue_the_same_number_of_statements_for_5_and_100_rows(db, app, login, people, make_dokumen,
                                                                      count_statements, path):
    counts = []
    for tahun, n in ((2024, 5), (2025, 100)):
        rak = make_dokumen("rak_sekretariat", tahun=tahun, baris=n)
        c = login(people("35.79").sekretaris, c=app.test_client())
        url = path.format(id=rak.id, kunci=rak.revisi_aktif.baris[0].kunci)
        c.get(url)
        with count_statements() as counter:
            assert c.get(url).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_a_row_deleted_while_someone_edits_it_keeps_their_input(db, app, login, people, rak):
    batu = people("35.79")
    kul = login(batu.subbag_kul, c=app.test_client())
    kunci = rak.revisi_aktif.baris[0].kunci
    page = kul.get(f"/dokumen/{rak.id}/baris/{kunci}").text
    operations.hapus_baris(db.session, rak, batu.sekretaris, kunci)
    db.session.commit()
    response = kul.post(f"/dokumen/{rak.id}/baris/{kunci}", data={
        "csrf_token": csrf_token_from(page), "versi": _versi(page), "indikator": "Persentase laporan tepat waktu",
        "target": "100%", "polaritas": "naik", "kegiatan": "Rapat evaluasi bulanan", "biaya": "Rp 7.500.000",
        "pelaksana": "kul", "jadwal": ["1"],
    })
    assert response.status_code == 409
    assert "sudah dihapus oleh orang lain" in response.text
    assert "Rapat evaluasi bulanan" in response.text and "Rp 7.500.000" in response.text


@pytest.mark.parametrize("data", [
    {"program-²-kode": "x", "program-²-nama": "x"},
    {"versi": "²"},
    {"versi": ""},
])
def test_crafted_form_keys_never_give_a_500(client, login, people, rak, data):
    login(people("35.79").sekretaris)
    page = client.get(f"/dokumen/{rak.id}/kepala").text
    response = client.post(f"/dokumen/{rak.id}/kepala", data={
        "csrf_token": csrf_token_from(page), "versi": _versi(page), "tempat": "Batu", **data})
    assert response.status_code in (302, 422), response.status_code


def test_the_verify_page_of_a_returned_revision_says_it_was_replaced(db, client, people, rak):
    batu = people("35.79")
    operations.ajukan(db.session, rak, batu.sekretaris)
    code = rak.revisi_aktif.kode_verifikasi
    operations.kembalikan(db.session, rak, people("35").reviewer, alasan="Perbaiki")
    db.session.commit()
    html = client.get(f"/verifikasi/{code}").text
    assert "Dikembalikan" in html and "sudah digantikan oleh Revisi ke-1" in html


def test_the_page_shows_the_newest_history_and_the_whole_of_it_on_request(db, client, login, people, rak):
    from webapp.document_page import RIWAYAT_SINGKAT

    sekretaris = people("35.79").sekretaris
    for no in range(RIWAYAT_SINGKAT + 3):
        operations.simpan_baris(db.session, rak, sekretaris, baris_contoh(no + 3, "kul"))
    db.session.commit()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(audit.AuditEntry)
                              .where(audit.AuditEntry.dokumen_id == rak.id))
    assert total > RIWAYAT_SINGKAT
    login(sekretaris)

    def history_rows(html: str) -> int:
        return html.split('data-testid="history"', 1)[1].count("<tr>") - 1  # minus the header

    page = client.get(f"/dokumen/{rak.id}").text
    assert history_rows(page) == RIWAYAT_SINGKAT
    assert f"Menampilkan {RIWAYAT_SINGKAT} entri terbaru dari {total}." in page
    whole = client.get(f"/dokumen/{rak.id}?riwayat=semua").text
    assert history_rows(whole) == total and 'data-testid="history-more"' not in whole


def test_a_documents_history_is_read_through_its_own_index(db, rak):
    """The audit log holds every office's entries; a document's newest ones must come through
    the (dokumen_id, seq) index, not from walking the whole log by seq (the plan PostgreSQL
    chose on the national data with an index on dokumen_id alone)."""
    from webapp.document_page import _history

    captured = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        captured.append((statement, parameters))

    engine = db.session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", capture)
    try:
        _history(rak, semua=False)
    finally:
        sa.event.remove(engine, "before_cursor_execute", capture)
    (statement, parameters), = [c for c in captured if "audit_log" in c[0]]
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        plan = " ".join(str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters))
    else:  # a test's log is small enough to read whole: price that out to see the chosen index
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = " ".join(connection.exec_driver_sql(f"EXPLAIN {statement}", parameters).scalars())
    # Reached by the document (a few rows, which PostgreSQL may still sort), never by a walk
    # of the whole log in seq order filtered afterwards.
    assert "ix_audit_log_dokumen_id_seq" in plan and "uq_audit_log_seq" not in plan, plan


def test_saving_the_header_logs_the_programs_only_when_they_change(db, client, login, people, rak):
    login(people("35.79").sekretaris)
    programs = [(p.kode, p.nama, str(p.anggaran)) for p in rak.revisi_aktif.program]
    assert len(programs) == 2

    def save(tempat: str, rows) -> None:
        page = client.get(f"/dokumen/{rak.id}/kepala").text
        data = {"csrf_token": csrf_token_from(page), "versi": _versi(page), "tempat": tempat,
                "pagu": "Rp 20.999.655.000", "bentuk_jadwal": "bulan"}
        for no, (kode, nama, anggaran) in enumerate(rows):
            data |= {f"program-{no}-kode": kode, f"program-{no}-nama": nama, f"program-{no}-anggaran": anggaran}
        assert client.post(f"/dokumen/{rak.id}/kepala", data=data).status_code == 302

    def logged() -> list[str]:
        return list(db.session.scalars(sa.select(audit.AuditEntry.aksi).where(
            audit.AuditEntry.dokumen_id == rak.id, audit.AuditEntry.aksi.in_(["ubah_kepala", "ubah_program"]))
            .order_by(audit.AuditEntry.seq)))

    before = logged()
    save("Kota Batu", programs)
    save("Batu", programs)
    assert logged()[len(before):] == ["ubah_kepala", "ubah_kepala"], "the programs were posted unchanged"
    save("Batu", programs[:1])
    assert logged()[len(before):] == ["ubah_kepala", "ubah_kepala", "ubah_program"]
    db.session.expire_all()
    assert [p.kode for p in rak.revisi_aktif.program] == [programs[0][0]]


def _press_form(page: str) -> dict:
    """What a workflow button's form sends, read off the document page."""
    form = {"csrf_token": csrf_token_from(page), "versi": re.search(r'name="versi" value="(\d+)"', page).group(1)}
    if match := re.search(r'name="hash_dibaca" value="(\w+)"', page):
        form["hash_dibaca"] = match.group(1)
    return form


def test_a_step_sent_twice_from_one_page_is_done_once_and_both_answers_show_it(db, app, login, people, make_user, rak):
    batu = people("35.79")

    def twice(c, event):
        form = _press_form(c.get(f"/dokumen/{rak.id}").text)
        return [c.post(f"/dokumen/{rak.id}/aksi/{event}", data=form, follow_redirects=True) for _ in range(2)]

    sek = login(batu.sekretaris, c=app.test_client())
    for event, label, status in (("submit", "Ajukan", "Diajukan"), ("sign", "Tanda tangani", "Diajukan")):
        first, second = twice(sek, event)
        assert first.status_code == second.status_code == 200
        assert f"{label}: berhasil. Status sekarang {status}." in first.text
        assert 'data-testid="error"' not in second.text
        assert f"{label} sudah Anda lakukan; permintaan yang sama tidak dijalankan dua kali. Status sekarang " \
               f"{status}." in second.text
    operations.tandatangani(db.session, rak, batu.ketua)
    db.session.commit()

    # Two reviewers open the signed document; one approves with a double-click, the other
    # presses on the page they opened before: that one is someone else's change, a 409.
    first_reviewer = login(people("35").reviewer, c=app.test_client())
    other = make_user("35", "reviewer")
    other_reviewer = login(other, c=app.test_client())
    stale = _press_form(other_reviewer.get(f"/dokumen/{rak.id}").text)
    first, second = twice(first_reviewer, "approve")
    assert first.status_code == second.status_code == 200 and 'data-testid="error"' not in second.text
    assert "Setujui sudah Anda lakukan" in second.text
    late = other_reviewer.post(f"/dokumen/{rak.id}/aksi/approve", data=stale)
    assert late.status_code == 409
    assert f"Dokumen ini telah diubah oleh {people('35').reviewer.username}" in section(late.text, "error")

    db.session.expire_all()
    assert rak.status is Status.REVIEWED
    done = db.session.scalars(sa.select(audit.AuditEntry.aksi).where(
        audit.AuditEntry.dokumen_id == rak.id, audit.AuditEntry.dari.is_not(None)).order_by(audit.AuditEntry.seq))
    assert list(done) == ["submit", "sign", "sign", "approve"]


def _hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page).group(1)


def test_editors_of_different_parts_of_a_pk_do_not_collide_and_of_the_same_part_do(db, app, login, people,
                                                                                      make_user, make_dokumen):
    pk = make_dokumen("pk_komisi")
    revisi = pk.revisi_aktif
    (s1, s2), (i1, i2) = revisi.sasaran, revisi.sasaran[0].indikator
    base = f"/dokumen/{pk.id}"
    one = login(people("35.79").ketua, c=app.test_client())
    other = login(make_user("35.79", "ketua"), c=app.test_client())
    start = db.session.scalar(sa.select(sa.func.max(audit.AuditEntry.seq)))

    def opened(c, path) -> dict:
        page = c.get(base + path).text
        return {"csrf_token": csrf_token_from(page), "versi": _versi(page), "sidik": _hidden(page, "sidik")}

    def indikator(form, uraian, target):
        return {**form, "uraian": uraian, "target": target, "polaritas": "naik", "pelaksana": "",
                "cara_agregasi": ""}

    ind1 = f"/sasaran/{s1.kunci}/indikator/{i1.kunci}"
    ind2 = f"/sasaran/{s1.kunci}/indikator/{i2.kunci}"
    # Everything opened on the same version of the document, before anyone saves.
    forms = {"ind1": opened(one, ind1), "ind2": opened(other, ind2), "kepala": opened(one, "/kepala"),
             "s2": opened(other, f"/sasaran/{s2.kunci}"), "ind1 again": opened(other, ind1)}
    assert len({f["versi"] for f in forms.values()}) == 1

    assert other.post(base + ind2, data=indikator(forms["ind2"], "Opini BPK atas laporan keuangan", "WTP")
                      ).status_code == 302
    saved = one.post(base + ind1, data=indikator(forms["ind1"], "Persentase indikator 1", "97,5%"))
    assert saved.status_code == 302, section(saved.text, "error")
    # The same click sent twice from that page: it already reads so, nothing is refused or logged again.
    assert one.post(base + ind1, data=indikator(forms["ind1"], "Persentase indikator 1", "97,5%")).status_code == 302
    assert other.post(base + f"/sasaran/{s2.kunci}", data={**forms["s2"], "uraian": "Terwujudnya sasaran dua"}
                      ).status_code == 302
    programs = {f"program-{n}-{k}": v for n, p in enumerate(revisi.program)
                for k, v in (("kode", p.kode), ("nama", p.nama), ("anggaran", str(p.anggaran)))}
    header = one.post(base + "/kepala", data={**forms["kepala"], **programs, "tempat": "Kota Batu",
                                              "pagu": "Rp 20.999.655.000", "bentuk_jadwal": "bulan"})
    assert header.status_code == 302, section(header.text, "error")

    # The same indikator, opened before the first save: refused, naming who changed it, the typing kept.
    late = other.post(base + ind1, data=indikator(forms["ind1 again"], "Persentase indikator satu", "90%"))
    assert late.status_code == 409
    assert section(late.text, "error").startswith(
        f"Indikator ini telah diubah oleh {people('35.79').ketua.username} sejak Anda membukanya.")
    assert "Persentase indikator satu" in late.text and 'value="90%"' in late.text
    # Saved again from that page (it carries the indikator as it reads now), the typing goes in.
    again = {**indikator(forms["ind1 again"], "Persentase indikator satu", "90%"),
             "csrf_token": csrf_token_from(late.text), "sidik": _hidden(late.text, "sidik")}
    assert other.post(base + ind1, data=again).status_code == 302

    db.session.expire_all()
    revisi = pk.revisi_aktif
    assert [(i.uraian, i.target) for i in revisi.sasaran[0].indikator] == [
        ("Persentase indikator satu", "90%"), ("Opini BPK atas laporan keuangan", "WTP")]
    assert (revisi.sasaran[1].uraian, revisi.tempat) == ("Terwujudnya sasaran dua", "Kota Batu")
    logged = db.session.scalars(sa.select(audit.AuditEntry.aksi).where(
        audit.AuditEntry.dokumen_id == pk.id, audit.AuditEntry.seq > start))
    assert sorted(logged) == ["ubah_indikator"] * 3 + ["ubah_kepala", "ubah_sasaran"]


def test_a_row_saved_in_a_schedule_shape_changed_meanwhile_is_refused(db, app, login, people, rak):
    """A row's schedule cells are read in the header's shape: the header is part of what the
    row editor showed."""
    batu = people("35.79")
    kul = login(batu.subbag_kul, c=app.test_client())
    kunci = rak.revisi_aktif.baris[0].kunci
    page = kul.get(f"/dokumen/{rak.id}/baris/{kunci}").text
    operations.ubah_kepala(db.session, rak, batu.sekretaris, operations.Kepala(
        tempat="Batu", pagu=20_999_655_000, bentuk_jadwal=operations.BentukJadwal.TRIWULAN), versi=None)
    db.session.commit()
    response = kul.post(f"/dokumen/{rak.id}/baris/{kunci}", data={
        "csrf_token": csrf_token_from(page), "versi": _versi(page), "sidik": _hidden(page, "sidik"),
        "indikator": "Persentase capaian kegiatan 1", "target": "97,5%", "polaritas": "naik",
        "kegiatan": "Rapat koordinasi 1", "biaya": "Rp 1.000.000", "pelaksana": "kul", "jadwal": ["12"]})
    assert response.status_code == 409 and "Baris ini telah diubah oleh" in section(response.text, "error")


@pytest.mark.parametrize("jenis", ["pk_sekretariat", "rkt_komisi", "rak_sekretariat"])
def test_an_unlocked_revision_read_as_columns_shows_what_the_mapped_one_shows(db, app, login, people, make_dokumen,
                                                                            monkeypatch, count_statements, jenis):
    """The page reads a draft's content as columns (webapp.document_page._RevisiBaca); the
    mapped content, which an editor's refused change is shown with, gives the same page."""
    from webapp import document_page

    dokumen = make_dokumen(jenis, baris=3)
    c = login(getattr(people("35.79"), dokumen.jenis.penyusun.value), c=app.test_client())
    url = f"/dokumen/{dokumen.id}"
    c.get(url)
    with count_statements() as columns:
        read = c.get(url).text
    monkeypatch.setattr(document_page, "_boleh_dibaca", lambda revisi, isi: False)
    with count_statements() as mapped:
        loaded = c.get(url).text
    assert masked(read) == masked(loaded)
    assert "Hapus" in read  # the editor's page, with its actions
    assert columns.count < mapped.count
