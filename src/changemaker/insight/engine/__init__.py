"""Pure-Python engine of the insight capability (no Django: enforced by tests/test_architecture.py)."""
