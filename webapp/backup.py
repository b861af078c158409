"""``sakip backup`` and ``sakip restore``: the whole database to one file and back.

SQLite: the online backup API (a consistent copy while the app keeps serving).
PostgreSQL: ``pg_dump -Fc`` and ``pg_restore`` (from Debian's postgresql-client), run
against the database the app is configured with; when its URL pins a schema
(``options=-csearch_path=...``) only that schema is dumped and restored.

A backup is written beside its destination and renamed into place, so a failure never
leaves half a file under the name; a restore goes into an empty database only (or
with ``force``, over the existing one), and in one transaction on PostgreSQL.
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import URL, Engine, func, inspect, select, text

from tenants.db import refresh_statistics
from tenants.people import User
from tenants.satker import Satker
from workflow import audit
from workflow.dokumen.models import Dokumen
from workflow.dokumen.signature import TandaTangan


class CadanganGagal(Exception):
    """A backup or restore refused or failed; the message is for the operator."""


# -- entry points ----------------------------------------------------------------------------

def backup(engine: Engine, berkas: Path, *, force: bool = False) -> None:
    berkas = Path(berkas)
    if berkas.exists() and not force:
        raise CadanganGagal(f"Berkas {berkas} sudah ada; pilih nama lain atau pakai --force untuk menimpanya.")
    if not berkas.parent.is_dir():
        raise CadanganGagal(f"Folder {berkas.parent} tidak ada.")
    sementara = berkas.with_name(f".{berkas.name}.sementara")
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_backup(_sqlite_path(engine.url), sementara)
        elif engine.dialect.name == "postgresql":
            _pg_dump(engine.url, sementara)
        else:
            raise CadanganGagal(f"Basis data {engine.dialect.name} tidak didukung.")
        os.replace(sementara, berkas)
    finally:
        sementara.unlink(missing_ok=True)


def restore(engine: Engine, berkas: Path, *, force: bool = False) -> None:
    berkas = Path(berkas)
    if not berkas.is_file():
        raise CadanganGagal(f"Berkas cadangan {berkas} tidak ada.")
    if engine.dialect.name == "sqlite":
        _sqlite_path(engine.url).parent.mkdir(parents=True, exist_ok=True)  # a new machine's empty disk
    tabel = _tables(engine)
    if tabel and not force:
        raise CadanganGagal(f"Basis data tujuan tidak kosong ({len(tabel)} tabel); pulihkan ke basis data kosong, "
                            "atau pakai --force untuk menimpa isinya.")
    engine.dispose()  # no pooled connection may hold the old content open
    if engine.dialect.name == "sqlite":
        _sqlite_restore(berkas, _sqlite_path(engine.url))
    elif engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            ada = _schema_exists(conn, _schema(engine.url) or "public")
        _pg_restore(engine.url, berkas, clean=bool(tabel), schema_ada=ada)
    else:
        raise CadanganGagal(f"Basis data {engine.dialect.name} tidak didukung.")
    with engine.begin() as conn:  # a restored database starts without planner statistics
        refresh_statistics(conn)
    engine.dispose()


def ringkasan(session) -> str:
    """What a restored database holds, in one line, with the audit chain's verdict."""
    count = {label: session.scalar(select(func.count()).select_from(model))
             for label, model in (("satker", Satker), ("akun", User), ("dokumen", Dokumen),
                                  ("tanda tangan", TandaTangan), ("entri audit", audit.AuditEntry))}
    hasil = audit.verify(session)
    rantai = "jejak audit utuh" if hasil.ok else f"JEJAK AUDIT RUSAK pada entri nomor {hasil.broken.seq}"
    return ", ".join(f"{n} {label}" for label, n in count.items()) + f"; {rantai}."


