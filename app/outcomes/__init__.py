"""Figures about the programme: attendance, completion, referrals, self-assessment."""
