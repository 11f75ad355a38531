from __future__ import annotations

from pathlib import Path

import pytest

import profiles  # noqa: F401  (loads the Hypothesis profile before any test module)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "vi-news"
SHARED_SAMPLES = ROOT.parent / "shared" / "samples"
SHARED_SAMPLES2 = ROOT.parent / "shared" / "samples2"


@pytest.fixture(scope="session")
def examples() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def shared_samples() -> Path:
    if not (SHARED_SAMPLES / "raw").is_dir():
        pytest.skip("../shared/samples is not beside the checkout")
    return SHARED_SAMPLES


@pytest.fixture(scope="session")
def shared_samples2() -> Path:
    if not (SHARED_SAMPLES2 / "raw").is_dir():
        pytest.skip("../shared/samples2 is not beside the checkout")
    return SHARED_SAMPLES2
