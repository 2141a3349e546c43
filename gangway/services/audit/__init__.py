"""The audit chain: appended in the writing transaction, verified, adopted."""
