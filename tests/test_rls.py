"""The second wall: PostgreSQL's row-level security keeps each office's documents to the
offices allowed to see them, even when the application forgets to filter.

The application connects as a role that does not own the tables (``sakip db app-role``);
the data is made by the owner, as the migrations and the CLI are."""

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import text, true

from tenants import rls, scoping
from tenants.db import db
from tenants.hierarchy import load_hierarchy
from tests.conftest import TREE, app_role, csrf_token_from, masked
from tests.factories import TEST_PASSWORD, UserFactory, grant
from webapp import create_app
from workflow.dokumen import operations, policy
from workflow.dokumen.models import Dokumen, JenisDokumen


@pytest.fixture(scope="module")
def dunia(fresh_database_url):
    """A schema made by the owner, with Kota Batu's and Kota Malang's PKs, and an app that
    connects as a non-owner role: {"app", "owner", "ids", "users", "role"}."""
    url = fresh_database_url("postgresql")
    owner = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with owner.app_context():
        upgrade()
        load_hierarchy(db.session, TREE)
        db.session.commit()
        satker = {s.kode: s for s in db.session.scalars(sa.select(scoping.Satker))}
        users = {}
        for kode, peran in (("35.79", "ketua"), ("35.73", "ketua"), ("35", "ketua"), ("35", "inspektorat")):
            user = UserFactory(username=f"{peran}.{kode}", satker=satker[kode])
            grant(user, satker[kode], peran)
            users[f"{peran}.{kode}"] = user.username
        db.session.commit()
        ids = {}
        for kode in ("35.79", "35.73", "35"):
            ketua = db.session.scalar(sa.select(scoping.User).where(scoping.User.username == f"ketua.{kode}"))
            dokumen = operations.buat_dokumen(db.session, satker[kode], 2024, JenisDokumen.PK_KOMISI, ketua)
            sasaran = operations.simpan_sasaran(db.session, dokumen, ketua, f"Sasaran {kode}")
            operations.simpan_indikator(db.session, dokumen, ketua, sasaran.kunci, f"Indikator {kode}", "80%",
                                        operations.Polaritas.NAIK)
            ids[kode] = dokumen.id
        db.session.commit()
    with app_role(owner, "sakip_app") as role:
        app_url = sa.make_url(url).set(username=role).render_as_string(hide_password=False)
        app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": app_url,
                          "SAKIP_RLS": True})
        yield {"app": app, "owner": owner, "ids": ids, "users": users, "role": role}
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _count(conn, table: str) -> int:
    return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()


def test_the_application_role_cannot_bypass_the_policies(dunia):
    with dunia["app"].app_context():
        row = db.session.execute(text(
            "SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = current_user")).one()
        owner = db.session.scalar(text("SELECT tableowner FROM pg_tables WHERE tablename = 'dokumen' "
                                       "AND schemaname = current_schema()"))
        assert (row.rolbypassrls, row.rolsuper) == (False, False) and owner != dunia["role"]


