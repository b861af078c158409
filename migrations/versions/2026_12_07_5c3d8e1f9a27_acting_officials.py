"""Acting officials (Plh, Plt): appointments to an office's Ketua or Sekretaris for a
period, and on a signature the appointment it was given under.

No row-level security on ``penunjukan``: like memberships, it is a role held in an office
and signing in (and signing) needs it. Overlaps of one position are refused by the
operation, which locks the office's row first (workflow/penunjukan/operations.py); no
exclusion constraint (it would need the btree_gist extension, which an application's
database owner may not be allowed to create).

``tanda_tangan`` gets its column with a plain ADD COLUMN, not a batch copy: SQLite's batch
mode rebuilds the table and would drop its append-only triggers.

Revision ID: 5c3d8e1f9a27
Revises: 3c8e1f5a7d20
Create Date: 2026-12-07 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c3d8e1f9a27'
down_revision = '3c8e1f5a7d20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'penunjukan',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('satker_id', sa.Integer(), nullable=False),
        sa.Column('peran', sa.Enum('admin', 'ketua', 'anggota', 'sekretaris', 'subbag', 'reviewer', 'inspektorat',
                                   name='peran', native_enum=False, create_constraint=True, length=16),
                  nullable=False),
        sa.Column('jenis', sa.Enum('plh', 'plt', name='jenispenunjukan', native_enum=False, create_constraint=True,
                                   length=8), nullable=False),
        sa.Column('mulai', sa.Date(), nullable=False),
        sa.Column('sampai', sa.Date(), nullable=False),
        sa.Column('nomor_surat', sa.String(length=100), nullable=False),
        sa.Column('ditunjuk_oleh_id', sa.Integer(), nullable=True),
        sa.Column('dibuat', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('mulai <= sampai', name=op.f('ck_penunjukan_periode_urut')),
        sa.CheckConstraint("peran IN ('ketua', 'sekretaris')", name=op.f('ck_penunjukan_posisi_ketua_sekretaris')),
        sa.CheckConstraint('ditunjuk_oleh_id IS NULL OR ditunjuk_oleh_id <> user_id',
                           name=op.f('ck_penunjukan_bukan_diri_sendiri')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_penunjukan_user_id_user_account'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['satker_id'], ['satker.id'], name=op.f('fk_penunjukan_satker_id_satker'),
                                ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['ditunjuk_oleh_id'], ['user_account.id'],
                                name=op.f('fk_penunjukan_ditunjuk_oleh_id_user_account'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_penunjukan')),
    )
    op.create_index(op.f('ix_penunjukan_satker_id'), 'penunjukan', ['satker_id'], unique=False)
    op.create_index(op.f('ix_penunjukan_user_id'), 'penunjukan', ['user_id'], unique=False)
    op.add_column('tanda_tangan', sa.Column('penunjukan_id', sa.Integer(), nullable=True))


def downgrade():
    op.drop_column('tanda_tangan', 'penunjukan_id')
    op.drop_index(op.f('ix_penunjukan_user_id'), table_name='penunjukan')
    op.drop_index(op.f('ix_penunjukan_satker_id'), table_name='penunjukan')
    op.drop_table('penunjukan')
