"""Arrow schemas generated from the JSON Schemas in `schemas/`, the one source of truth for columns."""
from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyarrow as pa

_SCALARS = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
_NAMED = {"int32": pa.int32(), "int64": pa.int64(), "float32": pa.float32(), "float64": pa.float64()}


def schema_dir() -> Path:
    """`schemas/` of the checkout, or the copy packed into the wheel."""
    packed = resources.files("cleaner") / "_schemas"
    if packed.is_dir():
        return Path(str(packed))
    return Path(__file__).resolve().parent.parent / "schemas"


def _type(spec: dict[str, Any]) -> tuple[pa.DataType, bool]:
    kinds = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
    nullable = "null" in kinds
    (kind,) = [k for k in kinds if k != "null"]
    if "x-arrow" in spec:
        return _NAMED[spec["x-arrow"]], nullable
    if kind == "array":
        item, _ = _type(spec["items"])
        return pa.list_(item), nullable
    if kind == "object":
        return pa.struct(_fields(spec)), nullable
    return _SCALARS[kind], nullable


def _fields(spec: dict[str, Any]) -> list[pa.Field]:
    out = []
    for name, prop in spec["properties"].items():
        typ, _ = _type(prop)
        out.append(pa.field(name, typ))  # nullable in Arrow, as the Hub expects; `required` is checked on JSON
    return out


@cache
def load_json_schema(name: str) -> dict[str, Any]:
    return json.loads((schema_dir() / f"{name}.schema.json").read_text(encoding="utf-8"))


@cache
def arrow_schema(name: str) -> pa.Schema:
    """`arrow_schema("document")` is the schema of every documents shard."""
    return pa.schema(_fields(load_json_schema(name)))
