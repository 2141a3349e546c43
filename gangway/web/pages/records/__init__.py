"""Records pages: the report and the PFSO's access log."""
