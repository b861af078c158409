"""The second wall on PostgreSQL: which offices' rows the database itself shows.

The policies (migration "row level security") read the transaction setting
``sakip.satker``: the ids of the offices the signed-in user may see, as
``tenants.scoping`` decides them (the same rule, asked once per request), ``semua``
for the system (migrations, the CLI, the demo load), and nothing at all for an
anonymous visitor. The value is always sent as a bound parameter of ``set_config``,
local to the transaction, so it can never leak into another request's transaction.

They bind only a role that does not own the tables (``sakip db app-role``); the owner,
who runs the migrations and the tests' fixtures, is not subject to them.
"""
from __future__ import annotations

from sqlalchemy import String, cast, func, select, text
from sqlalchemy.engine import Connection

from tenants import scoping
from tenants.people import User

SETTING = "sakip.satker"
SEMUA = "semua"
TIDAK_ADA = ""
TABLES = ("dokumen", "revisi", "realisasi", "realisasi_anggaran", "program_anggaran", "sasaran", "indikator",
          "rak_baris", "kegiatan", "tanda_tangan", "lkj_isi", "realisasi_output")


def pasang_untuk(connection: Connection, user: User | None) -> str:
    """Computes ``user``'s offices and sets them in one statement (every request pays it);
    returns the value set, for the request's later transactions."""
    if user is None or not getattr(user, "is_authenticated", False):
        pasang(connection, TIDAK_ADA)
        return TIDAK_ADA
    if (known := scoping.known_satker_ids(user)) is not None:
        nilai = ",".join(map(str, known))
        pasang(connection, nilai)
        return nilai
    ids = scoping.satker_ids(user).subquery()
    daftar = select(func.coalesce(func.string_agg(cast(ids.c.id, String), ","), TIDAK_ADA)).scalar_subquery()
    return connection.execute(select(func.set_config(SETTING, daftar, True))).scalar_one()


def pasang(connection: Connection, nilai: str) -> None:
    if nilai not in (SEMUA, TIDAK_ADA) and not all(part.isdigit() for part in nilai.split(",")):
        raise ValueError(f"nilai {SETTING} tidak sah: {nilai[:40]!r}")
    connection.execute(text("SELECT set_config(:name, :value, true)"), {"name": SETTING, "value": nilai})


def grant_sql(role: str, schema: str) -> list[str]:
    """What an application role needs: data rights on every table, no ownership."""
    quoted_role, quoted_schema = _ident(role), _ident(schema)
    return [
        f"GRANT USAGE ON SCHEMA {quoted_schema} TO {quoted_role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {quoted_schema} TO {quoted_role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quoted_schema} TO {quoted_role}",
    ]


def _ident(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"nama peran/skema tidak sah: {name!r}")
    return f'"{name}"'
