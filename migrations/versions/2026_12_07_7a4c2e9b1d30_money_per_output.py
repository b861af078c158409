"""Money per output code per month (``realisasi_output``: an office's figures as SAKTI
records them, per year, code and month) and KPU RI's quarterly absorption targets per
year (``target_serapan``; SMART DJA's 15/40/60/90 when a year has none).

On PostgreSQL ``realisasi_output`` has row-level security by its office, as the
realisation tables (migration "row level security"); the targets are national.

Revision ID: 7a4c2e9b1d30
Revises: 6e4f2a9b8c31
Create Date: 2026-12-07 09:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7a4c2e9b1d30'
down_revision = '6e4f2a9b8c31'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('realisasi_output',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('satker_id', sa.Integer(), nullable=False),
    sa.Column('tahun', sa.Integer(), nullable=False),
    sa.Column('kode_output', sa.String(length=40), nullable=False),
    sa.Column('bulan', sa.Integer(), nullable=False),
    sa.Column('jumlah', sa.BigInteger(), nullable=False),
    sa.Column('diisi_oleh_id', sa.Integer(), nullable=True),
    sa.Column('diisi_pada', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('bulan BETWEEN 1 AND 12', name=op.f('ck_realisasi_output_bulan_wajar')),
    sa.CheckConstraint('jumlah >= 0', name=op.f('ck_realisasi_output_jumlah_positif')),
    sa.CheckConstraint('tahun BETWEEN 2000 AND 2100', name=op.f('ck_realisasi_output_tahun_wajar')),
    sa.ForeignKeyConstraint(['diisi_oleh_id'], ['user_account.id'], name=op.f('fk_realisasi_output_diisi_oleh_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['satker_id'], ['satker.id'], name=op.f('fk_realisasi_output_satker_id_satker'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_realisasi_output')),
    sa.UniqueConstraint('satker_id', 'tahun', 'kode_output', 'bulan', name=op.f('uq_realisasi_output_satker_id_tahun_kode_output_bulan'))
    )
    with op.batch_alter_table('realisasi_output', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_realisasi_output_satker_id'), ['satker_id'], unique=False)

    op.create_table('target_serapan',
    sa.Column('tahun', sa.Integer(), nullable=False),
    sa.Column('triwulan', sa.Integer(), nullable=False),
    sa.Column('persen', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('diubah_oleh_id', sa.Integer(), nullable=True),
    sa.Column('diubah_pada', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('persen >= 0 AND persen <= 100', name=op.f('ck_target_serapan_persen_wajar')),
    sa.CheckConstraint('triwulan BETWEEN 1 AND 4', name=op.f('ck_target_serapan_triwulan_wajar')),
    sa.ForeignKeyConstraint(['diubah_oleh_id'], ['user_account.id'], name=op.f('fk_target_serapan_diubah_oleh_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('tahun', 'triwulan', name=op.f('pk_target_serapan'))
    )
    if op.get_bind().dialect.name == "postgresql":
        rule = "satker_id = ANY (sakip_satker())"
        op.execute("ALTER TABLE realisasi_output ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY realisasi_output_satker ON realisasi_output USING ({rule}) WITH CHECK ({rule})")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY IF EXISTS realisasi_output_satker ON realisasi_output")
    op.drop_table('target_serapan')
    with op.batch_alter_table('realisasi_output', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_realisasi_output_satker_id'))

    op.drop_table('realisasi_output')
