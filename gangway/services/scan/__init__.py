"""A scan: its input, facts, decision, record and follow-ons, in one transaction."""
