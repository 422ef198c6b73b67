"""Portfolio pages: the participant's own (read, complete, export) and their tutor's view."""
