"""The shore server: the fleet's ships, their link tokens, and each ship's chain as it arrives."""
