"""Accounts (issue 6 point 3): password hashing and policy, sign-in limits on memory and on
Redis, security headers and cookies, the security log, and no GET that writes."""
from __future__ import annotations

import logging
import re
import uuid

import pytest
import sqlalchemy as sa

from tenants import accounts, passwords
from tenants.people import User
from tests.conftest import csrf_token_from, redis_url_or_skip
from tests.factories import TEST_PASSWORD

WRONG = "Nama pengguna atau kata sandi salah."


def _post_login(client, username, password, next_path=None):
    page = client.get("/masuk")
    url = "/masuk" + (f"?next={next_path}" if next_path else "")
    return client.post(url, data={"username": username, "password": password, "csrf_token": csrf_token_from(page.text)})


# -- hashing ------------------------------------------------------------------------------------

def test_new_hashes_are_argon2id_with_owasp_minimum_parameters():
    stored = passwords.hash_password("sebuah kalimat sandi")

    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert passwords.verify_password(stored, "sebuah kalimat sandi")
    assert not passwords.verify_password(stored, "sebuah kalimat sandI")
    assert not passwords.needs_rehash(stored)


def test_an_older_hash_is_replaced_at_the_next_sign_in(db, client, make_user):
    from argon2 import PasswordHasher

    user = make_user("35.79", "sekretaris", username="batu.sekretaris")
    old = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash(TEST_PASSWORD)  # RFC 9106 low-memory
    user.password_hash = old
    db.session.commit()
    assert passwords.needs_rehash(old)

    assert _post_login(client, "batu.sekretaris", TEST_PASSWORD).status_code == 302

    stored = db.session.scalar(sa.select(User.password_hash).where(User.id == user.id))
    assert stored != old and stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert passwords.verify_password(stored, TEST_PASSWORD)


def test_a_wrong_password_leaves_an_old_hash_alone(db, client, make_user):
    from argon2 import PasswordHasher

    user = make_user("35.79", "sekretaris", username="batu.sekretaris")
    user.password_hash = old = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash(TEST_PASSWORD)
    db.session.commit()

    assert WRONG in _post_login(client, "batu.sekretaris", "bukan-sandinya").text
    assert db.session.scalar(sa.select(User.password_hash).where(User.id == user.id)) == old


# -- policy ------------------------------------------------------------------------------------

@pytest.mark.parametrize("password, reason", [
    ("pendek1", "minimal 8 karakter"),
    ("x" * 65, "maksimal 64 karakter"),
    ("password", "terlalu umum"),
    ("12345678", "terlalu umum"),
    ("Qwertyuiop", "terlalu umum"),
    ("iloveyou", "terlalu umum"),
    ("Pemilu2024!", "terlalu umum"),
    ("kpu12345", "terlalu umum"),
    ("aaaaaaaaaa", "terlalu umum"),
    ("batu.sekretaris", "sama dengan nama pengguna"),
    ("BATU.SEKRETARIS", "sama dengan nama pengguna"),
])
def test_weak_passwords_are_refused_with_the_reason(password, reason):
    assert reason in passwords.password_problem(password, "batu.sekretaris")


@pytest.mark.parametrize("password", [
    "rahasia-uji-123", "kuda baterai staples benar", "Demo-SAKIP-2024", "mawar merah 9", "é" * 4 + "ğ" * 4 + "ü" * 56,
])
def test_long_or_unusual_passwords_are_accepted(password):
    assert passwords.password_problem(password, "batu.sekretaris") is None


def test_the_common_list_is_the_maintained_one():
    common = passwords.common_passwords()
    assert len(common) == 30_000 and {"123456", "password", "qwerty"} <= common


def test_the_policy_holds_in_the_account_operations(db, tree, make_user):
    user = make_user("35.79", "sekretaris", username="batu.sekretaris")

    with pytest.raises(accounts.AccountError, match="terlalu umum"):
        accounts.create_user(db.session, "batu.baru", "Baru", tree["35.79"], "password1")
    with pytest.raises(accounts.AccountError, match="sama dengan nama pengguna"):
        accounts.create_user(db.session, "batu.baru2", "Baru", tree["35.79"], "batu.baru2")
    with pytest.raises(accounts.AccountError, match="terlalu umum"):
        accounts.set_password(user, "iloveyou")
    with pytest.raises(accounts.AccountError, match="sama dengan nama pengguna"):
        accounts.set_password(user, "Batu.Sekretaris")


