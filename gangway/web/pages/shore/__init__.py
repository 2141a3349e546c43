"""Pages of the shore server: the CSO's fleet."""
