"""The end-of-port-call report: rows, files, revisions, sign-off, muster."""
