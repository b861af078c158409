"""Automatic reminders (workflow/notifikasi/pengingat.py, `sakip ingatkan`): one row per
reminder sent, keyed by office, year, item, kind, period and stage, so that a second run
of the day sends nothing twice.

No row-level security: only the daily command writes and reads it.

Revision ID: 7e4a2c9b1d30
Revises: 6e4b2a9c1d30
Create Date: 2026-12-07 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7e4a2c9b1d30'
down_revision = '6e4b2a9c1d30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pengingat_terkirim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('satker_id', sa.Integer(), nullable=False),
    sa.Column('tahun', sa.Integer(), nullable=False),
    sa.Column('butir', sa.String(length=20), nullable=False),
    sa.Column('jenis', sa.String(length=20), nullable=False),
    sa.Column('periode', sa.Integer(), nullable=False),
    sa.Column('tahap', sa.Enum('sebelum', 'terlewat', name='tahappengingat', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('tenggat', sa.Date(), nullable=False),
    sa.Column('penerima', sa.Integer(), nullable=False),
    sa.Column('dikirim_pada', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['satker_id'], ['satker.id'], name=op.f('fk_pengingat_terkirim_satker_id_satker'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pengingat_terkirim')),
    sa.UniqueConstraint('satker_id', 'tahun', 'butir', 'jenis', 'periode', 'tahap', name=op.f('uq_pengingat_terkirim_satker_id_tahun_butir_jenis_periode_tahap'))
    )


def downgrade():
    op.drop_table('pengingat_terkirim')