def test_the_policy_holds_in_the_back_office(db, tree, client, make_user, login):
    admin = make_user("RI", "admin")
    user = make_user("35.79", "sekretaris", username="batu.sekretaris")
    login(admin)
    page = client.get(f"/admin/pengguna/edit/?id={user.id}")
    response = client.post(f"/admin/pengguna/edit/?id={user.id}", data={
        "csrf_token": csrf_token_from(page.text), "username": "batu.sekretaris", "full_name": user.full_name,
        "satker": str(tree["35.79"].id), "active": "y", "password": "iloveyou",
    })

    assert "terlalu umum" in response.text
    assert passwords.verify_password(db.session.scalar(sa.select(User.password_hash).where(User.id == user.id)),
                                     TEST_PASSWORD)


def test_the_policy_holds_in_the_command_line(app, db, tree):
    from webapp.cli import cli

    result = app.test_cli_runner().invoke(cli, ["user", "add", "batu.baru", "--name", "Baru", "--satker", "35.79",
                                                "--password", "password123"])
    # `sakip` (webapp.cli.main) prints an AccountError as one line; the runner keeps the exception.
    assert result.exit_code != 0 and "terlalu umum" in str(result.exception or result.output)


def test_a_user_changes_their_own_password_and_other_sessions_end(app, db, client, make_user, login):
    user = make_user("35.79", "sekretaris", username="batu.sekretaris")
    phone = login(user, c=app.test_client())
    login(user)
    page = client.get("/akun/keamanan")
    token = csrf_token_from(page.text)

    weak = client.post("/akun/kata-sandi", data={"csrf_token": token, "lama": TEST_PASSWORD, "baru": "password1",
                                                 "ulang": "password1"})
    assert weak.status_code == 422 and "terlalu umum" in weak.text
    wrong = client.post("/akun/kata-sandi", data={"csrf_token": token, "lama": "salah-sandinya", "baru": "kuda baterai",
                                                  "ulang": "kuda baterai"})
    assert "Kata sandi sekarang salah." in wrong.text

    done = client.post("/akun/kata-sandi", data={"csrf_token": token, "lama": TEST_PASSWORD, "baru": "kuda baterai staples",
                                                 "ulang": "kuda baterai staples"})
    assert done.status_code == 302
    assert client.get("/").status_code == 200  # this browser goes on
    assert phone.get("/").status_code == 302  # the other device is signed out
    stored = db.session.scalar(sa.select(User.password_hash).where(User.id == user.id))
    assert passwords.verify_password(stored, "kuda baterai staples")


# -- limits on failed sign-ins ------------------------------------------------------------------

def _fail(client, username, times):
    return [_post_login(client, username, "bukan-sandinya").status_code for _ in range(times)]


def test_failed_sign_ins_are_limited_per_username(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "SAKIP_LIMIT_SIGN_IN_USER", "3 per minute")
    make_user("35.79", "sekretaris", username="batu.sekretaris")

    assert _fail(client, "batu.sekretaris", 3) == [200, 200, 200]
    limited = _post_login(client, "Batu.Sekretaris", TEST_PASSWORD)  # even the right password now waits

    assert limited.status_code == 429
    assert "Terlalu banyak percobaan yang gagal. Coba lagi dalam 1 menit." in limited.text
    assert 1 <= int(limited.headers["Retry-After"]) <= 61
    assert client.get("/").status_code == 302
    # Another account from the same address is not affected by this one's limit.
    make_user("35.79", "ketua", username="batu.ketua")
    assert _post_login(client, "batu.ketua", TEST_PASSWORD).status_code == 302


def test_failed_sign_ins_are_limited_per_address_across_usernames(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SAKIP_LIMIT_SIGN_IN_ADDRESS", "4 per minute")

    statuses = [_post_login(client, f"tebakan{n}", "bukan-sandinya").status_code for n in range(5)]

    assert statuses == [200, 200, 200, 200, 429]
    other_address = app.test_client()
    other_address.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    assert _post_login(other_address, "tebakan9", "bukan-sandinya").status_code == 200


def test_successful_sign_ins_do_not_count(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "SAKIP_LIMIT_SIGN_IN_ADDRESS", "2 per minute")
    monkeypatch.setitem(app.config, "SAKIP_LIMIT_SIGN_IN_USER", "2 per minute")
    make_user("35.79", "sekretaris", username="batu.sekretaris")

    for _ in range(4):
        other = app.test_client()
        assert _post_login(other, "batu.sekretaris", TEST_PASSWORD).status_code == 302


@pytest.fixture
def redis_app(app, backend):
    """The test app's twin with its limits in Redis under a key prefix of its own."""
    import redis

    url = redis_url_or_skip()
    from webapp import create_app

    prefix = f"sakip-test-{uuid.uuid4().hex[:12]}"
    twins = [create_app({**{k: v for k, v in app.config.items() if k.startswith(("SQLALCHEMY", "SECRET", "TESTING"))},
                         "RATELIMIT_STORAGE_URI": url, "RATELIMIT_KEY_PREFIX": prefix,
                         "SAKIP_LIMIT_SIGN_IN_USER": "3 per minute"}) for _ in range(2)]
    yield twins
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)


