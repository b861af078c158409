"""The isolation matrix (issue 6, point 1): every actor x every object x every route.

The world: KPU RI, two provinces, two kabupaten/kota under each (tests/conftest.TREE);
every role at every office; at one province and one of its kabupaten/kota, a document
of every kind in every state, an evaluation in every state and follow-ups of the final
one's recommendations in every state. The oracle is the policy table of ``tests/akses.py``,
which must equal ``docs/akses.md``. The routes come from ``app.url_map``: a route that
takes an object and is not mapped to an action below fails ``unmapped route``, and a
kind of document the oracle does not know fails ``unmapped kind``; neither is skipped.

For each case: allowed -> neither 403 nor 404 (and a write that should change something
did); refused -> a refusal, nothing changed; hidden -> the very response a missing
object gets (status and body, CSRF tokens and nonces masked), nothing changed. Each
case runs in a transaction of its own, rolled back afterwards, so every case starts from
the same world. The suite requests a covering sample (``select_cases``) on SQLite and on each
of PostgreSQL's two walls; every case with SAKIP_MATRIX=full (``whole``).
"""
from __future__ import annotations

import hashlib
import io
import os
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import pytest
import sqlalchemy as sa
from sqlalchemy import orm, select

from tenants.db import db as _db
from tenants.hierarchy import load_hierarchy
from tenants.people import User
from tenants.satker import Satker, Tingkat
from tests import akses
from tests.conftest import CASE_COUNTS, TREE, _scope, app_role, csrf_token_from, migrated_app

# -- the roles of the world ------------------------------------------------------------------

ROLES = {  # actor role -> (Peran, membership extras)
    "ketua": ("ketua", {}),
    "sekretaris": ("sekretaris", {}),
    "anggota pelaksana": ("anggota", {"divisi": "keuangan"}),
    "anggota lain": ("anggota", {"divisi": "teknis"}),
    "subbag pelaksana": ("subbag", {"subbagian": "kul"}),
    "subbag lain": ("subbag", {"subbagian": "rendatin"}),
    "admin": ("admin", {}),
    "inspektorat": ("inspektorat", {}),
    "reviewer": ("reviewer", {}),  # provinces and KPU RI only
}
# The units that carry out the fixture's RAK rows (tests.documents.isi_contoh's default).
PELAKSANA = {"rak_sekretariat": "kul", "rak_komisioner": "keuangan"}
def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


PNG = _png()  # the evidence file the matrix attaches and uploads
DOC_OFFICES = ("35.79", "35")  # a kabupaten/kota (reviewed by 35) and a province (reviewed by RI)
STATE_YEAR = {s: 2021 + i for i, s in enumerate(akses.DOC_STATES)}
NEW_YEAR = 2030
MISSING_ID = 2_000_000_000
MISSING_KODE = "99.99"
MISSING_KUNCI = "tidak-ada"
# A signed PK's period reports in the world, one per state (tests/akses.py, LANGKAH): the
# month each is stored at (3 is March for a monthly office, TW I for a quarterly one).
LAPORAN_PERIODE = {"draf": 3, "diajukan": 6, "dikembalikan": 9, "terverifikasi": 12}
# An evaluation per state at each of DOC_OFFICES, one year per state ("baru": NEW_YEAR, none).
EVAL_YEAR = {s: 2021 + i for i, s in enumerate(akses.EVAL_STATES[1:])}
# What the matrix's evaluation forms write: the office answers EVAL_ISI again (the criterion
# returned in "dikembalikan"), the evaluator comments on EVAL_NILAI of sub-component EVAL_SUB.
EVAL_SUB, EVAL_ISI, EVAL_NILAI = "1.a", "1.a.1", "1.a.2"
# The due date the matrix's follow-up form (``/ubah``) sets: none of the world's has it.
TL_TENGGAT = "2031-06-30"

def parent_of(kode: str) -> str | None:
    return next(o.parent_kode for o in TREE if o.kode == kode)


def ancestors_of(kode: str) -> list[str]:
    found, cur = [], parent_of(kode)
    while cur:
        found.append(cur)
        cur = parent_of(cur)
    return found


def column_of(role: str, at: str, owner: str) -> str:
    """The oracle column of an actor (``role`` at office ``at``) for an object of ``owner``."""
    if at == owner:
        return role
    if at in ancestors_of(owner):
        if role == "reviewer" and at == parent_of(owner):
            return "reviewer induk"
        if role in ("admin", "inspektorat", "reviewer"):
            return "pembaca di atas"
        return "pejabat di atas"
    if owner in ancestors_of(at):
        return "satker bawah"
    if parent_of(at) == parent_of(owner):
        return "satker sejajar"
    return "provinsi lain"


# -- the world -----------------------------------------------------------------------------------

@dataclass
class Actor:
    name: str
    role: str
    kode: str
    user_id: int
    client: object = None
    token: str = ""
    cookie: str = ""
    cookie_name: str = "session"

    @property
    def unit(self) -> str | None:
        return ROLES[self.role][1].get("divisi") or ROLES[self.role][1].get("subbagian")


@dataclass
class Doc:
    id: int
    kode: str
    jenis: str
    bentuk: str
    state: str
    versi: int
    nomor: int
    hash_isi: str | None
    baris: str | None
    sasaran: str | None
    indikator: str | None
    bukti: int | None = None  # a file attached to the document itself (webapp/bukti.py)
    laporan_versi: dict[int, int] = field(default_factory=dict)  # period -> its report's version


@dataclass
class Ev:
    """An office's evaluation of a year in one state (docs/akses.md, "Evaluasi AKIP"), with
    what a form shows of it: the versions of the rows the matrix's forms send (``EVAL_ISI``,
    ``EVAL_NILAI``, the grade of ``EVAL_SUB``). State "baru": no evaluation that year."""
    kode: str
    state: str
    tahun: int
    id: int | None = None
    versi: int | None = None
    kriteria_versi: dict[str, int] = field(default_factory=dict)
    nilai: str | None = None  # EVAL_SUB's grade
    nilai_versi: int | None = None


@dataclass
class Tl:
    """A follow-up of the final evaluation of one of DOC_OFFICES in one state (docs/akses.md,
    "Tindak lanjut"), owned by ``pemilik_id`` (the office's "anggota pelaksana", not its
    Sekretaris, so that the owner and the Sekretaris are two columns)."""
    kode: str
    state: str
    id: int
    versi: int
    pemilik_id: int


@dataclass
class World:
    connection: sa.Connection
    actors: list[Actor]
    docs: list[Doc]
    satker_ids: dict[str, int]
    admin_objects: list[tuple[str, str, str, int]] = field(default_factory=list)  # (view, kind, owner kode, id)
    # (office kode, state) -> its evaluation in that state, at every office of DOC_OFFICES
    evaluasi: dict[tuple[str, str], Ev] = field(default_factory=dict)
    # a follow-up in every state at every office of DOC_OFFICES
    tindak_lanjut: list[Tl] = field(default_factory=list)

    @contextmanager
    def case(self) -> Iterator[None]:
        """One case's transaction: whatever the requests in it write is rolled back."""
        transaction = self.connection.begin()
        try:
            yield
        finally:
            transaction.rollback()


def _build(session, app) -> tuple[list[Actor], list[Doc], dict[str, int], list, dict, list[Tl]]:
    from tests.documents import isi_contoh
    from tests.factories import UserFactory, grant
    from workflow.bukti import operations as bukti_ops
    from workflow.bukti.models import Sasaran
    from workflow.dokumen import operations
    from workflow.dokumen.models import JenisDokumen

    load_hierarchy(session, TREE)
    session.commit()
    tree = {s.kode: s for s in session.scalars(select(Satker))}
    actors, users = [], {}
    for office in TREE:
        for role, (peran, extra) in ROLES.items():
            if peran == "reviewer" and office.tingkat is Tingkat.KABKOTA:
                continue
            user = UserFactory(satker=tree[office.kode], username=f"m{office.kode.replace('.', '')}-{role.replace(' ', '')}")
            grant(user, tree[office.kode], peran, **extra)
            session.commit()
            users[(office.kode, role)] = user
            actors.append(Actor(f"{role}@{office.kode}", role, office.kode, user.id))

    # An account of Kota Batu that also holds a role at the province: its own admin may
    # not touch it (README: nobody borrows rights from above by resetting a password).
    dual = UserFactory(satker=tree["35.79"], username="m3579-berperan-di-atas")
    grant(dual, tree["35.79"], "anggota", divisi="hukum")
    grant(dual, tree["35"], "inspektorat")
    session.commit()

    docs = []
    for kode in DOC_OFFICES:
        for jenis_value in akses.KINDS.values():
            jenis = JenisDokumen(jenis_value)
            signers = jenis.penandatangan
            for state in akses.DOC_STATES:
                if state == "diajukan 1 ttd" and len(signers) < 2:
                    continue
                dokumen = operations.buat_dokumen(session, tree[kode], STATE_YEAR[state], jenis, None)
                penyusun = users[(kode, jenis.penyusun.value)]
                isi_contoh(session, dokumen, penyusun)
                if state != "draf":
                    operations.ajukan(session, dokumen, penyusun)
                    n = {"diajukan": 0, "diajukan 1 ttd": 1}.get(state, len(signers))
                    for signer in signers[:n]:
                        operations.tandatangani(session, dokumen, users[(kode, signer.peran.value)])
                    if state == "disetujui":
                        operations.setujui(session, dokumen, users[(parent_of(kode), "reviewer")])
                laporan_versi = {}
                if jenis.bentuk.value == "pk" and state in ("ditandatangani", "disetujui"):
                    laporan_versi = _laporkan(session, dokumen, penyusun, users[(parent_of(kode), "reviewer")])
                session.commit()
                bukti = bukti_ops.unggah(session, dokumen, penyusun, bukti_ops.Tempat(Sasaran.DOKUMEN),
                                         io.BytesIO(PNG), "lampiran.png")
                session.commit()
                revisi = dokumen.revisi_aktif
                sasaran = revisi.sasaran[0] if revisi.sasaran else None
                docs.append(Doc(
                    dokumen.id, kode, jenis_value, jenis.bentuk.value, state, dokumen.versi, dokumen.nomor_revisi,
                    revisi.hash_isi, revisi.baris[0].kunci if revisi.baris else None,
                    sasaran.kunci if sasaran else None, sasaran.indikator[0].kunci if sasaran else None, bukti.id,
                    laporan_versi))
    satker_ids = {k: s.id for k, s in tree.items()}

    from tenants.people import Membership
    admin_objects = [("satker", "satker", kode, sid) for kode, sid in satker_ids.items()]
    for kode in satker_ids:  # one account and one membership per office
        user = users[(kode, "ketua")]
        admin_objects.append(("pengguna", "pengguna", kode, user.id))
        admin_objects.append(("keanggotaan", "keanggotaan", kode, user.memberships[0].id))
    admin_objects.append(("pengguna", "pengguna dengan peran di atas", "35.79", dual.id))
    m35 = session.scalar(select(Membership).where(Membership.user_id == dual.id, Membership.satker_id == tree["35"].id))
    admin_objects.append(("keanggotaan", "keanggotaan", "35", m35.id))
    evaluasi = _evaluasi(session, tree, users)
    return actors, docs, satker_ids, admin_objects, evaluasi, _tindak_lanjut(session, tree, users)


