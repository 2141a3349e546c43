"""The port state control officer's pages: a separate, signed scope, never a login."""
