"""Crew and passenger lists: their columns, rows, countries and crew rules."""
