"""The database refuses a status its rows contradict (migration "state invariants"):
submitted needs the locked, hashed revision; signed every signature its kind requires;
reviewed the approval on the current revision. Forged from any SQL client, as the owner
or as the application's role, and TRUNCATE of what is append-only, on PostgreSQL."""
import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.pool import NullPool

from tenants.db import db
from tenants.hierarchy import load_hierarchy
from tenants.satker import Satker
from tests.conftest import TREE, app_role
from tests.documents import isi_contoh
from tests.factories import UserFactory, grant
from webapp import create_app
from workflow.dokumen import operations
from workflow.dokumen.models import Dokumen, JenisDokumen, Status

# (name, kind, year, how far it goes): every document of Kota Batu, committed by the owner.
DOKUMEN = [
    ("draf", "rak_sekretariat", 2024, 0),
    ("diajukan", "rak_sekretariat", 2025, 1),
    ("setengah", "rak_sekretariat", 2026, 2),        # one of its two signatures
    ("ditandatangani", "rak_sekretariat", 2027, 3),
    ("disetujui", "rak_sekretariat", 2028, 4),
    ("pk_ditandatangani", "pk_komisi", 2024, 3),      # its one signature is all it needs
]


def _walk(dokumen, steps: int, batu: dict, reviewer) -> None:
    penyusun = batu[dokumen.jenis.penyusun.value]
    moves = [lambda: operations.ajukan(db.session, dokumen, penyusun)]
    moves += [lambda p=p: operations.tandatangani(db.session, dokumen, batu[p.peran.value])
              for p in dokumen.jenis.penandatangan]
    moves.append(lambda: operations.setujui(db.session, dokumen, reviewer))
    if steps == 3:  # signed: every signature
        steps = 1 + len(dokumen.jenis.penandatangan)
    elif steps == 4:
        steps = len(moves)
    for move in moves[:steps]:
        move()


@pytest.fixture(scope="module")
def dunia(backend, fresh_database_url):
    """{"url", "app", "ids": {name: dokumen id}, "reviewer": user id}"""
    url = fresh_database_url(backend)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        load_hierarchy(db.session, TREE)
        db.session.commit()
        satker = {s.kode: s for s in db.session.scalars(sa.select(Satker))}
        batu = {}
        for peran in ("ketua", "sekretaris"):
            batu[peran] = UserFactory(satker=satker["35.79"])
            grant(batu[peran], satker["35.79"], peran)
        reviewer = UserFactory(satker=satker["35"])
        grant(reviewer, satker["35"], "reviewer")
        db.session.commit()
        ids = {}
        for name, jenis, tahun, steps in DOKUMEN:
            dokumen = operations.buat_dokumen(db.session, satker["35.79"], tahun, JenisDokumen(jenis), None)
            isi_contoh(db.session, dokumen, batu[dokumen.jenis.penyusun.value])
            _walk(dokumen, steps, batu, reviewer)
            db.session.commit()
            ids[name] = dokumen.id
        expected = {"draf": "draft", "diajukan": "submitted", "setengah": "submitted", "ditandatangani": "signed",
                    "disetujui": "reviewed", "pk_ditandatangani": "signed"}
        assert {n: db.session.get(Dokumen, i).status.value for n, i in ids.items()} == expected
        reviewer_id = reviewer.id
        db.session.remove()
    yield {"url": url, "app": app, "ids": ids, "reviewer": reviewer_id, "backend": backend}
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(params=["pemilik", "peran aplikasi"])
def koneksi(request, dunia):
    """A connection in a transaction that is rolled back: the owner's, or (PostgreSQL) the
    application role's, which row-level security binds, seeing every office."""
    if request.param == "pemilik":
        engine = sa.create_engine(dunia["url"], poolclass=NullPool)
        yield from _in_transaction(engine)
        return
    if dunia["backend"] != "postgresql":
        pytest.skip("SQLite has no roles")
    with app_role(dunia["app"], "sakip_forger") as role:
        engine = sa.create_engine(sa.make_url(dunia["url"]).set(username=role), poolclass=NullPool)
        yield from _in_transaction(engine, rls="semua")


def _in_transaction(engine, rls: str | None = None):
    try:
        with engine.connect() as conn:
            outer = conn.begin()
            if rls:
                conn.execute(sa.text("SELECT set_config('sakip.satker', :v, true)"), {"v": rls})
            yield conn
            outer.rollback()
    finally:
        engine.dispose()


def _refused(conn, sql: str, match: str, **params) -> None:
    with pytest.raises(sa.exc.DatabaseError, match=match):
        with conn.begin_nested():
            conn.execute(sa.text(sql), params)


def _status(conn, dokumen_id: int) -> str:
    return conn.execute(sa.text("SELECT status FROM dokumen WHERE id = :id"), {"id": dokumen_id}).scalar_one()


SET = "UPDATE dokumen SET {} WHERE id = :id"


