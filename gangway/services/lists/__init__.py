"""Crew and passenger list imports and exports (CSV and .xlsx), as jobs."""
