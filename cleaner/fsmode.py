"""Folders and files the tool creates: never world-writable, whatever the umask; a folder that cannot be
made (read-only file system, no permission, a file in the way) is one clear error naming it.

    make_dirs(out / name / ".work-v1.0.0" / "clean")   # each folder it creates: umask, then no o+w
    no_world_write(path)                               # after a file is written

Only what this call creates is changed: an existing folder the user made (`/tmp`, a shared `output/`)
keeps its mode.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import CleanerError

DIR_MODE = 0o775  # less the umask, as for files, and never world write (a group may keep it, as for files)
# the errors that mean "this place cannot be written", as opposed to a full disk or a bug
NOT_WRITABLE = (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOTDIR, errno.EEXIST)


class OutputNotWritable(CleanerError):
    """The output folder cannot be created or written: read-only, no permission, or a file where a folder goes."""

    def __init__(self, path: Path | str, e: OSError):
        why = {errno.EROFS: "the file system is read-only", errno.ENOTDIR: "a file stands where a folder must go",
               errno.EEXIST: "a file stands where a folder must go"}.get(e.errno, e.strerror or str(e))
        super().__init__(f"{path}: cannot write the output here ({why}). Pass another --out, or make "
                         f"{path} a folder you can write; no version was written.")


def no_world_write(path: Path | str) -> None:
    """Take world write permission away from a file or folder (symlinks are left alone)."""
    mode = os.lstat(path).st_mode
    if mode & stat.S_IWOTH and not stat.S_ISLNK(mode):
        os.chmod(path, stat.S_IMODE(mode) & ~stat.S_IWOTH)


def make_dirs(path: Path | str) -> Path:
    """`mkdir -p path`: each folder created gets the umask's mode, less world write (as files do).

    Raises OutputNotWritable naming the folder when it cannot be made (read-only, no permission, a file
    in the way).
    """
    path = Path(path)
    missing = []
    here = path
    while not here.is_dir():
        missing.append(here)
        if here.parent == here:
            break
        here = here.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, DIR_MODE)
        except FileExistsError as e:
            if not folder.is_dir():
                raise OutputNotWritable(folder, e) from None
            continue  # made by a concurrent run: not ours to change
        except OSError as e:
            if e.errno in NOT_WRITABLE:
                raise OutputNotWritable(folder, e) from None
            raise
        no_world_write(folder)
    return path


def is_not_writable(e: BaseException) -> bool:
    return isinstance(e, OSError) and e.errno in NOT_WRITABLE
