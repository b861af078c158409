"""Typing survives an expired session (issue 14, point 7), through the test client; the
browser story (the script that puts the fields back) is tests/browser/test_session_expiry.py.

The clock is moved by replacing webapp.security.clock, never by waiting.
"""
from __future__ import annotations

import html
import json
import re
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from tenants.kept_input import KeptInput
from tenants.people import User
from tests.conftest import TEST_TOTP_SECRET, csrf_token_from, totp_code
from tests.factories import TEST_PASSWORD
from workflow.dokumen.content import RakBaris

ENDED_KEPT = "Sesi Anda telah berakhir. Masuk lagi untuk melanjutkan; isian Anda disimpan."
ENDED = "Sesi Anda telah berakhir. Silakan masuk lagi."


@pytest.fixture
def row_page(make_dokumen):
    """The editor of the first row of Kota Batu's RAK Sekretariat draft."""
    rak = make_dokumen("rak_sekretariat")
    return rak, f"/dokumen/{rak.id}/baris/{rak.revisi_aktif.baris[0].kunci}"


def _typed(page: str) -> dict:
    """The row form as the page shows it, then retyped by its user."""
    return {
        "csrf_token": csrf_token_from(page),
        "versi": re.search(r'name="versi" type="hidden" value="(\d+)"', page).group(1),
        "indikator": "Persentase capaian kegiatan 1", "target": "97,5%", "polaritas": "naik",
        "kegiatan": "Rapat evaluasi triwulan\nMonitoring ke PPK", "kode_output": "CQ.6709.QGE.003",
        "biaya": "Rp 7.654.321", "pelaksana": "kul", "jadwal": ["3", "4"],
    }


def _post_expired(client, path: str, data: dict, referer: str | None = None):
    return client.post(path, data=data, headers={"Referer": referer or f"http://localhost{path}"})


def _sign_in(client, username: str, next_path: str):
    page = client.get(f"/masuk?next={quote(next_path, safe='')}")
    return client.post(f"/masuk?next={quote(next_path, safe='')}", data={
        "username": username, "password": TEST_PASSWORD, "csrf_token": csrf_token_from(page.text)})


def _kept_on(page: str) -> tuple[dict, str] | None:
    """(what the page will put back, where it tells the server so), or None."""
    match = re.search(r'<script type="application/json" id="isian-tersimpan" data-selesai="([^"]+)">(.*?)</script>',
                      page, re.S)
    return (json.loads(match.group(2)), html.unescape(match.group(1))) if match else None


def _stored_biaya(db, rak) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(RakBaris.biaya).where(RakBaris.revisi_id == rak.revisi_aktif.id)
                             .order_by(RakBaris.urutan).limit(1))


def test_a_row_sent_after_the_idle_limit_comes_back_after_signing_in_again(db, client, people, row_page, login,
                                                                           clock):
    rak, path = row_page
    before = _stored_biaya(db, rak)
    login(people("35.79").sekretaris)
    typed = _typed(client.get(path).text)
    clock.advance(31)  # the idle limit is 30 minutes

    sent = _post_expired(client, path, {**typed, "password": "tidak-disimpan", "kode_totp": "123456"})

    assert sent.status_code == 302 and sent.location == f"/masuk?next={quote(path, safe='')}"
    assert ENDED_KEPT in client.get(sent.location).text
    assert _stored_biaya(db, rak) == before, "nothing is saved to the document"

    back = _sign_in(client, people("35.79").sekretaris.username, path)
    assert back.status_code == 302 and back.location == path
    page = client.get(path).text
    kept, forget_url = _kept_on(page)
    assert kept["action"] == path
    fields = [tuple(pair) for pair in kept["fields"]]
    assert ("biaya", "Rp 7.654.321") in fields and ("kegiatan", "Rapat evaluasi triwulan\nMonitoring ke PPK") in fields
    assert [v for k, v in fields if k == "jadwal"] == ["3", "4"] and ("versi", typed["versi"]) in fields
    assert not {"csrf_token", "password", "kode_totp"} & {k for k, _v in fields}
    assert 'data-testid="isian-dipulihkan"' in page and "/static/isian.js" in page
    assert _stored_biaya(db, rak) == before

    # The page's script put them back and says so: the server forgets them.
    assert client.post(forget_url, data={"csrf_token": csrf_token_from(page)}).status_code == 204
    assert _kept_on(client.get(path).text) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(KeptInput)) == 0