def test_with_redis_two_server_processes_count_the_same_failures(db, make_user, redis_app):
    """Two app instances (as two gunicorn workers would be) share one count through Redis."""
    make_user("35.79", "sekretaris", username="batu.sekretaris")
    first, second = (twin.test_client() for twin in redis_app)

    assert _fail(first, "batu.sekretaris", 2) == [200, 200]
    assert _fail(second, "batu.sekretaris", 1) == [200]
    assert _post_login(first, "batu.sekretaris", TEST_PASSWORD).status_code == 429
    assert _post_login(second, "batu.sekretaris", TEST_PASSWORD).status_code == 429


def test_memory_storage_is_per_process(app, db, client, make_user, monkeypatch):
    """Without REDIS_URL each process counts alone: the reason production sets it."""
    from webapp import create_app

    monkeypatch.setitem(app.config, "SAKIP_LIMIT_SIGN_IN_USER", "2 per minute")
    twin = create_app({**{k: v for k, v in app.config.items() if k.startswith(("SQLALCHEMY", "SECRET", "TESTING"))},
                       "RATELIMIT_STORAGE_URI": "memory://", "SAKIP_LIMIT_SIGN_IN_USER": "2 per minute"})
    make_user("35.79", "sekretaris", username="batu.sekretaris")
    assert _fail(client, "batu.sekretaris", 3)[-1] == 429
    assert _post_login(twin.test_client(), "batu.sekretaris", TEST_PASSWORD).status_code == 302


def test_redis_is_chosen_by_redis_url(monkeypatch):
    from webapp import config

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    assert config.security_config()["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"
    monkeypatch.delenv("REDIS_URL")
    assert config.security_config()["RATELIMIT_STORAGE_URI"] == "memory://"


# -- headers and cookies --------------------------------------------------------------------------

def _csp(response) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
            for part in (p.strip() for p in response.headers["Content-Security-Policy"].split(";"))}


