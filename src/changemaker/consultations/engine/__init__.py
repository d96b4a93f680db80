"""Pure-Python engine of the consultations capability (no Django: enforced by tests/test_architecture.py)."""
