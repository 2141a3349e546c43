"""Identity documents read from photos: the reading, and Check ID at the gangway."""
