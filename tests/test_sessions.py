"""Sessions: sign-out and disabling end every session of the account; idle and absolute
lifetimes; the clock is moved by replacing webapp.security.clock, never by waiting."""
from __future__ import annotations

import logging

from tests.conftest import csrf_token_from
from webapp import config, security


def test_the_session_carries_the_account_token_so_a_new_token_ends_it(client, make_user, login):
    user = make_user("35.79", "sekretaris")
    login(user)
    with client.session_transaction() as session:
        assert session["_user_id"] == f"{user.id}:{user.session_token}"


def test_signing_out_ends_every_session_of_the_account(app, people, login):
    admin = people("RI").admin
    laptop, phone = login(admin, c=app.test_client()), login(admin, c=app.test_client())
    assert phone.get("/admin/").status_code == 200

    laptop.post("/keluar", data={"csrf_token": csrf_token_from(laptop.get("/").text)})

    assert laptop.get("/").status_code == 302
    assert phone.get("/admin/").status_code == 302


def test_disabling_an_account_in_the_back_office_ends_its_sessions(app, db, tree, people, login):
    admin, sekretaris = people("RI").admin, people("35.79").sekretaris
    their_browser = login(sekretaris, c=app.test_client())
    admin_browser = login(admin, c=app.test_client())
    page = admin_browser.get(f"/admin/pengguna/edit/?id={sekretaris.id}")

    saved = admin_browser.post(f"/admin/pengguna/edit/?id={sekretaris.id}", data={
        "csrf_token": csrf_token_from(page.text), "username": sekretaris.username, "full_name": sekretaris.full_name,
        "satker": str(tree["35.79"].id), "password": "",  # "active" unchecked
    })

    assert saved.status_code == 302
    response = their_browser.get("/")
    assert response.status_code == 302 and response.location.startswith("/masuk")


def test_a_session_ends_after_the_idle_lifetime(app, client, make_user, login, clock, caplog):
    login(make_user("35.79", "sekretaris", username="batu.sekretaris"))
    caplog.set_level(logging.INFO, logger="sakip.security")
    idle = app.config["SAKIP_SESSION_IDLE_SECONDS"] // 60
    assert idle == 30

    for _ in range(4):  # busy for two hours: never idle for long
        clock.advance(idle - 1)
        assert client.get("/").status_code == 200
    clock.advance(idle + 1)

    response = client.get("/")
    assert response.status_code == 302 and response.location.startswith("/masuk")
    assert "masuk sesi-berakhir pengguna='batu.sekretaris'" in caplog.text
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_a_session_ends_after_the_absolute_lifetime_however_busy(app, client, make_user, login, clock):
    login(make_user("35.79", "sekretaris"))
    assert app.config["SAKIP_SESSION_ABSOLUTE_SECONDS"] == 12 * 3600

    for _ in range(12 * 3):  # a request every 20 minutes for 12 hours
        clock.advance(20)
        assert client.get("/").status_code == 200
    clock.advance(20)

    assert client.get("/").status_code == 302


def test_a_session_without_its_times_is_not_accepted(client, make_user, login):
    login(make_user("35.79", "sekretaris"))
    with client.session_transaction() as session:
        del session[security.SIGNED_IN_AT]

    assert client.get("/").status_code == 302


def test_the_lifetimes_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SAKIP_SESSION_IDLE_MINUTES", "15")
    monkeypatch.setenv("SAKIP_SESSION_ABSOLUTE_HOURS", "8")

    settings = config.security_config()

    assert settings["SAKIP_SESSION_IDLE_SECONDS"] == 15 * 60
    assert settings["SAKIP_SESSION_ABSOLUTE_SECONDS"] == 8 * 3600


def test_no_remember_me_cookie_is_ever_issued(client, make_user):
    make_user("35.79", "sekretaris", username="batu.sekretaris")
    page = client.get("/masuk")
    response = client.post("/masuk", data={"username": "batu.sekretaris", "password": "rahasia-uji-123",
                                           "remember": "y", "csrf_token": csrf_token_from(page.text)})

    assert response.status_code == 302
    assert all(not c.startswith(("remember_token", "__Host-remember")) for c in response.headers.getlist("Set-Cookie"))
