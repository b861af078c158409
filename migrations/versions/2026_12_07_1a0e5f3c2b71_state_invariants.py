"""States the rows must agree with, held by the database.

A document's status is a claim about its current revision (``dokumen.nomor_revisi``):

- draft: that revision is open (not locked, not reviewed); it may be missing only while
  it is the next number, the moment a return or a revise writes the document before the
  copy it opens;
- submitted: locked with its content hash, not yet signed by everyone, not reviewed;
- signed: locked, signed by every signatory the kind has, not reviewed;
- reviewed: locked, signed by every signatory, and approved.

A CHECK constraint cannot see other tables, so a trigger checks the claim whenever a
document row is written with a status, a current revision or a kind (after the row is
written: the workflow writes the lock, the signature or the review first, then the
status). Revisions, signatures and reviews cannot be taken back (migration "documents
and workflow"), so what holds when the status is written keeps holding.

The signatories per kind are written out here, as workflow.dokumen.signature.PENANDATANGAN has
them today: two for pk_sekretariat and the two RAKs, one for every other kind. A kind
added later with another count must replace these triggers.

On PostgreSQL the append-only tables (the audit log, the signatures) and the tables of
signed content refuse TRUNCATE, which skips the row triggers.

SQLite: plain CREATE TRIGGER, no batch operation (a batch copies the table and loses
its triggers); a later migration that copies ``dokumen`` must create these again.

Revision ID: 1a0e5f3c2b71
Revises: a4e1c9d27b35
Create Date: 2026-12-07 02:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '1a0e5f3c2b71'
down_revision = 'a4e1c9d27b35'
branch_labels = None
depends_on = None

PERLU = ("CASE NEW.jenis WHEN 'pk_sekretariat' THEN 2 WHEN 'rak_komisioner' THEN 2 "
         "WHEN 'rak_sekretariat' THEN 2 ELSE 1 END")
KINI = "FROM revisi r WHERE r.dokumen_id = NEW.id AND r.nomor = NEW.nomor_revisi"
TTD = "(SELECT count(*) FROM tanda_tangan t WHERE t.revisi_id = r.id)"
PREFIX = "status dokumen tidak sesuai revisinya: "
# status -> (what must hold, the refusal)
RULES = {
    "draft": (
        f"NOT EXISTS (SELECT 1 {KINI} AND (r.terkunci OR r.hasil_tinjauan IS NOT NULL)) AND ("
        f"EXISTS (SELECT 1 {KINI}) OR "
        "NEW.nomor_revisi = (SELECT coalesce(max(nomor) + 1, 0) FROM revisi WHERE dokumen_id = NEW.id))",
        "draf menunjuk revisi yang terkunci, sudah ditinjau, atau tidak ada",
    ),
    "submitted": (
        f"EXISTS (SELECT 1 {KINI} AND r.terkunci AND r.hash_isi IS NOT NULL AND r.hasil_tinjauan IS NULL "
        f"AND {TTD} < {PERLU})",
        "diajukan tanpa revisi terkunci ber-hash yang belum lengkap ditandatangani dan belum ditinjau",
    ),
    "signed": (
        f"EXISTS (SELECT 1 {KINI} AND r.terkunci AND r.hash_isi IS NOT NULL AND r.hasil_tinjauan IS NULL "
        f"AND {TTD} = {PERLU})",
        "ditandatangani tanpa tanda tangan semua penanda tangan jenisnya pada revisi terkunci yang belum ditinjau",
    ),
    "reviewed": (
        f"EXISTS (SELECT 1 {KINI} AND r.terkunci AND r.hash_isi IS NOT NULL AND r.hasil_tinjauan = 'disetujui' "
        f"AND {TTD} = {PERLU})",
        "disetujui tanpa catatan persetujuan pada revisi terkini yang lengkap ditandatangani",
    ),
}
# Unknown statuses are refused by dokumen's own CHECK constraint.
NO_TRUNCATE = ("audit_log", "tanda_tangan", "revisi", "program_anggaran", "sasaran", "indikator", "rak_baris",
               "kegiatan", "lkj_isi")


def _pg_upgrade():
    checks = "\n".join(
        f"  IF NEW.status = '{status}' AND NOT ({rule}) THEN\n"
        f"    RAISE EXCEPTION '{PREFIX}{message}' USING ERRCODE = 'check_violation';\n"
        "  END IF;"
        for status, (rule, message) in RULES.items())
    op.execute(f"""
CREATE FUNCTION sakip_status_sesuai() RETURNS trigger AS $$
BEGIN
{checks}
  RETURN NULL;
END $$ LANGUAGE plpgsql""")
    op.execute("CREATE TRIGGER dokumen_status_sesuai AFTER INSERT OR UPDATE OF status, nomor_revisi, jenis "
               "ON dokumen FOR EACH ROW EXECUTE FUNCTION sakip_status_sesuai()")
    op.execute("""
CREATE FUNCTION sakip_tanpa_kosongkan() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% tidak dapat dikosongkan (TRUNCATE): isinya hanya dapat ditambah', TG_TABLE_NAME
    USING ERRCODE = 'integrity_constraint_violation';
END $$ LANGUAGE plpgsql""")
    for table in NO_TRUNCATE:
        op.execute(f"CREATE TRIGGER {table}_tanpa_kosongkan BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION sakip_tanpa_kosongkan()")


def _sqlite_upgrade():
    body = " ".join(f"SELECT RAISE(ABORT, '{PREFIX}{message}') WHERE NEW.status = '{status}' AND NOT ({rule});"
                    for status, (rule, message) in RULES.items())
    op.execute(f"CREATE TRIGGER dokumen_status_sesuai_insert AFTER INSERT ON dokumen BEGIN {body} END")
    op.execute("CREATE TRIGGER dokumen_status_sesuai_update AFTER UPDATE OF status, nomor_revisi, jenis "
               f"ON dokumen BEGIN {body} END")


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _pg_upgrade()
    elif dialect == "sqlite":
        _sqlite_upgrade()


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS sakip_status_sesuai, sakip_tanpa_kosongkan CASCADE")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS dokumen_status_sesuai_insert")
        op.execute("DROP TRIGGER IF EXISTS dokumen_status_sesuai_update")
