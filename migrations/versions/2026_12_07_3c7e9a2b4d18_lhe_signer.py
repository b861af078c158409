"""The LHE's signer (workflow/evaluasi, the Laporan Hasil Evaluasi): the name, position and
office of the evaluator who finalised, and the place the report is signed at, written once with the
final result so that the printed report never changes when memberships do later.

Nullable: an evaluation finalised before this revision names its signer from the audit
entry of its finalisation (filled below where that entry and its membership are found).

Revision ID: 3c7e9a2b4d18
Revises: 8d2f4b6a1e57
Create Date: 2026-12-07 12:40:00.000000

"""
import json
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c7e9a2b4d18'
down_revision = '8d2f4b6a1e57'
branch_labels = None
depends_on = None

WILAYAH = re.compile(r"^KPU (Provinsi |Kabupaten |Kota )?")
KOLOM = ("difinalkan_nama", "difinalkan_jabatan", "difinalkan_kantor", "difinalkan_tempat")


def upgrade():
    op.add_column('evaluasi', sa.Column('difinalkan_nama', sa.String(length=120), nullable=True))
    op.add_column('evaluasi', sa.Column('difinalkan_jabatan', sa.String(length=120), nullable=True))
    op.add_column('evaluasi', sa.Column('difinalkan_kantor', sa.String(length=120), nullable=True))
    op.add_column('evaluasi', sa.Column('difinalkan_tempat', sa.String(length=80), nullable=True))
    _isi_yang_sudah_final()


def _isi_yang_sudah_final():
    """The membership that finalised, as its audit entry names it."""
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE evaluasi SET difinalkan_nama = (SELECT full_name FROM user_account "
                         "WHERE user_account.id = evaluasi.difinalkan_oleh_id) WHERE status = 'final'"))
    finals = conn.execute(sa.text("SELECT id FROM evaluasi WHERE status = 'final'")).scalars().all()
    for ev_id in finals:
        for membership_id, rincian in conn.execute(sa.text(
                "SELECT membership_id, rincian FROM audit_log WHERE aksi = 'evaluasi_finalkan' "
                "AND membership_id IS NOT NULL ORDER BY seq DESC")):
            if json.loads(rincian or "{}").get("evaluasi") != ev_id:
                continue
            row = conn.execute(sa.text(
                "SELECT s.nama, s.parent_id FROM membership m JOIN satker s ON s.id = m.satker_id "
                "WHERE m.id = :m"), {"m": membership_id}).first()
            if row is not None:
                pusat = row.parent_id is None
                conn.execute(sa.text(
                    "UPDATE evaluasi SET difinalkan_jabatan = :j, difinalkan_kantor = :k, difinalkan_tempat = :t "
                    "WHERE id = :id"), {"j": "Inspektorat Utama" if pusat else "Inspektorat", "k": row.nama,
                                        "t": "Jakarta" if pusat else WILAYAH.sub("", row.nama), "id": ev_id})
            break


def downgrade():
    for kolom in KOLOM:
        op.drop_column('evaluasi', kolom)
