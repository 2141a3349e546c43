"""A port state control officer's read-only inspection access."""
