"""Pure-Python engine of the culture capability (no Django: enforced by tests/test_architecture.py)."""
