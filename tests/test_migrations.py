"""Alembic: upgrade head on an empty database gives exactly what the models declare."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from tenants.db import db
from webapp import create_app


def _schema_drift(url):
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(context, db.metadata)
    finally:
        engine.dispose()


def test_upgrade_head_on_an_empty_database_matches_the_models(backend, fresh_database_url):
    url = fresh_database_url(backend)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        db.engine.dispose()

    assert {"satker", "user_account", "membership", "alembic_version"} <= tables
    assert _schema_drift(url) == []


def test_downgrade_to_base_and_back_up(backend, fresh_database_url):
    url = fresh_database_url(backend)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "membership" in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_constraints_are_named_by_the_convention(backend, fresh_database_url):
    url = fresh_database_url(backend)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        inspector = inspect(db.engine)
        checks = {c["name"] for c in inspector.get_check_constraints("membership")}
        fks = {f["name"] for f in inspector.get_foreign_keys("membership")}
        db.engine.dispose()

    assert {"ck_membership_divisi_iff_anggota", "ck_membership_subbagian_iff_subbag", "ck_membership_peran"} <= checks
    assert fks == {"fk_membership_user_id_user_account", "fk_membership_satker_id_satker"}
