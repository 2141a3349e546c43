"""The ship's plan, declarations, port calls, follow-ups and retention rules."""
