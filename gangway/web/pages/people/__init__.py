"""Visitors, crew, lists and the watch list pages."""
