"""TOTP second factor: required for admins and reviewers, optional for the rest, asked again
before signing, one code never accepted twice, failures limited and logged."""
from __future__ import annotations

import logging
import re
import time

import pyotp
import pytest
import sqlalchemy as sa

from tenants import accounts, otp
from tenants.people import User
from tests.conftest import TEST_TOTP_SECRET, csrf_token_from, totp_code
from tests.factories import TEST_PASSWORD
from webapp import security
from workflow.dokumen import operations
from workflow.dokumen.models import Status


def _password_step(client, user, next_path=None):
    page = client.get("/masuk")
    url = "/masuk" + (f"?next={next_path}" if next_path else "")
    return client.post(url, data={"username": user.username, "password": TEST_PASSWORD,
                                  "csrf_token": csrf_token_from(page.text)})


def _code_step(client, code, path="/masuk/kode"):
    page = client.get(path)
    return client.post(path, data={"kode": code, "csrf_token": csrf_token_from(page.text)})


def _secret_on(page: str) -> str:
    return re.search(r'data-testid="totp-secret">([A-Z2-7]{32})<', page).group(1)


def _stored_secret(db, user) -> str | None:
    return db.session.scalar(sa.select(User.totp_secret).where(User.id == user.id))


def _with_authenticator(db, user, secret=TEST_TOTP_SECRET):
    db.session.execute(sa.update(User).where(User.id == user.id).values(totp_secret=secret, totp_last_step=None))
    db.session.commit()
    db.session.expire(user)
    return secret


# -- the rules ----------------------------------------------------------------------------------

def test_admins_and_reviewers_must_have_it_the_others_may(people):
    assert otp.required(people("RI").admin) and otp.required(people("35").reviewer)
    for role in ("sekretaris", "ketua", "subbag_kul"):
        assert not otp.required(getattr(people("35.79"), role))


def test_a_code_is_accepted_once_and_within_one_step_of_now(db, people):
    user = people("35").reviewer
    _with_authenticator(db, user)
    totp, now = pyotp.TOTP(TEST_TOTP_SECRET), time.time()

    assert not otp.verify(user, totp.at(now - 90), now=now)  # three steps old
    assert not otp.verify(user, "12345", now=now) and not otp.verify(user, None, now=now)
    assert otp.verify(user, totp.at(now - 30), now=now)  # clock drift of one step
    assert not otp.verify(user, totp.at(now - 30), now=now)  # used
    code = totp.at(now)
    assert otp.verify(user, f"{code[:3]} {code[3:]}", now=now)  # as some apps show it
    assert not otp.verify(user, totp.at(now - 30), now=now)  # and never again after a later one


# -- sign-in ---------------------------------------------------------------------------------

def test_an_admin_without_authenticator_enrols_before_being_signed_in(db, client, people):
    admin = people("RI").admin

    response = _password_step(client, admin, next_path="/admin/")
    assert response.status_code == 302 and response.location == "/masuk/autentikator"
    assert client.get("/").status_code == 302  # not signed in by the password alone

    page = client.get("/masuk/autentikator").text
    secret = _secret_on(page)
    assert re.search(r'<img src="data:image/svg\+xml;charset=utf-8,[^"]+" alt="Kode QR autentikator"', page)
    assert "wajib memakai kode autentikator" in page
    assert _secret_on(client.get("/masuk/autentikator").text) == secret  # stable while enrolling

    wrong = _code_step(client, "000000", "/masuk/autentikator")
    assert wrong.status_code == 200 and "Kode tidak cocok" in wrong.text and _stored_secret(db, admin) is None

    done = _code_step(client, pyotp.TOTP(secret).now(), "/masuk/autentikator")
    assert done.status_code == 302 and done.location == "/admin/"
    assert client.get("/").status_code == 200
    assert _stored_secret(db, admin) == secret


