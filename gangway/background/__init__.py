"""Work that never runs where scans are served: jobs, workers and mail."""