def _evaluasi(session, tree, users) -> dict[tuple[str, str], Ev]:
    """An evaluation in every state (EVAL_YEAR) at each of DOC_OFFICES, walked by the
    operations with their actors: the office's Sekretaris answers every criterion "Y" and
    submits, the inspektorat of the office above scores everything (BB, the proposal),
    returns EVAL_ISI, writes finding 1, publishes; the Ketua disputes it, the evaluator
    answers; or the evaluator finalises. In "diajukan" EVAL_ISI is marked for more evidence
    (and scored), so that returning and publishing are both open."""
    from workflow.evaluasi import operations as ops, queries
    from workflow.evaluasi.operations import IsianKriteria, PenilaianKriteria, PenilaianSub

    found = {}
    for kode in DOC_OFFICES:
        satker, sek, ketua = tree[kode], users[(kode, "sekretaris")], users[(kode, "ketua")]
        insp = users[(parent_of(kode), "inspektorat")]
        found[(kode, "baru")] = Ev(kode, "baru", NEW_YEAR)
        for state, tahun in EVAL_YEAR.items():
            ev = ops.buka(session, satker, tahun, sek)
            ops.simpan_jawaban(session, satker, tahun, sek,
                               {k.kode: IsianKriteria("Y", "Catatan dunia") for k in ev.lke.kriteria})
            if state != "draf":
                ops.transisi(session, satker, tahun, "ajukan", sek)
            if state in ("diajukan", "diterbitkan", "disanggah", "final"):
                _nilai_semua(session, satker, tahun, insp, kembali=state == "diajukan")
            if state == "dikembalikan":
                rows = queries.jawaban(session, ev)
                ops.simpan_penilaian(session, satker, tahun, insp, EVAL_SUB, PenilaianSub({EVAL_ISI: PenilaianKriteria(
                    None, perlu_bukti=True, alasan_kembali="Lampirkan pedoman", versi=rows[EVAL_ISI].versi)}))
                ops.transisi(session, satker, tahun, "kembalikan", insp, alasan="Bukti dunia kurang")
            if state in ("diterbitkan", "disanggah", "final"):
                ops.tulis_temuan(session, satker, tahun, insp, "Temuan dunia", "Rekomendasi dunia", EVAL_SUB)
                if state == "final":  # a recommendation per follow-up state (``_tindak_lanjut``)
                    for nomor in range(2, len(akses.TINDAK_LANJUT_STATES) + 1):
                        ops.tulis_temuan(session, satker, tahun, insp, f"Temuan dunia {nomor}",
                                         f"Rekomendasi dunia {nomor}", EVAL_SUB)
                ops.transisi(session, satker, tahun, "terbitkan", insp)
            if state == "disanggah":
                ops.sanggah(session, satker, tahun, ketua, {1: "Sanggahan dunia"})
                ops.tanggapi(session, satker, tahun, insp, {1: ("Tanggapan dunia", False)})
            if state == "final":
                ops.transisi(session, satker, tahun, "finalkan", insp)
            session.commit()
            assert ev.status.value == state, (kode, state, ev.status)
            rows, grade = queries.jawaban(session, ev), queries.nilai(session, ev).get(EVAL_SUB)
            found[(kode, state)] = Ev(kode, state, tahun, ev.id, ev.versi,
                                      {k: rows[k].versi for k in (EVAL_ISI, EVAL_NILAI)},
                                      grade.nilai if grade else None, grade.versi if grade else None)
    return found


def _tindak_lanjut(session, tree, users) -> list[Tl]:
    """A follow-up in every state at each of DOC_OFFICES: the finalisation hook made one per
    recommendation of the final evaluation; the evaluator (the inspektorat of the office
    above) gives each to the office's "anggota pelaksana", who reports on all but the open
    one; the evaluator closes one."""
    from workflow.tindaklanjut import operations as ops, queries

    found = []
    for kode in DOC_OFFICES:
        insp, owner = users[(parent_of(kode), "inspektorat")], users[(kode, "anggota pelaksana")]
        tls = queries.daftar(session, tree[kode].id, EVAL_YEAR["final"])
        assert len(tls) == len(akses.TINDAK_LANJUT_STATES), (kode, tls)
        for tl, state in zip(tls, akses.TINDAK_LANJUT_STATES, strict=True):
            ops.ubah(session, tl, insp, pemilik_id=owner.id, tenggat=tl.tenggat)
            if state != "terbuka":
                ops.transisi(session, tl, "laporkan", owner, uraian="Perkembangan dunia")
            if state == "selesai":
                ops.transisi(session, tl, "selesaikan", insp)
            session.commit()
            assert tl.status.value == state, (kode, state, tl.status)
            found.append(Tl(kode, state, tl.id, tl.versi, owner.id))
    return found


def _nilai_semua(session, satker, tahun: int, insp, kembali: bool) -> None:
    """Every criterion agreed and every sub-component given its proposal; ``kembali``: EVAL_ISI
    also marked for more evidence."""
    from workflow.evaluasi import operations as ops, queries
    from workflow.evaluasi.operations import PenilaianKriteria, PenilaianSub

    ev = queries.evaluasi(session, satker.id, tahun)
    rows = queries.jawaban(session, ev)
    for sub in ev.lke.subkomponen:
        kriteria = {k.kode: PenilaianKriteria(True, perlu_bukti=kembali and k.kode == EVAL_ISI,
                                              alasan_kembali="Lampirkan pedoman" if kembali and k.kode == EVAL_ISI
                                              else "", versi=rows[k.kode].versi) for k in sub.kriteria}
        usulan = next(h for h in queries.hasil(session, ev).sub if h.sub.kode == sub.kode).usulan
        ops.simpan_penilaian(session, satker, tahun, insp, sub.kode, PenilaianSub(kriteria, usulan.value))


def _laporkan(session, dokumen, penyusun, reviewer) -> dict[int, int]:
    """A report of the signed PK in each state (LAPORAN_PERIODE), each with the analysis of
    every indikator: {period: the report's version}."""
    from workflow.pelaporan import operations as lapor

    isian = {i.kunci: lapor.Analisis("Kendala dunia", "Upaya dunia", "Rencana dunia")
             for s in dokumen.revisi_aktif.sasaran for i in s.indikator}
    versi = {}
    for state, periode in LAPORAN_PERIODE.items():
        lap = lapor.simpan_analisis(session, dokumen, periode, penyusun, isian)
        if state != "draf":
            lapor.ajukan(session, dokumen, periode, penyusun)
        if state == "dikembalikan":
            lapor.kembalikan(session, dokumen, periode, reviewer, "Analisis belum lengkap.")
        elif state == "terverifikasi":
            lapor.verifikasi(session, dokumen, periode, reviewer)
        versi[periode] = lap.versi
    return versi


def signed_in_session(app, user) -> dict:
    """The session a completed sign-in leaves (password and, where required, the second
    factor): made directly, since 59 sign-ins through the form would cost more than the
    matrix; the sign-in itself is tested in test_auth."""
    from flask import session
    from flask_login import login_user

    from webapp import auth

    with app.test_request_context():
        login_user(user, fresh=True)
        security = getattr(auth, "security", None)  # idle and absolute session lifetimes
        if security is not None and hasattr(security, "start_session"):
            security.start_session()
        return dict(session)


@pytest.fixture(scope="module")
def app(backend, fresh_database_url):
    """The matrix's own database, where the world is committed once (see ``world``). The
    actors' sessions are frozen at the start (the same cookie before every case), so they
    must outlive the full matrix's half hour."""
    day = 24 * 3600
    with migrated_app(fresh_database_url(backend), SAKIP_SESSION_IDLE_SECONDS=day,
                      SAKIP_SESSION_ABSOLUTE_SECONDS=day) as app:
        yield app


@pytest.fixture(scope="module")
def world(app):
    """Built and committed once per backend in the module's own database; each case then
    runs in a transaction of its own, rolled back (``World.case``). Not SAVEPOINTs in one
    long transaction: on PostgreSQL every row written by one of more than 64
    subtransactions is checked against pg_subtrans, and each case's rolled-back writes
    stayed in the tables, so a case cost 1 ms at the start of the CI sample and 11 at its
    end, and the full matrix never finished."""
    with app.app_context():
        actors, docs, satker_ids, admin_objects, evaluasi, tindak_lanjut = _build(_db.session, app)
        users = {u.id: u for u in _db.session.scalars(select(User))}
        for actor in actors:
            actor.client = app.test_client()
            signed_in = signed_in_session(app, users[actor.user_id])
            with actor.client.session_transaction() as s:
                s.update(signed_in)
        _db.session.remove()
        connection = _db.engine.connect()
    original = _db.session
    _db.session = orm.scoped_session(
        orm.sessionmaker(bind=connection, join_transaction_mode="create_savepoint"), scopefunc=_scope)
    try:
        world = World(connection, actors, docs, satker_ids, admin_objects, evaluasi, tindak_lanjut)
        for actor in actors:
            with world.case():
                actor.token = csrf_token_from(actor.client.get("/").text)
            actor.cookie_name = app.config["SESSION_COOKIE_NAME"]
            actor.cookie = actor.client.get_cookie(actor.cookie_name).value
        yield world
    finally:
        _db.session.remove()
        _db.session = original
        connection.close()


# -- what changed ----------------------------------------------------------------------------------

_FINGERPRINT = sa.text("""
SELECT (SELECT count(*) FROM audit_log), (SELECT coalesce(sum(versi), 0) FROM dokumen),
       (SELECT count(*) FROM dokumen), (SELECT count(*) FROM revisi), (SELECT count(*) FROM tanda_tangan),
       (SELECT count(*) FROM realisasi), (SELECT count(*) FROM realisasi_anggaran),
       (SELECT count(*) FROM rak_baris), (SELECT count(*) FROM sasaran), (SELECT count(*) FROM indikator),
       (SELECT count(*) FROM membership), (SELECT count(*) FROM laporan_periode),
       (SELECT coalesce(sum(versi), 0) FROM laporan_periode), (SELECT count(*) FROM laporan_periode_analisis),
       (SELECT count(*) FROM evaluasi), (SELECT coalesce(sum(versi), 0) FROM evaluasi),
       (SELECT coalesce(sum(versi), 0) FROM evaluasi_jawaban),
       (SELECT coalesce(sum(versi), 0) FROM evaluasi_nilai), (SELECT count(*) FROM evaluasi_temuan),
       (SELECT count(*) FROM tindak_lanjut), (SELECT coalesce(sum(versi), 0) FROM tindak_lanjut),
       (SELECT count(*) FROM tindak_lanjut_laporan)
""")
_PEOPLE = sa.text("SELECT id, username, full_name, active, password_hash, session_token, satker_id "
                  "FROM user_account ORDER BY id")
_DOCS = sa.text("SELECT id, satker_id, status, versi, nomor_revisi, tahun, jenis FROM dokumen ORDER BY id")


