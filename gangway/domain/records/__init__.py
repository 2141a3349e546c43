"""The audit chain: its entries, their content and anchors, the report's hash."""
