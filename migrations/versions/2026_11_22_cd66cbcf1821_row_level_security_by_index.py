"""Row-level security by index: content reaches its office through indexes, never by a scan.

Two costs of the first policies (migration "row level security"), measured on the national
data set as the application role (bench/README.md, "load/"):

- ``sakip_satker()`` was an SQL function with a subquery (the ``semua`` branch), which
  PostgreSQL does not inline: every statement parsed and planned its body again, at every
  place a policy called it (about 30 µs each). It is now PL/pgSQL, whose body is compiled
  once per connection; the same value for the same setting (``semua``: every office; empty
  or missing: none; otherwise the listed ids), still STABLE, so an index scan evaluates it
  once.
- a document's content (``revisi_id IN (SELECT id FROM revisi)``) built its list of visible
  revisions by reading every revision of every office and year (a sequential scan of
  ``revisi`` filtered by its own policy), once per statement. The list is now reached from
  the offices by index: the visible documents (``dokumen.satker_id``, their policy), their
  revisions (``revisi.dokumen_id``). Its size is that of the user's own documents, not the
  country's (for a reader of the whole country, or ``semua``, it is the country's either way).

The rules say the same as before: a revision is visible when its document is, content when
its revision is; ``revisi``'s own policy still applies inside the subquery. ``dokumen`` and
the tables that follow a document (``dokumen_id IN (SELECT id FROM dokumen)``: already
found through the ``satker_id`` index) keep their policies. Correlated ``EXISTS`` forms were
measured too: constant per row, but one index probe per row read, three times slower on a
province's dashboard (thousands of realisations). tests/test_rls_plans.py fails if a plan
reads all of ``dokumen`` or ``revisi`` again.

SQLite has no row-level security: nothing happens there.

Revision ID: cd66cbcf1821
Revises: 5e2a9c7d41b8
Create Date: 2026-11-22 23:50:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'cd66cbcf1821'
down_revision = '5e2a9c7d41b8'
branch_labels = None
depends_on = None

BY_REVISI = ("program_anggaran", "sasaran", "indikator", "rak_baris", "kegiatan", "tanda_tangan", "lkj_isi")
# The visible documents' revisions, found by index; revisi's own policy applies here too.
RULE = "revisi_id IN (SELECT id FROM revisi WHERE dokumen_id = ANY (ARRAY(SELECT id FROM dokumen)))"
OLD_RULE = "revisi_id IN (SELECT id FROM revisi)"

SATKER = """
CREATE OR REPLACE FUNCTION sakip_satker() RETURNS integer[] LANGUAGE plpgsql STABLE AS $$
DECLARE
  nilai text := coalesce(current_setting('sakip.satker', true), '');
BEGIN
  IF nilai = 'semua' THEN
    RETURN (SELECT coalesce(array_agg(id), '{}') FROM satker);
  ELSIF nilai = '' THEN
    RETURN '{}'::integer[];
  END IF;
  RETURN string_to_array(nilai, ',')::integer[];
END $$"""

OLD_SATKER = """
CREATE OR REPLACE FUNCTION sakip_satker() RETURNS integer[] LANGUAGE sql STABLE AS $$
  SELECT CASE coalesce(current_setting('sakip.satker', true), '')
    WHEN 'semua' THEN (SELECT coalesce(array_agg(id), '{}') FROM satker)
    WHEN '' THEN '{}'::integer[]
    ELSE string_to_array(current_setting('sakip.satker', true), ',')::integer[]
  END
$$"""


def _apply(function: str, rule: str) -> None:
    op.execute(function)
    for table in BY_REVISI:
        op.execute(f"ALTER POLICY {table}_satker ON {table} USING ({rule}) WITH CHECK ({rule})")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    _apply(SATKER, RULE)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    _apply(OLD_SATKER, OLD_RULE)
