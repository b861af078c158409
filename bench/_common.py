"""What the RAK benchmarks share (``diff_rak``, ``import_rak``): an app on a throw-away
database; KPU RI, Jawa Timur and Kota Batu with the bench accounts; a RAK Sekretariat
draft with its header."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager

PASSWORD = "Bench-Rahasia-2024!"


@contextmanager
def app_sementara():
    """The app on a throw-away SQLite database, migrated, in its app context: yields the
    session. The database and the instance folder go afterwards."""
    with tempfile.TemporaryDirectory(prefix="sakip-bench-") as tmp:
        os.environ["SAKIP_INSTANCE_PATH"] = tmp  # never touch the project's instance/
        from flask_migrate import upgrade

        from tenants.db import db
        from webapp import create_app

        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3", "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade()
            yield db.session
            db.session.remove()
            db.engine.dispose()


def kantor(session, *peran: str) -> dict:
    """The three offices and one account per role named (``sekretaris``, ``ketua``: Kota
    Batu's; ``reviewer``: Jawa Timur's), committed: {role: User}."""
    from tenants.accounts import create_user, grant
    from tenants.hierarchy import Office, load_hierarchy
    from tenants.people import Peran
    from tenants.satker import Satker, Tingkat

    load_hierarchy(session, [
        Office("RI", "KPU RI", Tingkat.PUSAT, None),
        Office("35", "KPU Provinsi Jawa Timur", Tingkat.PROVINSI, "RI"),
        Office("35.79", "KPU Kota Batu", Tingkat.KABKOTA, "35"),
    ])
    satker = {s.kode: s for s in session.query(Satker)}
    akun = {}
    for nama in peran:
        kantor_akun = satker["35" if nama == "reviewer" else "35.79"]
        akun[nama] = create_user(session, f"bench.{nama}", f"{nama.capitalize()} Bench", kantor_akun, PASSWORD)
        grant(session, akun[nama], kantor_akun, Peran(nama))
    session.commit()
    return akun


def rak_draf(session, sekretaris):
    """Kota Batu's RAK Sekretariat 2024, a draft with its place and pagu."""
    from workflow.dokumen import operations
    from workflow.dokumen.models import JenisDokumen
    from workflow.dokumen.operations import Kepala

    dokumen = operations.buat_dokumen(session, sekretaris.satker, 2024, JenisDokumen.RAK_SEKRETARIAT, sekretaris)
    operations.ubah_kepala(session, dokumen, sekretaris, Kepala(tempat="Batu", pagu=20_999_655_000), versi=None)
    return dokumen


def app_nasional(database_url: str | None):
    """The app on ``database_url`` (a throw-away SQLite file without one), migrated, with the
    553 offices loaded: the national benchmarks' start. An audit key from the environment or
    a fresh one (PostgreSQL needs one)."""
    import secrets
    from pathlib import Path

    from flask_migrate import upgrade

    from tenants.db import db
    from tenants.hierarchy import load_hierarchy
    from webapp import create_app

    url = database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "SAKIP_AUDIT_KEY": os.environ.get("SAKIP_AUDIT_KEY") or secrets.token_hex(32)})
    with app.app_context():
        upgrade()
        load_hierarchy(db.session)
        db.session.commit()
    return app
