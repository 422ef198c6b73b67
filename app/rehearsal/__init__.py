"""Rehearsal with simulated participants: a trainee (or a tutor) runs a meeting for a
practice group whose members join, post, vote and take stances from a schedule stored
in the database, at the pace of past real sessions.

`cast` and `plan` are plain Python (who plays which part, what they do and when);
`sources` reads what past sessions and the examples file offer; `start` opens a
rehearsal, new or taken over from a moment of a replay; `runner` performs the schedule.
Nothing of a rehearsal reaches attendance, statistics or portfolios.
"""