@pytest.mark.parametrize(("name", "change", "refusal"), [
    # the issue's own example: a signed document marked reviewed without a review
    ("ditandatangani", "status = 'reviewed'", "disetujui tanpa catatan persetujuan"),
    ("draf", "status = 'submitted'", "diajukan tanpa revisi terkunci ber-hash"),
    ("draf", "status = 'signed'", "ditandatangani tanpa tanda tangan semua penanda tangan"),
    ("draf", "status = 'reviewed'", "disetujui tanpa catatan persetujuan"),
    ("diajukan", "status = 'signed'", "ditandatangani tanpa tanda tangan semua penanda tangan"),
    ("setengah", "status = 'signed'", "ditandatangani tanpa tanda tangan semua penanda tangan"),
    ("diajukan", "status = 'reviewed'", "disetujui tanpa catatan persetujuan"),
    ("diajukan", "status = 'draft'", "draf menunjuk revisi yang terkunci"),
    ("ditandatangani", "status = 'submitted'", "diajukan tanpa revisi terkunci"),
    ("ditandatangani", "status = 'draft'", "draf menunjuk revisi yang terkunci"),
    ("disetujui", "status = 'signed'", "ditandatangani tanpa tanda tangan"),
    ("disetujui", "status = 'draft'", "draf menunjuk revisi yang terkunci, sudah ditinjau"),
    # pointing a status at another revision, or another kind's count of signatures
    ("disetujui", "nomor_revisi = 7", "disetujui tanpa catatan persetujuan"),
    ("draf", "nomor_revisi = 7", "draf menunjuk revisi yang terkunci, sudah ditinjau, atau tidak ada"),
    ("pk_ditandatangani", "jenis = 'pk_sekretariat'", "ditandatangani tanpa tanda tangan semua penanda tangan"),
    ("ditandatangani", "jenis = 'pk_komisi'", "ditandatangani tanpa tanda tangan semua penanda tangan"),
])
def test_a_status_its_rows_contradict_is_refused(dunia, koneksi, name, change, refusal):
    dokumen_id = dunia["ids"][name]
    before = _status(koneksi, dokumen_id)
    _refused(koneksi, SET.format(change), "status dokumen tidak sesuai revisinya: " + refusal, id=dokumen_id)
    assert _status(koneksi, dokumen_id) == before


def test_a_document_cannot_be_created_in_a_later_state(dunia, koneksi):
    for status in ("submitted", "signed", "reviewed"):
        _refused(koneksi, "INSERT INTO dokumen (satker_id, tahun, jenis, status, nomor_revisi, versi, dibuat_pada, "
                          "diubah_pada) SELECT satker_id, 2030, jenis, :status, 0, 1, dibuat_pada, diubah_pada "
                          "FROM dokumen WHERE id = :id", "status dokumen tidak sesuai revisinya",
                 status=status, id=dunia["ids"]["draf"])


def test_a_status_its_rows_hold_is_accepted(dunia, koneksi):
    """The trigger reads the rows, not who writes: an approval on record lets the status
    follow (how it got there is `sakip check`'s to question, against the audit trail)."""
    dokumen_id = dunia["ids"]["ditandatangani"]
    koneksi.execute(sa.text(
        "UPDATE revisi SET hasil_tinjauan = 'disetujui', ditinjau_oleh_id = :r, ditinjau_pada = CURRENT_TIMESTAMP "
        "WHERE dokumen_id = :id"), {"id": dokumen_id, "r": dunia["reviewer"]})
    koneksi.execute(sa.text(SET.format("status = 'reviewed'")), {"id": dokumen_id})
    assert _status(koneksi, dokumen_id) == "reviewed"


TRUNCATED = ["audit_log", "tanda_tangan", "revisi", "program_anggaran", "sasaran", "indikator", "rak_baris",
             "kegiatan", "lkj_isi", "dokumen"]


@pytest.mark.parametrize("table", TRUNCATED)
def test_truncate_is_refused_on_what_is_append_only(dunia, table):
    if dunia["backend"] != "postgresql":
        pytest.skip("SQLite has no TRUNCATE (DELETE meets the row triggers)")
    engine = sa.create_engine(dunia["url"], poolclass=NullPool)
    try:
        with engine.connect() as conn:
            before = conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()
            # dokumen cascades into revisi, whose trigger refuses
            match = f"{'revisi' if table == 'dokumen' else table} tidak dapat dikosongkan"
            with pytest.raises(sa.exc.DatabaseError, match=match):
                conn.execute(sa.text(f"TRUNCATE {table} CASCADE"))
            conn.rollback()
            assert conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() == before
    finally:
        engine.dispose()


def test_the_application_role_may_not_truncate_at_all(dunia):
    if dunia["backend"] != "postgresql":
        pytest.skip("PostgreSQL only")
    with app_role(dunia["app"], "sakip_truncate") as role:
        engine = sa.create_engine(sa.make_url(dunia["url"]).set(username=role), poolclass=NullPool)
        try:
            with engine.connect() as conn:
                with pytest.raises(sa.exc.DatabaseError, match="permission denied"):
                    conn.execute(sa.text("TRUNCATE audit_log"))
        finally:
            engine.dispose()


# The LKj reports on a signed PK: tests/test_lkj.py signs it.
@pytest.mark.parametrize("jenis", [j for j in JenisDokumen if j is not JenisDokumen.LKJ])
def test_every_kind_reaches_signed_with_exactly_its_signatories(db, make_dokumen, people, jenis):
    """The trigger counts each kind's signatories as workflow.dokumen.signature does: the last one
    makes it signed, one fewer leaves it submitted."""
    dokumen = make_dokumen(jenis.value)
    batu = people("35.79")
    operations.ajukan(db.session, dokumen, getattr(batu, jenis.penyusun.value))
    for penandatangan in jenis.penandatangan:
        assert dokumen.status is Status.SUBMITTED
        operations.tandatangani(db.session, dokumen, getattr(batu, penandatangan.peran.value))
    db.session.commit()
    assert dokumen.status is Status.SIGNED
