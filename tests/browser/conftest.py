"""A live server on a database of its own, and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import threading

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from tenants.db import db
from tenants.hierarchy import load_hierarchy
from webapp import create_app
from webapp.demo import load_demo
from tests.conftest import system_tool

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": system_tool("chromium", "chromium-browser", package="chromium"),
        # The machine's network is closed: keep Chromium from calling home and stalling.
        "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


@pytest.fixture(scope="module")
def live_server(backend, fresh_database_url):
    """The whole hierarchy and the demo accounts, served on a free port."""
    app = create_app({"SECRET_KEY": "browser-test", "SQLALCHEMY_DATABASE_URI": fresh_database_url(backend)})
    with app.app_context():
        upgrade()
        load_hierarchy(db.session)
        load_demo(db.session)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()
