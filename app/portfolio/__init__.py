"""A participant's portfolio: what they contributed in the room, and what they add."""
