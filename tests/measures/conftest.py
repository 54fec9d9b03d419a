"""Fixtures of the measures tests (see published_data.py)."""

from .published_data import published  # noqa: F401 - the fixture, for every test here
