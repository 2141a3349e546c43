"""The OpenAPI 3.1 document of /api/v1, one module of path items per area."""
