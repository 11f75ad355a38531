"""One frozen config: defaults, then a TOML config file, then CLI flags.

The same names are used from config file to code to the manifest.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from functools import cache
from pathlib import Path
from typing import Any, Mapping

from .errors import UsageError

NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
VERSION_RE = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")  # ASCII digits only (\d matches any script)


@dataclass(frozen=True)
class Config:
    inputs: tuple[str, ...] = ()
    out: str = "output"
    name: str = "dataset"
    version: str = "1.0.0"
    force: bool = False
    strict: bool = False
    lang: str | None = None  # keep only documents detected as this language; others go to rejects
    license: str = "unknown"
    rule_packs: tuple[str, ...] = ()  # packs added to the default one: built-in names or paths to TOML packs
    default_rules: bool = True  # load the built-in `vi-news` pack before `rule_packs` (unless they name it)
    model: str = "vi-news"  # the line model: a built-in name, a model file (`cleaner train`), or "none"
    lang_sample_chars: int = 500  # language detection reads at most this many characters
    min_lang_prob: float = 0.0  # with `lang`: documents detected with a lower probability are rejected too
    shard_rows: int = 50_000  # rows per output Parquet file
    row_group_rows: int = 5_000  # rows per Parquet row group (a few MB: what the Hub's viewer reads well)
    progress: bool = True
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)  # processes for the per-shard stages
    engine: str = "local"  # "local" (processes on this machine) or "ray"
    ray_address: str | None = None  # a running Ray cluster; none: start a local Ray
    files_per_shard: int = 1000  # .txt files per unit of work
    shard_bytes: int = 32 << 20  # a plain .jsonl file is read in pieces of about this size (others whole)
    follow_symlinks: bool = False  # follow symlinks that lead out of an input folder (else: rejects, outside_input)
    dedup: bool = True  # the cross-document stages below
    frequent_line_min_docs: int = 5  # a line in at least this many documents of one source is site boilerplate...
    frequent_line_min_source_docs: int = 10  # ...once the source has at least this many documents
    frequent_line_edge_lines: int = 3  # short lines this close to the top or bottom may go even if sentences
    near_dup_threshold: float = 0.8  # Jaccard similarity of syllable shingles
    near_dup_num_perm: int = 128  # MinHash permutations
    near_dup_shingle: int = 5  # syllables per shingle

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


DEFAULT_PACK = "vi-news"


def pack_names(config: Config) -> tuple[str, ...]:
    """The packs a run loads, in order: `vi-news` first (with `default_rules`), then `rule_packs`. Naming
    `vi-news` in `rule_packs` places it there instead (it is loaded once)."""
    if config.default_rules and DEFAULT_PACK not in config.rule_packs:
        return (DEFAULT_PACK, *config.rule_packs)
    return tuple(config.rule_packs)


def output_folders(config: Config) -> tuple[str, ...]:
    """Folders never read as input: the dataset folder OUT/NAME (versions, staging, work), and OUT
    itself when it lies inside an input folder (OUT given as an input folder is walked, but not OUT/NAME)."""
    return (config.out, os.path.join(config.out, config.name))


PATH_KEYS = ("inputs", "out", "rule_packs", "model")  # relative paths in a config file are relative to that file
_KINDS = {"bool": "true or false", "int": "a whole number", "float": "a number", "str": "a string",
          "str | None": "a string", "tuple[str, ...]": "a list of strings"}


def _kind(name: str) -> str:
    return next(f.type for f in fields(Config) if f.name == name)


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind in ("str", "str | None"):
        return isinstance(value, str)
    if kind == "tuple[str, ...]":
        return isinstance(value, str) or (isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value))
    return True


def _coerce(name: str, value: Any, where: str = "config") -> Any:
    """The value in the config's own type; a value of another type is a usage error naming the key."""
    kind = _kind(name)
    if not _type_ok(kind, value):
        raise UsageError(f"{where}: {name} must be {_KINDS.get(kind, kind)}, got {value!r}")
    if kind == "tuple[str, ...]":
        return tuple(value) if isinstance(value, (list, tuple)) else (value,)
    if kind == "float":
        return float(value)
    return value


def _is_builtin(key: str, value: str) -> bool:
    """A rule pack or model named by a built-in name (no path), or `model = "none"`."""
    if key == "rule_packs":
        return not Path(value).suffix and "/" not in value
    if key == "model":
        return value in ("none", "", DEFAULT_PACK)
    return False


