"""The access log the PFSO reads, a page at a time."""
