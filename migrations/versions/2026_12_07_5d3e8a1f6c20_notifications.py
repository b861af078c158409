"""Notifications (workflow/notifikasi): an account's e-mail address and language, the
notifications people read in the app, the outbox the worker sends, and each person's
preferences.

No row-level security: a notification belongs to an account, not to an office, and only
the account's own requests (and the worker) read it; the application filters by the
signed-in user.

Revision ID: 5d3e8a1f6c20
Revises: 0c701c9e944b
Create Date: 2026-12-07 09:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d3e8a1f6c20'
down_revision = '0c701c9e944b'
branch_labels = None
depends_on = None

_STATUS = ('queued', 'sending', 'sent', 'failed')
_JENIS_NOTIFIKASI = ('tanda_tangan', 'tinjauan', 'dikembalikan', 'disetujui', 'pengingat')


def _enum_check(column: str, values: tuple[str, ...], name: str) -> sa.CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=op.f(name))


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('bahasa', sa.String(length=2), server_default='id', nullable=False))
        batch_op.create_unique_constraint(batch_op.f('uq_user_account_email'), ['email'])
        batch_op.create_check_constraint('bahasa_dikenal', "bahasa IN ('id', 'en')")

    op.create_table(
        'surat_keluar',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('jenis', sa.String(length=10), nullable=False),
        sa.Column('alamat', sa.String(length=254), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('percobaan', sa.Integer(), server_default='0', nullable=False),
        sa.Column('coba_lagi_pada', sa.DateTime(timezone=True), nullable=False),
        sa.Column('terkirim_pada', sa.DateTime(timezone=True), nullable=True),
        sa.Column('galat_terakhir', sa.Text(), nullable=True),
        sa.Column('diklaim_oleh', sa.String(length=64), nullable=True),
        sa.Column('diklaim_pada', sa.DateTime(timezone=True), nullable=True),
        sa.Column('dibuat_pada', sa.DateTime(timezone=True), nullable=False),
        _enum_check('jenis', ('satu', 'ringkasan'), 'ck_surat_keluar_jenissurat'),
        _enum_check('status', _STATUS, 'ck_surat_keluar_statussurat'),
        sa.CheckConstraint('percobaan >= 0', name=op.f('ck_surat_keluar_percobaan_positif')),
        sa.CheckConstraint("(status = 'sending') = (diklaim_oleh IS NOT NULL AND diklaim_pada IS NOT NULL)",
                           name=op.f('ck_surat_keluar_klaim_saat_mengirim')),
        sa.CheckConstraint("(status = 'sent') = (terkirim_pada IS NOT NULL)",
                           name=op.f('ck_surat_keluar_terkirim_bertanggal')),
        sa.CheckConstraint("status <> 'failed' OR galat_terakhir IS NOT NULL",
                           name=op.f('ck_surat_keluar_gagal_beralasan')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_surat_keluar_user_id_user_account'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_surat_keluar')),
    )
    op.create_index('ix_surat_keluar_antrean', 'surat_keluar', ['status', 'coba_lagi_pada'], unique=False)
    op.create_index(op.f('ix_surat_keluar_user_id'), 'surat_keluar', ['user_id'], unique=False)

    op.create_table(
        'notifikasi',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('jenis', sa.String(length=16), nullable=False),
        sa.Column('judul', sa.String(length=200), nullable=False),
        sa.Column('isi', sa.Text(), nullable=False),
        sa.Column('tautan', sa.String(length=500), nullable=True),
        sa.Column('satker_id', sa.Integer(), nullable=True),
        sa.Column('dokumen_id', sa.Integer(), nullable=True),
        sa.Column('dibuat_pada', sa.DateTime(timezone=True), nullable=False),
        sa.Column('dibaca_pada', sa.DateTime(timezone=True), nullable=True),
        sa.Column('menunggu_ringkasan', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('surat_id', sa.Integer(), nullable=True),
        _enum_check('jenis', _JENIS_NOTIFIKASI, 'ck_notifikasi_jenisnotifikasi'),
        sa.CheckConstraint('NOT (menunggu_ringkasan AND surat_id IS NOT NULL)',
                           name=op.f('ck_notifikasi_ringkasan_sekali')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notifikasi_user_id_user_account'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['satker_id'], ['satker.id'], name=op.f('fk_notifikasi_satker_id_satker'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['dokumen_id'], ['dokumen.id'], name=op.f('fk_notifikasi_dokumen_id_dokumen'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['surat_id'], ['surat_keluar.id'], name=op.f('fk_notifikasi_surat_id_surat_keluar'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notifikasi')),
    )
    op.create_index('ix_notifikasi_user_dibaca', 'notifikasi', ['user_id', 'dibaca_pada'], unique=False)
    op.create_index(op.f('ix_notifikasi_dokumen_id'), 'notifikasi', ['dokumen_id'], unique=False)
    op.create_index(op.f('ix_notifikasi_surat_id'), 'notifikasi', ['surat_id'], unique=False)

    op.create_table(
        'preferensi_notifikasi',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('surel', sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column('ringkasan_harian', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_preferensi_notifikasi_user_id_user_account'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_preferensi_notifikasi')),
    )


def downgrade():
    op.drop_table('preferensi_notifikasi')
    op.drop_index(op.f('ix_notifikasi_surat_id'), table_name='notifikasi')
    op.drop_index(op.f('ix_notifikasi_dokumen_id'), table_name='notifikasi')
    op.drop_index('ix_notifikasi_user_dibaca', table_name='notifikasi')
    op.drop_table('notifikasi')
    op.drop_index(op.f('ix_surat_keluar_user_id'), table_name='surat_keluar')
    op.drop_index('ix_surat_keluar_antrean', table_name='surat_keluar')
    op.drop_table('surat_keluar')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint('bahasa_dikenal', type_='check')
        batch_op.drop_constraint(batch_op.f('uq_user_account_email'), type_='unique')
        batch_op.drop_column('bahasa')
        batch_op.drop_column('email')
