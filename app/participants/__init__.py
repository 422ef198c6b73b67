"""Participants: joining without an account, consent, the device credential."""
