"""The end-of-port-call report in three forms: HTML (template), PDF and a zip of CSV files."""
