"""strait: an open campaign-analysis engine for a Taiwan Strait contingency."""
__version__ = "0.1.0"
