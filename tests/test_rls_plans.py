"""Row-level security at a constant cost (migration "row level security by index"): the
policies reach a row's office through indexes, never by reading every document or revision
of the country, and they refuse exactly what the first policies refused.

PostgreSQL only; the rows are made by the owner, the queries run as a role that owns
nothing (``sakip db app-role``), as in production."""

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.pool import NullPool

from tenants import rls
from tenants.db import db
from tenants.hierarchy import load_hierarchy
from tests.conftest import TREE, app_role
from webapp import create_app

SEBELUM = "5e2a9c7d41b8"  # the head before the policies went by index
OFFICES = ("35.79", "35.73")  # Kota Batu, Kota Malang


@pytest.fixture(scope="module")
def dinding(fresh_database_url):
    """{"owner": app, "engine": the application role's engine, "satker", "dokumen",
    "revisi", "sasaran": {kode: id}}: one draft PK per office with one sasaran."""
    url = fresh_database_url("postgresql")
    owner = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with owner.app_context():
        upgrade()
        load_hierarchy(db.session, TREE)
        db.session.commit()
        with db.engine.begin() as conn:
            kodes = {"kodes": list(OFFICES)}
            conn.execute(text(
                "INSERT INTO dokumen (satker_id, tahun, jenis, status, nomor_revisi, versi, dibuat_pada, diubah_pada) "
                "SELECT id, 2024, 'pk_komisi', 'draft', 0, 1, now(), now() FROM satker WHERE kode = ANY(:kodes)"),
                kodes)
            conn.execute(text("INSERT INTO revisi (dokumen_id, nomor, alasan_jenis, dibuat_pada, terkunci) "
                              "SELECT id, 0, 'awal', now(), false FROM dokumen"))
            conn.execute(text("INSERT INTO sasaran (revisi_id, urutan, kunci, uraian) "
                              "SELECT id, 1, 's1', 'Sasaran' FROM revisi"))
            rows = conn.execute(text(
                "SELECT s.kode, s.id AS satker, d.id AS dokumen, r.id AS revisi, x.id AS sasaran FROM satker s "
                "JOIN dokumen d ON d.satker_id = s.id JOIN revisi r ON r.dokumen_id = d.id "
                "JOIN sasaran x ON x.revisi_id = r.id")).all()
    with app_role(owner, "sakip_plan") as role:
        engine = sa.create_engine(sa.make_url(url).set(username=role), poolclass=NullPool)
        ids = {name: {r.kode: getattr(r, name) for r in rows} for name in ("satker", "dokumen", "revisi", "sasaran")}
        yield {"owner": owner, "engine": engine, **ids}
        engine.dispose()


