"""Version folders: `OUT/NAME/vX.Y.Z`, written in a staging folder and renamed into place whole."""
from __future__ import annotations

import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..config import VERSION_RE
from ..errors import UsageError, VersionExists


def version_dir(out: str | Path, name: str, version: str) -> Path:
    return Path(out) / name / f"v{version}"


def list_versions(dataset: str | Path) -> list[tuple[tuple[int, int, int], Path]]:
    """Complete versions of a dataset folder, oldest first."""
    root = Path(dataset)
    out = []
    for child in root.iterdir() if root.is_dir() else ():
        m = VERSION_RE.fullmatch(child.name[1:]) if child.name.startswith("v") else None
        if m and child.is_dir() and (child / "manifest.json").exists():
            out.append((tuple(int(x) for x in m.groups()), child))
    return sorted(out)


def resolve_version(dataset: str | Path, version: str | None = None) -> Path:
    """The folder of `version` (with or without a leading v), or of the latest version."""
    versions = list_versions(dataset)
    if not versions:
        raise UsageError(f"{dataset}: no dataset versions here (expected folders like v1.0.0 with a manifest.json)")
    if version is None:
        return versions[-1][1]
    want = version[1:] if version.startswith("v") else version
    for _, path in versions:
        if path.name == f"v{want}":
            return path
    raise UsageError(f"{dataset}: no version {want}; have {', '.join(p.name for _, p in versions)}")


def _fsync_tree(root: Path) -> None:
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            with open(Path(dirpath) / name, "rb") as f:
                os.fsync(f.fileno())
        fd = os.open(dirpath, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def check_free(final: Path, force: bool) -> None:
    if final.exists() and not force:
        raise VersionExists(final)


@contextmanager
def staging(final: Path, force: bool) -> Iterator[Path]:
    """A fresh folder beside `final`; on success it is synced and renamed to `final`, else removed."""
    check_free(final, force)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.parent / f".staging-{final.name}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        yield tmp
        _fsync_tree(tmp)
        if final.exists():
            check_free(final, force)
            old = final.parent / f".replaced-{final.name}-{uuid.uuid4().hex[:8]}"
            os.rename(final, old)
            os.rename(tmp, final)
            shutil.rmtree(old)
        else:
            os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