def test_the_database_shows_only_the_offices_in_the_transactions_setting(dunia):
    ids = dunia["ids"]
    with dunia["app"].app_context():
        engine = db.engine
    with engine.connect() as conn:
        batu = conn.execute(text("SELECT satker_id FROM dokumen WHERE id = :id"), {"id": ids["35.79"]})
        assert batu.first() is None, "no setting: nothing at all"
    with engine.begin() as conn:
        rls.pasang(conn, rls.SEMUA)
        batu_satker = conn.execute(text("SELECT satker_id FROM dokumen WHERE id = :id"), {"id": ids["35.79"]}).scalar()
    with engine.begin() as conn:
        rls.pasang(conn, str(batu_satker))
        assert [r.id for r in conn.execute(text("SELECT id FROM dokumen"))] == [ids["35.79"]]
        assert _count(conn, "revisi") == 1 and _count(conn, "indikator") == 1 and _count(conn, "sasaran") == 1
        # Writing into another office's rows touches nothing, and new rows there are refused.
        changed = conn.execute(text("UPDATE sasaran SET uraian = 'dibajak' WHERE revisi_id IN "
                                    "(SELECT id FROM revisi WHERE dokumen_id = :id)"), {"id": ids["35.73"]})
        assert changed.rowcount == 0
    with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
        with engine.begin() as conn:
            rls.pasang(conn, str(batu_satker))
            conn.execute(text("INSERT INTO dokumen (satker_id, tahun, jenis, status, nomor_revisi, versi, "
                              "dibuat_pada, diubah_pada) SELECT id, 2030, 'pk_komisi', 'draft', 0, 1, now(), now() "
                              "FROM satker WHERE kode = '35.73'"))
    with engine.begin() as conn:
        rls.pasang(conn, rls.SEMUA)
        assert _count(conn, "dokumen") == 3
    # A request's transactions start without the setting (webapp.rls sends none for "no
    # office"): that is safe only because the setting ends with the transaction that set it.
    with engine.connect() as conn:
        with conn.begin():
            rls.pasang(conn, rls.SEMUA)
            assert _count(conn, "dokumen") == 3
        with conn.begin():  # the same connection, as the pool hands it to the next request
            assert _count(conn, "dokumen") == 0 and _count(conn, "indikator") == 0


def _login(app, username):
    client = app.test_client()
    page = client.get("/masuk")
    response = client.post("/masuk", data={"username": username, "password": TEST_PASSWORD,
                                           "csrf_token": csrf_token_from(page.text)})
    assert response.status_code == 302, response.text
    return client


@pytest.fixture
def tanpa_saringan(monkeypatch):
    """The application's own filter switched off: every document query and office check
    says yes; only the database stands in the way."""
    monkeypatch.setattr(policy, "terlihat", lambda user: true())
    monkeypatch.setattr(scoping, "can", lambda *args, **kwargs: True)


def test_with_the_applications_filter_off_another_office_is_still_missing(dunia, tanpa_saringan):
    ids, app = dunia["ids"], dunia["app"]
    c = _login(app, "ketua.35.79")
    assert c.get(f"/dokumen/{ids['35.79']}").status_code == 200
    missing = c.get("/dokumen/999999")
    for foreign in (ids["35.73"], ids["35"]):
        page = c.get(f"/dokumen/{foreign}")
        # The same page as for a document that does not exist (the language form echoes the path).
        assert (page.status_code, masked(page.text.replace(f"/dokumen/{foreign}", "/dokumen/999999"))) == (
            missing.status_code, masked(missing.text))
        assert c.get(f"/dokumen/{foreign}/unduh.xlsx").status_code == 404
    inspektorat = _login(app, "inspektorat.35")  # a reader of the offices below, through the same wall
    assert inspektorat.get(f"/dokumen/{ids['35.73']}").status_code == 200


def test_cascade_and_the_public_verification_reach_across_offices_as_designed(dunia):
    ids, app = dunia["ids"], dunia["app"]
    c = _login(app, "ketua.35")
    page = c.get(f"/dokumen/{ids['35']}")
    assert c.post(f"/dokumen/{ids['35']}/turunkan", data={"csrf_token": csrf_token_from(page.text)}
                  ).status_code == 302
    with dunia["owner"].app_context():
        batu = db.session.get(Dokumen, ids["35.79"])
        inherited = [i for s in batu.revisi_aktif.sasaran for i in s.indikator if i.induk_kunci]
        assert len(inherited) == 1, "the province's indikator reached Kota Batu's draft"
        ketua = db.session.scalar(sa.select(scoping.User).where(scoping.User.username == "ketua.35"))
        dokumen = db.session.get(Dokumen, ids["35"])
        operations.ajukan(db.session, dokumen, ketua)
        db.session.commit()
        kode = dokumen.revisi_aktif.kode_verifikasi
    anonymous = app.test_client()
    assert anonymous.get(f"/verifikasi/{kode}").status_code == 200


