"""The robustness suite's fixtures; its helpers are in robustness_helpers.py (importable: this folder is put on sys.path)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from robustness_helpers import write_corpus  # noqa: E402


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    """About 300 documents in 8 JSONL files: a `cleaner clean` of it takes a few seconds."""
    return write_corpus(tmp_path_factory.mktemp("corpus") / "in", docs=300, files=8)
