"""Benchmark: the memory an evidence upload and its download take (issue 17, point 7).

    .venv/bin/python bench/bukti_upload.py [--mb 20] [--database-url URL]

A PDF of ``--mb`` MB (one page whose content stream is long, as a scan's is; just under
the 20 MB limit by default) is uploaded by Kota Batu's Ketua to a cell of a signed PK
through the app (Flask test client, the whole request: multipart parsing, the checks,
the chunks written to the database), then downloaded and read chunk by chunk. For each it
prints the extra peak of Python's allocations (tracemalloc) and of the process's resident
memory (VmHWM after resetting it through /proc/self/clear_refs), against the 50 MB the
issue allows, and the SHA-256 shown against the file's own.

A throw-away SQLite database by default; ``--database-url`` (an empty PostgreSQL schema,
e.g. ``postgresql://127.0.0.1/test?options=-csearch_path%3Dbench``) runs it there.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import tempfile
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import PASSWORD, kantor  # noqa: E402

MB = 1024 * 1024


def pdf_besar(path: Path, mb: float) -> None:
    """A valid one-page PDF of about ``mb`` MB written to ``path`` in 1 MB pieces (so that
    making it does not raise this process's memory before the measurement): its page's
    content stream is a long comment of random hex, as incompressible as a scan."""
    panjang = int(mb * MB) - 1024
    objek = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
             b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"]
    letak = []
    with path.open("wb") as out:
        out.write(b"%PDF-1.4\n")
        for n, badan in enumerate(objek, start=1):
            letak.append(out.tell())
            out.write(b"%d 0 obj\n" % n + badan + b"\nendobj\n")
        letak.append(out.tell())
        out.write(b"4 0 obj\n<< /Length %d >>\nstream\n%%" % (panjang + 1))
        sisa = panjang - 1
        while sisa > 0:
            potongan = os.urandom(min(sisa, MB) // 2 + 1).hex().encode()[: min(sisa, MB)]
            out.write(potongan)
            sisa -= len(potongan)
        out.write(b"\n\nendstream\nendobj\n")
        xref = out.tell()
        out.write(b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % p for p in letak))
        out.write(b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)


def sha256_berkas(path: Path) -> str:
    hash_ = hashlib.sha256()
    with path.open("rb") as berkas:
        while potongan := berkas.read(MB):
            hash_.update(potongan)
    return hash_.hexdigest()


def rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM (Linux)
    except OSError:
        pass


class Ukur:
    """Extra peak memory of a block: tracemalloc's peak, and VmHWM above VmRSS at its start."""

    def __enter__(self):
        reset_peak()
        self.rss0 = rss_kb("VmRSS")
        tracemalloc.start()
        return self

    def __exit__(self, *exc):
        _now, self.py_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.rss_extra = max(0, rss_kb("VmHWM") - self.rss0) * 1024

    def teks(self) -> str:
        return f"python peak +{self.py_peak / MB:5.1f} MB, RSS peak +{self.rss_extra / MB:5.1f} MB"


def pk_ditandatangani(session, ketua):
    from workflow.dokumen import operations
    from workflow.dokumen.models import JenisDokumen
    from workflow.target import Polaritas

    pk = operations.buat_dokumen(session, ketua.satker, 2024, JenisDokumen.PK_KOMISI, ketua)
    sasaran = operations.simpan_sasaran(session, pk, ketua, "Meningkatnya partisipasi pemilih")
    indikator = operations.simpan_indikator(session, pk, ketua, sasaran.kunci, "Persentase partisipasi", "80%",
                                            Polaritas.NAIK)
    operations.ajukan(session, pk, ketua)
    operations.tandatangani(session, pk, ketua)
    session.commit()
    return pk.id, indikator.kunci


def masuk(client, username: str) -> None:
    page = client.get("/masuk").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/masuk", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.status_code


def siapkan(app) -> tuple[int, str, str]:
    """Kota Batu's Ketua with a signed PK: (document id, indikator kunci, username)."""
    from tenants.db import db

    with app.app_context():
        ketua = kantor(db.session, "ketua")["ketua"]
        dokumen_id, kunci = pk_ditandatangani(db.session, ketua)
        username = ketua.username
        db.session.remove()
    return dokumen_id, kunci, username


def jalankan(app, mb: float) -> int:
    # Requests run outside any app context of ours, each in its own (as on a server).
    dokumen_id, kunci, username = siapkan(app)
    client = app.test_client()
    masuk(client, username)
    sel = f"/dokumen/{dokumen_id}/bukti?kunci={kunci}&periode=1"
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(sel).text).group(1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pindaian.pdf"
        pdf_besar(path, mb)
        ukuran, sha = path.stat().st_size, sha256_berkas(path)
        with path.open("rb") as berkas, Ukur() as naik:
            response = client.post(f"/dokumen/{dokumen_id}/bukti", data={
                "csrf_token": token, "kunci": kunci, "periode": "1", "berkas": (berkas, "pindaian.pdf")})
        with Ukur() as kontrol:  # the instrument sees a file held whole: what the app must not do
            whole = path.read_bytes()
            del whole
    print(f"control: reading the file whole: {kontrol.teks()}")
    print(f"upload   {ukuran / MB:5.1f} MB: answer {response.status_code}, {naik.teks()}")
    page = client.get(sel).text
    found = re.search(r'href="(/dokumen/\d+/bukti/(\d+))"', page)
    if response.status_code != 302 or found is None:
        print("nothing stored:", re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))[-600:])
        return 1
    shown = re.search(r'data-testid="sha256">([0-9a-f]{64})<', page).group(1)
    with Ukur() as turun:
        response = client.get(found.group(1))
        hash_, n = hashlib.sha256(), 0
        for potongan in response.response:
            hash_.update(potongan)
            n += 1
        response.close()
    print(f"download {ukuran / MB:5.1f} MB in {n} chunks: {turun.teks()}")
    print(f"SHA-256 shown {shown}\n      file's  {sha}\n      sent    {hash_.hexdigest()}")
    extra = max(naik.py_peak, naik.rss_extra, turun.py_peak, turun.rss_extra)
    ok = extra < 50 * MB and shown == sha == hash_.hexdigest()
    print("within 50 MB of extra memory, hashes agree" if ok else "OVER 50 MB or hashes differ")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=19.9)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    os.environ.setdefault("SAKIP_AUDIT_KEY", "kunci-audit-bench-bukan-untuk-produksi-0123456789")
    with tempfile.TemporaryDirectory(prefix="sakip-bench-") as tmp:
        os.environ["SAKIP_INSTANCE_PATH"] = tmp
        from flask_migrate import upgrade

        from tenants.db import db
        from webapp import create_app

        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade()
        try:
            return jalankan(app, args.mb)
        finally:
            with app.app_context():
                db.engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
