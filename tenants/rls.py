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

from sqlalchemy import ColumnElement, String, case, cast, exists, func, literal, null, select, text
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.engine import Connection

from tenants import scoping
from tenants.people import Membership, User

SETTING = "sakip.satker"
SEMUA = "semua"
TIDAK_ADA = ""
TABLES = ("dokumen", "revisi", "realisasi", "realisasi_anggaran", "program_anggaran", "sasaran", "indikator",
          "rak_baris", "kegiatan", "tanda_tangan", "lkj_isi", "realisasi_output", "bukti")


def pasang_untuk(connection: Connection, user: User | None, sudah: str | None = None) -> str:
    """Computes ``user``'s offices and sets them in one statement, unless ``sudah`` (what the
    statement that loaded the person set in this transaction, ``kolom_pasang_sendiri``) is
    already that value; returns the value set, for the request's later transactions."""
    if user is None or not getattr(user, "is_authenticated", False):
        pasang(connection, TIDAK_ADA)
        return TIDAK_ADA
    if (known := scoping.known_satker_ids(user)) is not None:
        nilai = ",".join(map(str, known))
        if nilai != sudah:
            pasang(connection, nilai)
        return nilai
    ids = scoping.satker_ids(user).subquery()
    daftar = select(func.coalesce(func.string_agg(cast(ids.c.id, String), ","), TIDAK_ADA)).scalar_subquery()
    return connection.execute(select(func.set_config(SETTING, daftar, True))).scalar_one()


def kolom_pasang_sendiri(user_id: ColumnElement[int]) -> ColumnElement[str | None]:
    """A column for the statement that loads the signed-in person: it sets the offices they
    hold, as ``scoping.known_satker_ids`` lists them, in that same statement, which spares
    every page a round trip to the database. NULL (nothing set) when a role of theirs reaches
    a subtree: those need ``scoping.satker_ids``. ``pasang_untuk`` still decides: it compares
    this value with its own and sends its own when they differ."""
    held = select(Membership.satker_id.label("id")).where(Membership.user_id == user_id).distinct().subquery()
    # string_agg(id::text, ',' ORDER BY id): numerically, as known_satker_ids sorts
    berurut = func.string_agg(cast(held.c.id, String), aggregate_order_by(literal(","), held.c.id))
    daftar = select(func.coalesce(berurut, TIDAK_ADA)).scalar_subquery()
    subtree = exists().where(Membership.user_id == user_id, Membership.peran.in_(scoping.SUBTREE_READERS))
    return case((subtree, null()), else_=func.set_config(SETTING, daftar, True))


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
