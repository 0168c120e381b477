"""Jidu (即督快响): 12345 hotline × administrative law-enforcement supervision."""

__version__ = "0.1.0"
