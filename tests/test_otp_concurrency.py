"""One authenticator code, sent by several sessions at once, is accepted exactly once
(issue 14, point 1): at the sign-in code step and at a signature, against a real threaded
server on SQLite and on PostgreSQL (tests/test_two_servers.py does the same through two
gunicorn processes).

On PostgreSQL each request reads the account, so reading the last step used and writing
it back would let every simultaneous request through; the step moves in one conditional
UPDATE whose row count decides.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tenants import accounts
from tenants.people import User
from tests.conftest import TEST_TOTP_SECRET, csrf_token_from, totp_code
from tests.factories import TEST_PASSWORD
from tests.test_concurrency import Browser, all_at_once, open_document, site  # noqa: F401 - the fixture
from workflow.dokumen.models import Revisi
from workflow.dokumen.signature import TandaTangan

USED = "sudah dipakai"


def _fresh_authenticator(site, username: str) -> None:
    """``username`` has the tests' authenticator and has used none of its codes yet."""
    with site.session() as s:
        s.execute(sa.update(User).where(User.username == username)
                  .values(totp_secret=TEST_TOTP_SECRET, totp_last_step=None))
        s.commit()


@pytest.fixture
def many_code_attempts(site):
    """Failed codes are limited per account (5 a minute): here every request reaches the check."""
    config = site.app.config
    before = config["SAKIP_LIMIT_CODE_USER"]
    config["SAKIP_LIMIT_CODE_USER"] = "100 per minute"
    site.app.extensions["sakip_limiter"].reset()
    yield
    config["SAKIP_LIMIT_CODE_USER"] = before
    site.app.extensions["sakip_limiter"].reset()


def test_one_code_posted_by_eight_sessions_at_once_signs_in_exactly_one(site, many_code_attempts):
    _fresh_authenticator(site, "reviewer2")
    browsers = []
    for _ in range(8):  # eight browsers past the password, each at the code step
        browser = Browser(site.port)
        step = browser.post("/masuk", {"username": "reviewer2", "password": TEST_PASSWORD,
                                       "csrf_token": csrf_token_from(browser.get("/masuk").text)})
        assert step.status == 302 and step.location.endswith("/masuk/kode"), step.text[:300]
        browsers.append(browser)
    forms = [{"csrf_token": csrf_token_from(b.get("/masuk/kode").text)} for b in browsers]
    code = totp_code()

    responses = all_at_once([(b, "/masuk/kode", {**form, "kode": code}) for b, form in zip(browsers, forms)])

    site.assert_no_server_error()
    statuses = sorted(r.status for r in responses)
    assert statuses == [200] * 7 + [302], statuses
    assert all(USED in r.text for r in responses if r.status == 200)
    signed_in = [b for b, r in zip(browsers, responses) if r.status == 302]
    assert [b.get("/").status for b in browsers].count(200) == 1 and signed_in[0].get("/").status == 200


def test_one_code_signs_exactly_one_of_six_documents_signed_at_once(site, many_code_attempts):
    """Six tabs of the Sekretaris, each on a document of its own (no document lock in common),
    sign with the same code at once: one signature, five refusals naming the used code."""
    _fresh_authenticator(site, "sekretaris")
    documents = [site.new_rak("submitted") for _ in range(6)]
    tabs = site.browsers("sekretaris", 6)
    forms = [open_document(tab, dokumen_id, "sign") for tab, dokumen_id in zip(tabs, documents)]
    code = totp_code()

    responses = all_at_once([(tab, f"/dokumen/{dokumen_id}/aksi/sign", {**form, "kode_totp": code})
                             for tab, dokumen_id, form in zip(tabs, documents, forms)])

    site.assert_no_server_error()
    statuses = sorted(r.status for r in responses)
    assert statuses == [302] + [403] * 5, statuses
    assert all("Kode autentikator salah atau sudah dipakai" in r.text for r in responses if r.status == 403)
    with site.session() as s:
        signed = s.scalars(sa.select(Revisi.dokumen_id).join(TandaTangan)
                           .where(Revisi.dokumen_id.in_(documents))).all()
        assert len(signed) == 1
        winner = documents[[r.status for r in responses].index(302)]
        assert signed == [winner]
        sekretaris = accounts.find_user(s, "sekretaris")
        s.execute(sa.update(User).where(User.id == sekretaris.id).values(totp_secret=None, totp_last_step=None))
        s.commit()
