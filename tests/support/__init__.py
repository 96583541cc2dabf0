"""Helpers shared by test packages (tests/ is put on sys.path by tests/conftest.py)."""
