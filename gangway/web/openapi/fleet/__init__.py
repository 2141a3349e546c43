"""OpenAPI path modules of the shore server's fleet (issue 17): its watch list."""
