"""One table of document kinds: ``jenis_dokumen``, one row per kind, with the number of
signatures that make a document of that kind signed.

``dokumen.jenis`` loses its CHECK constraint (a list of the kinds) for a foreign key to
this table, and the status triggers of migration "state_invariants" read the signatory
count from it instead of a CASE over the kinds. A kind added later needs only its row:

    op.execute("INSERT INTO jenis_dokumen (kode, jumlah_penandatangan) VALUES ('iku', 2)")

(and its declaration in ``workflow/dokumen/jenis.py``, whose signing order must have that many
signatories).

SQLite cannot add a foreign key to a table: ``dokumen`` is copied (as in migration
"laporan_kinerja", with foreign keys off while it runs), which drops its triggers, so the
status triggers are created again. PostgreSQL alters the table in place and replaces the
trigger function. The downgrade puts the CHECK and the CASE back; it is refused while a
document of a kind the CHECK does not list exists.

Revision ID: 0c701c9e944b
Revises: 2b7c9d4e8f10
Create Date: 2026-12-07 06:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0c701c9e944b'
down_revision = '2b7c9d4e8f10'
branch_labels = None
depends_on = None

KINDS = (('pk_komisi', 1), ('pk_sekretariat', 2), ('rkt_komisi', 1), ('rkt_sekretariat', 1),
         ('rak_komisioner', 2), ('rak_sekretariat', 2), ('lkj', 1))

FROM_TABLE = "(SELECT j.jumlah_penandatangan FROM jenis_dokumen j WHERE j.kode = NEW.jenis)"
FROM_CASE = ("CASE NEW.jenis WHEN 'pk_sekretariat' THEN 2 WHEN 'rak_komisioner' THEN 2 "
             "WHEN 'rak_sekretariat' THEN 2 ELSE 1 END")

# As migration "state_invariants" states them, with the signatory count as a parameter.
KINI = "FROM revisi r WHERE r.dokumen_id = NEW.id AND r.nomor = NEW.nomor_revisi"
TTD = "(SELECT count(*) FROM tanda_tangan t WHERE t.revisi_id = r.id)"
PREFIX = "status dokumen tidak sesuai revisinya: "


def _rules(perlu: str) -> dict[str, tuple[str, str]]:
    return {
        "draft": (
            f"NOT EXISTS (SELECT 1 {KINI} AND (r.terkunci OR r.hasil_tinjauan IS NOT NULL)) AND ("
            f"EXISTS (SELECT 1 {KINI}) OR "
            "NEW.nomor_revisi = (SELECT coalesce(max(nomor) + 1, 0) FROM revisi WHERE dokumen_id = NEW.id))",
            "draf menunjuk revisi yang terkunci, sudah ditinjau, atau tidak ada",
        ),
        "submitted": (
            f"EXISTS (SELECT 1 {KINI} AND r.terkunci AND r.hash_isi IS NOT NULL AND r.hasil_tinjauan IS NULL "
            f"AND {TTD} < {perlu})",
            "diajukan tanpa revisi terkunci ber-hash yang belum lengkap ditandatangani dan belum ditinjau",
        ),
        "signed": (
            f"EXISTS (SELECT 1 {KINI} AND r.terkunci AND r.hash_isi IS NOT NULL AND r.hasil_tinjauan IS NULL "
            f"AND {TTD} = {perlu})",
            "ditandatangani tanpa tanda tangan semua penanda tangan jenisnya pada revisi terkunci yang belum ditinjau",
        ),
        "reviewed": (
            f"EXISTS (SELECT 1 {KINI} AND r.terkunci AND r.hash_isi IS NOT NULL AND r.hasil_tinjauan = 'disetujui' "
            f"AND {TTD} = {perlu})",
            "disetujui tanpa catatan persetujuan pada revisi terkini yang lengkap ditandatangani",
        ),
    }


def _pg_status_function(perlu: str) -> None:
    checks = "\n".join(
        f"  IF NEW.status = '{status}' AND NOT ({rule}) THEN\n"
        f"    RAISE EXCEPTION '{PREFIX}{message}' USING ERRCODE = 'check_violation';\n"
        "  END IF;"
        for status, (rule, message) in _rules(perlu).items())
    op.execute(f"""
CREATE OR REPLACE FUNCTION sakip_status_sesuai() RETURNS trigger AS $$
BEGIN
{checks}
  RETURN NULL;
