"""The audit chain is keyed (SAKIP_AUDIT_KEY, never in the database): whoever rewrites
history with the database in hand but not the key is caught by `sakip audit verify`,
and the head kept outside (`sakip audit anchor`) shows a cut tail. Run as an operator
runs them: the installed console script, on both backends."""
import hashlib
import hmac
import json
import os
from datetime import timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from tenants.db import db
from tests.conftest import migrated_app
from tests.test_cli import _one_line_error, _runner
from webapp import create_app
from webapp.config import normalise_database_url
from workflow import audit

ENTRIES = 6
LOG = audit.AuditEntry.__table__


@pytest.fixture
def chain(backend, fresh_database_url, tmp_path):
    """A database whose audit chain holds six keyed entries, and the console script on it."""
    url = fresh_database_url(backend)
    with migrated_app(url) as app, app.app_context():
        for n in range(1, ENTRIES + 1):
            audit.append(db.session, aksi="buat", username=f"penyusun{n}", alasan=f"entri {n}")
        db.session.commit()
    run = _runner(url, tmp_path / "instance")
    run.url = url
    run.backend = backend
    return run


def _as_owner(run):
    """The owner's connection, the append-only guard lifted, as someone with the database
    in hand would do; committed when the block ends."""
    engine = sa.create_engine(normalise_database_url(run.url), poolclass=NullPool)

    class Owner:
        def __enter__(self):
            self.conn = engine.connect()
            self.conn.begin()
            if run.backend == "postgresql":
                self.conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_hanya_tambah")
            else:
                for when in ("update", "delete"):
                    self.conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS audit_log_hanya_tambah_{when}")
            return self.conn

        def __exit__(self, *exc):
            self.conn.commit() if exc[0] is None else self.conn.rollback()
            self.conn.close()
            engine.dispose()

    return Owner()


def _link(row: dict, key: bytes | None) -> str:
    """An entry's link as the code computes it (its fields and the previous link, as JSON):
    plain SHA-256, or an HMAC under a key of one's own."""
    waktu = row["waktu"]
    if waktu.tzinfo is not None:
        waktu = waktu.astimezone(timezone.utc).replace(tzinfo=None)
    fields = {name: row[name] for name in audit.HASHED_FIELDS} | {"waktu": waktu.isoformat(timespec="microseconds")}
    payload = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key, payload, hashlib.sha256).hexdigest() if key else hashlib.sha256(payload).hexdigest()


def _recompute(conn, from_seq: int, key: bytes | None, until: int | None = None) -> None:
    """Every link from ``from_seq`` on (to ``until``) computed again, as whoever has the
    database and the code, but not the key, can."""
    prev = conn.execute(sa.select(LOG.c.hash).where(LOG.c.seq == from_seq - 1)).scalar() or audit.GENESIS
    rows = sa.select(LOG).where(LOG.c.seq >= from_seq, LOG.c.seq <= (until or 10**9)).order_by(LOG.c.seq)
    for row in conn.execute(rows).all():
        link = _link({**row._asdict(), "hash_sebelum": prev}, key)
        conn.execute(sa.update(LOG).where(LOG.c.id == row.id).values(hash_sebelum=prev, hash=link))
        prev = link


def _delete(conn, seq: int) -> None:
    conn.execute(sa.delete(LOG).where(LOG.c.seq == seq))
    for later in conn.execute(sa.select(LOG.c.seq).where(LOG.c.seq > seq).order_by(LOG.c.seq)).scalars().all():
        conn.execute(sa.update(LOG).where(LOG.c.seq == later).values(seq=later - 1))


def _swap(conn, a: int, b: int) -> None:
    for old, new in ((a, -1), (b, a), (-1, b)):
        conn.execute(sa.update(LOG).where(LOG.c.seq == old).values(seq=new))


def _edit(conn, seq: int) -> None:
    conn.execute(sa.update(LOG).where(LOG.c.seq == seq).values(alasan="ditulis ulang"))


OTHER_KEY = b"kunci-tebakan-orang-lain-0123456789abcdef"
PLAIN_AFTER_KEY = ("tidak berkunci, padahal rantai berkunci sejak entri nomor 1 (ditulis atau dihitung ulang di "
                   "luar aplikasi)")


