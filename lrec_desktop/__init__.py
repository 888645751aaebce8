"""lrec_desktop: offline product recommendations for small shops."""

__version__ = "0.1.0"
