"""gunicorn settings for production (README, "Produksi").

    gunicorn -c gunicorn.conf.py 'webapp:create_app()'

Every value can be overridden on the command line (``-w 8 -b 0.0.0.0:8000``) or through
the environment variables below. Each worker is a separate process with its own
database connection pool; they share nothing but the database (and Redis for the
sign-in rate limits), so workers and whole app servers can be added behind a load
balancer freely.
"""
import gc
import multiprocessing
import os

# Where to listen. Behind nginx on the same machine keep 127.0.0.1; an app server that a
# load balancer on another machine reaches listens on its private address.
bind = os.environ.get("SAKIP_BIND", "127.0.0.1:8000")

# The pages spend most of their time in Python (templates, the ORM), so processes, not
# threads, use the cores: two per core, each with a few threads to overlap waiting on
# PostgreSQL and on slow clients. WEB_CONCURRENCY is gunicorn's own variable.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = int(os.environ.get("SAKIP_THREADS", 2))

# A PDF of a long RAK takes a few seconds; nothing takes half a minute.
timeout = int(os.environ.get("SAKIP_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then (a slow leak in a library never grows without bound); the
# jitter keeps them from restarting all at once.
max_requests = 5000
max_requests_jitter = 500

# Each worker builds the app itself (no preload): no database connection or other state
# is ever shared across a fork.
preload_app = False

# Behind a load balancer the app itself believes its X-Forwarded-* headers: set
# SAKIP_PROXY_HOPS=1 (webapp/security.py, Werkzeug's ProxyFix), not a gunicorn setting.

# gunicorn 25+ opens a control socket for `gunicornc`, by default one path per user
# (~/.gunicorn/gunicorn.ctl): a second app server on the same machine fails to bind it and
# logs an error at every start. Off unless SAKIP_CONTROL_SOCKET names a path of its own
# for this server; reloads go through `kill -HUP` (README, "Produksi"). Older gunicorns
# ignore both names.
control_socket_disable = not os.environ.get("SAKIP_CONTROL_SOCKET")
if not control_socket_disable:
    control_socket = os.environ["SAKIP_CONTROL_SOCKET"]

# Logs to stdout/stderr for systemd or the container runtime.
accesslog = os.environ.get("SAKIP_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("SAKIP_LOG_LEVEL", "info")


def post_worker_init(worker):
    """The app is built: its PDF renderer started (webapp.pdf_pool.warm: at its lower
    priority, not waited for), then everything allocated so far (modules, templates, locale
    data, about 200 000 objects) moved out of the garbage collector's sight, so that its full
    collections no longer walk them during requests."""
    config = getattr(worker.wsgi, "config", None)
    if config is not None and config.get("SAKIP_PDF_NICE"):
        from webapp import pdf_pool

        pdf_pool.warm(config["SAKIP_PDF_NICE"])
    gc.collect()
    gc.freeze()
