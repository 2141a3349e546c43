"""Storage: models, column types, prepared statements, the SQLite write gate, backups,
migrations."""