def test_through_the_code_step_too(db, client, people, row_page, login, clock):
    rak, path = row_page
    sekretaris = people("35.79").sekretaris
    db.session.execute(sa.update(User).where(User.id == sekretaris.id).values(totp_secret=TEST_TOTP_SECRET))
    db.session.commit()
    login(sekretaris)
    typed = _typed(client.get(path).text)
    clock.advance(12 * 60 + 1)  # the absolute limit, this time

    assert ENDED_KEPT in client.get(_post_expired(client, path, typed).location).text
    db.session.execute(sa.update(User).where(User.id == sekretaris.id).values(totp_last_step=None))
    db.session.commit()
    assert _sign_in(client, sekretaris.username, path).location == "/masuk/kode"
    code = client.post("/masuk/kode", data={"kode": totp_code(),
                                            "csrf_token": csrf_token_from(client.get("/masuk/kode").text)})

    assert code.status_code == 302 and code.location == path
    kept, _url = _kept_on(client.get(path).text)
    assert ["biaya", "Rp 7.654.321"] in kept["fields"]


def test_only_the_same_account_ever_sees_it(app, db, client, people, row_page, login, clock):
    rak, path = row_page
    sekretaris, kul = people("35.79").sekretaris, people("35.79").subbag_kul
    login(sekretaris)
    typed = _typed(client.get(path).text)
    clock.advance(31)
    _post_expired(client, path, typed)
    kept_id = db.session.scalar(sa.select(KeptInput.id))

    # Another account on the same browser, on the same page (it may edit its own rows there).
    assert _sign_in(client, kul.username, path).location == path
    page = client.get(path)
    assert page.status_code == 200 and _kept_on(page.text) is None
    refused = client.post(f"/akun/isian/{kept_id}/dipulihkan", data={"csrf_token": csrf_token_from(page.text)})
    missing = client.post("/akun/isian/999999/dipulihkan", data={"csrf_token": csrf_token_from(page.text)})
    assert refused.status_code == missing.status_code == 404
    assert db.session.scalar(sa.select(KeptInput.id)) == kept_id

    # Its owner, on another browser, gets it back.
    owner = app.test_client()
    assert _sign_in(owner, sekretaris.username, path).location == path
    assert _kept_on(owner.get(path).text) is not None


def test_it_is_gone_after_two_hours(db, client, people, row_page, login, clock):
    rak, path = row_page
    login(people("35.79").sekretaris)
    typed = _typed(client.get(path).text)
    clock.advance(31)
    _post_expired(client, path, typed)
    clock.advance(121)

    _sign_in(client, people("35.79").sekretaris.username, path)

    assert _kept_on(client.get(path).text) is None


@pytest.mark.parametrize("change", ["forged", "foreign referer", "password page"])
def test_nothing_is_kept_from_a_forged_form_another_site_or_a_password_form(db, client, people, row_page, login,
                                                                            clock, change):
    rak, path = row_page
    login(people("35.79").sekretaris)
    typed, target, referer = _typed(client.get(path).text), path, None
    if change == "forged":
        typed["csrf_token"] = "bukan-token-sesi-ini"
    elif change == "foreign referer":
        referer = f"http://evil.example{path}"
    else:
        target, typed = "/akun/kata-sandi", {"csrf_token": typed["csrf_token"], "lama": TEST_PASSWORD,
                                             "baru": "kuda baterai staples", "ulang": "kuda baterai staples"}
        referer = "http://localhost/akun/keamanan"
    clock.advance(31)

    sent = _post_expired(client, target, typed, referer)

    assert sent.status_code == 302 and sent.location.startswith("/masuk?next=")
    message = client.get(sent.location).text
    assert ENDED in message and ENDED_KEPT not in message
    assert db.session.scalar(sa.select(sa.func.count()).select_from(KeptInput)) == 0


def test_a_page_opened_after_the_idle_limit_says_the_session_ended(client, people, login, clock):
    login(people("35.79").sekretaris)
    clock.advance(31)

    response = client.get("/satker/35.79")

    assert response.status_code == 302 and response.location == "/masuk?next=%2Fsatker%2F35.79"
    assert ENDED in client.get(response.location).text
    never = client.get("/satker/35.79")  # not signed in at all: the usual invitation
    assert "Silakan masuk untuk membuka halaman itu." in client.get(never.location).text


def test_a_form_too_large_after_the_session_ended_is_sent_to_sign_in_not_kept(app, db, client, people, row_page,
                                                                             login, clock, monkeypatch):
    rak, path = row_page
    login(people("35.79").sekretaris)
    typed = _typed(client.get(path).text)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2000)
    clock.advance(31)

    sent = _post_expired(client, path, {**typed, "kegiatan": "x" * 3000})

    assert sent.status_code == 302 and sent.location.startswith("/masuk?next=")
    assert ENDED in client.get(sent.location).text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(KeptInput)) == 0
