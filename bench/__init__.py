"""Benchmarks and the protest-day simulator; not shipped with the app."""
