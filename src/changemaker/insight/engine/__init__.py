"""Pure-Python engine of the insight capability.

No Django here: enforced by tests/test_architecture.py.
"""