END $$ LANGUAGE plpgsql""")


def _sqlite_status_triggers(perlu: str) -> None:
    body = " ".join(f"SELECT RAISE(ABORT, '{PREFIX}{message}') WHERE NEW.status = '{status}' AND NOT ({rule});"
                    for status, (rule, message) in _rules(perlu).items())
    op.execute("DROP TRIGGER IF EXISTS dokumen_status_sesuai_insert")
    op.execute("DROP TRIGGER IF EXISTS dokumen_status_sesuai_update")
    op.execute(f"CREATE TRIGGER dokumen_status_sesuai_insert AFTER INSERT ON dokumen BEGIN {body} END")
    op.execute("CREATE TRIGGER dokumen_status_sesuai_update AFTER UPDATE OF status, nomor_revisi, jenis "
               f"ON dokumen BEGIN {body} END")


def _dokumen(kinds: tuple[str, ...] | None) -> sa.Table:
    """dokumen as SQLite copies it: ``kinds`` listed by a CHECK, or None for the foreign key."""
    jenis = (sa.Enum(*kinds, name='jenisdokumen', native_enum=False, create_constraint=True, length=20)
             if kinds else sa.String(20))
    extra = () if kinds else (sa.ForeignKeyConstraint(['jenis'], ['jenis_dokumen.kode'],
                                                      name='fk_dokumen_jenis_jenis_dokumen', ondelete='RESTRICT'),)
    return sa.Table(
        'dokumen', sa.MetaData(),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('satker_id', sa.Integer(), nullable=False),
        sa.Column('tahun', sa.Integer(), nullable=False),
        sa.Column('jenis', jenis, nullable=False),
        sa.Column('status', sa.Enum('draft', 'submitted', 'signed', 'reviewed', name='status', native_enum=False,
                                    create_constraint=True, length=12), nullable=False),
        sa.Column('nomor_revisi', sa.Integer(), nullable=False),
        sa.Column('versi', sa.Integer(), nullable=False),
        sa.Column('dibuat_pada', sa.DateTime(timezone=True), nullable=False),
        sa.Column('diubah_pada', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('tahun BETWEEN 2000 AND 2100', name='ck_dokumen_tahun_wajar'),
        sa.ForeignKeyConstraint(['satker_id'], ['satker.id'], name='fk_dokumen_satker_id_satker', ondelete='RESTRICT'),
        *extra,
        sa.PrimaryKeyConstraint('id', name='pk_dokumen'),
        sa.UniqueConstraint('satker_id', 'tahun', 'jenis', name='uq_dokumen_satker_id_tahun_jenis'),
        sa.Index('ix_dokumen_satker_id', 'satker_id'),
    )


def upgrade():
    table = op.create_table(
        'jenis_dokumen',
        sa.Column('kode', sa.String(length=20), nullable=False),
        sa.Column('jumlah_penandatangan', sa.Integer(), nullable=False),
        sa.CheckConstraint('jumlah_penandatangan >= 1', name=op.f('ck_jenis_dokumen_penandatangan_ada')),
        sa.PrimaryKeyConstraint('kode', name=op.f('pk_jenis_dokumen')),
    )
    op.bulk_insert(table, [{"kode": kode, "jumlah_penandatangan": n} for kode, n in KINDS])
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table('dokumen', copy_from=_dokumen(None), recreate="always"):
            pass
        _sqlite_status_triggers(FROM_TABLE)
        return
    op.drop_constraint(op.f('ck_dokumen_jenisdokumen'), 'dokumen', type_='check')
    op.create_foreign_key(op.f('fk_dokumen_jenis_jenis_dokumen'), 'dokumen', 'jenis_dokumen', ['jenis'], ['kode'],
                          ondelete='RESTRICT')
    _pg_status_function(FROM_TABLE)


def downgrade():
    kinds = tuple(kode for kode, _ in KINDS)
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table('dokumen', copy_from=_dokumen(kinds), recreate="always"):
            pass
        _sqlite_status_triggers(FROM_CASE)
    else:
        _pg_status_function(FROM_CASE)
        op.drop_constraint(op.f('fk_dokumen_jenis_jenis_dokumen'), 'dokumen', type_='foreignkey')
        listed = ", ".join(f"'{k}'" for k in kinds)
        op.create_check_constraint(op.f('ck_dokumen_jenisdokumen'), 'dokumen', f"jenis IN ({listed})")
    op.drop_table('jenis_dokumen')