def relative_to_file(config_file: str, key: str, value):
    """A path value of a config file, relative to the file's folder (as given when absolute, or a built-in name)."""
    base = os.path.dirname(config_file)

    def one(v: str) -> str:
        if os.path.isabs(v) or _is_builtin(key, v) or v == "-":
            return v
        return os.path.normpath(os.path.join(base, v))

    return [one(v) for v in value] if isinstance(value, (list, tuple)) else one(value)


def resolve(config_file: str | None = None, **flags: Any) -> Config:
    """Defaults, then the `[clean]` table of `config_file` (its relative paths taken from its own folder),
    then flags that are not None."""
    import difflib

    known = {f.name for f in fields(Config)}
    values: dict[str, Any] = {}
    if config_file:
        try:
            data = tomllib.loads(Path(config_file).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise UsageError(f"{config_file}: cannot read config: {e}") from e
        table: Mapping[str, Any] = data.get("clean", data)
        if not isinstance(table, Mapping):
            raise UsageError(f"{config_file}: [clean] must be a table of config keys")
        for key in sorted(set(table) - known):
            near = difflib.get_close_matches(key, sorted(known), n=1)
            raise UsageError(f"{config_file}: unknown config key {key!r}" + (f" (did you mean {near[0]}?)" if near else "")
                             + f"; known: {', '.join(sorted(known))}")
        for key, value in table.items():
            value = _coerce(key, value, config_file)
            values[key] = relative_to_file(config_file, key, value) if key in PATH_KEYS else value
    values.update({k: v for k, v in flags.items() if v is not None})
    config = replace(Config(), **{k: _coerce(k, v) for k, v in values.items()})
    validate(config)
    return config


@cache
def _codes() -> dict:
    from importlib import resources
    return tomllib.loads((resources.files("cleaner") / "codes.toml").read_text(encoding="utf-8"))


@cache
def known_languages() -> frozenset[str]:
    """The codes `--lang` may take: the languages the detector knows (langdetect's profiles)."""
    from importlib import resources
    return frozenset(p.name for p in (resources.files("langdetect") / "profiles").iterdir() if not p.name.startswith("."))


def known_licenses() -> frozenset[str]:
    return frozenset(_codes()["licenses"])


def did_you_mean(value: str, known, aliases: Mapping[str, str] | None = None, cutoff: float = 0.6) -> str:
    """' (did you mean X?)' for the nearest known value, or '' when none is near.

    >>> did_you_mean("cc-by-4", {"cc-by-4.0", "mit"})
    ' (did you mean cc-by-4.0?)'
    """
    import difflib

    folded = value.casefold()
    near = (folded if folded in known else None) or (aliases or {}).get(folded) or next(iter(difflib.get_close_matches(value, sorted(known), 1, cutoff)), None)
    return f" (did you mean {near}?)" if near else ""


def validate(config: Config) -> None:
    if not NAME_RE.fullmatch(config.name) or ".." in config.name:
        raise UsageError(f"--name {config.name!r}: use letters, digits, '.', '_' and '-' only "
                         f"(no path separators), starting with a letter or digit")
    if not VERSION_RE.fullmatch(config.version):
        raise UsageError(f"--version {config.version!r}: use a semantic version X.Y.Z, such as 1.0.0")
    if config.lang is not None and config.lang not in known_languages():
        raise UsageError(f"--lang {config.lang!r} is not a language code the detector knows"
                         f"{did_you_mean(config.lang, known_languages(), _codes()['lang_aliases'])}; use an ISO 639-1 "
                         f"code: {', '.join(sorted(known_languages()))}")
    if config.license not in known_licenses():
        raise UsageError(f"--license {config.license!r} is not a license id the Hub knows"
                         f"{did_you_mean(config.license, known_licenses(), cutoff=0.5)}; see "
                         f"https://huggingface.co/docs/hub/repositories-licenses (or use other, or unknown)")
    if not 0.0 <= config.min_lang_prob <= 1.0:
        raise UsageError(f"min_lang_prob must be in [0, 1], got {config.min_lang_prob}")
    if config.lang_sample_chars < 50:
        raise UsageError("lang_sample_chars must be at least 50")
    for name in ("shard_rows", "row_group_rows", "workers", "files_per_shard", "shard_bytes", "frequent_line_min_docs",
                 "frequent_line_min_source_docs", "near_dup_num_perm", "near_dup_shingle"):
        if getattr(config, name) < 1:
            raise UsageError(f"{name} must be a positive whole number, got {getattr(config, name)!r}")
    if config.engine not in ("local", "ray"):
        raise UsageError(f"--engine {config.engine!r}: use local or ray")
    if not 0.0 < config.near_dup_threshold <= 1.0:
        raise UsageError(f"near_dup_threshold must be in (0, 1], got {config.near_dup_threshold}")
