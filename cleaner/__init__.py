"""cleaner: clean scraped news text line by line, say why for every line, publish versioned Parquet.

    import cleaner
    ds = cleaner.load("output/vi-news")                    # latest version, a datasets.Dataset
    ds = cleaner.load("output/vi-news", version="1.0.0")   # a given version
"""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version as _dist_version

try:
    __version__ = _dist_version("cleaner")
except PackageNotFoundError:  # running from a checkout that is not installed
    __version__ = "0.0.0+checkout"

from .api import clean, clean_text, diff, explain, load, push, rules, versions  # noqa: E402
from .config import Config, resolve  # noqa: E402
from .document import Document, Line, Removal  # noqa: E402

__all__ = ["Config", "Document", "Line", "Removal", "clean", "clean_text", "diff", "explain", "load", "push", "resolve",
           "rules", "versions", "__version__"]