@pytest.mark.parametrize(("rewrite", "found"), [
    (lambda c: (_edit(c, 3), _recompute(c, 3, None)),
     f"entri nomor 3: {PLAIN_AFTER_KEY}"),
    (lambda c: (_delete(c, 3), _recompute(c, 3, None)),
     f"entri nomor 3: {PLAIN_AFTER_KEY}"),
    (lambda c: (_swap(c, 3, 4), _recompute(c, 3, None)),
     f"entri nomor 3: {PLAIN_AFTER_KEY}"),
    (lambda c: (_delete(c, 2), _recompute(c, 1, None)),  # the whole chain, plain from the start
     f"entri nomor {ENTRIES - 1}: rantai belum berkunci (SHA-256 tanpa kunci): jalankan `sakip audit rekey` "
     "dengan SAKIP_AUDIT_KEY"),
    (lambda c: (_delete(c, 3), _recompute(c, 3, OTHER_KEY)),
     "entri nomor 3: isinya tidak cocok dengan hash-nya (diubah)"),
    (lambda c: (_edit(c, 5), _recompute(c, 1, OTHER_KEY)),
     "entri nomor 1: isinya tidak cocok dengan hash-nya (diubah, atau SAKIP_AUDIT_KEY bukan kunci rantai ini)"),
], ids=["edit", "delete", "reorder", "replace-all-plain", "delete-other-key", "edit-all-other-key"])
def test_history_rewritten_without_the_key_is_detected(chain, rewrite, found):
    with _as_owner(chain) as conn:
        rewrite(conn)
    verified = chain("audit", "verify")
    assert verified.returncode == 1
    assert _one_line_error(verified) == f"sakip: kesalahan: Jejak audit rusak pada {found}"
    checked = chain("check")
    assert checked.returncode == 1 and f"Jejak audit rusak pada {found}." in checked.stdout


def test_a_cut_tail_is_detected_by_the_anchor_kept_outside(chain, tmp_path):
    anchored = chain("audit", "anchor")
    assert anchored.returncode == 0, anchored.stderr
    kept = tmp_path / "jangkar.jsonl"
    kept.write_text(anchored.stdout)
    assert f'"seq":{ENTRIES},' in anchored.stdout
    assert chain("audit", "verify", "--anchor", str(kept)).stdout.splitlines()[1] == (
        "1 jangkar cocok: ujung rantai yang dicatatnya masih ada.")

    with _as_owner(chain) as conn:
        conn.execute(sa.delete(LOG).where(LOG.c.seq > ENTRIES - 2))
    assert chain("audit", "verify").returncode == 0, "no link shows a cut tail: only the anchor does"
    verified = chain("audit", "verify", "--anchor", str(kept))
    assert _one_line_error(verified) == (
        f"sakip: kesalahan: Jejak audit rusak pada entri nomor {ENTRIES}: tidak ada lagi, padahal dicatat "
        f"jangkar: ujung rantai dipotong (kini berakhir di entri nomor {ENTRIES - 2})")
    assert verified.returncode == 1
    assert chain("check", "--anchor", str(kept)).returncode == 1


def test_an_anchor_must_carry_the_keys_signature(chain, tmp_path):
    line = chain("audit", "anchor").stdout.strip()
    forged = tmp_path / "palsu.jsonl"
    forged.write_text(line.replace(f'"seq":{ENTRIES},', f'"seq":{ENTRIES - 2},') + "\n")
    refused = chain("audit", "verify", "--anchor", str(forged))
    assert refused.returncode == 1
    assert _one_line_error(refused) == (f"sakip: kesalahan: {forged} baris 1: tanda jangkar tidak cocok dengan "
                                        "SAKIP_AUDIT_KEY (diubah, atau dibuat dengan kunci lain).")
    genuine = _write(tmp_path, "asli", line)
    other_key = {**chain.env, "SAKIP_AUDIT_KEY": OTHER_KEY.decode()}
    assert "tanda jangkar tidak cocok" in _one_line_error(chain("audit", "verify", "--anchor", str(genuine),
                                                                env=other_key))
    junk = _write(tmp_path, "sampah", "bukan jangkar")
    assert _one_line_error(chain("audit", "verify", "--anchor", str(junk))) == (
        f"sakip: kesalahan: {junk} baris 1 bukan jangkar jejak audit.")


def _write(tmp_path, name: str, text: str):
    path = tmp_path / f"{name}.jsonl"
    path.write_text(text + "\n")
    return path


