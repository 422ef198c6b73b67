"""The live session: a pure engine (events folded into state) and its database operations."""
