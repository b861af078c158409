"""Configuration: SQLite under instance/ by default, DATABASE_URL for PostgreSQL."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def instance_path() -> Path:
    return Path(os.environ.get("SAKIP_INSTANCE_PATH", PROJECT_ROOT / "instance")).resolve()


def normalise_database_url(url: str) -> str:
    """Accept the usual postgres:// spellings and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def secret_key(instance: Path) -> str:
    """SECRET_KEY from the environment, or one generated once and kept in instance/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    return _generated_key(instance / "secret_key")


class ConfigurationError(ValueError):
    """A setting the app cannot start with; the message is for the operator."""


AUDIT_KEY_MIN = 32


def audit_key(instance: Path, database_url: str) -> str | None:
    """SAKIP_AUDIT_KEY, the audit chain's key (workflow.audit): from the environment; for
    the embedded SQLite database outside production, one generated once into instance/
    beside it; else None, and writing or checking the chain says it is missing.

    Production refuses to start without it: servers that generated keys of their own
    would each write links the others cannot check."""
    if key := os.environ.get("SAKIP_AUDIT_KEY"):
        if len(key) < AUDIT_KEY_MIN:
            raise ConfigurationError(f"SAKIP_AUDIT_KEY terlalu pendek: minimal {AUDIT_KEY_MIN} karakter "
                                     "(buat dengan: python3 -c 'import secrets; print(secrets.token_hex(32))').")
        return key
    if production():
        raise ConfigurationError("SAKIP_AUDIT_KEY wajib diisi bila SAKIP_ENV=production (README, Produksi).")
    if not database_url.startswith("sqlite"):
        return None
    return _generated_key(instance / "audit_key")


def _generated_key(key_file: Path) -> str:
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def default_config(instance: Path) -> dict:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'sakip.sqlite3'}"
    return {
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
        # The audit chain's HMAC key (workflow.audit), never stored in the database.
        "SAKIP_AUDIT_KEY": audit_key(instance, url),
        # PostgreSQL's row-level security gets the user's offices per transaction
        # (webapp.rls); it binds when the app connects as a role that does not own the tables.
        "SAKIP_RLS": os.environ.get("SAKIP_RLS", "1") != "0",
        # No pool_pre_ping: tenants.db.ping_when_idle pings only connections left idle.
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "LANGUAGES": {"id": "Bahasa Indonesia", "en": "English"},
        "FLASK_ADMIN_FLUID_LAYOUT": True,
        # Requests as large as the import accepts (a 5 MB file, a long pasted table) and no
        # larger: Werkzeug refuses the rest with 413 before reading it.
        "MAX_CONTENT_LENGTH": 6 * 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 4 * 1024 * 1024,
        # The address printed on signed paper (QR code, verify link), e.g. https://sakip.kpu.go.id
        "PUBLIC_BASE_URL": os.environ.get("SAKIP_PUBLIC_URL"),
        # PDFs are laid out in a separate process this much nicer than the server's, so that
        # on busy cores the heavy layout runs behind the page views; 0 (or off): in the
        # request's own process.
        "SAKIP_PDF_NICE": pdf_nice(os.environ.get("SAKIP_PDF_NICE", "10")),
        # Seconds a renderer may take over one PDF before it is stopped and the download
        # answers 503: well inside gunicorn's timeout, so a layout that never ends costs
        # one download, not the worker and every request it holds.
        "SAKIP_PDF_TIMEOUT": pdf_timeout(os.environ.get("SAKIP_PDF_TIMEOUT", "30")),
        **security_config(),
        **cache_config(),
        **smtp_config(),
        **bukti_config(),
    }


def bukti_config() -> dict:
    """Evidence files (webapp/bukti.py): the largest accepted, and where new ones are kept:
    the database (default), or a directory every app server mounts (SAKIP_BUKTI_DIR)."""
    return {
        "SAKIP_BUKTI_MAX_MB": int(os.environ.get("SAKIP_BUKTI_MAX_MB", "20")),
        "SAKIP_BUKTI_DIR": os.environ.get("SAKIP_BUKTI_DIR") or None,
    }


def smtp_config() -> dict:
    """The mail server the worker (`sakip worker`) sends notifications through; no host:
    e-mail is off on this server, notifications show in the app only."""
    return {
        "SAKIP_SMTP_HOST": os.environ.get("SAKIP_SMTP_HOST") or None,
        "SAKIP_SMTP_PORT": int(os.environ.get("SAKIP_SMTP_PORT", "587")),
        "SAKIP_SMTP_USER": os.environ.get("SAKIP_SMTP_USER") or None,
        "SAKIP_SMTP_PASSWORD": os.environ.get("SAKIP_SMTP_PASSWORD") or None,
        "SAKIP_SMTP_FROM": os.environ.get("SAKIP_SMTP_FROM", "SAKIP KPU <sakip@localhost>"),
        "SAKIP_SMTP_STARTTLS": os.environ.get("SAKIP_SMTP_STARTTLS", "1").strip().lower() not in ("0", "off", "false"),
        # Attempts before a message is given up (shown as failed); waits double from one minute.
        "SAKIP_SMTP_MAX_ATTEMPTS": int(os.environ.get("SAKIP_SMTP_MAX_ATTEMPTS", "8")),
        # The hour (office time, Asia/Jakarta) `sakip worker` queues the daily digests.
        "SAKIP_DIGEST_HOUR": int(os.environ.get("SAKIP_DIGEST_HOUR", "7")),
    }


def pdf_nice(value: str) -> int:
    return 0 if value.strip().lower() in ("", "0", "off") else int(value)


def pdf_timeout(value: str) -> float | None:
    """Seconds; 0, off or empty: no limit (as SAKIP_PDF_NICE=0 means no renderer)."""
    seconds = 0.0 if value.strip().lower() in ("", "off") else float(value)
    return seconds if seconds > 0 else None


def cache_config() -> dict:
    """Finished PDFs (webapp.pdf), keyed by their HTML: shared in Redis by every app
    server when REDIS_URL is set, else each process keeps its last few."""
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": redis_url, "CACHE_KEY_PREFIX": "sakip:",
                "CACHE_DEFAULT_TIMEOUT": 24 * 3600}
    return {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": 64, "CACHE_DEFAULT_TIMEOUT": 24 * 3600}


def production() -> bool:
    return os.environ.get("SAKIP_ENV", "development").strip().lower() == "production"


def security_config() -> dict:
    """Accounts and sessions (webapp.security); SAKIP_ENV=production adds HTTPS-only settings."""
    redis_url = os.environ.get("REDIS_URL")
    settings = {
        # Failed attempts allowed before a 429 (limits syntax). Redis makes every server
        # process count together; memory:// counts per process.
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_STRATEGY": "moving-window",
        "RATELIMIT_KEY_PREFIX": os.environ.get("SAKIP_RATELIMIT_PREFIX", "sakip"),
        "SAKIP_LIMIT_SIGN_IN_USER": os.environ.get("SAKIP_LIMIT_SIGN_IN_USER", "5 per minute; 20 per hour"),
        # Per username from every address it has not signed in from lately (webapp.security):
        # with the 20 an hour at its own address, at most 100 failures an hour (ASVS 2.2.1).
        "SAKIP_LIMIT_SIGN_IN_USER_NEW_ADDRESS": os.environ.get("SAKIP_LIMIT_SIGN_IN_USER_NEW_ADDRESS",
                                                               "30 per minute; 80 per hour"),
        "SAKIP_LIMIT_SIGN_IN_ADDRESS": os.environ.get("SAKIP_LIMIT_SIGN_IN_ADDRESS", "30 per minute; 200 per hour"),
        "SAKIP_LIMIT_CODE_USER": os.environ.get("SAKIP_LIMIT_CODE_USER", "5 per minute; 20 per hour"),
        # A session ends after this long without a request, and this long after sign-in.
        "SAKIP_SESSION_IDLE_SECONDS": int(os.environ.get("SAKIP_SESSION_IDLE_MINUTES", "30")) * 60,
        "SAKIP_SESSION_ABSOLUTE_SECONDS": int(os.environ.get("SAKIP_SESSION_ABSOLUTE_HOURS", "12")) * 3600,
        # Sign-in by password and code only: no long-lived "remember me" cookie is issued.
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "SAKIP_HSTS": False,
        # Trusted reverse proxies in front of the app (X-Forwarded-For/-Proto/-Host), 0 = none.
        "SAKIP_PROXY_HOPS": int(os.environ.get("SAKIP_PROXY_HOPS", "0")),
    }
    if production():
        # Served over HTTPS only: cookies bound to this exact host (__Host-), never sent
        # in clear, and browsers told to use HTTPS from now on.
        settings.update({
            "SESSION_COOKIE_NAME": "__Host-sakip",
            "SESSION_COOKIE_SECURE": True,
            "SESSION_COOKIE_PATH": "/",
            "SESSION_COOKIE_DOMAIN": None,
            "REMEMBER_COOKIE_NAME": "__Host-remember",
            "REMEMBER_COOKIE_SECURE": True,
            "REMEMBER_COOKIE_PATH": "/",
            "PREFERRED_URL_SCHEME": "https",
            "SAKIP_HSTS": True,
        })
    return settings
