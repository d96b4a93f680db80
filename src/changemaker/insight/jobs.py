"""Background jobs of the shared view of need (linkage runs, retention)."""
