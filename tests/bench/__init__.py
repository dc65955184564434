"""Benchmarks (not collected by the test suite): ``make bench [ONLY=group]`` runs ``run.py``."""
