"""A document's history by index: audit_log (dokumen_id, seq) instead of (dokumen_id).

The document page shows a document's newest entries with their count. With an index on
``dokumen_id`` alone PostgreSQL chose to walk the whole log backwards by ``seq`` and filter
(the log is the country's: every entry of every office), a cost that grows with the
log's age. The composite index serves both the filter and the order, and everything the
old index served.

Revision ID: a4e1c9d27b35
Revises: cd66cbcf1821
Create Date: 2026-11-23 03:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a4e1c9d27b35'
down_revision = 'cd66cbcf1821'
branch_labels = None
depends_on = None


# Plain index operations, not a batch: on SQLite a batch could copy the table and lose its
# append-only triggers; creating and dropping an index needs no copy on either backend.
def upgrade():
    op.create_index('ix_audit_log_dokumen_id_seq', 'audit_log', ['dokumen_id', 'seq'], unique=False)
    op.drop_index('ix_audit_log_dokumen_id', table_name='audit_log')


def downgrade():
    op.create_index('ix_audit_log_dokumen_id', 'audit_log', ['dokumen_id'], unique=False)
    op.drop_index('ix_audit_log_dokumen_id_seq', table_name='audit_log')