def test_an_enrolled_reviewer_types_the_code_after_the_password(db, client, people, caplog):
    reviewer = people("35").reviewer
    _with_authenticator(db, reviewer)
    caplog.set_level(logging.INFO, logger="sakip.security")

    assert _password_step(client, reviewer).location == "/masuk/kode"
    assert client.get("/").status_code == 302
    wrong = _code_step(client, "000000")
    assert "Kode salah atau sudah dipakai" in wrong.text and client.get("/").status_code == 302

    assert _code_step(client, totp_code()).status_code == 302
    assert client.get("/").status_code == 200
    assert f"masuk sandi-benar pengguna='{reviewer.username}'" in caplog.text
    assert f"masuk kode-gagal pengguna='{reviewer.username}'" in caplog.text
    assert f"masuk berhasil pengguna='{reviewer.username}'" in caplog.text


def test_a_used_code_does_not_sign_in_again(app, db, people):
    reviewer = people("35").reviewer
    _with_authenticator(db, reviewer)
    first, second = app.test_client(), app.test_client()
    code = totp_code()
    _password_step(first, reviewer)
    assert _code_step(first, code).status_code == 302

    _password_step(second, reviewer)
    replay = _code_step(second, code)

    assert replay.status_code == 200 and "sudah dipakai" in replay.text
    assert second.get("/").status_code == 302


def test_the_code_page_needs_a_fresh_correct_password(db, client, people, monkeypatch):
    reviewer = people("35").reviewer
    _with_authenticator(db, reviewer)

    assert client.get("/masuk/kode").location == "/masuk"  # no password given
    _password_step(client, reviewer)
    token = csrf_token_from(client.get("/masuk/kode").text)
    later = time.time() + 301
    monkeypatch.setattr(security, "clock", lambda: later)

    expired = client.post("/masuk/kode", data={"kode": pyotp.TOTP(TEST_TOTP_SECRET).at(later), "csrf_token": token})
    assert expired.status_code == 302 and expired.location == "/masuk"
    assert client.get("/").status_code == 302


def test_failed_codes_are_limited_per_account(app, db, client, people, monkeypatch):
    monkeypatch.setitem(app.config, "SAKIP_LIMIT_CODE_USER", "3 per minute")
    reviewer = people("35").reviewer
    _with_authenticator(db, reviewer)
    _password_step(client, reviewer)

    statuses = [_code_step(client, "000000").status_code for _ in range(3)]
    limited = _code_step(client, totp_code())

    assert statuses == [200, 200, 200]
    assert limited.status_code == 429 and "Terlalu banyak percobaan yang gagal" in limited.text
    assert client.get("/").status_code == 302


def test_others_sign_in_with_the_password_alone_and_may_add_an_authenticator(db, client, people, login):
    kul = people("35.79").subbag_kul
    assert _password_step(client, kul).location == "/"

    page = client.get("/akun/keamanan").text
    assert "Belum terpasang" in page
    secret = _secret_on(client.get("/akun/autentikator").text)
    assert _code_step(client, pyotp.TOTP(secret).now(), "/akun/autentikator").location == "/akun/keamanan"
    assert _stored_secret(db, kul) == secret

    client.post("/keluar", data={"csrf_token": csrf_token_from(client.get("/").text)})
    assert _password_step(client, kul).location == "/masuk/kode"  # now asked every time


def test_an_optional_authenticator_is_removed_with_a_code_a_required_one_is_not(app, db, people, login):
    kul, reviewer = people("35.79").subbag_kul, people("35").reviewer
    _with_authenticator(db, kul)
    client = login(kul, c=app.test_client())
    token = csrf_token_from(client.get("/akun/keamanan").text)

    client.post("/akun/autentikator/hapus", data={"csrf_token": token, "kode": "000000"})
    assert _stored_secret(db, kul) == TEST_TOTP_SECRET
    step = pyotp.TOTP(TEST_TOTP_SECRET).timecode(time.time()) + 1  # login used the current step
    client.post("/akun/autentikator/hapus", data={"csrf_token": token,
                                                  "kode": pyotp.TOTP(TEST_TOTP_SECRET).generate_otp(step)})
    assert _stored_secret(db, kul) is None

    rc = login(reviewer, c=app.test_client())
    token = csrf_token_from(rc.get("/akun/keamanan").text)
    assert rc.post("/akun/autentikator/hapus", data={"csrf_token": token, "kode": totp_code()}).status_code == 403


