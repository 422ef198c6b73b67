"""The one exception the portfolio raises for a refused change."""

from __future__ import annotations

from app.refusals import Refused


class PortfolioRefused(Refused):
    """A change to a portfolio or a CV the rules refuse, e.g. `text_too_long` with the
    field and its limit as detail ("text:500"), which the form marks."""
