"""Every route goes through the gate: walked from app.url_map, so new routes are covered."""
import pytest

from tests.conftest import csrf_token_from
from webapp.gate import endpoint_access

# Reachable without signing in. Anything added here must be deliberate.
# The verification page is public on purpose: its code is printed on signed paper.
PUBLIC = {"static", "admin.static", "auth.login", "auth.kode", "auth.daftar_kode", "i18n.set_language",
          "documents.verifikasi_form", "documents.verifikasi",
          # A load balancer's health checks (webapp/health.py): "ok", nothing about anyone.
          "health.sehat", "health.sehat_db"}
SAMPLE_VALUES = {"kode": "35.79", "filename": "sakip.css", "id": "1", "jenis": "pk_komisi", "event": "submit",
                 "tahun": "2024"}


def _rules(app):
    for rule in app.url_map.iter_rules():
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        values = {arg: SAMPLE_VALUES.get(arg, "1") for arg in rule.arguments}
        with app.test_request_context():
            url = app.url_map.bind("localhost").build(rule.endpoint, values)
        yield rule.endpoint, url, methods


def test_every_route_is_declared_public_or_gated(app):
    with app.test_request_context():
        undeclared = [ep for ep, _url, _m in _rules(app) if endpoint_access(ep) is None]
        public = {ep for ep, _url, _m in _rules(app) if endpoint_access(ep) == "public"}
    assert undeclared == []
    assert public == PUBLIC


def test_every_route_outside_the_public_list_turns_an_anonymous_visitor_to_sign_in(app, db):
    client = app.test_client()
    checked = 0
    for endpoint, url, methods in _rules(app):
        if endpoint in PUBLIC:
            continue
        for method in methods:
            response = client.open(url, method=method)
            assert response.status_code == 302, f"{method} {url} ({endpoint})"
            assert response.location.startswith("/masuk"), f"{method} {url} ({endpoint})"
            checked += 1
    assert checked >= 20  # the back office alone has this many


def test_a_signed_in_user_without_admin_rights_gets_404_from_every_back_office_route(app, make_user, login):
    client = login(make_user("RI", "reviewer"))  # sees everything, manages nothing
    token = csrf_token_from(client.get("/").text)  # a valid token: only the gate may refuse
    checked = 0
    for endpoint, url, methods in _rules(app):
        if not url.startswith("/admin") or endpoint == "admin.static":
            continue
        for method in methods:
            data = {"csrf_token": token, "id": "1"} if method == "POST" else None
            assert client.open(url, method=method, data=data).status_code == 404, f"{method} {url}"
            checked += 1
    assert checked >= 20


def test_an_undeclared_view_fails_closed(app, make_user, login):
    """A view someone forgets to declare answers 404 even to a signed-in admin."""
    probe = app.test_client()
    app.view_functions["offices.home"].__dict__.pop("_sakip_access")
    try:
        login(make_user("RI", "admin"), c=probe)
        assert probe.get("/").status_code == 404
    finally:
        app.view_functions["offices.home"]._sakip_access = "gated"


@pytest.mark.parametrize("path", ["/", "/satker/35", "/admin/", "/admin/pengguna/"])
def test_anonymous_gets_the_sign_in_page_with_the_way_back(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.location.startswith("/masuk?next=")


@pytest.mark.parametrize("path", ["/satker/%00", "/masuk?next=%00", "/?x=%00"])
def test_nul_bytes_are_refused_at_the_door(client, path):
    assert client.get(path).status_code == 400
