"""Pure-Python engine of the evidence capability.

No Django here: enforced by tests/test_architecture.py.
"""
