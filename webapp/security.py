"""Security around every request: headers, sign-in limits, session lifetimes, the security log.

* Headers (after_request, on every response, error pages included): a Content Security
  Policy without inline scripts (a per-request nonce only on the pages that carry one:
  Flask-Admin's few inline scripts; every other page allows its own files alone),
  ``frame-ancestors 'none'``, ``base-uri 'none'``, ``object-src 'none'``,
  ``form-action 'self'``; nosniff, a strict referrer policy, ``Cache-Control: no-store`` on
  what a signed-in user sees; HSTS when ``SAKIP_HSTS`` is on (the production configuration).
* Limits (the ``limits`` library's storage and strategy: Redis when ``REDIS_URL`` is set, so every
  server process counts together; memory otherwise): failed sign-ins per username at one
  address, per username from addresses it has not signed in from, and per address; failed
  second-factor codes per account. An attempt takes its place in every limit before the
  password or code is checked (one atomic hit each), so simultaneous attempts cannot all
  slip under a limit none of them has counted yet; a success gives its places back, so only
  failures count and an office of many people behind one address is not locked out by its
  own sign-ins. A stranger elsewhere exhausts only their own address's share of a username:
  the owner at an address they signed in from lately still gets in.
* Sessions: an idle and an absolute lifetime, checked where Flask-Login loads the user.
* The ``sakip.security`` logger: every sign-in attempt and every refused access. It never
  writes to the database, so a GET stays a read.
"""
from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass

from flask import Flask, current_app, g, render_template, request, session
from flask_babel import gettext as _
from limits import parse_many
from limits.storage import MemoryStorage, RedisStorage, Storage, storage_from_string
from limits.strategies import STRATEGIES, FixedWindowRateLimiter, MovingWindowRateLimiter, RateLimiter

log = logging.getLogger("sakip.security")

# Replaced in tests to move time without waiting.
clock = time.time


# -- Content Security Policy and other headers ----------------------------------------------

