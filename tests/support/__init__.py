"""Fixtures the tests and the benchmarks share: instances built ready for traffic."""
