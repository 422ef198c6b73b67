"""A participant's data rights on screen: seeing the audit of their data, exporting it,
and deleting it, from their phone or by a coordinator on request."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("rights", __name__)
