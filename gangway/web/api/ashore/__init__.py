"""The JSON API ashore (issue 17): the ship-to-shore link, the CSO's fleet and fleet watch list,
the PFSO's facility."""
