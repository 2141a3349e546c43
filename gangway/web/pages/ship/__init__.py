"""The ship's pages: plan, port calls, security level, voyages, muster, refusals."""
