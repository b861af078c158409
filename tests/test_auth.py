"""Sign-in, sign-out, disabled accounts, session renewal and CSRF."""
import pytest

from tenants.accounts import set_active
from tests.conftest import csrf_token_from
from tests.factories import TEST_PASSWORD

WRONG = "Nama pengguna atau kata sandi salah."


def _post_login(client, username, password):
    page = client.get("/masuk")
    return client.post("/masuk", data={
        "username": username, "password": password, "csrf_token": csrf_token_from(page.text),
    })


def test_sign_in_leads_to_the_home_page(client, make_user):
    user = make_user("35.79", "sekretaris", username="batu.sekretaris")

    response = _post_login(client, "Batu.Sekretaris", TEST_PASSWORD)

    assert response.status_code == 302 and response.location == "/"
    home = client.get("/")
    assert home.status_code == 200 and user.full_name in home.text


def test_wrong_password_and_unknown_user_get_the_same_message(client, make_user):
    make_user("35.79", "sekretaris", username="batu.sekretaris")

    wrong_password = _post_login(client, "batu.sekretaris", "bukan-sandinya")
    unknown_user = _post_login(client, "tidak.ada", TEST_PASSWORD)

    for response in (wrong_password, unknown_user):
        assert response.status_code == 200
        assert WRONG in response.text
    assert client.get("/").status_code == 302  # still signed out


def test_a_missing_field_comes_back_beside_the_field_with_the_rest_kept(client):
    page = client.get("/masuk")
    response = client.post("/masuk", data={"username": "batu.sekretaris", "password": "", "csrf_token": csrf_token_from(page.text)})

    assert "Kata sandi wajib diisi." in response.text
    assert 'value="batu.sekretaris"' in response.text


def test_a_disabled_account_cannot_sign_in(db, client, make_user):
    user = make_user("35.79", "sekretaris", username="batu.sekretaris")
    set_active(user, False)
    db.session.commit()

    response = _post_login(client, "batu.sekretaris", TEST_PASSWORD)

    # The words of a wrong password (the README's one message): the page does not tell
    # whoever typed it that the password was right (tests/test_signin_limits.py compares pages).
    assert WRONG in response.text and "dinonaktifkan" not in response.text
    assert client.get("/").status_code == 302


def test_disabling_an_account_ends_its_open_sessions(db, client, make_user, login):
    user = make_user("35.79", "sekretaris")
    login(user)
    assert client.get("/").status_code == 200

    set_active(user, False)
    db.session.commit()

    response = client.get("/")
    assert response.status_code == 302 and response.location.startswith("/masuk")


def test_signing_out_ends_the_sessions_on_other_devices_too(app, client, make_user, login):
    user = make_user("35.79", "sekretaris")
    laptop, phone = login(user), login(user, c=app.test_client())
    page = laptop.get("/")

    laptop.post("/keluar", data={"csrf_token": csrf_token_from(page.text)})

    assert laptop.get("/").status_code == 302
    assert phone.get("/").status_code == 302


def test_sign_in_starts_a_fresh_session_but_keeps_the_language(client, make_user, login):
    user = make_user("35.79", "sekretaris")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker before sign-in"
        session["lang"] = "en"

    login(user)

    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["lang"] == "en"
        assert session["_user_id"].startswith(f"{user.id}:")


def test_a_form_without_its_csrf_token_is_refused(client, make_user):
    make_user("35.79", "sekretaris", username="batu.sekretaris")

    response = client.post("/masuk", data={"username": "batu.sekretaris", "password": TEST_PASSWORD})

    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_sign_out_by_get_is_not_possible(client, make_user, login):
    login(make_user("35.79", "sekretaris"))

    assert client.get("/keluar").status_code == 405
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/%09/evil.example", "/%0a/evil.example",
    "/\\evil.example", "javascript:alert(1)", "evil.example",
])
def test_next_is_followed_only_within_the_site(client, make_user, target):
    make_user("35.79", "sekretaris", username="batu.sekretaris")
    page = client.get("/masuk")

    response = client.post(f"/masuk?next={target}", data={
        "username": "batu.sekretaris", "password": TEST_PASSWORD, "csrf_token": csrf_token_from(page.text),
    })

    assert response.status_code == 302 and response.location == "/"


def test_next_within_the_site_is_followed(client, make_user):
    make_user("35.79", "sekretaris", username="batu.sekretaris")
    page = client.get("/masuk")

    response = client.post("/masuk?next=/satker/35.79", data={
        "username": "batu.sekretaris", "password": TEST_PASSWORD, "csrf_token": csrf_token_from(page.text),
    })

    assert response.location == "/satker/35.79"