def csp_nonce() -> str:
    """This request's nonce for <script nonce=...> (Flask-Admin's inline scripts)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def content_security_policy(nonce: str | None) -> str:
    return "; ".join((
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'" if nonce else "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ))


def _set_headers(response):
    headers = response.headers
    # A nonce exists only if the page asked for one while it was rendered.
    headers["Content-Security-Policy"] = content_security_policy(g.get("csp_nonce"))
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
    if current_app.config.get("SAKIP_HSTS"):
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if "_user_id" in session and request.endpoint not in _STATIC:
        # What a signed-in user saw must not stay in a shared computer's cache (ASVS 8.2.1).
        headers["Cache-Control"] = "no-store"
    return response


_STATIC = frozenset({"static", "admin.static"})


# -- the security log -------------------------------------------------------------------------

def address() -> str:
    return request.remote_addr or "-"


def _who() -> str:
    from flask_login import current_user

    return current_user.username if current_user.is_authenticated else "anonim"


def log_sign_in(outcome: str, username: str, **details) -> None:
    """One line per attempt: outcome (berhasil, gagal, ...), the username typed, the address."""
    extra = "".join(f" {k}={v!r}" for k, v in details.items())
    level = logging.INFO if outcome in ("berhasil", "kode-berhasil", "keluar") else logging.WARNING
    log.log(level, "masuk %s pengguna=%r alamat=%s%s", outcome, (username or "")[:64], address(), extra)


def _log_refused(response):
    from webapp.gate import endpoint_access

    status = response.status_code
    endpoint = request.endpoint
    if endpoint in _STATIC:
        return response
    if status in (401, 403, 404, 405, 429):
        log.warning("akses ditolak status=%s pengguna=%s alamat=%s %s %s endpoint=%s",
                    status, _who(), address(), request.method, request.path[:200], endpoint)
    elif status in (301, 302, 303) and endpoint is not None and endpoint_access(endpoint) != "public" \
            and "_user_id" not in session:
        log.warning("akses ditolak status=%s pengguna=anonim alamat=%s %s %s endpoint=%s (diarahkan ke halaman masuk)",
                    status, address(), request.method, request.path[:200], endpoint)
    return response


# -- limits on failed attempts ------------------------------------------------------------------

@dataclass(frozen=True)
class Batas:
    """A named family of limits read from the configuration, e.g. "5 per minute; 20 per hour"."""

    name: str
    config_key: str


MASUK_PENGGUNA = Batas("masuk-pengguna-alamat", "SAKIP_LIMIT_SIGN_IN_USER")  # one username at one address
MASUK_PENGGUNA_ALAMAT_BARU = Batas("masuk-pengguna-alamat-baru", "SAKIP_LIMIT_SIGN_IN_USER_NEW_ADDRESS")
MASUK_ALAMAT = Batas("masuk-alamat", "SAKIP_LIMIT_SIGN_IN_ADDRESS")
KODE_PENGGUNA = Batas("kode-pengguna", "SAKIP_LIMIT_CODE_USER")

# An address an account signed in from (password and code) stays its own for this long.
KNOWN_ADDRESS_SECONDS = 30 * 24 * 3600


@dataclass
class Batasan:
    """Where the sign-in limits are counted (``storage``) and how (``limiter``, a moving window).

    The ``limits`` library itself rather than Flask-Limiter's extension: every limit here is
    taken by hand around a sign-in (``attempt``), none per route, and the extension's
    before/after/teardown hooks cost every request of the site about 3% of a small page."""

    storage: Storage
    limiter: RateLimiter

    def reset(self) -> None:
        self.storage.reset()


def limiter() -> Batasan:
    return current_app.extensions["sakip_limiter"]


def _items(batas: Batas):
    return parse_many(current_app.config[batas.config_key])


def _prefix() -> str:
    return current_app.config.get("RATELIMIT_KEY_PREFIX") or "sakip"


def _ids(batas: Batas, key: str) -> tuple[str, ...]:
    return (_prefix(), batas.name, key.casefold()[:128])


def _enabled() -> bool:
    return current_app.config.get("RATELIMIT_ENABLED", True)


def retry_after(*checks: tuple[Batas, str]) -> int | None:
    """Seconds to wait when any of (limit, key) has no failure left; None when all have."""
    if not _enabled():
        return None
    strategy = limiter().limiter
    wait = 0
    try:
        for batas, key in checks:
            for item in _items(batas):
                ids = _ids(batas, key)
                if not strategy.test(item, *ids):
                    reset = strategy.get_window_stats(item, *ids).reset_time
                    wait = max(wait, int(reset - clock()) + 1, 1)
    except Exception:  # storage unreachable: sign-in stays possible, the operator is told
        log.exception("penyimpanan batas percobaan tidak dapat dihubungi")
        return None
    return wait or None


@dataclass
class Attempt:
    """The places one attempt took in the limits, before its password or code was checked."""

    taken: list
    wait: int | None = None

    @property
    def refused(self) -> bool:
        return self.wait is not None

    def give_back(self) -> None:
        """Only failures count: a success gives its places back."""
        taken, self.taken = self.taken, []
        try:
            for item, ids in taken:
                _give_back(limiter().limiter, item, ids)
        except Exception:
            log.exception("penyimpanan batas percobaan tidak dapat dihubungi")


def attempt(*checks: tuple[Batas, str]) -> Attempt:
    """Take one place in every (limit, key) at once, before checking anything: the ``limits``
    hit is atomic (one Lua script in Redis, a lock in memory), so of many simultaneous
    attempts only as many as the limit allows go on to be checked. Refused (with the wait)
    when any limit is full; the places already taken are then given back."""
    if not _enabled():
        return Attempt([])
    strategy = limiter().limiter
    taken: list = []
    try:
        for batas, key in checks:
            for item in _items(batas):
                ids = _ids(batas, key)
                if not strategy.hit(item, *ids):
                    Attempt(taken).give_back()
                    return Attempt([], retry_after(*checks) or 1)
                taken.append((item, ids))
    except Exception:  # storage unreachable: sign-in stays possible, the operator is told
        log.exception("penyimpanan batas percobaan tidak dapat dihubungi")
        return Attempt([])
    return Attempt(taken)


def _give_back(strategy, item, ids: tuple[str, ...]) -> None:
    """Remove one entry from a limit. The ``limits`` library has no call for it; the moving window is
    a list of times (newest first) in both storages we use. Any other storage keeps the entry:
    a success then counts like a failure, which errs on the safe side."""
    storage, key = strategy.storage, item.key_for(*ids)
    if isinstance(strategy, MovingWindowRateLimiter) and isinstance(storage, RedisStorage):
        storage.get_connection().lpop(storage.prefixed_key(key))
    elif isinstance(strategy, MovingWindowRateLimiter) and isinstance(storage, MemoryStorage):
        with storage.locks[key]:
            if entries := storage.events.get(key):
                entries.pop(0)
    elif isinstance(strategy, FixedWindowRateLimiter):
        storage.incr(key, item.get_expiry(), amount=-1)


def _known_key(username: str) -> str:
    return "/".join((_prefix(), "alamat-dikenal", username.casefold()[:64], address()[:64]))


def sign_in_checks(username: str) -> tuple[tuple[Batas, str], ...]:
    """The limits a password attempt for ``username`` from this address must fit in. The
    per-username limit across addresses skips an address the account signed in from lately,
    so strangers elsewhere cannot lock its owner out (ASVS 2.2.1)."""
    here = address()
    checks = [(MASUK_ALAMAT, here), (MASUK_PENGGUNA, f"{username} {here}")]
    if not _address_known(username):
        checks.append((MASUK_PENGGUNA_ALAMAT_BARU, username))
    return tuple(checks)


def _address_known(username: str) -> bool:
    if not _enabled():
        return True
    try:
        return limiter().storage.get(_known_key(username)) > 0
    except Exception:
        log.exception("penyimpanan batas percobaan tidak dapat dihubungi")
        return False


def remember_address(username: str) -> None:
    """The account signed in from here: this address is now one of its own."""
    if not _enabled():
        return
    try:
        limiter().storage.incr(_known_key(username), KNOWN_ADDRESS_SECONDS)
    except Exception:
        log.exception("penyimpanan batas percobaan tidak dapat dihubungi")


def too_many(template: str, wait: int, **context):
    """The page refusing a limited attempt: status 429, Retry-After, an Indonesian sentence."""
    minutes = max(1, (wait + 59) // 60)
    message = _("Terlalu banyak percobaan yang gagal. Coba lagi dalam %(menit)s menit.", menit=minutes)
    return render_template(template, blocked=message, **context), 429, {"Retry-After": str(wait)}


def _rate_limited(_exc):
    return render_template("errors/error.html", code=429), 429


# -- session lifetimes ----------------------------------------------------------------------

SIGNED_IN_AT = "_sakip_t0"
LAST_SEEN = "_sakip_seen"


def start_session() -> None:
    now = int(clock())
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN] = now


def session_still_valid() -> bool:
    """False when the idle or absolute lifetime has passed; refreshes the idle clock."""
    started, seen = session.get(SIGNED_IN_AT), session.get(LAST_SEEN)
    if not isinstance(started, int) or not isinstance(seen, int):
        return False
    now = int(clock())
    config = current_app.config
    if now - started > config["SAKIP_SESSION_ABSOLUTE_SECONDS"] or now - seen > config["SAKIP_SESSION_IDLE_SECONDS"]:
        return False
    if now - seen >= 60:  # written back at most once a minute: fewer new cookies
        session[LAST_SEEN] = now
    return True


def fresh_session(keep: tuple[str, ...] = ("lang",)) -> None:
    """Empty the session except the chosen language (sign-in, sign-out, expiry)."""
    kept = {k: session[k] for k in keep if k in session}
    session.clear()
    session.update(kept)


# -- wiring ------------------------------------------------------------------------------------

def init_app(app: Flask) -> None:
    if hops := int(app.config.get("SAKIP_PROXY_HOPS") or 0):
        # Behind a load balancer: the visitor's address (limits, log) and scheme come from
        # the X-Forwarded-* headers that this many trusted proxies set.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    storage = storage_from_string(app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    strategy = STRATEGIES[app.config.get("RATELIMIT_STRATEGY", "moving-window")](storage)
    app.extensions["sakip_limiter"] = Batasan(storage, strategy)
    app.after_request(_log_refused)
    app.after_request(_set_headers)
    app.register_error_handler(429, _rate_limited)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
