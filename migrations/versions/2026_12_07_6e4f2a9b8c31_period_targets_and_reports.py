"""Targets per period on indikator and RAK rows (content: plain ALTER TABLE, never a batch
copy, which would lose the lock triggers on SQLite), and a period's report of a signed PK
(workflow/pelaporan): the report, its numbered revisions, its analysis per indikator.
Row-level security on PostgreSQL: a report follows its document.

Revision ID: 6e4f2a9b8c31
Revises: 5c3d8e1f9a27
Create Date: 2026-12-07 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6e4f2a9b8c31'
down_revision = '5c3d8e1f9a27'
branch_labels = None
depends_on = None

_POLICIES = {
    "laporan_periode": "dokumen_id IN (SELECT id FROM dokumen)",
    "laporan_periode_revisi": "laporan_id IN (SELECT id FROM laporan_periode)",
    "laporan_periode_analisis": "laporan_id IN (SELECT id FROM laporan_periode)",
}



def upgrade():
    for table in ("indikator", "rak_baris"):
        op.add_column(table, sa.Column('target_periode', sa.Text(), nullable=True))
        op.add_column(table, sa.Column('alasan_target_periode', sa.Text(), nullable=True))

    op.create_table('laporan_periode',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dokumen_id', sa.Integer(), nullable=False),
    sa.Column('periode', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'diajukan', 'dikembalikan', 'terverifikasi', name='statuslaporan', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('nomor_revisi', sa.Integer(), nullable=False),
    sa.Column('versi', sa.Integer(), nullable=False),
    sa.Column('diajukan_oleh_id', sa.Integer(), nullable=True),
    sa.Column('diajukan_pada', sa.DateTime(timezone=True), nullable=True),
    sa.Column('diverifikasi_oleh_id', sa.Integer(), nullable=True),
    sa.Column('diverifikasi_pada', sa.DateTime(timezone=True), nullable=True),
    sa.Column('catatan', sa.Text(), nullable=True),
    sa.Column('dibuat_pada', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('periode BETWEEN 1 AND 12', name=op.f('ck_laporan_periode_periode_wajar')),
    sa.CheckConstraint('nomor_revisi >= 0', name=op.f('ck_laporan_periode_nomor_positif')),
    sa.CheckConstraint("status NOT IN ('diajukan', 'terverifikasi', 'dikembalikan') OR (diajukan_oleh_id IS NOT NULL AND diajukan_pada IS NOT NULL)", name=op.f('ck_laporan_periode_diajukan_bernama')),
    sa.CheckConstraint("status <> 'terverifikasi' OR (diverifikasi_oleh_id IS NOT NULL AND diverifikasi_pada IS NOT NULL)", name=op.f('ck_laporan_periode_verifikasi_bernama')),
    sa.CheckConstraint('diverifikasi_oleh_id IS NULL OR diverifikasi_oleh_id <> diajukan_oleh_id', name=op.f('ck_laporan_periode_bukan_verifikasi_sendiri')),
    sa.CheckConstraint("status <> 'dikembalikan' OR catatan IS NOT NULL", name=op.f('ck_laporan_periode_pengembalian_beralasan')),
    sa.ForeignKeyConstraint(['diajukan_oleh_id'], ['user_account.id'], name=op.f('fk_laporan_periode_diajukan_oleh_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['diverifikasi_oleh_id'], ['user_account.id'], name=op.f('fk_laporan_periode_diverifikasi_oleh_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['dokumen_id'], ['dokumen.id'], name=op.f('fk_laporan_periode_dokumen_id_dokumen'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_laporan_periode')),
    sa.UniqueConstraint('dokumen_id', 'periode', name=op.f('uq_laporan_periode_dokumen_id_periode'))
    )
    with op.batch_alter_table('laporan_periode', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_laporan_periode_dokumen_id'), ['dokumen_id'], unique=False)

    op.create_table('laporan_periode_revisi',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('laporan_id', sa.Integer(), nullable=False),
    sa.Column('nomor', sa.Integer(), nullable=False),
    sa.Column('alasan', sa.Text(), nullable=True),
    sa.Column('dibuat_oleh_id', sa.Integer(), nullable=True),
    sa.Column('dibuat_pada', sa.DateTime(timezone=True), nullable=False),
    sa.Column('diverifikasi_oleh_id', sa.Integer(), nullable=True),
    sa.Column('diverifikasi_pada', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('(nomor = 0) = (alasan IS NULL)', name=op.f('ck_laporan_periode_revisi_koreksi_beralasan')),
    sa.ForeignKeyConstraint(['dibuat_oleh_id'], ['user_account.id'], name=op.f('fk_laporan_periode_revisi_dibuat_oleh_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['diverifikasi_oleh_id'], ['user_account.id'], name=op.f('fk_laporan_periode_revisi_diverifikasi_oleh_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['laporan_id'], ['laporan_periode.id'], name=op.f('fk_laporan_periode_revisi_laporan_id_laporan_periode'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_laporan_periode_revisi')),
    sa.UniqueConstraint('laporan_id', 'nomor', name=op.f('uq_laporan_periode_revisi_laporan_id_nomor'))
    )
    with op.batch_alter_table('laporan_periode_revisi', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_laporan_periode_revisi_laporan_id'), ['laporan_id'], unique=False)

    op.create_table('laporan_periode_analisis',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('laporan_id', sa.Integer(), nullable=False),
    sa.Column('nomor_revisi', sa.Integer(), nullable=False),
    sa.Column('indikator_kunci', sa.String(length=16), nullable=False),
    sa.Column('kendala', sa.Text(), nullable=True),
    sa.Column('upaya', sa.Text(), nullable=True),
    sa.Column('rencana', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['laporan_id'], ['laporan_periode.id'], name=op.f('fk_laporan_periode_analisis_laporan_id_laporan_periode'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_laporan_periode_analisis')),
    sa.UniqueConstraint('laporan_id', 'nomor_revisi', 'indikator_kunci', name=op.f('uq_laporan_periode_analisis_laporan_id_nomor_revisi_indikator_kunci'))
    )
    with op.batch_alter_table('laporan_periode_analisis', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_laporan_periode_analisis_laporan_id'), ['laporan_id'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        for table, rule in _POLICIES.items():
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY {table}_satker ON {table} USING ({rule}) WITH CHECK ({rule})")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in _POLICIES:
            op.execute(f"DROP POLICY IF EXISTS {table}_satker ON {table}")
    for table in ("laporan_periode_analisis", "laporan_periode_revisi", "laporan_periode"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_{"dokumen_id" if table == "laporan_periode" else "laporan_id"}'))
        op.drop_table(table)
    for table in ("rak_baris", "indikator"):
        op.drop_column(table, 'alasan_target_periode')
        op.drop_column(table, 'target_periode')
