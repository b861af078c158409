"""Configuration: SQLite by default, DATABASE_URL for PostgreSQL, a secret key never in the code."""
import stat
from pathlib import Path

import pytest

from webapp import config, create_app


def test_the_secret_key_is_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)

    first = config.secret_key(tmp_path)
    second = config.secret_key(tmp_path)

    assert first == second and len(first) == 64
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_the_secret_key_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "dari-lingkungan")
    assert config.secret_key(tmp_path) == "dari-lingkungan"
    assert not (tmp_path / "secret_key").exists()


def test_sqlite_under_instance_by_default_and_postgresql_by_database_url(tmp_path, monkeypatch):
    monkeypatch.setenv("SAKIP_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert create_app().config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'sakip.sqlite3'}"

    monkeypatch.setenv("DATABASE_URL", "postgresql://127.0.0.1:5432/sakip")
    assert create_app().config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://127.0.0.1:5432/sakip"
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db/sakip")
    assert create_app().config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/sakip"


def _gunicorn_settings():
    """gunicorn.conf.py as gunicorn itself reads it."""
    from gunicorn.app.base import Application

    class Settings(Application):
        def load_config(self):
            self.load_config_from_file(str(Path(__file__).resolve().parents[1] / "gunicorn.conf.py"))

        def init(self, parser, opts, args):
            return None

        def load(self):
            return None

    return Settings().cfg


def test_two_app_servers_on_one_machine_do_not_share_a_control_socket(monkeypatch, tmp_path):
    """gunicorn 25+ opens ~/.gunicorn/gunicorn.ctl by default: a second server on the same
    machine (README, "Produksi") failed to bind it and logged an error. Off unless a path of
    the server's own is given."""
    monkeypatch.delenv("SAKIP_CONTROL_SOCKET", raising=False)
    assert _gunicorn_settings().control_socket_disable is True
    monkeypatch.setenv("SAKIP_CONTROL_SOCKET", str(tmp_path / "app1.ctl"))
    settings = _gunicorn_settings()
    assert settings.control_socket_disable is False and settings.control_socket == str(tmp_path / "app1.ctl")


@pytest.mark.parametrize("nice", [10, 0])
def test_a_gunicorn_worker_starts_its_pdf_renderer_before_its_first_request(app, monkeypatch, nice):
    """post_worker_init starts the worker's renderer (at its lower priority) so that the first
    download after a worker (re)starts does not pay for WeasyPrint's start; with the renderer
    off (SAKIP_PDF_NICE=0) nothing is started."""
    import os
    from types import SimpleNamespace

    from webapp import pdf_pool

    if nice and os.getpriority(os.PRIO_PROCESS, 0) >= 19:
        pytest.skip("this process already runs at the lowest priority: nothing can be nicer")
    monkeypatch.setitem(app.config, "SAKIP_PDF_NICE", nice)
    monkeypatch.setattr(pdf_pool, "_renderer", None)
    monkeypatch.setattr("gc.freeze", lambda: None)  # the test process's objects stay collectable
    _gunicorn_settings().post_worker_init(SimpleNamespace(wsgi=app))
    if not nice:
        assert pdf_pool._renderer is None
        return
    started = pdf_pool._renderer
    assert started is not None and started[0] == (os.getpid(), nice)
    with app.app_context():
        about = pdf_pool.renderer_about()
    assert pdf_pool._renderer is started, "the same renderer serves the first download"
    assert about["pid"] != os.getpid() and about["nice"] > os.getpriority(os.PRIO_PROCESS, 0)
    started[1].shutdown(wait=True)
