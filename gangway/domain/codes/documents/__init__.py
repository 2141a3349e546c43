"""Identity documents: ICAO 9303 zones and AAMVA PDF417 barcodes, read to one shape."""
