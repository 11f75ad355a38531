"""Version folders: `OUT/NAME/vX.Y.Z`, written in a staging folder and renamed into place whole.

    with version_lock(final), disk_full_is_an_error(final):   # the whole run
        with staging(final, force) as tmp:                      # the writing
            ...write into tmp...
    # tmp is fsynced (files, folders), renamed to final, and final's parent fsynced

A reader (`cleaner.load`) sees a version whole or not at all: nothing is written
inside `final` itself. Replacing a version (--force) swaps the two folders in one
`renameat2(RENAME_EXCHANGE)` where the kernel has it. The lock is an exclusive
`flock` on `OUT/NAME/.vX.Y.Z.lock`, held for the whole run: a second run of the
same version fails at once, and under the lock the staging folders of killed runs
are swept away. Nothing written is world-writable, whatever the umask.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..config import VERSION_RE
from ..errors import CleanerError, UsageError, VersionExists
from ..fsmode import OutputNotWritable, is_not_writable, make_dirs, no_world_write


class VersionBusy(CleanerError):
    """Another run holds the lock of this dataset version."""

    def __init__(self, final: Path, lock: Path):
        super().__init__(f"{final}: another cleaner run is writing this version now (it holds {lock}). "
                         f"Wait for it to finish, or write another --version.")


class DiskFull(CleanerError):
    """The output file system filled up; nothing was published."""


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


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    """fsync every file and folder under root, taking away world write permission on the way."""
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            path = Path(dirpath) / name
            no_world_write(path)
            with open(path, "rb") as f:
                os.fsync(f.fileno())
        no_world_write(Path(dirpath))
        _fsync_dir(Path(dirpath))


def check_free(final: Path, force: bool) -> None:
    if final.exists() and not force:
        raise VersionExists(final)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the kernel or libc cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a))


@contextmanager
def staging(final: Path, force: bool) -> Iterator[Path]:
    """A fresh folder beside `final`; on success it is synced and renamed to `final`, else removed."""
    check_free(final, force)
    make_dirs(final.parent)
    tmp = make_dirs(final.parent / f".staging-{final.name}-{uuid.uuid4().hex[:8]}")
    try:
        yield tmp
        _fsync_tree(tmp)
        if final.exists():
            check_free(final, force)
            if _exchange(tmp, final):  # tmp now holds the old version
                _fsync_dir(final.parent)
                shutil.rmtree(tmp)
                return
            old = final.parent / f".replaced-{final.name}-{uuid.uuid4().hex[:8]}"
            os.rename(final, old)
            os.rename(tmp, final)
            _fsync_dir(final.parent)
            shutil.rmtree(old)
        else:
            os.rename(tmp, final)
            _fsync_dir(final.parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def lock_path(final: Path) -> Path:
    return final.parent / f".{final.name}.lock"


def _open_lock(lock: Path) -> int:
    try:
        return os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
    except OSError as e:
        if is_not_writable(e) or e.errno == errno.ELOOP:
            raise OutputNotWritable(lock, e) from None
        raise


@contextmanager
def version_lock(final: Path) -> Iterator[Path]:
    """Hold the version's lock (an exclusive flock, released by the kernel if the process dies).

    The lock file is removed when the run ends, while still locked, so no `.vX.Y.Z.lock` is left behind. A
    run that opened the file just before it was removed would lock a file no longer in the folder: after
    locking, the file is checked to be the one at the path still, and the lock taken again if not."""
    make_dirs(final.parent)
    lock = lock_path(final)
    for _ in range(100):
        fd = _open_lock(lock)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise VersionBusy(final, lock) from None
        try:
            same = os.stat(lock, follow_symlinks=False).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # removed by the run that just finished: lock the new file
    else:
        raise VersionBusy(final, lock)
    try:
        for stale in final.parent.glob(f".staging-{final.name}-*"):
            shutil.rmtree(stale, ignore_errors=True)  # left by a killed run: nobody else can be writing it
        yield lock
    finally:
        try:
            os.unlink(lock)
        except OSError:
            pass
        os.close(fd)


def is_disk_full(e: BaseException) -> bool:
    """ENOSPC or EDQUOT, from Python or from Arrow (which puts the errno in the message)."""
    if getattr(e, "errno", None) in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(e)
    return "No space left on device" in text or "Disk quota exceeded" in text


def _under(path, root: Path) -> bool:
    try:
        return path is not None and Path(os.path.abspath(path)).is_relative_to(os.path.abspath(root))
    except (TypeError, ValueError):
        return False


@contextmanager
def disk_full_is_an_error(final: Path) -> Iterator[None]:
    """Turn a full disk anywhere in the run into one clear DiskFull error, and an output folder that cannot
    be written (read-only, no permission, a file in the way) into one OutputNotWritable error."""
    try:
        yield
    except OSError as e:
        if is_not_writable(e) and _under(e.filename, final.parent.parent):
            raise OutputNotWritable(e.filename, e) from None
        if not is_disk_full(e):
            raise
        raise DiskFull(f"no space left on the device of {final.parent} ({e}); no version was written. Free some "
                       f"space and run the same command again: finished shards in "
                       f"{final.parent / ('.work-' + final.name)} are reused (delete that folder to reclaim it).") from e
