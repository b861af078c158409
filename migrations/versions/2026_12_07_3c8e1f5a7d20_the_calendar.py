"""The calendar (workflow/jadwal): a due date per year, office and item (``jadwal``: a date,
or a number of days, exactly one), and the reminders sent to offices that have not
submitted (``pengingat``).

No row-level security: the calendar is read by every office below the one that set it
(a kabupaten's due date comes from its province's and KPU RI's rows); only the pages'
checks decide who writes (workflow/jadwal/operations.py).

Revision ID: 3c8e1f5a7d20
Revises: 5d3e8a1f6c20
Create Date: 2026-12-07 09:00:39.814961

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c8e1f5a7d20'
down_revision = '5d3e8a1f6c20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('jadwal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('satker_id', sa.Integer(), nullable=False),
    sa.Column('tahun', sa.Integer(), nullable=False),
    sa.Column('butir', sa.Enum('pk', 'rkt', 'rak', 'realisasi_bulan', 'realisasi_triwulan', 'lkj', 'tinjauan', name='butir', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('tanggal', sa.Date(), nullable=True),
    sa.Column('hari', sa.Integer(), nullable=True),
    sa.Column('diubah_oleh_id', sa.Integer(), nullable=True),
    sa.Column('diubah_pada', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(tanggal IS NULL) <> (hari IS NULL)', name=op.f('ck_jadwal_tanggal_atau_hari')),
    sa.CheckConstraint('hari IS NULL OR hari BETWEEN 1 AND 28', name=op.f('ck_jadwal_hari_positif')),
    sa.CheckConstraint('tahun BETWEEN 2000 AND 2100', name=op.f('ck_jadwal_tahun_wajar')),
    sa.ForeignKeyConstraint(['diubah_oleh_id'], ['user_account.id'], name=op.f('fk_jadwal_diubah_oleh_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['satker_id'], ['satker.id'], name=op.f('fk_jadwal_satker_id_satker'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jadwal')),
    sa.UniqueConstraint('satker_id', 'tahun', 'butir', name=op.f('uq_jadwal_satker_id_tahun_butir'))
    )
    with op.batch_alter_table('jadwal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jadwal_satker_id'), ['satker_id'], unique=False)

    op.create_table('pengingat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('satker_id', sa.Integer(), nullable=False),
    sa.Column('tahun', sa.Integer(), nullable=False),
    sa.Column('jenis', sa.String(length=20), nullable=False),
    sa.Column('oleh_id', sa.Integer(), nullable=True),
    sa.Column('oleh_satker_id', sa.Integer(), nullable=False),
    sa.Column('pada', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['oleh_id'], ['user_account.id'], name=op.f('fk_pengingat_oleh_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['oleh_satker_id'], ['satker.id'], name=op.f('fk_pengingat_oleh_satker_id_satker'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['satker_id'], ['satker.id'], name=op.f('fk_pengingat_satker_id_satker'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pengingat'))
    )
    with op.batch_alter_table('pengingat', schema=None) as batch_op:
        batch_op.create_index('ix_pengingat_satker_tahun_jenis', ['satker_id', 'tahun', 'jenis'], unique=False)



def downgrade():
    with op.batch_alter_table('pengingat', schema=None) as batch_op:
        batch_op.drop_index('ix_pengingat_satker_tahun_jenis')

    op.drop_table('pengingat')
    with op.batch_alter_table('jadwal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jadwal_satker_id'))

    op.drop_table('jadwal')
