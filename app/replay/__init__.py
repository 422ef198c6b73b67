"""A finished session played back for training: who may see it, under which names,
without what was removed, with the notes people leave on its moments.

Plain Python over the database (no Flask): the pages in app/replay_pages are thin.
"""
