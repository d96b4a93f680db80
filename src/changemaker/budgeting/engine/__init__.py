"""Pure-Python engine of the budgeting capability (no Django: enforced by tests/test_architecture.py)."""
