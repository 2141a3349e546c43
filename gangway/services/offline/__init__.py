"""Offline tablets: the pack they verify with, and their late scans."""
