"""Images in: upload guards, barcode decoding, ID photos."""
