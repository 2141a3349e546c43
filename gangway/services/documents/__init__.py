"""Identity documents read from photos (ICAO 9303 zones, AAMVA barcodes)."""