def _tables(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            # The URL may name a schema that does not exist yet: then it is empty.
            schema = _schema(engine.url) or "public"
            if not _schema_exists(conn, schema):
                return []
            return inspect(conn).get_table_names(schema=schema)
        return inspect(conn).get_table_names()


def _schema_exists(conn, schema: str) -> bool:
    return conn.execute(text("SELECT 1 FROM pg_namespace WHERE nspname = :s"), {"s": schema}).first() is not None


# -- SQLite ------------------------------------------------------------------------------------

def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise CadanganGagal("Hanya basis data SQLite berupa berkas yang dapat dicadangkan dan dipulihkan.")
    return Path(url.database)


def _sqlite_backup(sumber: Path, tujuan: Path) -> None:
    if not sumber.is_file():
        raise CadanganGagal(f"Basis data {sumber} tidak ada.")
    src = sqlite3.connect(f"file:{sumber}?mode=ro", uri=True)
    dst = sqlite3.connect(tujuan)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _sqlite_restore(berkas: Path, tujuan: Path) -> None:
    src = sqlite3.connect(f"file:{berkas}?mode=ro", uri=True)
    try:
        try:
            ok = src.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            names = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError:
            ok, names = False, set()
        if not ok or "alembic_version" not in names:
            raise CadanganGagal(f"{berkas} bukan cadangan SQLite SAKIP yang utuh.")
        tujuan.parent.mkdir(parents=True, exist_ok=True)
        dst = sqlite3.connect(tujuan)
        try:
            src.backup(dst)  # page by page into the target's own transaction: all or nothing
        finally:
            dst.close()
    finally:
        src.close()


# -- PostgreSQL --------------------------------------------------------------------------------

def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CadanganGagal(f"{name} tidak terpasang (apt-get install -y postgresql-client).")
    return path


def _libpq(url: URL) -> tuple[str, dict]:
    """The URL for pg_dump/pg_restore, and an environment carrying the password (a
    password on the command line would show in the process list)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _schema(url: URL) -> str | None:
    options = url.query.get("options")
    options = " ".join(options) if isinstance(options, tuple) else (options or "")
    match = re.search(r"search_path\s*=\s*([^\s,]+)", options)
    return match.group(1).strip('"') if match else None


def _run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        detail = next((line for line in result.stderr.splitlines() if line.strip()), "tanpa keterangan")
        raise CadanganGagal(f"{Path(args[0]).name} gagal: {detail}")
    return result


def _pg_dump(url: URL, tujuan: Path) -> None:
    target, env = _libpq(url)
    args = [_program("pg_dump"), "--format=custom", f"--file={tujuan}"]
    if schema := _schema(url):
        args.append(f"--schema={schema}")
    _run([*args, f"--dbname={target}"], env)


def _pg_restore(url: URL, berkas: Path, *, clean: bool, schema_ada: bool) -> None:
    target, env = _libpq(url)
    pg_restore = _program("pg_restore")
    isi = subprocess.run([pg_restore, "--list", str(berkas)], env=env, capture_output=True, text=True)
    if isi.returncode != 0:
        raise CadanganGagal(f"{berkas} bukan cadangan pg_dump (format custom) yang dapat dibaca.")
    schemas = set(re.findall(r"^\d+; \d+ \d+ TABLE (?!DATA )(\S+) \S+", isi.stdout, re.MULTILINE))
    if not schemas:
        raise CadanganGagal(f"{berkas} tidak berisi tabel satu pun.")
    wanted = _schema(url) or "public"
    if schemas != {wanted}:
        raise CadanganGagal(f"Cadangan ini berisi skema {', '.join(sorted(schemas))}, sedangkan basis data "
                            f"tujuan memakai skema {wanted}.")
    args = [pg_restore, "--single-transaction", "--exit-on-error"]
    if clean:
        args += ["--clean", "--if-exists"]
    with tempfile.NamedTemporaryFile("w", suffix=".list") as daftar:
        if schema_ada:
            # An existing (empty) schema is restored into, not created again.
            daftar.write("\n".join(line for line in isi.stdout.splitlines()
                                   if not re.match(rf"^\d+; \d+ \d+ SCHEMA - {re.escape(wanted)} ", line)))
            daftar.flush()
            args.append(f"--use-list={daftar.name}")
        _run([*args, f"--dbname={target}", str(berkas)], env)
