"""The yearly evaluation (workflow/evaluasi): the worksheet as data (``lke_versi``,
``lke_komponen``, ``lke_subkomponen``, ``lke_kriteria``: loaded by ``sakip init``, ``sakip
lke muat`` or at first use), and an office's evaluation of a year with its rows (an answer
per criterion, a grade per sub-component, findings), each state's fields held by checks.

On PostgreSQL an evaluation follows its office under row-level security and its rows
follow the evaluation; the worksheet is reference data, without a policy.

Revision ID: 8d2f4b6a1e57
Revises: 7e4a2c9b1d30
Create Date: 2026-12-07 09:43:57.105964

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8d2f4b6a1e57'
down_revision = '7e4a2c9b1d30'
branch_labels = None
depends_on = None


RULES = {
    "evaluasi": "satker_id = ANY (sakip_satker())",
    "evaluasi_jawaban": "evaluasi_id IN (SELECT id FROM evaluasi)",
    "evaluasi_nilai": "evaluasi_id IN (SELECT id FROM evaluasi)",
    "evaluasi_temuan": "evaluasi_id IN (SELECT id FROM evaluasi)",
}


def upgrade():
    op.create_table('lke_versi',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nama', sa.String(length=80), nullable=False),
    sa.Column('sumber', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('dimuat_pada', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lke_versi')),
    sa.UniqueConstraint('nama', name=op.f('uq_lke_versi_nama'))
    )
    op.create_table('lke_komponen',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('versi_id', sa.Integer(), nullable=False),
    sa.Column('kode', sa.String(length=8), nullable=False),
    sa.Column('nama', sa.String(length=255), nullable=False),
    sa.Column('bobot', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('urutan', sa.Integer(), nullable=False),
    sa.CheckConstraint('bobot > 0 AND bobot <= 100', name=op.f('ck_lke_komponen_bobot_wajar')),
    sa.ForeignKeyConstraint(['versi_id'], ['lke_versi.id'], name=op.f('fk_lke_komponen_versi_id_lke_versi'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lke_komponen')),
    sa.UniqueConstraint('versi_id', 'kode', name=op.f('uq_lke_komponen_versi_id_kode'))
    )
    with op.batch_alter_table('lke_komponen', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lke_komponen_versi_id'), ['versi_id'], unique=False)

    op.create_table('evaluasi',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('satker_id', sa.Integer(), nullable=False),
    sa.Column('tahun', sa.Integer(), nullable=False),
    sa.Column('lke_versi_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draf', 'diajukan', 'dikembalikan', 'diterbitkan', 'disanggah', 'final', name='statusevaluasi', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('versi', sa.Integer(), nullable=False),
    sa.Column('diajukan_oleh_id', sa.Integer(), nullable=True),
    sa.Column('diajukan_pada', sa.DateTime(timezone=True), nullable=True),
    sa.Column('catatan', sa.Text(), nullable=True),
    sa.Column('diterbitkan_oleh_id', sa.Integer(), nullable=True),
    sa.Column('diterbitkan_pada', sa.DateTime(timezone=True), nullable=True),
    sa.Column('disanggah_oleh_id', sa.Integer(), nullable=True),
    sa.Column('disanggah_pada', sa.DateTime(timezone=True), nullable=True),
    sa.Column('difinalkan_oleh_id', sa.Integer(), nullable=True),
    sa.Column('difinalkan_pada', sa.DateTime(timezone=True), nullable=True),
    sa.Column('skor_total', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('predikat', sa.String(length=2), nullable=True),
    sa.Column('isi_final', sa.Text(), nullable=True),
    sa.Column('hash_isi', sa.String(length=64), nullable=True),
    sa.Column('kode_verifikasi', sa.String(length=9), nullable=True),
    sa.Column('dibuat_pada', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("predikat IS NULL OR predikat IN ('AA', 'A', 'BB', 'B', 'CC', 'C', 'D', 'E')", name=op.f('ck_evaluasi_predikat_dikenal')),
    sa.CheckConstraint("status <> 'dikembalikan' OR catatan IS NOT NULL", name=op.f('ck_evaluasi_pengembalian_beralasan')),
    sa.CheckConstraint("status <> 'disanggah' OR disanggah_pada IS NOT NULL", name=op.f('ck_evaluasi_sanggahan_bertanggal')),
    sa.CheckConstraint("status <> 'final' OR (difinalkan_oleh_id IS NOT NULL AND difinalkan_pada IS NOT NULL AND skor_total IS NOT NULL AND predikat IS NOT NULL AND isi_final IS NOT NULL AND hash_isi IS NOT NULL AND kode_verifikasi IS NOT NULL)", name=op.f('ck_evaluasi_final_lengkap')),
    sa.CheckConstraint("status = 'final' OR (skor_total IS NULL AND predikat IS NULL AND hash_isi IS NULL AND kode_verifikasi IS NULL AND isi_final IS NULL)", name=op.f('ck_evaluasi_skor_hanya_final')),
    sa.CheckConstraint("status NOT IN ('diajukan', 'dikembalikan', 'diterbitkan', 'disanggah', 'final') OR (diajukan_oleh_id IS NOT NULL AND diajukan_pada IS NOT NULL)", name=op.f('ck_evaluasi_diajukan_bernama')),
    sa.CheckConstraint("status NOT IN ('diterbitkan', 'disanggah', 'final') OR (diterbitkan_oleh_id IS NOT NULL AND diterbitkan_pada IS NOT NULL)", name=op.f('ck_evaluasi_terbit_bernama')),
    sa.CheckConstraint('skor_total IS NULL OR skor_total BETWEEN 0 AND 100', name=op.f('ck_evaluasi_skor_wajar')),
    sa.CheckConstraint('tahun BETWEEN 2000 AND 2100', name=op.f('ck_evaluasi_tahun_wajar')),
    sa.ForeignKeyConstraint(['diajukan_oleh_id'], ['user_account.id'], name=op.f('fk_evaluasi_diajukan_oleh_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['difinalkan_oleh_id'], ['user_account.id'], name=op.f('fk_evaluasi_difinalkan_oleh_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['disanggah_oleh_id'], ['user_account.id'], name=op.f('fk_evaluasi_disanggah_oleh_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['diterbitkan_oleh_id'], ['user_account.id'], name=op.f('fk_evaluasi_diterbitkan_oleh_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['lke_versi_id'], ['lke_versi.id'], name=op.f('fk_evaluasi_lke_versi_id_lke_versi'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['satker_id'], ['satker.id'], name=op.f('fk_evaluasi_satker_id_satker'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluasi')),
    sa.UniqueConstraint('kode_verifikasi', name=op.f('uq_evaluasi_kode_verifikasi')),
    sa.UniqueConstraint('satker_id', 'tahun', name=op.f('uq_evaluasi_satker_id_tahun'))
    )
    with op.batch_alter_table('evaluasi', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluasi_satker_id'), ['satker_id'], unique=False)

    op.create_table('lke_subkomponen',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('komponen_id', sa.Integer(), nullable=False),
    sa.Column('kode', sa.String(length=8), nullable=False),
    sa.Column('jenis', sa.String(length=40), nullable=False),
    sa.Column('pernyataan', sa.Text(), nullable=True),
    sa.Column('bobot', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('urutan', sa.Integer(), nullable=False),
    sa.CheckConstraint('bobot > 0 AND bobot <= 100', name=op.f('ck_lke_subkomponen_bobot_wajar')),
    sa.ForeignKeyConstraint(['komponen_id'], ['lke_komponen.id'], name=op.f('fk_lke_subkomponen_komponen_id_lke_komponen'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lke_subkomponen')),
    sa.UniqueConstraint('komponen_id', 'kode', name=op.f('uq_lke_subkomponen_komponen_id_kode'))
    )
    with op.batch_alter_table('lke_subkomponen', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lke_subkomponen_komponen_id'), ['komponen_id'], unique=False)

    op.create_table('evaluasi_nilai',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluasi_id', sa.Integer(), nullable=False),
    sa.Column('subkomponen_id', sa.Integer(), nullable=False),
    sa.Column('nilai', sa.String(length=2), nullable=True),
    sa.Column('alasan', sa.Text(), nullable=True),
    sa.Column('dinilai_oleh_id', sa.Integer(), nullable=True),
    sa.Column('dinilai_pada', sa.DateTime(timezone=True), nullable=True),
    sa.Column('versi', sa.Integer(), nullable=False),
    sa.CheckConstraint("nilai IS NULL OR nilai IN ('AA', 'A', 'BB', 'B', 'CC', 'C', 'D', 'E')", name=op.f('ck_evaluasi_nilai_nilai_dikenal')),
    sa.CheckConstraint("nilai IS NULL OR nilai NOT IN ('AA', 'A') OR alasan IS NOT NULL", name=op.f('ck_evaluasi_nilai_a_beralasan')),
    sa.ForeignKeyConstraint(['dinilai_oleh_id'], ['user_account.id'], name=op.f('fk_evaluasi_nilai_dinilai_oleh_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['evaluasi_id'], ['evaluasi.id'], name=op.f('fk_evaluasi_nilai_evaluasi_id_evaluasi'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subkomponen_id'], ['lke_subkomponen.id'], name=op.f('fk_evaluasi_nilai_subkomponen_id_lke_subkomponen'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluasi_nilai')),
    sa.UniqueConstraint('evaluasi_id', 'subkomponen_id', name=op.f('uq_evaluasi_nilai_evaluasi_id_subkomponen_id'))
    )
    with op.batch_alter_table('evaluasi_nilai', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluasi_nilai_evaluasi_id'), ['evaluasi_id'], unique=False)

    op.create_table('evaluasi_temuan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluasi_id', sa.Integer(), nullable=False),
    sa.Column('nomor', sa.Integer(), nullable=False),
    sa.Column('subkomponen_id', sa.Integer(), nullable=True),
    sa.Column('uraian', sa.Text(), nullable=False),
    sa.Column('rekomendasi', sa.Text(), nullable=True),
    sa.Column('dibuat_oleh_id', sa.Integer(), nullable=True),
    sa.Column('dibuat_pada', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sanggahan', sa.Text(), nullable=True),
    sa.Column('tanggapan', sa.Text(), nullable=True),
    sa.Column('sanggahan_diterima', sa.Boolean(), nullable=True),
    sa.Column('versi', sa.Integer(), nullable=False),
    sa.CheckConstraint('sanggahan_diterima IS NULL OR tanggapan IS NOT NULL', name=op.f('ck_evaluasi_temuan_keputusan_bertanggapan')),
    sa.CheckConstraint('tanggapan IS NULL OR sanggahan IS NOT NULL', name=op.f('ck_evaluasi_temuan_tanggapan_atas_sanggahan')),
    sa.ForeignKeyConstraint(['dibuat_oleh_id'], ['user_account.id'], name=op.f('fk_evaluasi_temuan_dibuat_oleh_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['evaluasi_id'], ['evaluasi.id'], name=op.f('fk_evaluasi_temuan_evaluasi_id_evaluasi'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subkomponen_id'], ['lke_subkomponen.id'], name=op.f('fk_evaluasi_temuan_subkomponen_id_lke_subkomponen'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluasi_temuan')),
    sa.UniqueConstraint('evaluasi_id', 'nomor', name=op.f('uq_evaluasi_temuan_evaluasi_id_nomor'))
    )
    with op.batch_alter_table('evaluasi_temuan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluasi_temuan_evaluasi_id'), ['evaluasi_id'], unique=False)

    op.create_table('lke_kriteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subkomponen_id', sa.Integer(), nullable=False),
    sa.Column('kode', sa.String(length=12), nullable=False),
    sa.Column('uraian', sa.Text(), nullable=False),
    sa.Column('urutan', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['subkomponen_id'], ['lke_subkomponen.id'], name=op.f('fk_lke_kriteria_subkomponen_id_lke_subkomponen'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lke_kriteria')),
    sa.UniqueConstraint('subkomponen_id', 'kode', name=op.f('uq_lke_kriteria_subkomponen_id_kode'))
    )
    with op.batch_alter_table('lke_kriteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lke_kriteria_subkomponen_id'), ['subkomponen_id'], unique=False)

    op.create_table('evaluasi_jawaban',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluasi_id', sa.Integer(), nullable=False),
    sa.Column('kriteria_id', sa.Integer(), nullable=False),
    sa.Column('jawaban', sa.String(length=1), nullable=True),
    sa.Column('catatan', sa.Text(), nullable=True),
    sa.Column('tautan', sa.Text(), nullable=True),
    sa.Column('diisi_oleh_id', sa.Integer(), nullable=True),
    sa.Column('diisi_pada', sa.DateTime(timezone=True), nullable=True),
    sa.Column('setuju', sa.Boolean(), nullable=True),
    sa.Column('komentar', sa.Text(), nullable=True),
    sa.Column('dinilai_oleh_id', sa.Integer(), nullable=True),
    sa.Column('dinilai_pada', sa.DateTime(timezone=True), nullable=True),
    sa.Column('perlu_bukti', sa.Boolean(), nullable=False),
    sa.Column('alasan_kembali', sa.Text(), nullable=True),
    sa.Column('usulan', sa.String(length=1), nullable=True),
    sa.Column('usulan_fakta', sa.Text(), nullable=True),
    sa.Column('versi', sa.Integer(), nullable=False),
    sa.CheckConstraint("jawaban IS NULL OR jawaban IN ('Y', 'T')", name=op.f('ck_evaluasi_jawaban_jawaban_dikenal')),
    sa.CheckConstraint("usulan IS NULL OR usulan IN ('Y', 'T')", name=op.f('ck_evaluasi_jawaban_usulan_dikenal')),
    sa.CheckConstraint('NOT perlu_bukti OR alasan_kembali IS NOT NULL', name=op.f('ck_evaluasi_jawaban_pengembalian_beralasan')),
    sa.CheckConstraint('setuju IS NULL OR jawaban IS NOT NULL', name=op.f('ck_evaluasi_jawaban_dinilai_terjawab')),
    sa.CheckConstraint('setuju IS NULL OR setuju OR komentar IS NOT NULL', name=op.f('ck_evaluasi_jawaban_tidak_setuju_berkomentar')),
    sa.ForeignKeyConstraint(['diisi_oleh_id'], ['user_account.id'], name=op.f('fk_evaluasi_jawaban_diisi_oleh_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['dinilai_oleh_id'], ['user_account.id'], name=op.f('fk_evaluasi_jawaban_dinilai_oleh_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['evaluasi_id'], ['evaluasi.id'], name=op.f('fk_evaluasi_jawaban_evaluasi_id_evaluasi'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['kriteria_id'], ['lke_kriteria.id'], name=op.f('fk_evaluasi_jawaban_kriteria_id_lke_kriteria'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluasi_jawaban')),
    sa.UniqueConstraint('evaluasi_id', 'kriteria_id', name=op.f('uq_evaluasi_jawaban_evaluasi_id_kriteria_id'))
    )
    with op.batch_alter_table('evaluasi_jawaban', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluasi_jawaban_evaluasi_id'), ['evaluasi_id'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        for table, rule in RULES.items():
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY {table}_satker ON {table} USING ({rule}) WITH CHECK ({rule})")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in RULES:
            op.execute(f"DROP POLICY IF EXISTS {table}_satker ON {table}")
    with op.batch_alter_table('evaluasi_jawaban', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluasi_jawaban_evaluasi_id'))

    op.drop_table('evaluasi_jawaban')
    with op.batch_alter_table('lke_kriteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lke_kriteria_subkomponen_id'))

    op.drop_table('lke_kriteria')
    with op.batch_alter_table('evaluasi_temuan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluasi_temuan_evaluasi_id'))

    op.drop_table('evaluasi_temuan')
    with op.batch_alter_table('evaluasi_nilai', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluasi_nilai_evaluasi_id'))

    op.drop_table('evaluasi_nilai')
    with op.batch_alter_table('lke_subkomponen', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lke_subkomponen_komponen_id'))

    op.drop_table('lke_subkomponen')
    with op.batch_alter_table('evaluasi', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluasi_satker_id'))

    op.drop_table('evaluasi')
    with op.batch_alter_table('lke_komponen', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lke_komponen_versi_id'))

    op.drop_table('lke_komponen')
    op.drop_table('lke_versi')
