"""Form input kept across an expired session (tenants/kept_input.py): what a form sent
after its session ended, for that account only, for two hours, until it signs in again.

No row-level security: a row belongs to an account, not to an office, and only the
account's own requests ever read it (the application filters by the signed-in user).

Revision ID: 2b7c9d4e8f10
Revises: 1a0e5f3c2b71
Create Date: 2026-12-07 02:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2b7c9d4e8f10'
down_revision = '1a0e5f3c2b71'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'kept_input',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('page', sa.String(length=2048), nullable=False),
        sa.Column('action', sa.String(length=2048), nullable=False),
        sa.Column('fields', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_kept_input_user_id_user_account'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kept_input')),
    )
    op.create_index(op.f('ix_kept_input_created_at'), 'kept_input', ['created_at'], unique=False)
    op.create_index(op.f('ix_kept_input_user_id'), 'kept_input', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_kept_input_user_id'), table_name='kept_input')
    op.drop_index(op.f('ix_kept_input_created_at'), table_name='kept_input')
    op.drop_table('kept_input')
