"""Follow-ups of a final evaluation's recommendations (workflow/tindaklanjut): a row per
recommendation (owner, due date, status) and a numbered row per progress report with the
evaluator's decision; each state's fields held by checks.

On PostgreSQL a follow-up follows its office under row-level security and its reports
follow the follow-up.

Revision ID: 3c7e1f5a9b24
Revises: 5c3e8a1f2d94
Create Date: 2026-12-07 12:22:54.980131

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c7e1f5a9b24'
down_revision = '5c3e8a1f2d94'
branch_labels = None
depends_on = None


RULES = {
    "tindak_lanjut": "satker_id = ANY (sakip_satker())",
    "tindak_lanjut_laporan": "tindak_lanjut_id IN (SELECT id FROM tindak_lanjut)",
}


def upgrade():
    op.create_table('tindak_lanjut',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluasi_id', sa.Integer(), nullable=False),
    sa.Column('temuan_id', sa.Integer(), nullable=False),
    sa.Column('satker_id', sa.Integer(), nullable=False),
    sa.Column('tahun', sa.Integer(), nullable=False),
    sa.Column('nomor', sa.Integer(), nullable=False),
    sa.Column('pemilik_id', sa.Integer(), nullable=True),
    sa.Column('tenggat', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('terbuka', 'dilaporkan', 'selesai', name='statustindaklanjut', native_enum=False, create_constraint=True, length=12), nullable=False),
    sa.Column('jumlah_laporan', sa.Integer(), nullable=False),
    sa.Column('dilaporkan_oleh_id', sa.Integer(), nullable=True),
    sa.Column('dilaporkan_pada', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ditutup_oleh_id', sa.Integer(), nullable=True),
    sa.Column('ditutup_pada', sa.DateTime(timezone=True), nullable=True),
    sa.Column('catatan', sa.Text(), nullable=True),
    sa.Column('dibuat_pada', sa.DateTime(timezone=True), nullable=False),
    sa.Column('versi', sa.Integer(), nullable=False),
    sa.CheckConstraint("(status = 'selesai') = (ditutup_oleh_id IS NOT NULL AND ditutup_pada IS NOT NULL)", name=op.f('ck_tindak_lanjut_selesai_bernama')),
    sa.CheckConstraint("status <> 'terbuka' OR (dilaporkan_oleh_id IS NULL AND dilaporkan_pada IS NULL)", name=op.f('ck_tindak_lanjut_terbuka_belum_dilaporkan')),
    sa.CheckConstraint("status = 'terbuka' OR (dilaporkan_oleh_id IS NOT NULL AND dilaporkan_pada IS NOT NULL AND jumlah_laporan >= 1)", name=op.f('ck_tindak_lanjut_dilaporkan_bernama')),
    sa.CheckConstraint('jumlah_laporan >= 0', name=op.f('ck_tindak_lanjut_jumlah_wajar')),
    sa.ForeignKeyConstraint(['dilaporkan_oleh_id'], ['user_account.id'], name=op.f('fk_tindak_lanjut_dilaporkan_oleh_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['ditutup_oleh_id'], ['user_account.id'], name=op.f('fk_tindak_lanjut_ditutup_oleh_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['evaluasi_id'], ['evaluasi.id'], name=op.f('fk_tindak_lanjut_evaluasi_id_evaluasi'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pemilik_id'], ['user_account.id'], name=op.f('fk_tindak_lanjut_pemilik_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['satker_id'], ['satker.id'], name=op.f('fk_tindak_lanjut_satker_id_satker'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['temuan_id'], ['evaluasi_temuan.id'], name=op.f('fk_tindak_lanjut_temuan_id_evaluasi_temuan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tindak_lanjut')),
    sa.UniqueConstraint('evaluasi_id', 'nomor', name=op.f('uq_tindak_lanjut_evaluasi_id_nomor')),
    sa.UniqueConstraint('temuan_id', name=op.f('uq_tindak_lanjut_temuan_id'))
    )
    with op.batch_alter_table('tindak_lanjut', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tindak_lanjut_evaluasi_id'), ['evaluasi_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tindak_lanjut_pemilik_id'), ['pemilik_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tindak_lanjut_satker_id'), ['satker_id'], unique=False)

    op.create_table('tindak_lanjut_laporan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tindak_lanjut_id', sa.Integer(), nullable=False),
    sa.Column('nomor', sa.Integer(), nullable=False),
    sa.Column('uraian', sa.Text(), nullable=False),
    sa.Column('tautan', sa.Text(), nullable=True),
    sa.Column('dilaporkan_oleh_id', sa.Integer(), nullable=True),
    sa.Column('dilaporkan_pada', sa.DateTime(timezone=True), nullable=False),
    sa.Column('keputusan', sa.String(length=12), nullable=True),
    sa.Column('alasan', sa.Text(), nullable=True),
    sa.Column('diputus_oleh_id', sa.Integer(), nullable=True),
    sa.Column('diputus_pada', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("keputusan IS NULL OR keputusan <> 'dikembalikan' OR alasan IS NOT NULL", name=op.f('ck_tindak_lanjut_laporan_pengembalian_beralasan')),
    sa.CheckConstraint("keputusan IS NULL OR keputusan IN ('selesai', 'dikembalikan')", name=op.f('ck_tindak_lanjut_laporan_keputusan_dikenal')),
    sa.CheckConstraint('keputusan IS NULL OR (diputus_oleh_id IS NOT NULL AND diputus_pada IS NOT NULL)', name=op.f('ck_tindak_lanjut_laporan_keputusan_bernama')),
    sa.CheckConstraint('length(trim(uraian)) > 0', name=op.f('ck_tindak_lanjut_laporan_uraian_terisi')),
    sa.CheckConstraint('nomor >= 1', name=op.f('ck_tindak_lanjut_laporan_nomor_wajar')),
    sa.ForeignKeyConstraint(['dilaporkan_oleh_id'], ['user_account.id'], name=op.f('fk_tindak_lanjut_laporan_dilaporkan_oleh_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['diputus_oleh_id'], ['user_account.id'], name=op.f('fk_tindak_lanjut_laporan_diputus_oleh_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tindak_lanjut_id'], ['tindak_lanjut.id'], name=op.f('fk_tindak_lanjut_laporan_tindak_lanjut_id_tindak_lanjut'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tindak_lanjut_laporan')),
    sa.UniqueConstraint('tindak_lanjut_id', 'nomor', name=op.f('uq_tindak_lanjut_laporan_tindak_lanjut_id_nomor'))
    )
    with op.batch_alter_table('tindak_lanjut_laporan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tindak_lanjut_laporan_tindak_lanjut_id'), ['tindak_lanjut_id'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        for table, rule in RULES.items():
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY {table}_satker ON {table} USING ({rule}) WITH CHECK ({rule})")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in RULES:
            op.execute(f"DROP POLICY IF EXISTS {table}_satker ON {table}")
    with op.batch_alter_table('tindak_lanjut_laporan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tindak_lanjut_laporan_tindak_lanjut_id'))

    op.drop_table('tindak_lanjut_laporan')
    with op.batch_alter_table('tindak_lanjut', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tindak_lanjut_satker_id'))
        batch_op.drop_index(batch_op.f('ix_tindak_lanjut_pemilik_id'))
        batch_op.drop_index(batch_op.f('ix_tindak_lanjut_evaluasi_id'))

    op.drop_table('tindak_lanjut')
