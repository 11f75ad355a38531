"""Passes: each takes a Document and returns a new one. None does I/O or mutates its input."""
