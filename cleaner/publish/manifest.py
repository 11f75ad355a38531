"""A version folder is read only through its own manifest (`manifest.json`) and card (`README.md`),
and both are checked before anything trusts them.

    read_manifest(folder)   # the manifest, its shape checked; every listed file inside the folder
    card_patterns(folder)   # the card's `configs[].data_files`, each inside the folder

A version folder may have been edited by hand, damaged, or made by someone else: a manifest whose `files`
lead outside the folder (absolute, `..`, a symlink out) would have `cleaner push` upload whatever they name,
and a card whose `data_files` do would have `cleaner.load` read it. Either is refused with an error naming
the file. Nothing here opens a file that is not a regular one (a FIFO in place of manifest.json would
block a reader for ever) or reads more than a bounded number of bytes.
"""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path, PurePosixPath

from ..config import VERSION_RE
from ..errors import CleanerError

MANIFEST = "manifest.json"
CARD = "README.md"
MAX_BYTES = 64 << 20  # a manifest or card larger than this is not one we wrote
SHA256_RE = re.compile(r"[0-9a-f]{64}")
REWRITE = "write the version again with `cleaner clean ... --force`, or remove that version folder"


class DamagedVersion(CleanerError):
    """A version folder's manifest or card cannot be read, or does not say what a manifest or card says."""

    def __init__(self, path: Path | str, problem: str):
        super().__init__(f"{path}: {problem}. The version folder was damaged or changed by hand: {REWRITE}.")


class OutsideVersion(DamagedVersion):
    """A manifest or card names a file outside its own version folder."""

    def __init__(self, path: Path | str, named: str, where: str):
        super().__init__(path, f"`{where}` names {named!r}, which is outside the version folder {Path(path).parent} "
                               f"(only relative paths inside it are read)")


def read_small(path: Path, limit: int = MAX_BYTES) -> str:
    """The UTF-8 text of a regular file of at most `limit` bytes; never blocks on a FIFO or follows a symlink."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise DamagedVersion(path, f"cannot be opened ({e.strerror})" if not os.path.islink(path)
                             else "is a symlink, not a file") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise DamagedVersion(path, "is not a regular file")
        if st.st_size > limit:
            raise DamagedVersion(path, f"is {st.st_size:,} bytes, more than the {limit:,} a version's own file may be")
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)
    except OSError as e:
        raise DamagedVersion(path, f"cannot be read ({e.strerror or e})") from None
    finally:
        os.close(fd)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DamagedVersion(path, f"is not UTF-8 (byte {e.start})") from None


def inside(folder: Path, rel, source: Path, where: str) -> Path:
    """`folder / rel` if `rel` is a plain relative path that stays inside `folder`, symlinks resolved."""
    if not isinstance(rel, str) or not rel:
        raise DamagedVersion(source, f"`{where}` should be a relative path, not {rel!r}")
    parts = PurePosixPath(rel).parts
    if (rel.startswith(("/", "~")) or "\\" in rel or "://" in rel or "::" in rel or "\0" in rel
            or any(p in ("..", ".") for p in parts) or PurePosixPath(rel).is_absolute()):
        raise OutsideVersion(source, rel, where)
    path = folder / rel
    root = os.path.realpath(folder)
    real = os.path.realpath(path)
    if real != root and not real.startswith(root.rstrip(os.sep) + os.sep):
        raise OutsideVersion(source, rel, where)
    return path


def _need(value, kind, path: Path, key: str):
    if isinstance(value, bool) or not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        got = "missing" if value is None else f"a {type(value).__name__}"
        raise DamagedVersion(path, f"`{key}` should be a {names}, and is {got}")
    return value


def _counts(value, path: Path, key: str) -> dict:
    _need(value, dict, path, key)
    for k, v in value.items():
        _need(v, int, path, f"{key}.{k}")
    return value


def check_manifest(data, folder: Path) -> dict:
    """The manifest itself, once every key the tool reads has the type it expects and every file is inside."""
    path = folder / MANIFEST
    _need(data, dict, path, "(the whole manifest)")
    version = _need(data.get("version"), str, path, "version")
    if not VERSION_RE.fullmatch(version):
        raise DamagedVersion(path, f"`version` {version!r} is not X.Y.Z")
    _need(data.get("name"), str, path, "name")
    for key in ("parent", "created"):
        if data.get(key) is not None:
            _need(data[key], str, path, key)
    for key in ("config", "schema"):
        if key in data:
            _need(data[key], dict, path, key)
    for i, pack in enumerate(_need(data.get("rule_packs", []), list, path, "rule_packs")):
        _need(pack, dict, path, f"rule_packs[{i}]")
        for key in ("name", "version", "sha256"):
            _need(pack.get(key), str, path, f"rule_packs[{i}].{key}")
    stats = _need(data.get("stats"), dict, path, "stats")
    for key in ("documents_read", "documents_kept"):
        _need(stats.get(key), int, path, f"stats.{key}")
    for key in ("documents_rejected", "lines_removed"):
        _counts(stats.get(key), path, f"stats.{key}")
    for i, entry in enumerate(_need(data.get("files"), list, path, "files")):
        _need(entry, dict, path, f"files[{i}]")
        inside(folder, entry.get("path"), path, f"files[{i}].path")
        if not SHA256_RE.fullmatch(_need(entry.get("sha256"), str, path, f"files[{i}].sha256")):
            raise DamagedVersion(path, f"`files[{i}].sha256` is not a sha256")
        if _need(entry.get("bytes"), int, path, f"files[{i}].bytes") < 0:
            raise DamagedVersion(path, f"`files[{i}].bytes` is negative")
    return data


def read_manifest(folder: Path) -> dict:
    """The version's manifest, checked (see check_manifest); DamagedVersion naming it otherwise."""
    import json

    folder = Path(folder)
    path = folder / MANIFEST
    try:
        data = json.loads(read_small(path))
    except (json.JSONDecodeError, RecursionError) as e:
        raise DamagedVersion(path, f"is not valid JSON ({getattr(e, 'msg', e)}, line {getattr(e, 'lineno', '?')})") from None
    return check_manifest(data, folder)