def _queries(conn, d) -> dict[str, tuple[str, dict]]:
    """For every table that carries a policy: a read of one document's rows, and for the
    content tables a write (whose WITH CHECK runs the policy on the new row too)."""
    tables = conn.execute(text("SELECT tablename FROM pg_policies WHERE schemaname = current_schema()")).scalars()
    batu = {"d": d["dokumen"]["35.79"], "r": d["revisi"]["35.79"], "s": d["sasaran"]["35.79"]}
    queries = {}
    for table in sorted(tables):
        columns = set(conn.execute(text(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = :t"), {"t": table}).scalars())
        if "revisi_id" in columns:
            queries[table] = (f"SELECT * FROM {table} WHERE revisi_id = :r", batu)
        elif "dokumen_id" in columns:
            queries[table] = (f"SELECT * FROM {table} WHERE dokumen_id = :d", batu)
        else:
            queries[table] = (f"SELECT * FROM {table} WHERE id = :d", batu)
    queries["UPDATE sasaran"] = ("UPDATE sasaran SET uraian = uraian WHERE id = :s", batu)
    queries["INSERT sasaran"] = (
        "INSERT INTO sasaran (revisi_id, urutan, kunci, uraian) VALUES (:r, 2, 's2', 'x')", batu)
    return queries


def _whole_table_reads(plan: dict) -> list[str]:
    """The scans of dokumen or revisi that no index condition narrows (a sequential scan,
    or an index walked from end to end)."""
    found = []

    def walk(node):
        if node.get("Relation Name") in ("dokumen", "revisi") and not (
                node.get("Index Cond") or node.get("Recheck Cond")):
            found.append(f"{node['Node Type']} on {node['Relation Name']}")
        for child in node.get("Plans", []):
            walk(child)
    walk(plan["Plan"])
    return found


def _whole_table_reads_per_query(d) -> dict[str, list[str]]:
    """As the application role with Kota Batu's office set. The test tables hold a few rows,
    where a sequential scan is the cheapest plan for anything: with sequential scans priced
    out, a policy that can be answered by index is, and one that cannot still reads a whole
    table (by a sequential scan all the same, or an index read from end to end)."""
    found = {}
    with d["engine"].connect() as conn:
        queries = _queries(conn, d)
        conn.rollback()
        for name, (sql, params) in queries.items():
            with conn.begin():
                rls.pasang(conn, str(d["satker"]["35.79"]))
                conn.execute(text("SET LOCAL enable_seqscan = off"))
                plan = conn.execute(text(f"EXPLAIN (FORMAT JSON) {sql}"), params).scalar()[0]
            found[name] = _whole_table_reads(plan)
    return found


def test_the_policies_reach_documents_and_revisions_by_index(dinding):
    found = _whole_table_reads_per_query(dinding)
    assert {"dokumen", "revisi", "sasaran", "indikator", "rak_baris", "kegiatan", "tanda_tangan", "lkj_isi",
            "program_anggaran", "realisasi", "realisasi_anggaran", "UPDATE sasaran", "INSERT sasaran"} <= set(found)
    assert {name: reads for name, reads in found.items() if reads} == {}


def test_the_check_sees_the_first_policies_read_every_revision(dinding):
    """The same check on the policies this migration replaced: every content table's
    policy read all of revisi, once per statement."""
    with dinding["owner"].app_context():
        downgrade(revision=SEBELUM)
        db.engine.dispose()
    try:
        found = _whole_table_reads_per_query(dinding)
    finally:
        with dinding["owner"].app_context():
            upgrade()
            db.engine.dispose()
    flagged = {name for name, reads in found.items() if reads}
    assert {"sasaran", "indikator", "rak_baris", "kegiatan", "tanda_tangan", "lkj_isi", "program_anggaran",
            "UPDATE sasaran", "INSERT sasaran"} <= flagged
    assert {read.rsplit(" on ", 1)[1] for reads in found.values() for read in reads} == {"revisi"}


def test_sakip_satker_keeps_its_meaning_and_is_compiled_once(dinding):
    with dinding["engine"].connect() as conn:
        assert conn.execute(text("SELECT sakip_satker()")).scalar() == [], "never set in this session: none"
        conn.rollback()
        with conn.begin():
            rls.pasang(conn, rls.TIDAK_ADA)
            assert conn.execute(text("SELECT sakip_satker()")).scalar() == []
        with conn.begin():
            rls.pasang(conn, rls.SEMUA)
            every = conn.execute(text("SELECT sakip_satker()")).scalar()
            assert sorted(every) == sorted(conn.execute(text("SELECT id FROM satker")).scalars())
        with conn.begin():
            rls.pasang(conn, "3,5")
            assert conn.execute(text("SELECT sakip_satker()")).scalar() == [3, 5]
        assert conn.execute(text("SELECT sakip_satker()")).scalar() == [], "the setting ended with its transaction"
        conn.rollback()
        # STABLE: an index scan evaluates it once. PL/pgSQL: its body is compiled once per
        # connection; an SQL function with a subquery is not inlined and was parsed and
        # planned again by every statement, at every place a policy calls it.
        volatility, language = conn.execute(text(
            "SELECT p.provolatile, l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang "
            "WHERE p.oid = 'sakip_satker'::regproc")).one()
        assert (volatility, language) == ("s", "plpgsql")


def test_writes_stay_within_the_offices_in_the_setting(dinding):
    """WITH CHECK holds as before: content goes only into a visible revision, a revision
    only into a visible document, and nothing moves across the wall."""
    d, engine = dinding, dinding["engine"]
    batu, malang = str(d["satker"]["35.79"]), d["revisi"]["35.73"]
    insert = "INSERT INTO sasaran (revisi_id, urutan, kunci, uraian) VALUES (:r, 5, :k, 'baru')"
    with engine.connect() as conn:
        with conn.begin() as tx:
            rls.pasang(conn, batu)
            conn.execute(text(insert), {"r": d["revisi"]["35.79"], "k": "baru"})
            assert conn.execute(text("UPDATE sasaran SET uraian = 'diubah' WHERE id = :s"),
                                {"s": d["sasaran"]["35.79"]}).rowcount == 1
            assert conn.execute(text("UPDATE sasaran SET uraian = 'dibajak' WHERE id = :s"),
                                {"s": d["sasaran"]["35.73"]}).rowcount == 0
            assert conn.execute(text("DELETE FROM sasaran WHERE revisi_id = :r"), {"r": malang}).rowcount == 0
            tx.rollback()
        refused = [
            (insert, {"r": malang, "k": "asing"}),
            ("UPDATE sasaran SET revisi_id = :r, kunci = 'pindah' WHERE id = :s",
             {"r": malang, "s": d["sasaran"]["35.79"]}),
            ("INSERT INTO revisi (dokumen_id, nomor, alasan_jenis, dibuat_pada, terkunci) "
             "VALUES (:d, 1, 'awal', now(), false)", {"d": d["dokumen"]["35.73"]}),
            ("UPDATE revisi SET dokumen_id = :d WHERE id = :r",
             {"d": d["dokumen"]["35.73"], "r": d["revisi"]["35.79"]}),
        ]
        for sql, params in refused:
            with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
                with conn.begin():
                    rls.pasang(conn, batu)
                    conn.execute(text(sql), params)
    with engine.connect() as conn, conn.begin():
        rls.pasang(conn, rls.SEMUA)
        assert conn.execute(text("SELECT count(*) FROM sasaran")).scalar() == 2, "nothing was written"
