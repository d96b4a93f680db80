"""Pure-Python engine of the budgeting capability.

No Django here: enforced by tests/test_architecture.py.
"""
