"""Pure-Python engine of the evidence capability (no Django: enforced by tests/test_architecture.py)."""
