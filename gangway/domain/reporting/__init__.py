"""The end-of-port-call report and the access log, as plain data."""
