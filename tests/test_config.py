"""Configuration: SQLite by default, DATABASE_URL for PostgreSQL, a secret key never in the code."""
import stat

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