def fingerprint(connection, deep: bool = False):
    """A cheap summary of everything a write could touch (every edit and transition bumps
    a version and appends an audit entry); ``deep`` adds every account and document row.
    Taken as the tables' owner, so row-level security never hides a change from it."""
    role = None
    if connection.dialect.name == "postgresql":
        role = connection.execute(sa.text("SELECT CASE WHEN current_user <> session_user THEN current_user END")).scalar()
        if role:
            connection.execute(sa.text("RESET ROLE"))
    try:
        summary = tuple(connection.execute(_FINGERPRINT).one())
        if not deep:
            return summary
        rows = [tuple(r) for r in connection.execute(_PEOPLE)] + [tuple(r) for r in connection.execute(_DOCS)]
        return summary, hashlib.sha256(repr(rows).encode()).hexdigest()
    finally:
        if role:
            connection.execute(sa.text(f'SET ROLE "{role}"'))


# -- responses -------------------------------------------------------------------------------------

_MASKS = [
    (re.compile(rb'(name="csrf_token"[^>]*value=")[^"]*'), rb"\1*"),
    (re.compile(rb'(name="csrf-token"[^>]*content=")[^"]*'), rb"\1*"),
    (re.compile(rb'(nonce=")[^"]*'), rb"\1*"),
    (re.compile(rb'(nonce-)[A-Za-z0-9+/=_-]+'), rb"\1*"),
]


def normalised(response, url: str) -> tuple[int, bytes]:
    """Status and body with the per-request bits masked: CSRF tokens, nonces, and the
    request's own path (the language switcher sends the visitor back to it)."""
    body = response.get_data().replace(url.encode(), b"*url*")
    for pattern, repl in _MASKS:
        body = pattern.sub(repl, body)
    return response.status_code, body


# -- the routes ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DocRoute:
    aksi: str
    # Forms (bentuk) that have what the route works on; None: every form.
    bentuk: frozenset[str] | None = None
    # What other forms answer: "404" (the route does not apply) or "policy" (it asks
    # the policy first, then finds nothing to work on: a refusal, not a 404).
    lain: str = "404"
    # An allowed POST must change something (on the forms in ``bentuk``).
    mengubah: bool = False
    # Where the path's key arguments come from.
    kunci: str | None = None  # "baris", "sasaran", "indikator", "baris_atau_sasaran"
    # A period report's step (tests/akses.py, LANGKAH) and the report state it is requested
    # in (the routes with <periode> expand per state, as /aksi/<event> per event).
    langkah: str | None = None
    laporan: str | None = None


PK_RKT = frozenset({"pk", "rkt"})
RAK = frozenset({"rak"})
PK_RAK = frozenset({"pk", "rak"})
LKJ = frozenset({"lkj"})
TABEL = frozenset({"pk", "rkt", "rak"})
PK = frozenset({"pk"})  # the forms whose content is a table people type

EVENTS = {"submit": "ajukan", "sign": "tandatangani", "approve": "tinjau", "send_back": "kembalikan",
          "revise": "revisi"}

# (rule, method) -> how the matrix requests it. "<event>" routes expand per event.
DOC_ROUTES: dict[tuple[str, str], DocRoute] = {
    ("/dokumen/<int:dokumen_id>", "GET"): DocRoute("lihat"),
    ("/dokumen/<int:dokumen_id>/revisi/<int:nomor>", "GET"): DocRoute("lihat"),
    ("/dokumen/<int:dokumen_id>/banding", "GET"): DocRoute("lihat"),
    ("/dokumen/<int:dokumen_id>/unduh.xlsx", "GET"): DocRoute("unduh"),
    ("/dokumen/<int:dokumen_id>/unduh.pdf", "GET"): DocRoute("unduh"),
    ("/dokumen/<int:dokumen_id>/unduh.docx", "GET"): DocRoute("unduh", LKJ),
    ("/dokumen/<int:dokumen_id>/realisasi", "GET"): DocRoute("lihat", PK_RAK),
    ("/dokumen/<int:dokumen_id>/realisasi", "POST"): DocRoute("isi realisasi", PK_RAK, mengubah=True),
    ("/dokumen/<int:dokumen_id>/aksi/<event>", "POST"): DocRoute("(event)", mengubah=True),
    ("/dokumen/<int:dokumen_id>/turunkan", "POST"): DocRoute("turunkan"),
    # A period's report (webapp/pelaporan.py), requested in each report state: a step the
    # state has changes something for whoever may take it; one it lacks is refused.
    ("/dokumen/<int:dokumen_id>/periode/<int:periode>", "GET"): DocRoute("lihat", PK),
    ("/dokumen/<int:dokumen_id>/periode/<int:periode>", "POST"): DocRoute("laporkan", PK, mengubah=True,
                                                                           langkah="analisis"),
    ("/dokumen/<int:dokumen_id>/periode/<int:periode>/ajukan", "POST"): DocRoute("laporkan", PK, mengubah=True,
                                                                                  langkah="ajukan"),
    ("/dokumen/<int:dokumen_id>/periode/<int:periode>/koreksi", "POST"): DocRoute("laporkan", PK, mengubah=True,
                                                                                   langkah="koreksi"),
    ("/dokumen/<int:dokumen_id>/periode/<int:periode>/verifikasi", "POST"): DocRoute(
        "verifikasi", PK, mengubah=True, langkah="verifikasi"),
    ("/dokumen/<int:dokumen_id>/periode/<int:periode>/kembalikan", "POST"): DocRoute(
        "verifikasi", PK, mengubah=True, langkah="kembalikan"),
    ("/dokumen/<int:dokumen_id>/periode/<int:periode>/unduh.xlsx", "GET"): DocRoute("unduh", PK),
    ("/dokumen/<int:dokumen_id>/periode/<int:periode>/unduh.pdf", "GET"): DocRoute("unduh", PK),
    ("/dokumen/<int:dokumen_id>/ambil-induk", "POST"): DocRoute("ubah"),
    ("/dokumen/<int:dokumen_id>/kepala", "GET"): DocRoute("ubah"),
    ("/dokumen/<int:dokumen_id>/kepala", "POST"): DocRoute("ubah", mengubah=True),
    ("/dokumen/<int:dokumen_id>/baris", "GET"): DocRoute("tambah baris", RAK),
    ("/dokumen/<int:dokumen_id>/baris", "POST"): DocRoute("tambah baris", RAK, mengubah=True),
    ("/dokumen/<int:dokumen_id>/baris/<kunci>", "GET"): DocRoute("ubah baris", RAK, kunci="baris"),
    ("/dokumen/<int:dokumen_id>/baris/<kunci>", "POST"): DocRoute("ubah baris", RAK, mengubah=True, kunci="baris"),
    ("/dokumen/<int:dokumen_id>/baris/<kunci>/hapus", "POST"): DocRoute("ubah baris", RAK, "policy", True, "baris"),
    ("/dokumen/<int:dokumen_id>/geser/<kunci>", "POST"): DocRoute("ubah", TABEL, "policy", mengubah=True,
                                                                  kunci="baris_atau_sasaran"),
    ("/dokumen/<int:dokumen_id>/sasaran", "GET"): DocRoute("ubah", PK_RKT),
    ("/dokumen/<int:dokumen_id>/sasaran", "POST"): DocRoute("ubah", PK_RKT, mengubah=True),
    ("/dokumen/<int:dokumen_id>/sasaran/<kunci>", "GET"): DocRoute("ubah", PK_RKT, kunci="sasaran"),
    ("/dokumen/<int:dokumen_id>/sasaran/<kunci>", "POST"): DocRoute("ubah", PK_RKT, mengubah=True, kunci="sasaran"),
    ("/dokumen/<int:dokumen_id>/sasaran/<kunci>/hapus", "POST"): DocRoute("ubah", PK_RKT, "policy", True, "sasaran"),
    ("/dokumen/<int:dokumen_id>/sasaran/<sasaran_kunci>/geser/<kunci>", "POST"): DocRoute(
        "ubah", PK_RKT, "policy", True, "indikator"),
    ("/dokumen/<int:dokumen_id>/sasaran/<sasaran_kunci>/indikator", "GET"): DocRoute("ubah", PK_RKT),
    ("/dokumen/<int:dokumen_id>/sasaran/<sasaran_kunci>/indikator", "POST"): DocRoute("ubah", PK_RKT, mengubah=True),
    ("/dokumen/<int:dokumen_id>/sasaran/<sasaran_kunci>/indikator/<kunci>", "GET"): DocRoute(
        "ubah", PK_RKT, kunci="indikator"),
    ("/dokumen/<int:dokumen_id>/sasaran/<sasaran_kunci>/indikator/<kunci>", "POST"): DocRoute(
        "ubah", PK_RKT, mengubah=True, kunci="indikator"),
    ("/dokumen/<int:dokumen_id>/sasaran/<sasaran_kunci>/indikator/<kunci>/hapus", "POST"): DocRoute(
        "ubah", PK_RKT, "policy", True, "indikator"),
    ("/dokumen/<int:dokumen_id>/impor", "GET"): DocRoute("impor", TABEL),
    ("/dokumen/<int:dokumen_id>/impor", "POST"): DocRoute("impor", TABEL),
    ("/dokumen/<int:dokumen_id>/impor/terapkan", "POST"): DocRoute("impor", TABEL),
    ("/dokumen/<int:dokumen_id>/lkj/bab/<bab>", "GET"): DocRoute("ubah", LKJ),
    ("/dokumen/<int:dokumen_id>/lkj/bab/<bab>", "POST"): DocRoute("ubah", LKJ, mengubah=True),
    ("/dokumen/<int:dokumen_id>/lkj/pegawai", "GET"): DocRoute("ubah", LKJ),
    ("/dokumen/<int:dokumen_id>/lkj/pegawai", "POST"): DocRoute("ubah", LKJ, mengubah=True),
    # evidence (webapp/bukti.py; docs/akses.md, "Bukti dukung"): the world's file is the document's own
    ("/dokumen/<int:dokumen_id>/bukti", "GET"): DocRoute("lihat"),
    ("/dokumen/<int:dokumen_id>/bukti", "POST"): DocRoute("isi realisasi", PK_RAK, mengubah=True),
    ("/dokumen/<int:dokumen_id>/lampiran", "POST"): DocRoute("lampirkan", mengubah=True),
    ("/dokumen/<int:dokumen_id>/bukti/<int:bukti_id>", "GET"): DocRoute("unduh"),
    ("/dokumen/<int:dokumen_id>/bukti/<int:bukti_id>/tarik", "POST"): DocRoute("lampirkan", mengubah=True),
}