def test_rekey_keys_a_plain_chain_once_and_then_no_plain_entry_passes(chain):
    with _as_owner(chain) as conn:  # the chain as the code wrote it before it had a key
        _recompute(conn, 1, None)
    before = chain("audit", "verify")
    assert before.returncode == 1 and "rantai belum berkunci" in _one_line_error(before)

    rekeyed = chain("audit", "rekey")
    assert rekeyed.returncode == 0, rekeyed.stderr
    assert rekeyed.stdout == (f"Rantai lama utuh ({ENTRIES} entri) dan kini dikunci oleh entri nomor "
                              f"{ENTRIES + 1}.\n")
    verified = chain("audit", "verify")
    assert verified.returncode == 0
    assert verified.stdout.splitlines()[:2] == [
        f"Jejak audit utuh: {ENTRIES + 1} entri diperiksa.",
        f"Entri 1 sampai {ENTRIES} dari rantai SHA-256 lama, tertutup oleh entri berkunci nomor {ENTRIES + 1}."]
    again = chain("audit", "rekey")
    assert again.returncode == 0 and "sudah berkunci sejak entri nomor 7; tidak ada yang diubah" in again.stdout

    with _as_owner(chain) as conn:  # a plain entry after the key
        conn.execute(sa.insert(LOG).values(seq=ENTRIES + 2, waktu=audit.utcnow(), aksi="buat", hash_sebelum="0",
                                           hash="0"))
        _recompute(conn, ENTRIES + 2, None)
    assert "entri nomor 8: tidak berkunci, padahal rantai berkunci sejak entri nomor 7" in _one_line_error(
        chain("audit", "verify"))
    with _as_owner(chain) as conn:  # the plain part rewritten: its last link no longer meets the keyed one
        conn.execute(sa.delete(LOG).where(LOG.c.seq == ENTRIES + 2))
        _edit(conn, 2)
        _recompute(conn, 2, None, until=ENTRIES)
    assert "entri nomor 7: tidak tersambung dengan entri sebelumnya" in _one_line_error(chain("audit", "verify"))


def test_rekey_refuses_a_broken_plain_chain(chain):
    with _as_owner(chain) as conn:
        _recompute(conn, 1, None)
        _edit(conn, 4)
    refused = chain("audit", "rekey")
    assert refused.returncode == 1
    assert _one_line_error(refused) == ("sakip: kesalahan: Jejak audit rusak pada entri nomor 4: isinya tidak "
                                        "cocok dengan hash-nya (diubah); rantai tidak dikunci.")
    with _as_owner(chain) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(LOG)).scalar() == ENTRIES


# -- where the key comes from ---------------------------------------------------------------------

def test_the_embedded_database_gets_a_key_of_its_own_kept_beside_it(tmp_path, monkeypatch):
    monkeypatch.delenv("SAKIP_AUDIT_KEY")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SAKIP_INSTANCE_PATH", str(tmp_path))
    first, second = create_app({"TESTING": True}), create_app({"TESTING": True})
    key_file = tmp_path / "audit_key"
    assert first.config["SAKIP_AUDIT_KEY"] == second.config["SAKIP_AUDIT_KEY"] == key_file.read_text().strip()
    assert len(key_file.read_text().strip()) == 64 and oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert first.config["SAKIP_AUDIT_KEY"] != first.config["SECRET_KEY"]


def test_the_key_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SAKIP_INSTANCE_PATH", str(tmp_path))
    assert create_app({"TESTING": True}).config["SAKIP_AUDIT_KEY"] == os.environ["SAKIP_AUDIT_KEY"]
    assert not (tmp_path / "audit_key").exists()


@pytest.mark.parametrize(("env", "message"), [
    ({"SAKIP_AUDIT_KEY": None, "SAKIP_ENV": "production"},
     "sakip: kesalahan: SAKIP_AUDIT_KEY wajib diisi bila SAKIP_ENV=production (README, Produksi)."),
    ({"SAKIP_AUDIT_KEY": "pendek"}, "sakip: kesalahan: SAKIP_AUDIT_KEY terlalu pendek: minimal 32 karakter"),
    ({"SAKIP_AUDIT_KEY": None, "DATABASE_URL": "postgresql://127.0.0.1:5432/test"},
     "sakip: kesalahan: SAKIP_AUDIT_KEY belum diisi: jejak audit tidak dapat ditulis atau diperiksa tanpa kunci"),
])
def test_without_a_usable_key_the_commands_say_so_in_one_line(tmp_path, env, message):
    run = _runner(f"sqlite:///{tmp_path / 'sakip.sqlite3'}", tmp_path)
    result = run("audit", "verify", env={k: v for k, v in {**run.env, **env}.items() if v is not None})
    assert result.returncode == 1
    assert _one_line_error(result).startswith(message)
