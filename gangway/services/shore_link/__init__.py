"""The ship's side of the link ashore: its settings, the batches it sends, what the shore holds."""
