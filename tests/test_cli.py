"""The sakip console script, run as an administrator would run it."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

SAKIP = str(Path(sys.executable).with_name("sakip"))


def _runner(database_url: str, instance: Path):
    env = {**os.environ, "DATABASE_URL": database_url, "SAKIP_INSTANCE_PATH": str(instance)}

    def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run([SAKIP, *args], **{"env": env, **kwargs}, capture_output=True, text=True,
                              timeout=120)

    run.env = env
    return run


@pytest.fixture
def sakip(backend, fresh_database_url, tmp_path):
    return _runner(fresh_database_url(backend), tmp_path)


@pytest.fixture(scope="module")
def sakip_with_demo(backend, fresh_database_url, tmp_path_factory):
    """One demo database per backend for the refusals, which change nothing."""
    run = _runner(fresh_database_url(backend), tmp_path_factory.mktemp("instance"))
    assert run("demo").returncode == 0
    return run


def _one_line_error(result) -> str:
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("INFO")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_init_twice_changes_nothing_and_demo_creates_the_accounts(sakip):
    first, second = sakip("init"), sakip("init")
    assert first.returncode == 0 and "553 dibuat" in first.stdout
    assert second.returncode == 0 and "0 dibuat, 0 diperbarui, 553 tetap" in second.stdout

    demo = sakip("demo")
    assert demo.returncode == 0
    for username in ("admin.ri", "reviewer.jatim", "reviewer.bali", "reviewer.kalsel", "reviewer.kalbar",
                     "batu.ketua", "batu.sekretaris", "balangan.rendatin", "kuburaya.hukum"):
        assert f"{username} " in demo.stdout
    assert "Demo-SAKIP-2024" in demo.stdout
    assert "(baru)" not in sakip("demo").stdout  # a second run creates nothing


def test_user_add_grant_revoke(sakip):
    assert sakip("init").returncode == 0
    added = sakip("user", "add", "Batu.Planner", "--name", "Perencana Batu", "--satker", "35.79")
    assert added.returncode == 0 and "batu.planner" in added.stdout and "Kata sandi awal:" in added.stdout

    granted = sakip("user", "grant", "batu.planner", "--satker", "35.79", "--role", "subbag", "--subbagian", "rendatin")
    assert granted.returncode == 0 and "Subbagian Perencanaan, Data dan Informasi - KPU Kota Batu" in granted.stdout

    revoked = sakip("user", "revoke", "batu.planner", "--satker", "35.79", "--role", "subbag")
    assert revoked.returncode == 0 and "1 keanggotaan dicabut" in revoked.stdout
    assert "tidak memiliki peran" in _one_line_error(sakip("user", "revoke", "batu.planner", "--satker", "35.79", "--role", "subbag"))


@pytest.mark.parametrize(("args", "message"), [
    (("user", "add", "x.y", "--name", "X", "--satker", "99.99"), "Kode satker tidak dikenal: 99.99"),
    (("user", "grant", "nobody", "--satker", "35", "--role", "ketua"), "Pengguna tidak dikenal: nobody"),
    (("user", "grant", "admin.ri", "--satker", "35", "--role", "raja"), "'raja' is not one of"),
    (("user", "grant", "admin.ri", "--satker", "35.79", "--role", "reviewer"), "Reviewer hanya di KPU Provinsi"),
    (("user", "grant", "admin.ri", "--satker", "35.79", "--role", "anggota"), "Anggota harus memiliki divisi."),
    (("user", "add", "admin.ri", "--name", "X", "--satker", "RI"), "Nama pengguna sudah dipakai: admin.ri"),
    (("user", "add", "z.z", "--name", "X", "--satker", "RI", "--password", "pendek"), "minimal 8 karakter"),
    (("user", "add"), "Missing argument"),
    (("user", "add", "n.long", "--name", "N" * 121, "--satker", "RI"), "paling banyak 120 karakter"),
    (("tidak-ada",), "No such command"),
])
def test_bad_input_gives_one_line_and_a_non_zero_exit(sakip_with_demo, args, message):
    assert message in _one_line_error(sakip_with_demo(*args))



# Every command, as `.venv/bin/sakip` exits for the shell (a nightly cron, a deploy script):
# 0 when it did its work, 1 when it refused or found a problem, 2 for a malformed command
# line. In order: later rows use what earlier ones made ({tmp}: the test's folder).
EXIT_STATUSES = [
    (("--help",), 0, "Commands:"),
    (("routes",), 0, "dokumen"),
    (("tidak-ada",), 2, "No such command"),
    (("init",), 0, "553 tetap"),
    (("demo",), 0, "Akun demo"),
    (("demo-kode",), 0, "berlaku"),
    (("demo-kode", "lebih"), 2, "unexpected extra argument"),
    (("serve", "--port", "lima"), 2, "is not a valid integer"),
    (("check",), 0, "0 masalah."),
    (("check", "--anchor", "{tmp}/tidak-ada.jsonl"), 2, "does not exist"),
    (("audit", "verify"), 0, "Jejak audit utuh"),
    (("audit", "anchor"), 0, '"jangkar_audit":1'),
    (("audit", "rekey"), 0, "sudah berkunci sejak entri nomor 1"),
    (("audit", "verify", "--anchor", "{tmp}/tidak-ada.jsonl"), 2, "does not exist"),
    (("export", "rak_sekretariat", "--satker", "35.79", "--year", "2024", "-o", "{tmp}/rak.xlsx"), 0, "rak.xlsx"),
    (("export", "rak_tahunan", "--satker", "35.79", "--year", "2024", "-o", "{tmp}/x.xlsx"), 1, "rak_tahunan"),
    (("import", "rak_sekretariat", "{tmp}/rak.xlsx", "--satker", "35.79", "--year", "2024", "--dry-run"), 0,
     "Tidak ada perubahan."),
    (("import", "rak_sekretariat", "{tmp}/rak.xlsx", "--satker", "63.11", "--year", "2024", "--dry-run"), 1,
     "Balangan"),
    (("import", "rak_sekretariat", "{tmp}/tidak-ada.xlsx", "--satker", "35.79", "--year", "2024"), 2,
     "does not exist"),
    (("cascade", "--satker", "35", "--year", "2024"), 0, "indikator ditambahkan"),
    (("cascade", "--satker", "RI", "--year", "2024"), 1, "pk_komisi RI tahun 2024 tidak ada."),
    (("user", "add", "keluar.uji", "--name", "Uji Keluar", "--satker", "35.79"), 0, "Kata sandi awal:"),
    (("user", "add", "keluar.uji", "--name", "Uji Keluar", "--satker", "35.79"), 1, "sudah dipakai"),
    (("user", "grant", "keluar.uji", "--satker", "35.79", "--role", "subbag", "--subbagian", "kul"), 0, "keluar.uji"),
    (("user", "grant", "keluar.uji", "--satker", "35.79", "--role", "raja"), 2, "'raja' is not one of"),
    (("user", "revoke", "keluar.uji", "--satker", "35.79", "--role", "subbag"), 0, "1 keanggotaan dicabut"),
    (("user", "revoke", "keluar.uji", "--satker", "35.79", "--role", "subbag"), 1, "tidak memiliki peran"),
    (("user", "disable", "keluar.uji"), 0, "dinonaktifkan"),
    (("user", "disable", "tidak.ada"), 1, "Pengguna tidak dikenal"),
    (("user", "enable", "keluar.uji"), 0, "diaktifkan"),
    (("user", "enable", "tidak.ada"), 1, "Pengguna tidak dikenal"),
    (("backup", "{tmp}/cadangan.db"), 0, "Cadangan tersimpan"),
    (("backup", "{tmp}/cadangan.db"), 1, "sudah ada"),
    (("restore", "{tmp}/cadangan.db"), 1, "tidak kosong"),
    (("db", "app-role", "sakip_app"), 1, "row-level security hanya ada di PostgreSQL"),
    (("generate", "--year", "2025", "--rak-rows", "0"), 2, "not in the range"),
]


def test_every_command_exits_0_when_done_1_when_refused_2_when_malformed(sakip_with_demo, backend, tmp_path,
                                                                          fresh_database_url):
    if backend != "sqlite":
        pytest.skip("exit statuses are the command line's: PostgreSQL runs the rows that differ there "
                    "(test_app_role_and_check_exit_0_on_postgresql; tests/test_backup.py restores there)")
    seen, wanted = [], []
    for args, status, words in EXIT_STATUSES:
        args = [a.format(tmp=tmp_path) for a in args]
        result = sakip_with_demo(*args)
        seen.append((" ".join(args), result.returncode, words in result.stdout + result.stderr))
        wanted.append((" ".join(args), status, True))
    assert seen == wanted

    restored = _runner(fresh_database_url(backend), tmp_path / "lain")("restore", str(tmp_path / "cadangan.db"))
    assert restored.returncode == 0 and "jejak audit utuh" in restored.stdout, restored.stderr
    generated = _runner(fresh_database_url(backend), tmp_path / "lain")("generate", "--year", "2025", "--rak-rows", "1")
    assert generated.returncode == 0 and "553 satker" in generated.stdout, generated.stderr
    assert "552 evaluasi AKIP baru" in generated.stdout


def test_app_role_and_check_exit_0_on_postgresql(sakip_with_demo, backend):
    if backend != "postgresql":
        pytest.skip("PostgreSQL only")
    import uuid

    import sqlalchemy as sa
    from sqlalchemy.pool import NullPool

    from webapp.config import normalise_database_url

    role = f"sakip_keluar_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(normalise_database_url(sakip_with_demo.env["DATABASE_URL"]), poolclass=NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
    try:
        granted = sakip_with_demo("db", "app-role", role)
        assert granted.returncode == 0 and f"Peran {role} boleh membaca" in granted.stdout, granted.stderr
        assert sakip_with_demo("db", "app-role", "bukan-nama;").returncode == 1
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
            conn.exec_driver_sql(f'DROP ROLE "{role}"')
        engine.dispose()
    checked = sakip_with_demo("check")
    assert checked.returncode == 0 and checked.stdout.endswith("0 masalah.\n")


def test_serve_answers_on_the_port_it_was_given(sakip):
    assert sakip("init").returncode == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([SAKIP, "serve", "--port", str(port)], env=sakip.env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/masuk", timeout=2) as response:
                    assert response.status == 200 and "Masuk ke SAKIP KPU" in response.read().decode()
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("sakip serve did not answer within 20 s")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_command_before_init_says_so_in_one_line(sakip):
    assert "sakip init" in _one_line_error(sakip("user", "add", "a.b", "--name", "A", "--satker", "RI"))


def _alter_audit_entry_by_hand(database_url: str, aksi: str) -> int:
    """What a person with database access would do: lift the guard, rewrite a reason."""
    import sqlite3

    import sqlalchemy as sa
    from sqlalchemy.pool import NullPool

    from webapp.config import normalise_database_url

    url = sa.make_url(normalise_database_url(database_url))
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(url.database) as connection:
            seq = connection.execute("SELECT min(seq) FROM audit_log WHERE aksi = ?", (aksi,)).fetchone()[0]
            connection.execute("DROP TRIGGER audit_log_hanya_tambah_update")
            connection.execute("UPDATE audit_log SET alasan = 'diubah tangan' WHERE seq = ?", (seq,))
        connection.close()
        return seq
    engine = sa.create_engine(url, poolclass=NullPool)
    with engine.begin() as connection:
        seq = connection.execute(sa.text("SELECT min(seq) FROM audit_log WHERE aksi = :aksi"), {"aksi": aksi}).scalar()
        connection.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_hanya_tambah")
        connection.execute(sa.text("UPDATE audit_log SET alasan = 'diubah tangan' WHERE seq = :seq"), {"seq": seq})
    engine.dispose()
    return seq


def test_demo_loads_the_documents_and_audit_verify_names_an_altered_entry(sakip):
    import re

    demo = sakip("demo")
    assert demo.returncode == 0, demo.stderr
    assert ("KPU Kota Batu - RAK Komisioner: Draf, Revisi ke-1, total biaya Rp 10.962.494.100 (baru); peringatan: "
            "Jumlah anggaran program Rp 19.527.520.000 kurang dari pagu Rp 20.999.655.000: selisih Rp 1.472.135.000."
            ) in demo.stdout
    assert "KPU Kota Batu - RAK Sekretariat: Draf, Revisi ke-0, total biaya Rp 15.556.432.100 (baru)" in demo.stdout
    assert "KPU Kabupaten Balangan - PK Komisi: Disetujui, Revisi ke-0 (baru)" in demo.stdout
    assert "KPU Kabupaten Balangan - PK Sekretariat: Ditandatangani, Revisi ke-0 (baru)" in demo.stdout

    verified = sakip("audit", "verify")
    assert verified.returncode == 0, verified.stderr
    checked = re.fullmatch(r"Jejak audit utuh: (\d+) entri diperiksa\.\nHash entri terakhir: ([0-9a-f]{64}) .*\n",
                           verified.stdout)
    assert checked and int(checked[1]) > 0

    again = sakip("demo")
    assert again.returncode == 0 and "(baru)" not in again.stdout
    assert "KPU Kabupaten Balangan - RKT Komisi: Diajukan, Revisi ke-0 (sudah ada)" in again.stdout
    assert sakip("audit", "verify").stdout == verified.stdout, "a second demo run writes nothing"

    assert sakip("check").returncode == 0
    seq = _alter_audit_entry_by_hand(sakip.env["DATABASE_URL"], "send_back")
    broken = sakip("audit", "verify")
    assert broken.returncode == 1
    assert _one_line_error(broken) == (
        f"sakip: kesalahan: Jejak audit rusak pada entri nomor {seq}: isinya tidak cocok dengan hash-nya (diubah)")
    # The nightly check (README, Produksi) alarms: its problems on stdout, exit 1.
    checked = sakip("check")
    assert checked.returncode == 1, checked.stdout
    assert checked.stdout.splitlines()[-2:] == [
        f"Jejak audit rusak pada entri nomor {seq}: isinya tidak cocok dengan hash-nya (diubah).", "1 masalah."]
