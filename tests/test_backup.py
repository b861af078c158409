"""``sakip backup`` and ``sakip restore``, run as an operator runs them.

A database with documents in every state (drafts, submitted, signed, approved, returned
and revised ones, with their signatures and audit trail) is backed up, restored into
an empty database (a new SQLite file; a new PostgreSQL database), and found whole: every
row of every table equal, the audit chain verifying to the same last hash, and
``sakip check`` finding 0 problems there. A restore refuses a database that is not
empty unless told ``--force``, and then puts back exactly what was backed up.
"""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from tenants.db import db as _db
from tests.conftest import CASE_COUNTS, system_tool
from tests.test_faults import STEPS, _close, _setup_site, attempt, new_rak
from webapp import create_app
from webapp.cli import cli
from webapp.config import normalise_database_url
from workflow import audit
from workflow.dokumen.models import AlasanRevisi, Dokumen

def sakip(database_url: str, *args: str):
    """The command as ``sakip ARGS`` with DATABASE_URL set (in this process: starting the
    console script costs seconds on a busy machine, test_cli covers it)."""
    app = create_app({"SECRET_KEY": "backup-test", "SQLALCHEMY_DATABASE_URI": database_url})
    try:
        return app.test_cli_runner().invoke(cli, list(args))
    finally:
        _close(app)


def rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    engine = sa.create_engine(normalise_database_url(url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            present = set(sa.inspect(conn).get_table_names())
            found = {t.name: [tuple(r) for r in conn.execute(sa.select(t).order_by(*t.primary_key.columns))]
                     for t in _db.metadata.sorted_tables if t.name in present}
            found["alembic_version"] = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
            found["audit head"] = [(audit.verify(Session(bind=conn)).head,)]
            return found
    finally:
        engine.dispose()


def planner_statistics(url: str, table: str) -> bool:
    """Whether ANALYZE has run on ``table``: the statistics the query planner reads."""
    engine = sa.create_engine(normalise_database_url(url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                return bool(conn.execute(sa.text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"))
                            .scalar()) and bool(conn.execute(sa.text(
                                "SELECT count(*) FROM sqlite_stat1 WHERE tbl = :t"), {"t": table}).scalar())
            return bool(conn.execute(sa.text("SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() "
                                             "AND tablename = :t"), {"t": table}).scalar())
    finally:
        engine.dispose()


@pytest.fixture
def source(backend, fresh_database_url):
    """A database with a document in every state, and its URL."""
    url = fresh_database_url(backend)
    app = _setup_site(url)
    with app.app_context():
        for tahun, stage in enumerate(STEPS, start=2031):
            new_rak(stage, tahun)
        # Returned once and revised once: Revisi ke-1 opened each time, ke-0 kept on record.
        returned, revised = new_rak("signed", 2040), new_rak("reviewed", 2041)
        for dokumen_id, event, username, form in (
                (returned, "send_back", "reviewer", {"alasan": "Perbaiki jadwal."}),
                (revised, "revise", "sekretaris", {"alasan_jenis": AlasanRevisi.PERGANTIAN_PEJABAT})):
            attempt(dokumen_id, event, username, form)
        assert _db.session.scalar(sa.select(sa.func.count()).where(Dokumen.nomor_revisi == 1)) == 2
        _db.session.remove()
    _close(app)
    return url


@pytest.fixture
def empty_url(backend, tmp_path, postgres_schemas, source):
    """An empty database to restore into: a new SQLite file, or a new PostgreSQL database
    (the backup of a schema goes back into a schema of that name)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored' / 'sakip.sqlite3'}"
        return
    name = f"sakip_restore_{uuid.uuid4().hex[:12]}"
    with postgres_schemas.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield sa.make_url(source).set(database=name).render_as_string(hide_password=False)
    with postgres_schemas.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restored_into_an_empty_database_has_everything(backend, source, empty_url, tmp_path):
    if backend == "postgresql":
        system_tool("pg_dump", package="postgresql-client")
    berkas = tmp_path / "sakip.cadangan"
    made = sakip(source, "backup", str(berkas))
    assert made.exit_code == 0, made.output
    assert f"Cadangan tersimpan di {berkas}." in made.output
    again = sakip(source, "backup", str(berkas))
    assert again.exit_code == 1 and "sudah ada" in again.output  # an old backup is not overwritten by accident

    restored = sakip(empty_url, "restore", str(berkas))
    assert restored.exit_code == 0, restored.output
    original = rows(source)
    assert rows(empty_url) == original
    assert planner_statistics(empty_url, "dokumen"), "the planner knows the restored tables"
    counts = {t: len(original[t]) for t in ("satker", "user_account", "dokumen", "revisi", "tanda_tangan", "audit_log")}
    assert counts["dokumen"] == 7 and counts["revisi"] == 9 and counts["tanda_tangan"] == 9
    assert (f"{counts['satker']} satker, {counts['user_account']} akun, {counts['dokumen']} dokumen, "
            f"{counts['tanda_tangan']} tanda tangan, {counts['audit_log']} entri audit; jejak audit utuh.") in restored.output
    checked = sakip(empty_url, "check")
    assert checked.exit_code == 0 and checked.output.strip().endswith("0 masalah."), checked.output
    verified = sakip(empty_url, "audit", "verify")
    assert verified.exit_code == 0 and f"Hash entri terakhir: {original['audit head'][0][0]}" in verified.output

    # Into a database that holds something: refused, and nothing touched...
    refused = sakip(empty_url, "restore", str(berkas))
    assert refused.exit_code == 1 and "tidak kosong" in refused.output
    # ...unless forced: then what was backed up comes back exactly, later work undone.
    app = create_app({"SECRET_KEY": "backup-test", "SQLALCHEMY_DATABASE_URI": empty_url})
    with app.app_context():
        new_rak("submitted", 2050)
    _close(app)
    assert rows(empty_url) != original
    forced = sakip(empty_url, "restore", "--force", str(berkas))
    assert forced.exit_code == 0, forced.output
    assert rows(empty_url) == original
    CASE_COUNTS[f"backup: restored into an empty database ({backend})"] = (
        ", ".join(f"{n} {t}" for t, n in counts.items()) + "; every row equal, 0 masalah")


def test_restore_refuses_what_is_not_a_backup(backend, fresh_database_url, tmp_path):
    url = fresh_database_url(backend)
    bogus = tmp_path / "bukan-cadangan.bin"
    bogus.write_bytes(b"PK\x03\x04 not a database")
    result = sakip(url, "restore", str(bogus))
    assert result.exit_code == 1
    assert "bukan cadangan" in result.output, result.output
    missing = sakip(url, "restore", str(tmp_path / "tidak-ada.bin"))
    assert missing.exit_code != 0
