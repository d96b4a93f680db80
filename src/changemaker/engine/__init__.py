"""Pure Python that every capability's engine may share (no Django: engines import it)."""
