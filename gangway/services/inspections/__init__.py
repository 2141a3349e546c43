"""Inspection accesses: issue, revoke, open by code or link, the pages the officer reads."""