@pytest.mark.parametrize("path", ["/masuk", "/static/sakip.css", "/tidak-ada", "/verifikasi"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)

    csp = _csp(response)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'", "no inline script here, so no nonce either"
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert csp["frame-ancestors"] == "'none'" and csp["base-uri"] == "'none'" and csp["object-src"] == "'none'"
    assert csp["form-action"] == "'self'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # development: plain HTTP


def test_the_nonce_changes_per_request_and_signed_in_pages_are_not_cached(client, make_user, login):
    login(make_user("RI", "admin"))
    first, second = client.get("/admin/pengguna/"), client.get("/admin/pengguna/")

    assert re.fullmatch(r"'self' 'nonce-[A-Za-z0-9_-]{24}'", _csp(first)["script-src"])
    assert _csp(first)["script-src"] != _csp(second)["script-src"]
    assert first.headers["Cache-Control"] == "no-store"
    assert client.get("/").headers["Cache-Control"] == "no-store"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def test_our_pages_have_no_inline_scripts_and_admin_scripts_carry_the_nonce(client, make_user, make_dokumen, login):
    dokumen = make_dokumen("rak_sekretariat")
    login(make_user("RI", "admin"))
    for path in ("/", "/dasbor", f"/dokumen/{dokumen.id}", "/satker/35.79/dasbor", "/akun/keamanan", "/admin/",
                 "/admin/pengguna/"):
        response = client.get(path)
        assert response.status_code == 200 or response.status_code == 302 and path == "/dasbor", path
        if response.status_code != 200:
            continue
        script_src = _csp(response)["script-src"]
        if not path.startswith("/admin"):
            assert script_src == "'self'", f"{path}: a nonce nobody needs"
            assert INLINE_SCRIPT.findall(response.text) == [], path
            assert not EVENT_HANDLER.search(response.text), path
            assert ' style="' not in response.text, path
        else:
            nonce = script_src.split("'nonce-")[1].rstrip("'")
            for attributes in INLINE_SCRIPT.findall(response.text):
                assert f'nonce="{nonce}"' in attributes, f"{path}: inline <script{attributes}> without this nonce"


def test_production_configuration_hsts_and_host_cookies(app, db, make_user, monkeypatch):
    from webapp import create_app

    monkeypatch.setenv("SAKIP_ENV", "production")
    prod = create_app({**{k: v for k, v in app.config.items() if k.startswith(("SQLALCHEMY", "SECRET"))},
                       "RATELIMIT_STORAGE_URI": "memory://"})
    assert prod.config["SESSION_COOKIE_NAME"] == "__Host-sakip" and prod.config["REMEMBER_COOKIE_NAME"] == "__Host-remember"
    assert prod.config["SESSION_COOKIE_SECURE"] and prod.config["REMEMBER_COOKIE_SECURE"]
    user = make_user("35.79", "sekretaris")
    client = prod.test_client()
    page = client.get("/masuk", base_url="https://localhost")
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"

    response = client.post("/masuk", base_url="https://localhost", headers={"Referer": "https://localhost/masuk"}, data={
        "username": user.username, "password": TEST_PASSWORD, "csrf_token": csrf_token_from(page.text)})

    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-sakip=")
    for flag in ("Secure", "HttpOnly", "Path=/", "SameSite=Lax"):
        assert flag in cookie
    assert "Domain=" not in cookie


# -- the security log -----------------------------------------------------------------------------

def test_every_sign_in_attempt_is_logged_with_username_and_address(client, make_user, caplog):
    make_user("35.79", "sekretaris", username="batu.sekretaris")
    caplog.set_level(logging.INFO, logger="sakip.security")

    _post_login(client, "batu.sekretaris", "bukan-sandinya")
    _post_login(client, "tidak.ada", "bukan-sandinya")
    _post_login(client, "batu.sekretaris", TEST_PASSWORD)

    lines = [r.getMessage() for r in caplog.records if r.name == "sakip.security" and r.getMessage().startswith("masuk ")]
    assert lines[0].startswith("masuk gagal pengguna='batu.sekretaris' alamat=127.0.0.1") and "akun_ada=True" in lines[0]
    assert lines[1].startswith("masuk gagal pengguna='tidak.ada' alamat=127.0.0.1") and "akun_ada=False" in lines[1]
    assert lines[2].startswith("masuk berhasil pengguna='batu.sekretaris' alamat=127.0.0.1")
    assert "bukan-sandinya" not in caplog.text and TEST_PASSWORD not in caplog.text


def test_a_limited_attempt_and_a_disabled_account_are_logged(app, db, client, make_user, caplog, monkeypatch):
    monkeypatch.setitem(app.config, "SAKIP_LIMIT_SIGN_IN_USER", "1 per minute")
    user = make_user("35.79", "sekretaris", username="batu.sekretaris")
    caplog.set_level(logging.INFO, logger="sakip.security")
    _fail(client, "batu.sekretaris", 2)
    accounts.set_active(user, False)
    db.session.commit()
    app.extensions["sakip_limiter"].reset()
    _post_login(client, "batu.sekretaris", TEST_PASSWORD)

    assert "masuk dibatasi pengguna='batu.sekretaris'" in caplog.text
    assert "masuk nonaktif pengguna='batu.sekretaris'" in caplog.text


def test_refused_access_is_logged(db, client, make_user, make_dokumen, login, caplog):
    dokumen = make_dokumen("rak_sekretariat", kode="35.79")
    caplog.set_level(logging.INFO, logger="sakip.security")

    client.get(f"/dokumen/{dokumen.id}")  # anonymous: sent to sign in
    login(make_user("51.71", "sekretaris", username="denpasar.sekretaris"))
    client.get(f"/dokumen/{dokumen.id}")  # another office's document: 404
    client.get("/admin/pengguna/")  # not an admin: 404
    token = csrf_token_from(client.get("/").text)
    client.post(f"/dokumen/{dokumen.id}/aksi/submit", data={"csrf_token": token, "versi": "1"})

    refused = [r.getMessage() for r in caplog.records if r.getMessage().startswith("akses ditolak")]
    assert any("pengguna=anonim" in m and f"GET /dokumen/{dokumen.id}" in m and "diarahkan" in m for m in refused)
    assert any("status=404 pengguna=denpasar.sekretaris" in m and f"GET /dokumen/{dokumen.id}" in m for m in refused)
    assert any("status=404 pengguna=denpasar.sekretaris" in m and "GET /admin/pengguna/" in m for m in refused)
    assert any("status=404 pengguna=denpasar.sekretaris" in m and f"POST /dokumen/{dokumen.id}/aksi/submit" in m
               for m in refused)
    assert all(r.levelno == logging.WARNING for r in caplog.records if r.getMessage().startswith("akses ditolak"))


# -- no GET changes anything ----------------------------------------------------------------------

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|MERGE|CREATE|DROP|ALTER|TRUNCATE)\b", re.I)


