"""The shore server's pure core: a ship's chain verified as it arrives, the ships' identities."""