def test_prepared_statements_outlive_requests_and_keep_each_office_to_its_own(dunia):
    """Pages that only read end with COMMIT (webapp/transaksi.py), so psycopg prepares the
    statements a connection repeats; a plan kept that way must still show each person only
    their offices (the policies read the setting when they run, not when they are planned)."""
    ids, app = dunia["ids"], dunia["app"]
    batu, malang = _login(app, "ketua.35.79"), _login(app, "ketua.35.73")
    for _ in range(8):  # past psycopg's threshold of five executions
        assert batu.get(f"/dokumen/{ids['35.79']}").status_code == 200
    with app.app_context():
        prepared = db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
        db.session.rollback()
    assert prepared > 0, "the pages' statements were prepared and kept between requests"
    for _ in range(3):
        assert malang.get(f"/dokumen/{ids['35.79']}").status_code == 404
        assert malang.get(f"/dokumen/{ids['35.73']}").status_code == 200
        assert batu.get(f"/dokumen/{ids['35.73']}").status_code == 404


def _sent(app, call):
    """The statements ``call`` sends through the app's engine, as text."""
    sent = []

    def listen(_conn, _cursor, statement, *_args):
        sent.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        result = call()
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)
    return result, sent


@pytest.fixture(scope="module")
def dua_kantor(dunia):
    """A person holding two offices (Kota Batu and Kota Malang), neither a subtree role."""
    with dunia["owner"].app_context():
        satker = {s.kode: s for s in db.session.scalars(sa.select(scoping.Satker))}
        user = UserFactory(username="dua.kantor", satker=satker["35.79"])
        grant(user, satker["35.79"], "ketua")
        grant(user, satker["35.73"], "anggota", divisi="perencanaan")
        db.session.commit()
    return "dua.kantor"


def test_the_offices_held_are_set_by_the_statement_that_loads_the_person(dunia, dua_kantor):
    """Most people hold only their own offices: the statement that loads them sets those
    (tenants.rls.kolom_pasang_sendiri), so their pages send no set_config of their own; a
    reader of a subtree still gets scoping's statement. Either way, the same offices."""
    ids, app = dunia["ids"], dunia["app"]
    c = _login(app, dua_kantor)
    for kode, status in (("35.79", 200), ("35.73", 200), ("35", 404)):
        response, sent = _sent(app, lambda: c.get(f"/dokumen/{ids[kode]}"))
        assert response.status_code == status, kode
        # (Later set_config statements are sistem()'s, for a parent's targets: not the gate's.)
        assert "set_config" in sent[0], "set with the person's load, the request's first statement"
        assert not sent[1].lstrip().startswith("SELECT set_config"), "no statement of the gate's own"
    inspektorat = _login(app, "inspektorat.35")
    response, sent = _sent(app, lambda: inspektorat.get(f"/dokumen/{ids['35.73']}"))
    assert response.status_code == 200
    assert sent[1].lstrip().startswith("SELECT set_config"), "a subtree: scoping's statement, by the gate"


@pytest.mark.parametrize("why", ["token", "inactive", "session over"])
def test_a_person_whose_session_no_longer_holds_leaves_no_office_set(dunia, dua_kantor, why):
    """The statement that loads the person has set their offices before the token, the
    account and the session's lifetime are checked: a refusal takes them back."""
    from webapp import auth

    app = dunia["app"]
    with dunia["owner"].app_context():
        user = db.session.scalar(sa.select(scoping.User).where(scoping.User.username == dua_kantor))
        user_id, token = user.id, user.session_token
        if why == "inactive":
            user.active = False
            db.session.commit()
    try:
        with app.test_request_context("/"):
            # A bare request has no session start: its lifetime counts as over.
            assert auth.load_user(f"{user_id}:{'lama' if why == 'token' else token}") is None
            assert db.session.scalar(text("SELECT current_setting('sakip.satker', true)")) in ("", None)
            assert _count(db.session.connection(), "dokumen") == 0
            db.session.rollback()
    finally:
        with dunia["owner"].app_context():
            db.session.get(scoping.User, user_id).active = True
            db.session.commit()
