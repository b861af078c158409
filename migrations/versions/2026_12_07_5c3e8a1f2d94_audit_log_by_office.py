"""An office's own history by index: audit_log (satker_kode, seq) where dokumen_id IS NULL.

An evaluation's history (workflow/evaluasi/queries.riwayat) is the office's entries that
name no document. With only (dokumen_id, seq) the database walks every entry without a
document, of every office in the country; the partial index holds just those entries,
by office and in order. The log has no row-level security and no partitions on either
backend (it is one hash chain), so a plain index serves.

Revision ID: 5c3e8a1f2d94
Revises: 3c7e9a2b4d18
Create Date: 2026-12-07 12:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c3e8a1f2d94'
down_revision = '3c7e9a2b4d18'
branch_labels = None
depends_on = None

_WHERE = sa.text("dokumen_id IS NULL")


# A plain index operation, not a batch: on SQLite a batch could copy the table and lose its
# append-only triggers.
def upgrade():
    op.create_index('ix_audit_log_satker_kode_seq', 'audit_log', ['satker_kode', 'seq'], unique=False,
                    sqlite_where=_WHERE, postgresql_where=_WHERE)


def downgrade():
    op.drop_index('ix_audit_log_satker_kode_seq', table_name='audit_log')
