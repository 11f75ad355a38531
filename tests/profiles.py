"""Hypothesis profiles: `ci` (the default) gives the same verdict on every machine; `explore` hunts.

    .venv/bin/pytest                                   # ci: derandomized, no example database
    HYPOTHESIS_PROFILE=explore .venv/bin/pytest -k "fuzz or pipeline or unicode"   # random, 20x the examples

Every counterexample `explore` finds is fixed and kept as an `@example` on its test.
"""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
EXPLORE_FACTOR = 20

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", derandomize=False, database=None, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
if PROFILE not in ("ci", "explore"):
    raise ValueError(f"HYPOTHESIS_PROFILE={PROFILE!r}: use 'ci' or 'explore'")
settings.load_profile(PROFILE)


def examples(n: int) -> int:
    """A test's example budget: `n` in CI, many more when exploring."""
    return n * EXPLORE_FACTOR if PROFILE == "explore" else n