# (rule, method) -> (action, applies to offices with offices below only)
SATKER_ROUTES: dict[tuple[str, str], tuple[str, bool]] = {
    ("/satker/<kode>", "GET"): ("lihat", False),
    ("/satker/<kode>/dasbor", "GET"): ("lihat", False),
    ("/satker/<kode>/dokumen", "GET"): ("lihat", False),
    ("/satker/<kode>/rekap.xlsx", "GET"): ("lihat", True),
    ("/satker/<kode>/dokumen/<int:tahun>/<jenis>", "POST"): ("buat", False),
    # the calendar (webapp/jadwal.py; docs/akses.md, "Jadwal dan pengingat")
    ("/satker/<kode>/jadwal", "GET"): ("lihat", True),
    ("/satker/<kode>/kepatuhan", "GET"): ("lihat", True),
    ("/satker/<kode>/jadwal", "POST"): ("atur jadwal", True),
    ("/satker/<kode>/ingatkan", "POST"): ("ingatkan", True),
    ("/satker/<kode>/penunjukan", "GET"): ("lihat", False),
    ("/satker/<kode>/penunjukan", "POST"): ("tunjuk", False),
    ("/satker/<kode>/penunjukan/akhiri", "POST"): ("akhiri", False),
    # money per output code (webapp/serapan.py; docs/akses.md, "Realisasi anggaran per output")
    ("/satker/<kode>/serapan", "GET"): ("lihat", False),
    ("/satker/<kode>/serapan", "POST"): ("isi serapan", False),
    ("/satker/<kode>/serapan/impor", "POST"): ("isi serapan", False),
    ("/satker/<kode>/serapan/impor/terapkan", "POST"): ("isi serapan", False),
    # evidence per office, year and period (webapp/bukti.py)
    ("/satker/<kode>/bukti", "GET"): ("lihat", False),
}
# The yearly evaluation (webapp/evaluasi.py; docs/akses.md, "Evaluasi AKIP", tests/akses.py
# EVAL_TABLE): (rule, method) -> the action, requested on the world's evaluation in every
# state (World.evaluasi) by ``test_isolation_matrix_evaluations``. A new evaluation route
# maps here to an action of EVAL_ACTIONS and, if it writes, gets its form in ``eval_body``.
EVAL_ROUTES: dict[tuple[str, str], str] = {
    ("/satker/<kode>/evaluasi/<int:tahun>", "GET"): "lihat",
    ("/satker/<kode>/evaluasi/<int:tahun>/<sub>", "GET"): "lihat",
    ("/satker/<kode>/evaluasi/<int:tahun>/<sub>/jawab", "POST"): "isi",
    ("/satker/<kode>/evaluasi/<int:tahun>/ajukan", "POST"): "ajukan",
    ("/satker/<kode>/evaluasi/<int:tahun>/<sub>/nilai", "POST"): "nilai",
    ("/satker/<kode>/evaluasi/<int:tahun>/temuan", "POST"): "temuan",
    ("/satker/<kode>/evaluasi/<int:tahun>/kembalikan", "POST"): "kembalikan",
    ("/satker/<kode>/evaluasi/<int:tahun>/terbitkan", "POST"): "terbitkan",
    ("/satker/<kode>/evaluasi/<int:tahun>/sanggah", "POST"): "sanggah",
    ("/satker/<kode>/evaluasi/<int:tahun>/tanggapan", "POST"): "tanggapan",
    ("/satker/<kode>/evaluasi/<int:tahun>/finalkan", "POST"): "finalkan",
    # the LHE of a final evaluation (webapp/lhe.py): read like the evaluation; before final
    # it does not exist, the 404 of a missing office for everyone (EVAL_HANYA_FINAL)
    ("/satker/<kode>/evaluasi/<int:tahun>/lhe.pdf", "GET"): "unduh LHE",
    ("/satker/<kode>/evaluasi/<int:tahun>/lhe.xlsx", "GET"): "unduh LHE",
}
EVAL_HANYA_FINAL = {"unduh LHE"}
# Follow-ups (webapp/tindak_lanjut.py; docs/akses.md, "Tindak lanjut", tests/akses.py
# TINDAK_LANJUT and TL_SIAPA): (rule, method) -> the step, requested on the world's follow-ups
# in every state (World.tindak_lanjut) by ``test_isolation_matrix_tindak_lanjut``. A new
# follow-up route maps here to a step and, if it writes, gets its form in ``tl_body``.
TL_ROUTES: dict[tuple[str, str], str] = {
    ("/satker/<kode>/tindak-lanjut", "GET"): "lihat",
    ("/satker/<kode>/tindak-lanjut/<int:tl_id>", "GET"): "lihat",
    ("/satker/<kode>/tindak-lanjut/<int:tl_id>/laporkan", "POST"): "laporkan",
    ("/satker/<kode>/tindak-lanjut/<int:tl_id>/selesaikan", "POST"): "selesaikan",
    ("/satker/<kode>/tindak-lanjut/<int:tl_id>/kembalikan", "POST"): "kembalikan",
    ("/satker/<kode>/tindak-lanjut/<int:tl_id>/ubah", "POST"): "ubah",
}
# Office routes an admin acts on (docs/akses.md, the back office's table: "penunjukan").
SATKER_ADMIN_ACTIONS = {"tunjuk", "akhiri"}

# docs/akses.md, "Jadwal dan pengingat": who, at the office itself, sets its calendar or
# reminds the offices below it (KPU RI's calendar: its admin only).
JADWAL_AKSI = {"atur jadwal": ({"admin"}, {"admin", "reviewer"}), "ingatkan": ({"admin", "reviewer"},) * 2}
# docs/akses.md, "Realisasi anggaran per output": the office's Sekretaris and its Subbagian
# KUL (the matrix's "subbag pelaksana") enter its money, at every level.
SERAPAN_AKSI = {"isi serapan": {"sekretaris", "subbag pelaksana"}}

# Flask-Admin views: endpoint suffix -> the admin action (the object id travels in ?id=
# or, for bulk actions, in rowid).
ADMIN_ROUTES = {"details_view": "lihat", "edit_view": "ubah", "delete_view": "hapus", "action_view": "aksi massal",
                "ajax_update": "aksi massal"}
ADMIN_VIEWS = {"satker", "pengguna", "keanggotaan"}

# Routes that take no object of an office, each with the reason.
NO_OBJECT = {
    "static": "static files", "admin.static": "static files",
    "auth.login": "sign-in", "auth.logout": "sign-out", "i18n.set_language": "language",
    "offices.home": "the user's own offices (scoped list)", "dashboards.saya": "redirect to the user's own office",
    "documents.inbox": "the reviewer's inbox (scoped list)",
    "evaluasi.daftar": "the evaluator's list: offices below the user's inspektorat memberships (scoped list)",
    "evaluasi_rekap.halaman": "the evaluations' recap: the offices the user sees (scoped list; a province filter "
                              "out of reach answers 404 like a missing one: tests/test_evaluasi_rekap.py)",
    "evaluasi_rekap.unduh": "the same recap as Excel (scoped list, same filter)",
    "tinjauan.cari": "the search (scoped lists; tests/test_tinjau_massal.py)",
    "tinjauan.setujui": "document ids in the form: test_isolation_matrix_batch_approve",
    "documents.verifikasi_form": "public: asks for a verification code",
    "documents.verifikasi": "public on purpose: the code is printed on signed paper",
    "admin.index": "the back office's home (scoped list)",
    "health.sehat": "health check", "health.sehat_db": "health check",
    "auth.kode": "sign-in: the second factor", "auth.daftar_kode": "sign-in: enrolling an authenticator",
    "auth.autentikator": "the signed-in user's own account", "auth.hapus_autentikator": "the user's own account",
    "auth.ganti_kata_sandi": "the signed-in user's own account", "auth.keamanan": "the user's own security page",
    "auth.isian_dipulihkan": "the user's own kept input (another account's id answers 404 like a missing one)",
    "notifikasi.daftar": "the user's own notifications (a list filtered by the signed-in account)",
    "notifikasi.baca_semua": "marks the user's own notifications read",
    "notifikasi.preferensi": "the user's own notification preferences",
    "serapan.target": "the national absorption targets: read by anyone signed in (tests/test_serapan.py)",
    "serapan.atur_target": "the national absorption targets: set by KPU RI's admin only, 403 for anyone else "
                           "(tests/test_serapan.py)",
    "notifikasi.baca": "the user's own notification (another account's id answers 404 like a missing one: "
                       "tests/test_notifikasi.py)",
}
NO_OBJECT_ADMIN = {"index_view": "scoped list", "create_view": "creates (relation choices are scoped)",
                   "export": "export is switched off", "ajax_lookup": "no ajax relation fields"}


