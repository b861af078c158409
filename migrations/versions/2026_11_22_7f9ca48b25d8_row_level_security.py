"""Row-level security on PostgreSQL: the second wall around each office's documents.

Every table that belongs to an office gets a policy: a document is visible (and
writable) only when its office is in the transaction's ``sakip.satker`` setting (a
comma-separated list of office ids, or ``semua`` for the system: migrations, the CLI,
the demo load); revisions follow their document, content, signatures and the LKj follow
their revision, realisations follow their document. The application sets the value per
transaction with bound parameters (``tenants.rls``).

Policies bind only roles that do not own the tables: the owner (who runs migrations)
keeps full access, the application connects as another role (``sakip db app-role``)
and cannot bypass them. Offices, people and memberships carry no policy: signing in and
deciding visibility need them. The audit log carries none either: it is one hash chain
for all offices and every append reads its head.

SQLite has no row-level security: nothing happens there.

Revision ID: 7f9ca48b25d8
Revises: e7177625bcbd
Create Date: 2026-11-22 20:45:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '7f9ca48b25d8'
down_revision = 'e7177625bcbd'
branch_labels = None
depends_on = None

BY_DOKUMEN = ("revisi", "realisasi", "realisasi_anggaran")
BY_REVISI = ("program_anggaran", "sasaran", "indikator", "rak_baris", "kegiatan", "tanda_tangan", "lkj_isi")


def _policies() -> dict[str, str]:
    # "= ANY (sakip_satker())": the function is STABLE, so it is evaluated once per query
    # and the office's documents are found through the satker_id index, never by testing
    # every document row; the tables below find their documents by key the same way.
    rules = {"dokumen": "satker_id = ANY (sakip_satker())"}
    rules |= {t: "dokumen_id IN (SELECT id FROM dokumen)" for t in BY_DOKUMEN}
    rules |= {t: "revisi_id IN (SELECT id FROM revisi)" for t in BY_REVISI}
    return rules


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("""
CREATE FUNCTION sakip_satker() RETURNS integer[] LANGUAGE sql STABLE AS $$
  SELECT CASE coalesce(current_setting('sakip.satker', true), '')
    WHEN 'semua' THEN (SELECT coalesce(array_agg(id), '{}') FROM satker)
    WHEN '' THEN '{}'::integer[]
    ELSE string_to_array(current_setting('sakip.satker', true), ',')::integer[]
  END
$$""")
    for table, rule in _policies().items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {table}_satker ON {table} USING ({rule}) WITH CHECK ({rule})")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _policies():
        op.execute(f"DROP POLICY IF EXISTS {table}_satker ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute("DROP FUNCTION IF EXISTS sakip_satker()")