def test_an_admin_reset_of_a_lost_authenticator_asks_for_enrolment_again(app, db, client, people, login):
    reviewer = people("35").reviewer
    phone = login(reviewer, c=app.test_client())
    accounts.reset_second_factor(reviewer)
    db.session.commit()

    assert phone.get("/").status_code == 302  # its sessions ended
    assert _password_step(client, reviewer).location == "/masuk/autentikator"


def test_the_back_office_resets_an_authenticator(app, db, tree, client, people, login):
    reviewer, admin = people("35").reviewer, people("RI").admin
    _with_authenticator(db, reviewer)
    login(admin)
    page = client.get(f"/admin/pengguna/edit/?id={reviewer.id}")
    assert 'name="hapus_autentikator"' in page.text

    client.post(f"/admin/pengguna/edit/?id={reviewer.id}", data={
        "csrf_token": csrf_token_from(page.text), "username": reviewer.username, "full_name": reviewer.full_name,
        "satker": str(tree["35"].id), "active": "y", "password": "", "hapus_autentikator": "y",
    })

    assert _stored_secret(db, reviewer) is None


# -- signing -----------------------------------------------------------------------------------

@pytest.fixture
def rak_to_sign(db, people, make_dokumen):
    rak = make_dokumen("rak_sekretariat")
    operations.ajukan(db.session, rak, people("35.79").sekretaris)
    db.session.commit()
    return rak


def _sign(client, dokumen, **extra):
    page = client.get(f"/dokumen/{dokumen.id}").text
    form = {"csrf_token": csrf_token_from(page), "versi": re.search(r'name="versi" value="(\d+)"', page).group(1),
            "hash_dibaca": re.search(r'name="hash_dibaca" value="(\w+)"', page).group(1), **extra}
    return page, client.post(f"/dokumen/{dokumen.id}/aksi/sign", data=form)


def test_signing_asks_a_fresh_code_of_an_account_with_an_authenticator(db, client, people, login, rak_to_sign):
    sekretaris = people("35.79").sekretaris
    _with_authenticator(db, sekretaris)
    login(sekretaris)

    page, missing = _sign(client, rak_to_sign)
    assert 'name="kode_totp"' in page and 'autocomplete="one-time-code"' in page
    assert missing.status_code == 403 and "Kode autentikator salah atau sudah dipakai" in missing.text
    _page, used = _sign(client, rak_to_sign, kode_totp=totp_code())  # the code just used to sign in
    assert used.status_code == 403
    db.session.expire_all()
    assert rak_to_sign.revisi_aktif.tanda_tangan == []

    step = pyotp.TOTP(TEST_TOTP_SECRET).timecode(time.time()) + 1
    _page, signed = _sign(client, rak_to_sign, kode_totp=pyotp.TOTP(TEST_TOTP_SECRET).generate_otp(step))
    assert signed.status_code == 302
    db.session.expire_all()
    assert [t.user_id for t in rak_to_sign.revisi_aktif.tanda_tangan] == [sekretaris.id]
    assert rak_to_sign.status is Status.SUBMITTED  # the ketua signs next


def test_signing_without_an_authenticator_works_as_before(db, client, people, login, rak_to_sign):
    login(people("35.79").sekretaris)

    page, signed = _sign(client, rak_to_sign)

    assert 'name="kode_totp"' not in page
    assert signed.status_code == 302
