"""Data rights: exporting everything about a person, deleting a person, retention."""
