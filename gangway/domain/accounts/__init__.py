"""Accounts: the roles and the one table of what each may do."""