def route_table(app) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Every (rule, method, endpoint) of the app that takes an object, and the list of
    routes nobody mapped."""
    mapped, unmapped = [], []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            key = (rule.rule, method)
            view, _, suffix = rule.endpoint.partition(".")
            if key in DOC_ROUTES or key in SATKER_ROUTES or key in EVAL_ROUTES or key in TL_ROUTES or (
                    view in ADMIN_VIEWS and suffix in ADMIN_ROUTES):
                mapped.append((rule.rule, method, rule.endpoint))
            elif rule.endpoint in NO_OBJECT or (view in ADMIN_VIEWS and suffix in NO_OBJECT_ADMIN):
                continue
            else:
                unmapped.append(f"unmapped route {method} {rule.rule} ({rule.endpoint})")
    return mapped, unmapped


def test_every_route_is_mapped_to_an_action_of_the_policy(app):
    mapped, unmapped = route_table(app)
    assert not unmapped, ("\n".join(unmapped) + "\nMap each to an action of docs/akses.md in "
                          "tests/test_isolation_matrix.py (DOC_ROUTES, SATKER_ROUTES, EVAL_ROUTES, TL_ROUTES, "
                          "ADMIN_ROUTES), "
                          "or list it in NO_OBJECT with the reason it takes no object.")
    known = {(r, m) for r, m, _e in mapped}
    stale = [k for k in [*DOC_ROUTES, *SATKER_ROUTES, *EVAL_ROUTES, *TL_ROUTES] if k not in known]
    assert not stale, f"mapped routes the app no longer has: {stale}"


def test_every_kind_of_document_is_in_the_policy_table():
    from workflow.dokumen.models import JenisDokumen

    unmapped = sorted({j.value for j in JenisDokumen} - set(akses.KINDS.values()))
    assert not unmapped, (f"unmapped kind(s) {unmapped}: add them to docs/akses.md and tests/akses.py "
                          "(KINDS, groups, cells), then to the matrix's fixture")
    assert all(j.penandatangan for j in JenisDokumen), "a kind without a signing order"


def test_the_document_and_the_oracle_are_the_same_table():
    doc_table, admin_table = akses.tables_in_doc()
    assert doc_table is not None and admin_table is not None, "docs/akses.md has lost a table"
    expected = akses.render_markdown_tables()
    assert akses.expand(doc_table) == akses.ORACLE, "docs/akses.md and tests/akses.py differ; tests/akses.py " \
        "reads:\n" + expected
    assert akses.expand_admin(admin_table) == akses.ADMIN_ORACLE, "admin tables differ:\n" + expected
    assert akses.langkah_in_doc() == akses.LANGKAH, "docs/akses.md's report-state table differs from LANGKAH"
    eval_table = akses.eval_table_in_doc()
    assert eval_table is not None and akses.expand_eval(eval_table) == akses.EVAL_ORACLE, \
        "docs/akses.md's evaluation table differs from tests/akses.py; it reads:\n" + akses.render_eval_table()
    assert akses.tindak_lanjut_in_doc() == akses.TINDAK_LANJUT, "docs/akses.md's follow-up steps differ"
    assert akses.tl_siapa_in_doc() == akses.TL_SIAPA, \
        "docs/akses.md's follow-up columns differ from tests/akses.py; it reads:\n" + akses.render_tl_siapa()
    # Every action has a rule for every state (a hole would read as "refused").
    for action in akses.ACTIONS:
        states = ["baru"] if action == "buat" else akses.DOC_STATES
        for state in states:
            assert (action, state, "ketua") in akses.ORACLE, f"no rule for {action} / {state}"


def test_the_markdown_reader_sees_a_changed_cell():
    """The comparison above can fail: one changed cell in the text is a different table."""
    text = akses.DOC.read_text(encoding="utf-8")
    changed = text.replace("| tinjau | ditandatangani | — | — | — | — | — | — | — | — | — | semua |",
                           "| tinjau | ditandatangani | — | — | — | — | — | — | — | semua | — | semua |", 1)
    assert changed != text
    doc_table, _admin = akses.tables_in_doc(changed)
    assert akses.expand(doc_table) != akses.ORACLE


# -- requests --------------------------------------------------------------------------------------

_ARG = re.compile(r"<(?:[^:>]+:)?([^>]+)>")


def fill(rule: str, values: dict[str, object]) -> str:
    def value(match) -> str:
        if match.group(1) not in values:
            pytest.fail(f"unmapped route argument <{match.group(1)}> in {rule}: give it a value in the matrix")
        return str(values[match.group(1)])

    return _ARG.sub(value, rule)


def _kunci_values(route: DocRoute, doc: Doc | None) -> dict[str, str]:
    periode = LAPORAN_PERIODE.get(route.laporan or "", 3)
    if doc is None:
        return {"kunci": MISSING_KUNCI, "sasaran_kunci": MISSING_KUNCI, "bab": "penutup", "bukti_id": MISSING_ID, "periode": periode}
    source = route.kunci
    if source == "baris_atau_sasaran":
        source = "baris" if doc.bentuk == "rak" else "sasaran"
    kunci = {"baris": doc.baris, "sasaran": doc.sasaran, "indikator": doc.indikator}.get(source or "sasaran")
    return {"kunci": kunci or MISSING_KUNCI, "sasaran_kunci": doc.sasaran or MISSING_KUNCI, "bab": "penutup",
            "bukti_id": doc.bukti or MISSING_ID, "periode": periode}


def doc_body(rule: str, event: str | None, doc: Doc | None, actor: Actor, periode: int | None = None) -> dict:
    """A minimal form an allowed actor would send (valid, so only the policy can refuse)."""
    versi = doc.versi if doc else 1
    body = {"csrf_token": actor.token, "versi": str(versi)}
    if "/periode/" in rule:
        return body | _laporan_body(rule, doc, periode)
    if event == "sign":
        body["hash_dibaca"] = (doc.hash_isi if doc else None) or ""
    elif event == "send_back":
        body["alasan"] = "Target belum sesuai."
    elif event == "revise":
        body |= {"alasan_jenis": "perubahan_anggaran", "alasan": "Revisi DIPA."}
    elif rule.endswith("/kepala"):
        body |= {"tempat": "Batu", "pagu": "Rp 1.000.000", "bentuk_jadwal": "bulan"}
    elif rule.endswith(("/baris", "/baris/<kunci>")):
        own = actor.unit if actor.role.startswith(("anggota", "subbag")) else None
        pelaksana = own or PELAKSANA.get(doc.jenis if doc else "", "kul")
        if rule.endswith("<kunci>") and doc is not None:
            pelaksana = PELAKSANA.get(doc.jenis, pelaksana)
        body |= {"indikator": "Indikator matriks", "target": "100%", "polaritas": "naik", "kegiatan": "Rapat",
                 "kode_output": "CQ.6709.QGE.003", "biaya": "Rp 1.000", "pelaksana": pelaksana, "jadwal": "1"}
    elif rule.endswith(("/sasaran", "/sasaran/<kunci>")):
        body["uraian"] = "Sasaran matriks"
    elif rule.endswith(("/indikator", "/indikator/<kunci>")):
        body |= {"uraian": "Indikator matriks", "target": "100%", "polaritas": "naik"}
    elif "/geser/" in rule:
        body["arah"] = "1"
    elif rule.endswith("/lkj/bab/<bab>"):
        body["teks"] = "Penutup dari matriks."
    elif rule.endswith("/lkj/pegawai"):
        body |= {"pegawai_pns": "8", "pegawai_pppk": "6", "pegawai_ppnpn": "6"}
    elif rule.endswith("/impor"):
        body["teks"] = "Sasaran\tIndikator\tTarget\nS\tI\t100%"
    elif rule.endswith("/terapkan"):
        body["token"] = "A" * 32
    elif rule.endswith("/bukti") and doc is not None:
        body |= {"kunci": (doc.indikator if doc.bentuk == "pk" else doc.baris) or "", "periode": "1",
                 "berkas": (io.BytesIO(PNG), "bukti.png")}
    elif rule.endswith("/lampiran"):
        body["berkas"] = (io.BytesIO(PNG), "lampiran.png")
    elif rule.endswith("/realisasi") and doc is not None:
        if doc.bentuk == "pk" and doc.indikator:
            body[f"r-{doc.indikator}-1"] = "90%"
        elif doc.bentuk == "rak" and doc.baris:
            body |= {"versi_rak": str(versi), f"a-{doc.baris}-1": "Rp 1.000"}
    return body


def _laporan_body(rule: str, doc: Doc | None, periode: int | None) -> dict:
    """A period report's form: the report's version (not the document's), the analysis or
    the reason."""
    body = {"versi": str(doc.laporan_versi.get(periode, 1) if doc else 1)}
    if rule.endswith(("/kembalikan", "/koreksi")):
        body["alasan"] = "Alasan dari matriks."
    elif rule.endswith("<int:periode>") and doc is not None and doc.indikator:
        body |= {f"kendala-{doc.indikator}": "Kendala matriks", f"upaya-{doc.indikator}": "Upaya matriks",
                 f"rencana-{doc.indikator}": "Rencana matriks"}
    return body


@dataclass
class Tally:
    cases: Counter = field(default_factory=Counter)
    mismatches: list[str] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)

    def record(self, expected: str, ok: bool, status: int, line: str) -> None:
        self.cases[expected] += 1
        self.statuses[(expected, status)] += 1
        if not ok:
            self.mismatches.append(line)


def request(world: World, actor: Actor, method: str, url: str, data: dict | None, deep: bool = False):
    """One request inside a SAVEPOINT that is rolled back: (response, changed?)."""
    # Each request starts from the actor's signed-in session: no message flashed by an
    # earlier request, no import token, nothing else carried over.
    actor.client.set_cookie(actor.cookie_name, actor.cookie)
    with world.case():
        before = fingerprint(world.connection, deep)
        response = actor.client.open(url, method=method, data=data)
        response.get_data()
        changed = fingerprint(world.connection, deep) != before
    return response, changed


def judge(tally: Tally, expected: str, response, url: str, changed: bool, missing, must_change: bool,
          line: str, refused_by_redirect: bool = False) -> None:
    status = response.status_code
    if expected == "hidden":
        ok = normalised(response, url) == missing and not changed
        detail = "differs from a missing object's answer" if not ok else ""
    elif expected == "allowed":
        ok = status not in (403, 404) and status < 500 and (changed or not must_change)
        detail = "nothing changed" if status < 400 and must_change and not changed else ""
    else:
        # A refusal says so (403, or 400/409/422 with the reason); only a route that
        # refuses by flashing the reason on the page it redirects to may answer 302.
        ok = (status in (400, 403, 409, 422) or (refused_by_redirect and status == 302)) and not changed
        detail = "changed something" if changed else ""
    tally.record(expected, ok, status, f"{line}: expected {expected}, got {status} {detail}".rstrip())


def _doc_cases(app):
    """(rule, method, event, DocRoute) for every document route, events expanded."""
    from workflow.dokumen.operations import EVENT_LABELS

    for rule, method, _endpoint in route_table(app)[0]:
        route = DOC_ROUTES.get((rule, method))
        if route is None:
            continue
        if "<event>" in rule:
            for event in EVENT_LABELS:
                if event not in EVENTS:
                    pytest.fail(f"unmapped route POST {rule} with event {event!r}: map it in EVENTS")
                yield rule, method, event, DocRoute(EVENTS[event], mengubah=True)
        elif "<int:periode>" in rule:
            for laporan in akses.LAPORAN_STATES:
                yield rule, method, None, replace(route, laporan=laporan)
        else:
            yield rule, method, None, route


def expected_for(actor: Actor, doc: Doc, route: DocRoute) -> tuple[str, bool]:
    """('allowed' | 'refused' | 'hidden', whether an allowed write must change something)."""
    applies = route.bentuk is None or doc.bentuk in route.bentuk
    column = column_of(actor.role, actor.kode, doc.kode)
    if not akses.visible(doc.state, column, doc.jenis) or (not applies and route.lain == "404"):
        return "hidden", False
    if not applies:  # it asks the policy, then finds nothing of that kind to work on
        return "refused", False
    if akses.allowed(route.aksi, doc.state, column, doc.jenis):
        if route.langkah is not None and route.laporan not in akses.LANGKAH[route.langkah]:
            return "refused", False  # the report's state has no such step
        return "allowed", route.mengubah and applies
    return "refused", False


FULL = os.environ.get("SAKIP_MATRIX") == "full"


def whole(world: World) -> bool:
    """Every case, not a sample: with ``SAKIP_MATRIX=full`` on both backends. Since the period
    reports, the evidence and the evaluation joined the world, every case takes over half an
    hour on SQLite alone here, more than the suite may (CI's 45 minutes): the suite runs the
    covering sample on both backends, and the full run is the documented command."""
    return FULL


def relevant(doc: Doc, route: DocRoute) -> bool:
    """Whether requesting ``route`` on ``doc`` tells anything new: a period route in its
    first report state covers every document; in the other states only a PK that has
    reports (elsewhere every state answers alike)."""
    return route.laporan in (None, akses.LAPORAN_STATES[0]) or bool(doc.laporan_versi)


def select_cases(actors: list[Actor], docs: list[Doc], routes: list, full: bool) -> list[tuple[Actor, Doc, int]]:
    """Which (actor, document, route index) to request.

    ``full``: all of them (every actor x every document x every route: 146 320 requests).
    Otherwise a covering sample that holds these guarantees:
    - every allowed write (every route but lihat/unduh) is requested by every actor allowed it;
    - every actor x every route, on one document it sees and one it does not (if any),
      chosen in rotation, so that over the routes each actor meets its documents;
    - every actor x every document (on the document page where the rotation missed it);
    - every route x every oracle column (relation x role) present in the world.
    """
    chosen: set[tuple[int, int, int]] = set()
    if full:
        return [(a, d, r) for r in range(len(routes)) for a in actors for d in docs if relevant(d, routes[r][3])]
    n = len(docs)
    lihat = DocRoute("lihat")
    for ai, actor in enumerate(actors):
        seen = [di for di, doc in enumerate(docs) if expected_for(actor, doc, lihat)[0] != "hidden"]
        hidden = [di for di in range(n) if di not in seen]
        for r, (_rule, _method, _event, route) in enumerate(routes):
            for group in (seen, hidden):
                if group:
                    chosen.add((ai, group[(r + ai) % len(group)], r))
            if route.aksi not in ("lihat", "unduh"):
                chosen |= {(ai, di, r) for di, doc in enumerate(docs) if expected_for(actor, doc, route)[0] == "allowed"}
    lihat = next(r for r, c in enumerate(routes) if c[0] == "/dokumen/<int:dokumen_id>" and c[1] == "GET")
    seen = {(ai, di) for ai, di, _r in chosen}
    chosen |= {(ai, di, lihat) for ai in range(len(actors)) for di in range(n) if (ai, di) not in seen}
    for r in range(len(routes)):
        columns = {column_of(actors[ai].role, actors[ai].kode, docs[di].kode) for ai, di, rr in chosen if rr == r}
        for di, doc in enumerate(docs):
            for ai, actor in enumerate(actors):
                column = column_of(actor.role, actor.kode, doc.kode)
                if column not in columns:
                    columns.add(column)
                    chosen.add((ai, (di + r) % n, r))
    return sorted(((actors[ai], docs[di], r) for ai, di, r in chosen), key=lambda c: (c[2], c[0].name, c[1].id))


def test_isolation_matrix_documents(app, world, monkeypatch):
    """Actors x documents x document routes: all of them on SQLite (``whole``); on
    PostgreSQL one case per column x route in and out of reach, as the database-wall run
    below, unless SAKIP_MATRIX=full."""
    sample = None if whole(world) else _one_per_column_and_route
    report(_documents(app, world, monkeypatch, sample), "documents", world)


def test_isolation_matrix_documents_with_only_the_database_s_wall(app, world, monkeypatch):
    """The same cases once more on PostgreSQL with the application's own document filter
    and office check switched off, the requests running as a role that does not own the
    tables: row-level security alone must give the same answers (issue 6, point 2)."""
    from tenants import rls, scoping
    from workflow.dokumen import policy

    if world.connection.dialect.name != "postgresql":
        pytest.skip("row-level security exists on PostgreSQL only")
    monkeypatch.setattr(policy, "terlihat", lambda user: sa.true())
    monkeypatch.setattr(scoping, "can", lambda *args, **kwargs: True)
    with app_role(app, "sakip_matriks") as role:
        # Session-wide (not SET LOCAL): every case's transaction runs as the role.
        with world.connection.begin():
            world.connection.execute(sa.text(f'SET ROLE "{role}"'))
        try:
            with world.case():
                rls.pasang(world.connection, rls.TIDAK_ADA)
                assert world.connection.execute(sa.text("SELECT count(*) FROM dokumen")).scalar() == 0, \
                    "without an office in the setting the role sees no document"
            sample = None if FULL else _one_per_column_and_route
            report(_documents(app, world, monkeypatch, sample), "documents, database wall only", world)
        finally:
            with world.connection.begin():
                world.connection.execute(sa.text("RESET ROLE"))


def _one_per_column_and_route(cases: list, routes: list) -> list:
    """For the database-only run: per route and per column (who, relative to the owner),
    one document out of reach and one within it. What row-level security must hold is
    every kind of outsider on every route; the full sample above already compares every
    answer with the policy, and running it twice would double the suite's longest test."""
    seen, chosen = set(), []
    for actor, doc, r in cases:
        expected, _ = expected_for(actor, doc, routes[r][3])
        key = (column_of(actor.role, actor.kode, doc.kode), r, expected == "hidden")
        if key not in seen:
            seen.add(key)
            chosen.append((actor, doc, r))
    return chosen


def _documents(app, world, monkeypatch, pilih=None) -> Tally:
    from webapp import pdf

    # The PDF's layout is tested elsewhere; here only who gets one matters, and WeasyPrint
    # would make this matrix take minutes.
    monkeypatch.setattr(pdf, "pdf_dokumen", lambda dokumen, revisi: b"%PDF-1.7 matrix")
    tally = Tally()
    routes = list(_doc_cases(app))
    missing_cache: dict[tuple[str, int], tuple[int, bytes]] = {}
    cases = select_cases(world.actors, world.docs, routes, whole(world))
    for actor, doc, r in (pilih(cases, routes) if pilih else cases):
        rule, method, event, route = routes[r]
        expected, must_change = expected_for(actor, doc, route)
        missing = None
        if expected == "hidden":
            if (actor.name, r) not in missing_cache:
                values = {"dokumen_id": MISSING_ID, "nomor": 0, "event": event, **_kunci_values(route, None)}
                url = fill(rule, values)
                body = doc_body(rule, event, None, actor, values["periode"]) if method == "POST" else None
                response, _changed = request(world, actor, method, url, body)
                assert response.status_code in (302, 400, 404), f"{method} {url} on a missing document"
                missing_cache[(actor.name, r)] = normalised(response, url)
            missing = missing_cache[(actor.name, r)]
        values = {"dokumen_id": doc.id, "nomor": doc.nomor, "event": event, **_kunci_values(route, doc)}
        url = fill(rule, values)
        body = doc_body(rule, event, doc, actor, values["periode"]) if method == "POST" else None
        response, changed = request(world, actor, method, url, body)
        laporan = f", laporan {route.laporan}" if route.laporan else ""
        line = (f"{actor.name} [{column_of(actor.role, actor.kode, doc.kode)}] {method} {url} "
                f"({doc.jenis} {doc.state} @{doc.kode}, {route.aksi}{laporan})")
        judge(tally, expected, response, url, changed, missing, must_change, line)
    return tally


def report(tally: Tally, what: str, world: World) -> None:
    """Print the figures, hand them to the run's summary (tests/conftest.CASE_COUNTS), and
    fail on any mismatch."""
    total = sum(tally.cases.values())
    label = f"isolation matrix, {what} [{world.connection.dialect.name}{', every case' if whole(world) else ''}]"
    CASE_COUNTS[label] = (f"{total} cases ({', '.join(f'{n} {k}' for k, n in sorted(tally.cases.items()))}), "
                          f"{len(tally.mismatches)} mismatches")
    print(f"{label}: {CASE_COUNTS[label]}; statuses {dict(sorted(tally.statuses.items()))}")
    assert not tally.mismatches, f"{len(tally.mismatches)} mismatches:\n" + "\n".join(tally.mismatches[:200])


# -- offices: the office page, dashboard, document list, recap, creating a document -------------

def _satker_cases(app):
    for rule, method, _endpoint in route_table(app)[0]:
        if (rule, method) not in SATKER_ROUTES:
            continue
        aksi, with_children = SATKER_ROUTES[(rule, method)]
        for jenis in (akses.KINDS.values() if "<jenis>" in rule else [None]):
            yield rule, method, aksi, with_children, jenis


def expected_for_satker(actor: Actor, kode: str, aksi: str, with_children: bool, jenis: str | None) -> str:
    column = column_of(actor.role, actor.kode, kode)
    tingkat = next(o.tingkat for o in TREE if o.kode == kode)
    if not akses.visible("draf", column, "pk_komisi") or (with_children and tingkat is Tingkat.KABKOTA):
        return "hidden"
    if aksi in JADWAL_AKSI:
        return "allowed" if column in JADWAL_AKSI[aksi][tingkat is not Tingkat.PUSAT] else "refused"
    if aksi in SATKER_ADMIN_ACTIONS:
        return "allowed" if akses.ADMIN_ORACLE[("penunjukan", aksi, admin_column(actor, kode))] else "refused"
    if aksi in SERAPAN_AKSI:
        return "allowed" if column in SERAPAN_AKSI[aksi] else "refused"
    if aksi == "lihat" or jenis in akses.ORACLE[("buat", "baru", column)]:
        return "allowed"
    return "refused"


def test_isolation_matrix_offices(app, world):
    """Actors x offices x office routes: every actor on every office's page, and on every
    other office route one office it sees and one it does not (all of them where ``whole``),
    plus every allowed creation."""
    tally = Tally()
    routes = list(_satker_cases(app))
    kodes = list(world.satker_ids)
    missing_cache: dict[tuple[str, int], tuple[int, bytes]] = {}
    for ai, actor in enumerate(world.actors):
        seen = [k for k in kodes if expected_for_satker(actor, k, "lihat", False, None) != "hidden"]
        hidden = [k for k in kodes if k not in seen]
        for r, (rule, method, aksi, with_children, jenis) in enumerate(routes):
            targets = set(kodes) if whole(world) or rule == "/satker/<kode>" else {
                g[(r + ai) % len(g)] for g in (seen, hidden) if g}
            targets |= {k for k in kodes if aksi == "buat"
                        and expected_for_satker(actor, k, aksi, with_children, jenis) == "allowed"}
            for kode in sorted(targets):
                expected = expected_for_satker(actor, kode, aksi, with_children, jenis)
                values = {"tahun": NEW_YEAR, "jenis": jenis, "sub": "1.a"}
                body = {"csrf_token": actor.token} if method == "POST" else None
                missing = None
                if expected == "hidden":
                    if (actor.name, r) not in missing_cache:
                        url = fill(rule, {**values, "kode": MISSING_KODE})
                        response, _changed = request(world, actor, method, url, body)
                        missing_cache[(actor.name, r)] = normalised(response, url)
                    missing = missing_cache[(actor.name, r)]
                url = fill(rule, {**values, "kode": kode})
                response, changed = request(world, actor, method, url, body)
                line = f"{actor.name} [{column_of(actor.role, actor.kode, kode)}] {method} {url} ({aksi})"
                judge(tally, expected, response, url, changed, missing, aksi == "buat", line,
                      refused_by_redirect=aksi == "buat")
    report(tally, "offices", world)


# -- the yearly evaluation: every route in every state -------------------------------------------

def eval_column(actor: Actor, owner: str) -> str:
    """The evaluation table's column: the document table's, with the evaluator (an
    inspektorat membership at an office above) taken out of "pembaca di atas"."""
    column = column_of(actor.role, actor.kode, owner)
    return "inspektorat di atas" if column == "pembaca di atas" and actor.role == "inspektorat" else column


def expected_for_eval(actor: Actor, ev: Ev, aksi: str) -> str:
    column = eval_column(actor, ev.kode)
    if not akses.EVAL_ORACLE[("lihat", ev.state, column)]:
        return "hidden"
    if aksi in EVAL_HANYA_FINAL and ev.state != "final":
        return "hidden"
    return "allowed" if akses.EVAL_ORACLE[(aksi, ev.state, column)] else "refused"


def eval_body(rule: str, ev: Ev, actor: Actor) -> dict:
    """The form an allowed actor would send on ``ev`` (valid and changing something, so
    only the policy and the state can refuse it)."""
    body = {"csrf_token": actor.token}
    if ev.versi is not None:
        body["versi"] = str(ev.versi)
    if rule.endswith("/jawab"):
        k = EVAL_ISI
        body |= {f"tampil-{k}": "1", f"jawaban-{k}": "T", f"catatan-{k}": "Catatan matriks",
                 f"versi-{k}": str(ev.kriteria_versi.get(k, ""))}
    elif rule.endswith("/nilai"):
        k = EVAL_NILAI
        body |= {f"tampil-{k}": "1", f"setuju-{k}": "ya", f"komentar-{k}": "Komentar matriks",
                 f"versi-{k}": str(ev.kriteria_versi.get(k, "")), "nilai": ev.nilai or "",
                 "versi_nilai": str(ev.nilai_versi or "")}
    elif rule.endswith("/temuan"):
        body |= {"uraian": "Temuan matriks", "rekomendasi": "Rekomendasi matriks", "subkomponen": EVAL_SUB}
    elif rule.endswith("/kembalikan"):
        body["alasan"] = "Alasan dari matriks."
    elif rule.endswith("/sanggah"):
        body["sanggahan-1"] = "Sanggahan matriks"
    elif rule.endswith("/tanggapan"):
        body |= {"tanggapan-1": "Tanggapan matriks", "diterima-1": "1"}
    return body


def _eval_routes(app) -> list[tuple[str, str, str]]:
    return [(rule, method, EVAL_ROUTES[(rule, method)]) for rule, method, _e in route_table(app)[0]
            if (rule, method) in EVAL_ROUTES]


def select_eval_cases(actors: list[Actor], evs: list[Ev], routes: list, full: bool) -> list[tuple[Actor, Ev, int]]:
    """``full``: every actor x every evaluation x every route. Otherwise: every allowed
    write by every actor allowed it, and per route x state x column (who, relative to the
    office) one actor and office in rotation, so every cell of the table is asked."""
    if full:
        return [(a, ev, r) for r in range(len(routes)) for a in actors for ev in evs]
    chosen: dict[tuple, tuple[Actor, Ev, int]] = {}
    n = 0
    for r, (_rule, method, aksi) in enumerate(routes):
        for ev in evs:
            for actor in actors:
                expected = expected_for_eval(actor, ev, aksi)
                if expected == "allowed" and method == "POST":
                    chosen[(actor.name, ev.kode, ev.state, r)] = (actor, ev, r)
        for state in akses.EVAL_STATES:
            cells: dict[str, list[tuple[Actor, Ev]]] = {}
            for ev in (e for e in evs if e.state == state):
                for actor in actors:
                    cells.setdefault(eval_column(actor, ev.kode), []).append((actor, ev))
            for pairs in cells.values():
                actor, ev = pairs[(n := n + 1) % len(pairs)]
                chosen.setdefault((actor.name, ev.kode, ev.state, r), (actor, ev, r))
    return list(chosen.values())


def test_isolation_matrix_evaluations(app, world):
    """Actors x the world's evaluations (every state, DOC_OFFICES) x every evaluation route,
    judged by the evaluation table (tests/akses.py EVAL_TABLE = docs/akses.md): allowed ->
    neither 403 nor 404 and the write happened; refused -> a refusal, nothing changed;
    hidden -> the missing office's answer. A sample covering every cell (``whole``: all)."""
    tally = Tally()
    routes = _eval_routes(app)
    evs = list(world.evaluasi.values())
    assert {ev.state for ev in evs} == set(akses.EVAL_STATES)
    missing_cache: dict[tuple[str, int, int], tuple[int, bytes]] = {}
    for actor, ev, r in select_eval_cases(world.actors, evs, routes, whole(world)):
        rule, method, aksi = routes[r]
        expected = expected_for_eval(actor, ev, aksi)
        values = {"tahun": ev.tahun, "sub": EVAL_SUB}
        body = eval_body(rule, ev, actor) if method == "POST" else None
        missing = None
        if expected == "hidden":
            key = (actor.name, r, ev.tahun)
            if key not in missing_cache:
                url = fill(rule, {**values, "kode": MISSING_KODE})
                response, _changed = request(world, actor, method, url, body)
                missing_cache[key] = normalised(response, url)
            missing = missing_cache[key]
        url = fill(rule, {**values, "kode": ev.kode})
        response, changed = request(world, actor, method, url, body)
        line = f"{actor.name} [{eval_column(actor, ev.kode)}] {method} {url} (evaluasi {ev.state} @{ev.kode}, {aksi})"
        judge(tally, expected, response, url, changed, missing, method == "POST", line)
    report(tally, "evaluations", world)


# -- follow-ups of the evaluation's recommendations: every route in every state ------------------

def tl_column(actor: Actor, tl: Tl) -> str:
    """The follow-up table's column (tests/akses.py TL_COLUMNS): the evaluation table's, with
    the follow-up's owner taken out of its role's column."""
    return "penanggung jawab" if actor.user_id == tl.pemilik_id else eval_column(actor, tl.kode)


def expected_for_tl(actor: Actor, tl: Tl, langkah: str) -> str:
    column = tl_column(actor, tl)
    if not akses.tl_allowed("lihat", tl.state, column):
        return "hidden"
    return "allowed" if akses.tl_allowed(langkah, tl.state, column) else "refused"


def tl_body(rule: str, tl: Tl, actor: Actor) -> dict:
    """The form an allowed actor would send on ``tl`` (valid and changing something, so only
    the policy and the state can refuse it)."""
    body = {"csrf_token": actor.token, "versi": str(tl.versi)}
    if rule.endswith("/laporkan"):
        body["uraian"] = "Perkembangan dari matriks."
    elif rule.endswith("/kembalikan"):
        body["alasan"] = "Alasan dari matriks."
    elif rule.endswith("/ubah"):
        body |= {"pemilik": str(tl.pemilik_id), "tenggat": TL_TENGGAT}
    return body


def select_tl_cases(actors: list[Actor], tls: list[Tl], routes: list, full: bool) -> list[tuple[Actor, Tl, int]]:
    """``full``: every actor x every follow-up x every route. Otherwise: every allowed write
    by every actor allowed it, and per route x state x column one actor and follow-up in
    rotation, so every cell of both tables is asked."""
    if full:
        return [(a, tl, r) for r in range(len(routes)) for a in actors for tl in tls]
    chosen: dict[tuple, tuple[Actor, Tl, int]] = {}
    n = 0
    for r, (_rule, method, langkah) in enumerate(routes):
        for tl in tls:
            for actor in actors:
                if method == "POST" and expected_for_tl(actor, tl, langkah) == "allowed":
                    chosen[(actor.name, tl.id, r)] = (actor, tl, r)
        for state in akses.TINDAK_LANJUT_STATES:
            cells: dict[str, list[tuple[Actor, Tl]]] = {}
            for tl in (t for t in tls if t.state == state):
                for actor in actors:
                    cells.setdefault(tl_column(actor, tl), []).append((actor, tl))
            for pairs in cells.values():
                actor, tl = pairs[(n := n + 1) % len(pairs)]
                chosen.setdefault((actor.name, tl.id, r), (actor, tl, r))
    return list(chosen.values())


def _kode_lain(actor: Actor, tl: Tl) -> str:
    """Another office to ask ``tl`` under: one the actor sees where it can, so that the answer
    is the missing follow-up's and not the missing office's."""
    lain = [k for k in (*DOC_OFFICES, actor.kode, *ancestors_of(actor.kode)) if k != tl.kode]
    return next((k for k in lain if expected_for_satker(actor, k, "lihat", False, None) != "hidden"), lain[0])


def test_isolation_matrix_tindak_lanjut(app, world):
    """Actors x the world's follow-ups (every state, DOC_OFFICES) x every follow-up route,
    judged by docs/akses.md's "Tindak lanjut" tables (tests/akses.py TINDAK_LANJUT, TL_SIAPA):
    allowed -> neither 403 nor 404 and the write happened; refused -> a refusal, nothing
    changed; hidden -> the missing office's answer. Each follow-up is also asked under another
    office's code: the answer of a missing follow-up there, nothing changed. A sample covering
    every cell (``whole``: all)."""
    tally = Tally()
    routes = [(rule, method, TL_ROUTES[(rule, method)]) for rule, method, _e in route_table(app)[0]
              if (rule, method) in TL_ROUTES]
    tls = world.tindak_lanjut
    assert sorted((tl.kode, tl.state) for tl in tls) == sorted(
        (k, s) for k in DOC_OFFICES for s in akses.TINDAK_LANJUT_STATES)
    missing_cache: dict[tuple[str, int, str], tuple[int, bytes]] = {}

    def missing(actor: Actor, r: int, kode: str, tl: Tl) -> tuple[int, bytes]:
        rule, method, _langkah = routes[r]
        if (actor.name, r, kode) not in missing_cache:
            url = fill(rule, {"kode": kode, "tl_id": MISSING_ID})
            body = tl_body(rule, tl, actor) if method == "POST" else None
            response, _changed = request(world, actor, method, url, body)
            assert response.status_code == 404, f"{method} {url}: {response.status_code}"
            missing_cache[(actor.name, r, kode)] = normalised(response, url)
        return missing_cache[(actor.name, r, kode)]

    for actor, tl, r in select_tl_cases(world.actors, tls, routes, whole(world)):
        rule, method, langkah = routes[r]
        expected = expected_for_tl(actor, tl, langkah)
        body = tl_body(rule, tl, actor) if method == "POST" else None
        url = fill(rule, {"kode": tl.kode, "tl_id": tl.id})
        response, changed = request(world, actor, method, url, body)
        line = f"{actor.name} [{tl_column(actor, tl)}] {method} {url} (tindak lanjut {tl.state} @{tl.kode}, {langkah})"
        judge(tally, expected, response, url, changed,
              missing(actor, r, MISSING_KODE, tl) if expected == "hidden" else None, method == "POST", line)
        if "<int:tl_id>" in rule:
            lain = _kode_lain(actor, tl)
            url = fill(rule, {"kode": lain, "tl_id": tl.id})
            response, changed = request(world, actor, method, url, body)
            judge(tally, "hidden", response, url, changed, missing(actor, r, lain, tl), False,
                  f"{line} asked under {lain}")
    report(tally, "follow-ups", world)


# -- the back office -------------------------------------------------------------------------------

# Flask-Admin endpoint suffix -> (method, admin action or None when the route is off for everyone).
ADMIN_REQUESTS = {
    ("details_view", "GET"): "lihat", ("edit_view", "GET"): "ubah", ("edit_view", "POST"): "ubah",
    ("delete_view", "POST"): "hapus", ("action_view", "POST"): "aksi massal", ("ajax_update", "POST"): None,
}


def admin_column(actor: Actor, owner: str) -> str:
    if actor.role != "admin":
        return "bukan admin"
    if actor.kode == owner:
        return "admin satker itu"
    return "admin di atas" if actor.kode in ancestors_of(owner) else "admin lain"


def expected_for_admin(actor: Actor, obj: tuple[str, str, str, int], aksi: str | None) -> str:
    _view, kind, owner, _id = obj
    column = admin_column(actor, owner)
    if aksi is None or not akses.ADMIN_ORACLE[(kind, "lihat", column)]:
        return "hidden"
    return "allowed" if akses.ADMIN_ORACLE[(kind, aksi, column)] else "refused"


def admin_request(view: str, suffix: str, method: str, object_id: int, actor: Actor, world: World):
    base = f"/admin/{view}"
    data = {"csrf_token": actor.token}
    if suffix in ("details_view", "edit_view") and method == "GET":
        return f"{base}/{suffix.split('_')[0]}/?id={object_id}", None
    if suffix == "edit_view":
        url = f"{base}/edit/?id={object_id}"
        if view == "pengguna":
            data |= {"username": f"diubah{object_id}", "full_name": "Diubah Matriks", "active": "y",
                     "satker": str(world.satker_ids[actor.kode]), "password": ""}
        return url, data
    if suffix == "delete_view":
        return f"{base}/delete/", data | {"id": str(object_id)}
    if suffix == "action_view":
        return f"{base}/action/", data | {"action": "delete", "rowid": str(object_id)}
    return f"{base}/ajax/update/", data | {"list_form_pk": str(object_id), "full_name": "Diubah"}


def test_isolation_matrix_back_office(app, world):
    """Every admin x every back-office object x every back-office route; every other actor
    x every back-office route on one object in rotation (all of them where ``whole``)."""
    tally = Tally()
    routes = [(rule, method, endpoint) for rule, method, endpoint in route_table(app)[0]
              if endpoint.partition(".")[0] in ADMIN_VIEWS]
    missing_cache: dict[tuple[str, str, str], tuple[int, bytes]] = {}
    for ai, actor in enumerate(world.actors):
        for r, (_rule, method, endpoint) in enumerate(routes):
            view, _, suffix = endpoint.partition(".")
            if (suffix, method) not in ADMIN_REQUESTS:
                pytest.fail(f"unmapped route {method} {endpoint}: map it in ADMIN_REQUESTS")
            aksi = ADMIN_REQUESTS[(suffix, method)]
            objects = [o for o in world.admin_objects if o[0] == view]
            if not (whole(world) or actor.role == "admin"):
                objects = [objects[(r + ai) % len(objects)]]
            for obj in objects:
                expected = expected_for_admin(actor, obj, aksi)
                missing = None
                if expected == "hidden":
                    key = (actor.name, endpoint, method)
                    if key not in missing_cache:
                        url, data = admin_request(view, suffix, method, MISSING_ID, actor, world)
                        response, _changed = request(world, actor, method, url, data, deep=method == "POST")
                        missing_cache[key] = normalised(response, url)
                    missing = missing_cache[key]
                url, data = admin_request(view, suffix, method, obj[3], actor, world)
                response, changed = request(world, actor, method, url, data, deep=method == "POST")
                line = f"{actor.name} [{admin_column(actor, obj[2])}] {method} {url} ({obj[1]} @{obj[2]}, {aksi})"
                must_change = suffix == "edit_view" and method == "POST"
                # Flask-Admin refuses a switched-off operation by redirecting to the list.
                judge(tally, expected, response, url, changed, missing, must_change, line, refused_by_redirect=True)
    report(tally, "back office", world)


# -- mass assignment ---------------------------------------------------------------------------------

# Natural keys only: ids and verification codes differ between two runs of one request.
_GUARDED = [
    sa.text("SELECT satker_id, tahun, jenis, status, nomor_revisi FROM dokumen ORDER BY satker_id, tahun, jenis"),
    sa.text("SELECT d.satker_id, d.tahun, d.jenis, r.nomor, r.terkunci, r.hash_isi, r.diajukan_oleh_id, "
            "r.hasil_tinjauan, r.ditinjau_oleh_id FROM revisi r JOIN dokumen d ON d.id = r.dokumen_id "
            "ORDER BY d.satker_id, d.tahun, d.jenis, r.nomor"),
    sa.text("SELECT d.satker_id, d.tahun, d.jenis, r.nomor, t.urutan, t.user_id, t.hash_isi FROM tanda_tangan t "
            "JOIN revisi r ON r.id = t.revisi_id JOIN dokumen d ON d.id = r.dokumen_id "
            "ORDER BY d.satker_id, d.tahun, d.jenis, r.nomor, t.urutan"),
    sa.text("SELECT user_id, satker_id, peran, divisi, subbagian FROM membership "
            "ORDER BY user_id, satker_id, peran, divisi, subbagian"),
    sa.text("SELECT username, satker_id, active FROM user_account ORDER BY username"),
]
# Fields no form has: who owns a document, its state, who signed what, which document.
SMUGGLED = ["satker_id", "status", "nomor_revisi", "signer", "ditandatangani_oleh_id", "diajukan_oleh_id",
            "ditinjau_oleh_id", "hash_isi", "kode_verifikasi", "terkunci", "dokumen_id", "user_id", "id"]


def guarded(connection) -> list[list[tuple]]:
    return [[tuple(row) for row in connection.execute(q)] for q in _GUARDED]


def _actor(world: World, name: str) -> Actor:
    return next(a for a in world.actors if a.name == name)


def _doc(world: World, kode: str, jenis: str, state: str) -> Doc:
    return next(d for d in world.docs if (d.kode, d.jenis, d.state) == (kode, jenis, state))


def _smuggle(world: World, victim: Doc, intruder_id: int) -> dict[str, str]:
    values = {"satker_id": world.satker_ids["51.71"], "status": "reviewed", "nomor_revisi": 7,
              "signer": intruder_id, "ditandatangani_oleh_id": intruder_id, "diajukan_oleh_id": intruder_id,
              "ditinjau_oleh_id": intruder_id, "hash_isi": "0" * 64, "kode_verifikasi": "AAAA-BBBB",
              "terkunci": "1", "dokumen_id": victim.id, "user_id": intruder_id, "id": victim.id}
    return {k: str(values[k]) for k in SMUGGLED}


def test_mass_assignment_changes_nothing_beyond_the_form(app, world):
    """Every editor and action of a document, and the back office, posted with fields it
    does not have: another office's id, a status, a signer, a hash, another document's
    id. The request does what its form does (the write happens) and nothing else moves."""
    sekretaris, ketua = _actor(world, "sekretaris@35.79"), _actor(world, "ketua@35.79")
    reviewer, admin = _actor(world, "reviewer@35"), _actor(world, "admin@35.79")
    victim = _doc(world, "35", "pk_sekretariat", "draf")  # another office's document
    rak = _doc(world, "35.79", "rak_sekretariat", "draf")
    pk = _doc(world, "35.79", "pk_komisi", "draf")
    signed_pk = _doc(world, "35.79", "pk_komisi", "ditandatangani")
    submitted = _doc(world, "35.79", "rkt_sekretariat", "diajukan")
    posts = [
        (sekretaris, f"/dokumen/{rak.id}/kepala", doc_body("/dokumen/<int:dokumen_id>/kepala", None, rak, sekretaris)),
        (sekretaris, f"/dokumen/{rak.id}/baris", doc_body("/dokumen/<int:dokumen_id>/baris", None, rak, sekretaris)),
        (sekretaris, f"/dokumen/{rak.id}/baris/{rak.baris}",
         doc_body("/dokumen/<int:dokumen_id>/baris/<kunci>", None, rak, sekretaris)),
        (ketua, f"/dokumen/{pk.id}/sasaran", doc_body("/dokumen/<int:dokumen_id>/sasaran", None, pk, ketua)),
        (ketua, f"/dokumen/{pk.id}/sasaran/{pk.sasaran}/indikator/{pk.indikator}",
         doc_body("/dokumen/<int:dokumen_id>/sasaran/<sasaran_kunci>/indikator/<kunci>", None, pk, ketua)),
        (ketua, f"/dokumen/{pk.id}/aksi/submit", doc_body("/x", "submit", pk, ketua)),
        (sekretaris, f"/dokumen/{submitted.id}/aksi/sign", doc_body("/x", "sign", submitted, sekretaris)),
        (ketua, f"/dokumen/{signed_pk.id}/realisasi",
         doc_body("/dokumen/<int:dokumen_id>/realisasi", None, signed_pk, ketua)),
        (reviewer, f"/dokumen/{signed_pk.id}/aksi/approve", doc_body("/x", "approve", signed_pk, reviewer)),
        (sekretaris, f"/satker/35.79/dokumen/{NEW_YEAR}/rkt_sekretariat", {"csrf_token": sekretaris.token}),
    ]
    checked = 0
    for actor, url, body in posts:
        with world.case():
            plain_before = fingerprint(world.connection)
            response = actor.client.post(url, data=body)
            plain_changed = fingerprint(world.connection) != plain_before
        assert response.status_code == 302 and plain_changed, f"the plain form must work: {url} {response.status_code}"

        with world.case():
            response = actor.client.post(url, data=body | _smuggle(world, victim, actor.user_id))
            assert response.status_code == 302, f"{url}: {response.status_code}"
            after_smuggled = guarded(world.connection)
        with world.case():
            actor.client.post(url, data=body)
            after_plain = guarded(world.connection)
        assert after_smuggled == after_plain, f"{url}: smuggled fields changed something"
        checked += 1

    # The back office: an admin of Kota Batu moving an account or a membership to Denpasar.
    ketua_denpasar = _actor(world, "ketua@51.71")
    user_obj = next(o for o in world.admin_objects if o[:3] == ("pengguna", "pengguna", "35.79"))
    attempts = [
        (f"/admin/pengguna/edit/?id={user_obj[3]}",
         {"username": "batu-pindah", "full_name": "Pindah", "active": "y", "password": "",
          "satker": str(world.satker_ids["51.71"])}),
        ("/admin/keanggotaan/new/",
         {"user": str(ketua_denpasar.user_id), "satker": str(world.satker_ids["35.79"]), "peran": "admin"}),
        ("/admin/keanggotaan/new/",
         {"user": str(user_obj[3]), "satker": str(world.satker_ids["51.71"]), "peran": "admin"}),
        ("/admin/pengguna/new/",
         {"username": "penyusup", "full_name": "Penyusup", "active": "y", "password": "Sandi-Kuat-12345",
          "satker": str(world.satker_ids["51.71"])}),
    ]
    for url, body in attempts:
        with world.case():
            before = guarded(world.connection)
            admin.client.post(url, data=body | {"csrf_token": admin.token} | _smuggle(world, victim, admin.user_id))
            assert guarded(world.connection) == before, f"{url}: an office outside the admin's reach was written"
        checked += 1
    CASE_COUNTS[f"isolation matrix, mass assignment [{world.connection.dialect.name}]"] = f"{checked} cases, 0 changes"


# -- approving several documents at once: the ids travel in the form -----------------------------

_HASIL_LI = re.compile(r'<li data-testid="(disetujui|ditolak)-(\d+)">(.*?)</li>', re.S)


def test_isolation_matrix_batch_approve(app, world):
    """Every actor posts every document of the world (and a missing id) in one batch to
    ``POST /tinjauan/setujui``: exactly the documents ``tinjau`` allows are approved; a
    document it sees and may not approve is reported with a reason and untouched; one it
    does not see reads exactly as the missing id and is untouched."""
    tally = Tally()
    for actor in world.actors:
        data = {"csrf_token": actor.token, "dokumen": [d.id for d in world.docs] + [MISSING_ID],
                **{f"versi-{d.id}": str(d.versi) for d in world.docs}}
        actor.client.set_cookie(actor.cookie_name, actor.cookie)
        with world.case():
            response = actor.client.post("/tinjauan/setujui", data=data)
            rows = {int(r[0]): (r[1], r[2]) for r in world.connection.execute(
                sa.text("SELECT id, versi, status FROM dokumen"))}
        found = {int(i): (where, text) for where, i, text in _HASIL_LI.findall(response.text)}
        missing_text = found.get(MISSING_ID, ("", "?"))[1].replace(str(MISSING_ID), "ID")
        for doc in world.docs:
            column = column_of(actor.role, actor.kode, doc.kode)
            where, text = found.get(doc.id, ("", ""))
            untouched = rows[doc.id][0] == doc.versi
            if not akses.visible(doc.state, column, doc.jenis):
                expected, ok = "hidden", where == "ditolak" and text.replace(str(doc.id), "ID") == missing_text
            elif akses.allowed("tinjau", doc.state, column, doc.jenis):
                expected, ok = "allowed", where == "disetujui" and rows[doc.id][1] == "reviewed"
                untouched = True
            else:
                expected, ok = "refused", where == "ditolak" and f"/dokumen/{doc.id}" in text
            tally.record(expected, ok and untouched, response.status_code,
                         f"{actor.name} [{column}] batch approve ({doc.jenis} {doc.state} @{doc.kode}): "
                         f"expected {expected}, got {where or 'nothing'}{'' if untouched else ', changed'}")
    report(tally, "batch approve", world)
