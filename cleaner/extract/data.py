"""The extractors' patterns and word lists (patterns.toml) and the outlet table (outlets.toml), loaded once."""
from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def patterns() -> dict[str, Any]:
    return tomllib.loads((resources.files(__package__) / "patterns.toml").read_text(encoding="utf-8"))


@cache
def outlet_table() -> tuple[dict[str, Any], ...]:
    data = tomllib.loads((resources.files(__package__) / "outlets.toml").read_text(encoding="utf-8"))
    return tuple(data["outlets"])


def section(name: str) -> dict[str, Any]:
    return patterns()[name]


def rx(section_name: str, key: str, flags: int = re.IGNORECASE) -> re.Pattern:
    return re.compile(section(section_name)[key], flags)


@cache
def words(section_name: str, key: str) -> frozenset[str]:
    value = section(section_name)[key]
    items = value.split() if isinstance(value, str) else value
    return frozenset(item.casefold() for item in items)
