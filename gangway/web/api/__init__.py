"""The JSON API /api/v1: one blueprint per area on the same services as the pages."""
