"""Flask extensions, created unbound here and bound to the app in create_app."""

from __future__ import annotations

from flask_babel import Babel
from flask_login import LoginManager
from flask_socketio import SocketIO
from flask_wtf import CSRFProtect

from app.db import Database

db = Database()
socketio = SocketIO()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