def card_meta(folder: Path) -> dict:
    """The card's YAML front matter ({} when it has none)."""
    import yaml

    path = Path(folder) / CARD
    text = read_small(path)
    if not text.startswith("---\n"):
        return {}
    try:
        meta = yaml.safe_load(text.split("---\n", 2)[1])
    except (yaml.YAMLError, IndexError, RecursionError) as e:
        raise DamagedVersion(path, f"its front matter is not YAML ({' '.join(str(e).split())})") from None
    if meta is not None and not isinstance(meta, dict):
        raise DamagedVersion(path, "its front matter is not a mapping")
    return meta or {}


def _patterns(data_files, path: Path, where: str) -> list:
    if isinstance(data_files, str):
        return [(data_files, where)]
    if isinstance(data_files, dict):  # {split: pattern or [patterns]}
        return [p for split, v in data_files.items() for p in _patterns(v, path, f"{where}.{split}")]
    if isinstance(data_files, list):
        out = []
        for i, item in enumerate(data_files):
            if isinstance(item, dict):
                out += _patterns(item.get("path"), path, f"{where}[{i}].path")
            else:
                out += _patterns(item, path, f"{where}[{i}]")
        return out
    raise DamagedVersion(path, f"`{where}` should be a path, a list of paths or of {{split, path}}, "
                               f"not {type(data_files).__name__}")


def card_patterns(folder: Path) -> tuple[str, ...]:
    """Every `configs[].data_files` pattern of the card, refused (OutsideVersion naming the card) when one,
    or a file one matches, is outside the version folder."""
    folder = Path(folder)
    path = folder / CARD
    configs = card_meta(folder).get("configs", [])
    _need(configs, list, path, "configs")
    out = []
    for i, config in enumerate(configs):
        _need(config, dict, path, f"configs[{i}]")
        where = f"configs[{i}].data_files"
        for pattern, at in _patterns(config.get("data_files", []), path, where):
            inside(folder, pattern, path, at)
            for match in folder.glob(pattern):
                inside(folder, match.relative_to(folder).as_posix(), path, f"{at}` match `{match.name}")
            out.append(pattern)
    return tuple(sorted(set(out)))
