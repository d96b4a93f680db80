"""Pure-Python engine of the support capability (no Django: enforced by tests/test_architecture.py)."""