def _get_urls(app, samples: list[dict]) -> list[str]:
    urls = []
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "admin.static"):
            continue
        for values in samples:
            if not set(rule.arguments) <= set(values):
                continue
            url = adapter.build(rule.endpoint, {arg: values[arg] for arg in rule.arguments})
            if rule.endpoint.endswith(("details_view", "edit_view")):
                url += f"?id={values['object_id']}"
            urls.append(url)
            if not rule.arguments:
                break
    return sorted(set(urls))


def test_no_get_changes_anything(app, db, tree, people, make_dokumen, login, count_statements):
    """Every GET route from app.url_map, as a KPU RI admin and as a kabupaten sekretaris, with
    ids of real objects: not one INSERT, UPDATE or DELETE reaches the database."""
    from workflow.dokumen import bab_lkj as lkj
    from workflow.dokumen import operations
    from workflow.dokumen.models import JenisDokumen

    rak = make_dokumen("rak_sekretariat", kode="35.79")
    pk = make_dokumen("pk_sekretariat", kode="35.79")
    laporan = operations.buat_dokumen(db.session, tree["35.79"], 2024, JenisDokumen("lkj"), None)
    db.session.commit()
    sekretaris = people("35.79").sekretaris
    admin = people("RI").admin
    sasaran = pk.revisi_aktif.sasaran[0]
    common = {"kode": "35.79", "filename": "sakip.css", "export_type": "csv", "object_id": sekretaris.id, "nomor": 0}
    samples = [
        {**common, "dokumen_id": rak.id, "kunci": rak.revisi_aktif.baris[0].kunci},
        {**common, "dokumen_id": pk.id, "kunci": sasaran.kunci},
        {**common, "dokumen_id": pk.id, "sasaran_kunci": sasaran.kunci, "kunci": sasaran.indikator[0].kunci},
        {**common, "dokumen_id": laporan.id, "bab": next(iter(lkj.JUDUL_BAB)), "kunci": "x"},
        {**common, "kode": verification_code(db, rak)},
    ]
    urls = _get_urls(app, samples)
    assert len(urls) >= 40

    for user in (admin, sekretaris):
        client = login(user, c=app.test_client())
        statuses = {}
        with count_statements() as counter:
            for url in urls:
                statuses[url] = client.get(url).status_code
        writes = [s for s in counter.statements if WRITES.match(s)]
        assert writes == [], f"{user.username}: {writes[:3]}"
        assert 500 not in statuses.values(), {u: s for u, s in statuses.items() if s == 500}
        assert sum(s == 200 for s in statuses.values()) >= 15, statuses


def verification_code(db, dokumen) -> str:
    from workflow.dokumen.models import Revisi

    return db.session.scalar(sa.select(Revisi.kode_verifikasi).where(Revisi.dokumen_id == dokumen.id)) or "ABCDEF"


def test_behind_a_proxy_the_forwarded_address_is_limited_and_logged(app, db, monkeypatch, caplog):
    from webapp import create_app

    proxied = create_app({**{k: v for k, v in app.config.items() if k.startswith(("SQLALCHEMY", "SECRET", "TESTING"))},
                          "RATELIMIT_STORAGE_URI": "memory://", "SAKIP_PROXY_HOPS": 1,
                          "SAKIP_LIMIT_SIGN_IN_ADDRESS": "2 per minute"})
    caplog.set_level(logging.INFO, logger="sakip.security")

    def attempt(forwarded_for):
        c = proxied.test_client()
        c.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
        return _post_login(c, "tebakan", "bukan-sandinya").status_code

    assert [attempt("203.0.113.7") for _ in range(3)] == [200, 200, 429]
    assert attempt("198.51.100.9") == 200  # another visitor behind the same proxy
    assert "alamat=203.0.113.7" in caplog.text and "alamat=198.51.100.9" in caplog.text


def test_the_back_office_delete_asks_without_an_inline_handler(client, make_user, login):
    login(make_user("RI", "admin"))
    make_user("35.79", "sekretaris")

    page = client.get("/admin/pengguna/").text

    assert "data-sakip-confirm=" in page and "/static/konfirmasi.js" in page
    assert not EVENT_HANDLER.search(page)
