"""Alembic: upgrade head on an empty database gives exactly what the models declare."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy.exc import DatabaseError

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


def test_the_lkj_kind_is_added_without_losing_a_revision_or_a_lock_trigger(backend, fresh_database_url):
    """Adding a document kind rewrites dokumen's CHECK constraint (a table copy on SQLite):
    the documents, their revisions and the lock triggers must all survive it."""
    url = fresh_database_url(backend)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="671816509c53")
        with db.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO satker (kode, nama, tingkat, path) VALUES ('00', 'KPU RI', 'pusat', '/00/')")
            conn.exec_driver_sql(
                "INSERT INTO dokumen (satker_id, tahun, jenis, status, nomor_revisi, versi, dibuat_pada, diubah_pada) "
                "SELECT id, 2024, 'pk_komisi', 'draft', 0, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM satker")
            conn.exec_driver_sql(
                "INSERT INTO revisi (dokumen_id, nomor, alasan_jenis, dibuat_pada, terkunci) "
                "SELECT id, 0, 'awal', CURRENT_TIMESTAMP, false FROM dokumen")
        triggers_before = _trigger_count(backend)
        upgrade(revision="e7177625bcbd")
        assert _trigger_count(backend) == triggers_before + (4 if backend == "sqlite" else 1)
        upgrade()
        with db.engine.begin() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM revisi").scalar() == 1
            conn.exec_driver_sql(
                "INSERT INTO dokumen (satker_id, tahun, jenis, status, nomor_revisi, versi, dibuat_pada, diubah_pada) "
                "SELECT id, 2024, 'lkj', 'draft', 0, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM satker")
        db.engine.dispose()


STATE_TRIGGERS = {"sqlite": {"dokumen_status_sesuai_insert", "dokumen_status_sesuai_update"},
                  "postgresql": {"dokumen_status_sesuai"} | {
                      f"{t}_tanpa_kosongkan" for t in ("audit_log", "tanda_tangan", "revisi", "program_anggaran",
                                                       "sasaran", "indikator", "rak_baris", "kegiatan", "lkj_isi")}}


def test_the_state_triggers_reach_head_and_leave_with_their_downgrade(backend, fresh_database_url):
    """Created by 1a0e5f3c2b71 over documents already there, still present at head (a later
    migration that copies dokumen on SQLite must create them again), dropped by its downgrade."""
    url = fresh_database_url(backend)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="a4e1c9d27b35")
        with db.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO satker (kode, nama, tingkat, path) VALUES ('00', 'KPU RI', 'pusat', '/00/')")
            conn.exec_driver_sql(
                "INSERT INTO dokumen (satker_id, tahun, jenis, status, nomor_revisi, versi, dibuat_pada, diubah_pada) "
                "SELECT id, 2024, 'pk_komisi', 'draft', 0, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM satker")
        before = _trigger_names(backend)
        upgrade()
        assert _trigger_names(backend) - before >= STATE_TRIGGERS[backend]
        with db.engine.connect() as conn:
            with pytest.raises(DatabaseError, match="status dokumen tidak sesuai revisinya"):
                conn.exec_driver_sql("UPDATE dokumen SET status = 'reviewed'")
        downgrade(revision="a4e1c9d27b35")
        assert _trigger_names(backend) == before
        with db.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE dokumen SET status = 'reviewed'")  # nothing held it before
        db.engine.dispose()


def _trigger_names(backend: str) -> set[str]:
    # pg_trigger: information_schema.triggers leaves out TRUNCATE triggers
    query = ("SELECT name FROM sqlite_master WHERE type = 'trigger'" if backend == "sqlite" else
             "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
             "WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal")
    with db.engine.connect() as conn:
        return set(conn.exec_driver_sql(query).scalars())


def _trigger_count(backend: str) -> int:
    query = ("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'" if backend == "sqlite" else
             "SELECT count(DISTINCT trigger_name) FROM information_schema.triggers WHERE trigger_schema = current_schema()")
    with db.engine.connect() as conn:
        return conn.exec_driver_sql(query).scalar()
