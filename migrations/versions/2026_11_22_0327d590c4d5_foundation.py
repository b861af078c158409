"""Foundation: the office hierarchy (satker), accounts and memberships.

Revision ID: 0327d590c4d5
Revises: 
Create Date: 2026-11-22 16:42:26.409930

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0327d590c4d5'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('satker',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kode', sa.String(length=8), nullable=False),
    sa.Column('nama', sa.String(length=120), nullable=False),
    sa.Column('tingkat', sa.Enum('pusat', 'provinsi', 'kabkota', name='tingkat', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('path', sa.String(length=64), nullable=False),
    sa.CheckConstraint("(tingkat = 'pusat') = (parent_id IS NULL)", name=op.f('ck_satker_root_is_pusat')),
    sa.CheckConstraint("path LIKE '/%/'", name=op.f('ck_satker_path_delimited')),
    sa.ForeignKeyConstraint(['parent_id'], ['satker.id'], name=op.f('fk_satker_parent_id_satker'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_satker')),
    sa.UniqueConstraint('kode', name=op.f('uq_satker_kode')),
    sa.UniqueConstraint('path', name=op.f('uq_satker_path'))
    )
    with op.batch_alter_table('satker', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_satker_parent_id'), ['parent_id'], unique=False)

    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('satker_id', sa.Integer(), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['satker_id'], ['satker.id'], name=op.f('fk_user_account_satker_id_satker'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('username', name=op.f('uq_user_account_username'))
    )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_account_satker_id'), ['satker_id'], unique=False)

    op.create_table('membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('satker_id', sa.Integer(), nullable=False),
    sa.Column('peran', sa.Enum('admin', 'ketua', 'anggota', 'sekretaris', 'subbag', 'reviewer', 'inspektorat', name='peran', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('divisi', sa.Enum('perencanaan', 'teknis', 'hukum', 'sosdiklih', 'keuangan', name='divisi', native_enum=False, create_constraint=True, length=16), nullable=True),
    sa.Column('subbagian', sa.Enum('kul', 'rendatin', 'teknis_hupmas', 'hukum_sdm', name='subbagian', native_enum=False, create_constraint=True, length=16), nullable=True),
    sa.CheckConstraint("(peran = 'anggota') = (divisi IS NOT NULL)", name=op.f('ck_membership_divisi_iff_anggota')),
    sa.CheckConstraint("(peran = 'subbag') = (subbagian IS NOT NULL)", name=op.f('ck_membership_subbagian_iff_subbag')),
    sa.ForeignKeyConstraint(['satker_id'], ['satker.id'], name=op.f('fk_membership_satker_id_satker'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_membership_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership')),
    sa.UniqueConstraint('user_id', 'satker_id', 'peran', 'divisi', 'subbagian', name='uq_membership_role')
    )
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_satker_id'), ['satker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_user_id'))
        batch_op.drop_index(batch_op.f('ix_membership_satker_id'))

    op.drop_table('membership')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_account_satker_id'))

    op.drop_table('user_account')
    with op.batch_alter_table('satker', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_satker_parent_id'))

    op.drop_table('satker')
