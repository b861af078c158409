"""TOTP second factor: each account's secret and the last time step it accepted.

Revision ID: b3c1f0a2d9e4
Revises: 7f9ca48b25d8
Create Date: 2026-11-22 20:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3c1f0a2d9e4'
down_revision = '7f9ca48b25d8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account') as batch:
        batch.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))


def downgrade():
    with op.batch_alter_table('user_account') as batch:
        batch.drop_column('totp_last_step')
        batch.drop_column('totp_secret')
