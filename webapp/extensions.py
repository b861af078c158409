"""Flask extensions, created unbound and initialised in the app factory."""
from flask_babel import Babel
from flask_caching import Cache
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from tenants.db import db

babel = Babel()
cache = Cache()
csrf = CSRFProtect()
login_manager = LoginManager()
migrate = Migrate()

__all__ = ["babel", "cache", "csrf", "db", "login_manager", "migrate"]
