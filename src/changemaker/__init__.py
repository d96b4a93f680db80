"""Changemaker: an open-source platform for a community-powered council."""

__version__ = "0.1.0"
