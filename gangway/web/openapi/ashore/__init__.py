"""OpenAPI paths ashore (issue 17 points 5, 6): the fleet watch list, the PFSO's facility."""
