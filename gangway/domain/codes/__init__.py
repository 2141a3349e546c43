"""What a code says: signed badges, IATA boarding passes, manifests."""
