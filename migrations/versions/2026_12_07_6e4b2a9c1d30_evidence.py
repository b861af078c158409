"""Evidence (workflow/bukti): a row per file attached to a period's realisation of an
indikator, a RAK row's period, or a document (``bukti``: name, type, size, SHA-256, where
its bytes are, who added and who withdrew it), and the database backend's 1 MB chunks
(``bukti_potongan``, keyed by the file's ``lokasi``).

On PostgreSQL ``bukti`` follows its document under row-level security, as the
realisations do; the chunks carry no office (another backend may hold them) and are
reached only through a visible ``bukti`` row's ``lokasi``, a random key.

Revision ID: 6e4b2a9c1d30
Revises: 7a4c2e9b1d30
Create Date: 2026-12-07 09:12:58.682017

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6e4b2a9c1d30'
down_revision = '7a4c2e9b1d30'
branch_labels = None
depends_on = None

RULE = "dokumen_id IN (SELECT id FROM dokumen)"


def upgrade():
    op.create_table('bukti_potongan',
    sa.Column('lokasi', sa.String(length=64), nullable=False),
    sa.Column('urutan', sa.Integer(), nullable=False),
    sa.Column('isi', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('lokasi', 'urutan', name=op.f('pk_bukti_potongan'))
    )
    op.create_table('bukti',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dokumen_id', sa.Integer(), nullable=False),
    sa.Column('sasaran', sa.String(length=16), nullable=False),
    sa.Column('kunci', sa.String(length=16), nullable=True),
    sa.Column('periode', sa.Integer(), nullable=True),
    sa.Column('revisi_nomor', sa.Integer(), nullable=False),
    sa.Column('nama', sa.String(length=255), nullable=False),
    sa.Column('mime', sa.String(length=120), nullable=False),
    sa.Column('ukuran', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('penyimpanan', sa.String(length=16), nullable=False),
    sa.Column('lokasi', sa.String(length=64), nullable=False),
    sa.Column('diunggah_oleh_id', sa.Integer(), nullable=True),
    sa.Column('diunggah_pada', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ditarik_oleh_id', sa.Integer(), nullable=True),
    sa.Column('ditarik_pada', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(sasaran = 'dokumen' AND kunci IS NULL AND periode IS NULL) OR (sasaran <> 'dokumen' AND kunci IS NOT NULL AND periode BETWEEN 1 AND 12)", name=op.f('ck_bukti_sasaran_lengkap')),
    sa.CheckConstraint("sasaran IN ('indikator', 'baris', 'dokumen')", name=op.f('ck_bukti_sasaran_dikenal')),
    sa.CheckConstraint('ukuran >= 0', name=op.f('ck_bukti_ukuran_wajar')),
    sa.ForeignKeyConstraint(['ditarik_oleh_id'], ['user_account.id'], name=op.f('fk_bukti_ditarik_oleh_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['diunggah_oleh_id'], ['user_account.id'], name=op.f('fk_bukti_diunggah_oleh_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['dokumen_id'], ['dokumen.id'], name=op.f('fk_bukti_dokumen_id_dokumen'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bukti')),
    sa.UniqueConstraint('lokasi', name=op.f('uq_bukti_lokasi'))
    )
    with op.batch_alter_table('bukti', schema=None) as batch_op:
        batch_op.create_index('ix_bukti_dokumen_sel', ['dokumen_id', 'sasaran', 'kunci', 'periode'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE bukti ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY bukti_satker ON bukti USING ({RULE}) WITH CHECK ({RULE})")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY IF EXISTS bukti_satker ON bukti")
    with op.batch_alter_table('bukti', schema=None) as batch_op:
        batch_op.drop_index('ix_bukti_dokumen_sel')

    op.drop_table('bukti')
    op.drop_table('bukti_potongan')
