"""The admin's pages: users, tokens, the audit chain; and one's own account."""
