"""OpenAPI paths ashore (issue 17): the ship-to-shore link, the fleet, the fleet watch list, the
PFSO's facility."""
