"""Pending imports in the database: a dry run shown by one app server can be applied
through another (several servers behind a load balancer share no disk).

Replaces the files under instance/impor/. On PostgreSQL the table follows its document
under row-level security like the other tables of an office.

Revision ID: 5e2a9c7d41b8
Revises: b3c1f0a2d9e4
Create Date: 2026-11-22 21:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e2a9c7d41b8'
down_revision = 'b3c1f0a2d9e4'
branch_labels = None
depends_on = None

RULE = "dokumen_id IN (SELECT id FROM dokumen)"


def upgrade():
    op.create_table(
        'impor_tertunda',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('dokumen_id', sa.Integer(), nullable=False),
        sa.Column('versi', sa.Integer(), nullable=False),
        sa.Column('jenis', sa.String(length=8), nullable=False),
        sa.Column('nama', sa.String(length=255), nullable=False),
        sa.Column('ke_draf', sa.Boolean(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('isi', sa.LargeBinary(), nullable=False),
        sa.Column('dibuat', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['dokumen_id'], ['dokumen.id'], name=op.f('fk_impor_tertunda_dokumen_id_dokumen'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_impor_tertunda_user_id_user_account'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_impor_tertunda')),
    )
    op.create_index(op.f('ix_impor_tertunda_dibuat'), 'impor_tertunda', ['dibuat'], unique=False)
    op.create_index(op.f('ix_impor_tertunda_dokumen_id'), 'impor_tertunda', ['dokumen_id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE impor_tertunda ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY impor_tertunda_satker ON impor_tertunda USING ({RULE}) WITH CHECK ({RULE})")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY IF EXISTS impor_tertunda_satker ON impor_tertunda")
    op.drop_index(op.f('ix_impor_tertunda_dokumen_id'), table_name='impor_tertunda')
    op.drop_index(op.f('ix_impor_tertunda_dibuat'), table_name='impor_tertunda')
    op.drop_table('impor_tertunda')
