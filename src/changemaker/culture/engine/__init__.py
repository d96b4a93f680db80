"""Pure-Python engine of the culture capability.

No Django here: enforced by tests/test_architecture.py.
"""
