"""Laporan Kinerja: a seventh document kind and the content table of its revisions.

On PostgreSQL the kind's CHECK constraint is replaced in place. SQLite cannot alter a
CHECK constraint: ``dokumen`` is copied into a new table (its CHECK constraints given
explicitly, since reflection would not carry them over). ``migrations/env.py`` runs
SQLite migrations with foreign keys off, so dropping the old ``dokumen`` does not
cascade into its revisions, and checks the foreign keys afterwards. ``dokumen`` has
no triggers of its own; the lock triggers live on the content tables and are kept.

Revision ID: e7177625bcbd
Revises: 671816509c53
Create Date: 2026-11-22 20:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7177625bcbd'
down_revision = '671816509c53'
branch_labels = None
depends_on = None

BEFORE = ('pk_komisi', 'pk_sekretariat', 'rkt_komisi', 'rkt_sekretariat', 'rak_komisioner', 'rak_sekretariat')
AFTER = (*BEFORE, 'lkj')
LOCKED = "isi revisi terkunci sejak diajukan"


def _dokumen(kinds: tuple[str, ...]) -> sa.Table:
    return sa.Table(
        'dokumen', sa.MetaData(),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('satker_id', sa.Integer(), nullable=False),
        sa.Column('tahun', sa.Integer(), nullable=False),
        sa.Column('jenis', sa.Enum(*kinds, name='jenisdokumen', native_enum=False, create_constraint=True,
                                   length=20), nullable=False),
        sa.Column('status', sa.Enum('draft', 'submitted', 'signed', 'reviewed', name='status', native_enum=False,
                                    create_constraint=True, length=12), nullable=False),
        sa.Column('nomor_revisi', sa.Integer(), nullable=False),
        sa.Column('versi', sa.Integer(), nullable=False),
        sa.Column('dibuat_pada', sa.DateTime(timezone=True), nullable=False),
        sa.Column('diubah_pada', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('tahun BETWEEN 2000 AND 2100', name='ck_dokumen_tahun_wajar'),
        sa.ForeignKeyConstraint(['satker_id'], ['satker.id'], name='fk_dokumen_satker_id_satker', ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name='pk_dokumen'),
        sa.UniqueConstraint('satker_id', 'tahun', 'jenis', name='uq_dokumen_satker_id_tahun_jenis'),
        sa.Index('ix_dokumen_satker_id', 'satker_id'),
    )


def _set_kinds(kinds: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table('dokumen', copy_from=_dokumen(kinds), recreate="always"):
            pass
        return
    listed = ", ".join(f"'{k}'" for k in kinds)
    op.drop_constraint(op.f('ck_dokumen_jenisdokumen'), 'dokumen', type_='check')
    op.create_check_constraint(op.f('ck_dokumen_jenisdokumen'), 'dokumen', f"jenis IN ({listed})")


def _lock_triggers() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("CREATE TRIGGER lkj_isi_terkunci BEFORE INSERT OR UPDATE OR DELETE ON lkj_isi "
                   "FOR EACH ROW EXECUTE FUNCTION sakip_isi_terkunci()")
    elif dialect == "sqlite":
        for when, ref in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
            op.execute(f"CREATE TRIGGER lkj_isi_terkunci_{when.lower()}_{ref.lower()} BEFORE {when} ON lkj_isi "
                       f"WHEN EXISTS (SELECT 1 FROM revisi WHERE id = {ref}.revisi_id AND terkunci) "
                       f"BEGIN SELECT RAISE(ABORT, '{LOCKED}'); END")


def upgrade():
    _set_kinds(AFTER)
    op.create_table('lkj_isi',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revisi_id', sa.Integer(), nullable=False),
    sa.Column('kata_pengantar', sa.Text(), nullable=False),
    sa.Column('ikhtisar', sa.Text(), nullable=False),
    sa.Column('pendahuluan', sa.Text(), nullable=False),
    sa.Column('perencanaan', sa.Text(), nullable=False),
    sa.Column('akuntabilitas', sa.Text(), nullable=False),
    sa.Column('penutup', sa.Text(), nullable=False),
    sa.Column('pegawai_pns', sa.Integer(), nullable=True),
    sa.Column('pegawai_pppk', sa.Integer(), nullable=True),
    sa.Column('pegawai_ppnpn', sa.Integer(), nullable=True),
    sa.Column('angka_tertulis', sa.Text(), nullable=True),
    sa.Column('tabel', sa.Text(), nullable=True),
    sa.CheckConstraint('pegawai_pns IS NULL OR pegawai_pns >= 0', name=op.f('ck_lkj_isi_pns_positif')),
    sa.CheckConstraint('pegawai_pppk IS NULL OR pegawai_pppk >= 0', name=op.f('ck_lkj_isi_pppk_positif')),
    sa.CheckConstraint('pegawai_ppnpn IS NULL OR pegawai_ppnpn >= 0', name=op.f('ck_lkj_isi_ppnpn_positif')),
    sa.ForeignKeyConstraint(['revisi_id'], ['revisi.id'], name=op.f('fk_lkj_isi_revisi_id_revisi'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lkj_isi')),
    sa.UniqueConstraint('revisi_id', name=op.f('uq_lkj_isi_revisi_id'))
    )
    _lock_triggers()


def downgrade():
    # Refused by the CHECK below while LKj documents exist: remove them first, on purpose.
    op.drop_table('lkj_isi')
    _set_kinds(BEFORE)
