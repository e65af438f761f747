"""Checkable statements about quadratic networks: one module per statement (see README.md)."""
