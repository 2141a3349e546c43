"""The ship: plan, port calls, security level, declarations, voyages, refusals."""
