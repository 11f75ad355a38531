"""Share a dataset version on a Hugging Face-compatible hub, and load one back.

A push is planned first, from the version folder and what the hub holds (read-only requests), then
run: create the dataset repo if needed, one commit on `main` that makes the repo's content that
version (files added or changed, data files of the previous version removed), and a tag `vX.Y.Z`
on that commit. A version whose tag already exists is not pushed again.

The token comes from the caller or huggingface_hub's own resolution (`HF_TOKEN`, then the saved
login); it goes only into request headers, never into output, the manifest or the card. The
endpoint is `HF_ENDPOINT` (read when the push runs) or the public hub.
"""
from __future__ import annotations

import fnmatch
import hashlib
import importlib
import json
import os
import re
import sys
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..errors import HubError, UsageError
from .manifest import card_meta, card_patterns, read_manifest
from .version import resolve_version

REPO_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}")
REPO_TYPE = "dataset"
BRANCH = "main"


@dataclass(frozen=True)
class LocalFile:
    path: str  # path in the repo, the same as in the version folder
    local: Path
    size: int
    sha256: str
    data: bytes | None = None  # what is sent instead of the file's bytes (the card as the hub shows it)

    def read(self) -> bytes:
        return self.local.read_bytes() if self.data is None else self.data


@dataclass(frozen=True)
class RemoteFile:
    path: str
    size: int
    sha256: str | None  # LFS files: the content's sha256
    git_oid: str  # the git blob id (of the LFS pointer for LFS files)


@dataclass(frozen=True)
class RemoteState:
    """What the hub holds for a repo, read without changing anything."""

    exists: bool
    private: bool | None = None
    head: str | None = None  # commit id of `main`
    files: dict[str, RemoteFile] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)  # tag -> commit id
    manifest_files: frozenset[str] = frozenset()  # the files of the version on main, from its manifest.json


@dataclass(frozen=True)
class PushPlan:
    repo_id: str
    version: str
    folder: Path
    private: bool
    create_repo: bool
    add: tuple[LocalFile, ...]  # new or changed files
    unchanged: tuple[LocalFile, ...]
    delete: tuple[str, ...]  # files of the previous version that this one lacks
    parent: str | None  # the commit the push builds on; the commit fails if main moved since
    already: str | None  # commit id of the existing tag: nothing to do

    @property
    def tag(self) -> str:
        return f"v{self.version}"

    def describe(self) -> list[str]:
        """The plan as lines for a terminal: what would be created, sent, removed and tagged."""
        if self.already:
            return [f"{self.repo_id}: {self.tag} is already on the hub (commit {self.already[:12]}); nothing to send"]
        out = [f"{self.folder} -> {self.repo_id} (dataset), tag {self.tag}"]
        if self.create_repo:
            out.append(f"  create repo  {self.repo_id} ({'private' if self.private else 'public'})")
        width = max((len(f.path) for f in self.add + self.unchanged), default=0)
        out += [f"  upload       {f.path:<{width}}  {f.size:>12,} bytes" for f in self.add]
        out += [f"  unchanged    {f.path:<{width}}  {f.size:>12,} bytes" for f in self.unchanged]
        out += [f"  delete       {p}" for p in self.delete]
        out.append(f"  tag          {self.tag}")
        sent = sum(f.size for f in self.add)
        out.append(f"{len(self.add)} file(s) to upload, {sent:,} bytes; {len(self.delete)} to delete")
        return out


@dataclass(frozen=True)
class PushResult:
    plan: PushPlan
    commit: str | None  # the tagged commit (None on a dry run)
    url: str | None
    sent: bool  # False on a dry run or when the version was already pushed


def is_repo_id(name: str) -> bool:
    """ORG/NAME with one slash, hub name characters, no `..`, not ending in `.` or `-`."""
    return bool(REPO_ID_RE.fullmatch(name)) and ".." not in name and not name.endswith((".", "-"))


def check_repo_id(repo_id: str) -> str:
    if not is_repo_id(repo_id):
        raise UsageError(f"--repo {repo_id!r}: use ORG/NAME (letters, digits, '.', '_', '-'), e.g. my-org/vi-news")
    return repo_id


class DatasetNotFound(UsageError, FileNotFoundError):
    """`cleaner.load` of a local path that does not exist (and that is not a hub repo id)."""

    def __init__(self, name: str, problem: str):
        close = closest_dataset(name)
        hint = f" Did you mean {close}?" if close else ""
        UsageError.__init__(self, f"{name}: {problem}.{hint}")
        self.filename = name

    def __str__(self) -> str:
        return self.args[0]


def closest_dataset(name: str) -> str | None:
    """The existing dataset folder (one holding version folders) whose name is closest to `name`, if any."""
    import difflib

    from .version import list_versions

    path = Path(name)
    parent = path.parent
    try:
        names = [c.name for c in parent.iterdir() if c.is_dir() and list_versions(c)]
    except OSError:
        return None
    match = difflib.get_close_matches(path.name, names, n=1, cutoff=0.6)
    return str(parent / match[0]) if match else None


def where_is(dataset: str | Path) -> str:
    """"local" for a local dataset folder, "hub" for a name that can only mean a hub repo (ORG/NAME, no such
    local path, no local folder ORG); DatasetNotFound for anything else, before any request is made."""
    name = os.fspath(dataset)
    path = Path(name)
    if path.is_dir():
        return "local"
    if os.path.lexists(path):
        raise DatasetNotFound(name, "is a file, not a dataset folder (give the folder that holds the versions)")
    if isinstance(dataset, str) and is_repo_id(name) and not name.startswith(".") and not Path(name.split("/")[0]).exists():
        return "hub"
    why = "no such local dataset folder, nor a hub repo id (ORG/NAME)"
    if is_repo_id(name):
        why = (f"no such local dataset folder (it is read as a local path, not a hub repo id, because "
               f"{name.split('/')[0]} is a local folder)")
    raise DatasetNotFound(name, why)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def git_blob_oid(path: Path | bytes) -> str:
    """The git blob id of a file (or of bytes), as the hub reports it for files not stored in LFS."""
    data = path if isinstance(path, bytes) else path.read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def version_files(folder: Path) -> tuple[LocalFile, ...]:
    """The files of a version folder to publish: every file its manifest lists, checked, and the manifest itself.

    A file that no longer matches its manifest entry (size or sha256) stops the push: a changed version
    must be written again, not published as if it were the one the manifest describes. A manifest that
    lists a file outside the version folder (absolute, `..`, a symlink out) is refused before any is read.
    """
    manifest_path = folder / "manifest.json"
    manifest = read_manifest(folder)
    out = []
    for entry in manifest["files"]:
        local = folder / entry["path"]
        if not local.is_file() or local.stat().st_size != entry["bytes"] or _sha256(local) != entry["sha256"]:
            raise HubError(f"{local}: missing or changed since the version was written (manifest sha256 "
                             f"{entry['sha256'][:12]}); write the version again with `cleaner clean --force`")
        out.append(LocalFile(entry["path"], local, entry["bytes"], entry["sha256"]))
    out.append(LocalFile("manifest.json", manifest_path, manifest_path.stat().st_size, _sha256(manifest_path)))
    return tuple(sorted(out, key=lambda f: f.path))


def with_hub_card(files: tuple[LocalFile, ...], repo_id: str, name: str, version: str) -> tuple[LocalFile, ...]:
    """The files of a push with the card (`README.md`) as the hub shows it: its "Load it" section names
    `repo_id` and the tag `vX.Y.Z` the push creates (`card.for_hub`). The local card, and the manifest's
    checksum of it, stay as written."""
    from .card import for_hub

    out = []
    for f in files:
        if f.path == "README.md":
            data = for_hub(f.local.read_text(encoding="utf-8"), repo_id, name, version).encode("utf-8")
            f = LocalFile(f.path, f.local, len(data), hashlib.sha256(data).hexdigest(), data)
        out.append(f)
    return tuple(out)


def card_globs(folder: Path) -> tuple[str, ...]:
    """The `data_files` globs of the version's card: a stale remote file matching one would be loaded with the data.

    A card whose globs lead outside the version folder is refused (it would not be this version's data)."""
    return card_patterns(folder)


def _unchanged(local: LocalFile, remote: RemoteFile | None) -> bool:
    if remote is None or remote.size != local.size:
        return False
    if remote.sha256 is not None:
        return remote.sha256 == local.sha256
    return remote.git_oid == git_blob_oid(local.read())


def plan_push(folder: Path, version: str, repo_id: str, files: tuple[LocalFile, ...], remote: RemoteState,
              private: bool, globs: tuple[str, ...] = ("data/*", "rejects/*")) -> PushPlan:
    """What a push must do to make the repo's `main` this version, from local files and the remote state.

    Removed: remote files this version lacks that the previous version's manifest lists, or that match
    one of `globs` (the card's `data_files`, which would load them). Other files (added by hand on the
    hub, `.gitattributes`) stay.
    """
    tag = f"v{version}"
    if remote.exists and private and remote.private is False:
        raise HubError(f"{repo_id} exists and is public: --private would not make it private. Change its "
                       "visibility on the hub first, or push without --private.")
    if tag in remote.tags:
        return PushPlan(repo_id=repo_id, version=version, folder=folder, private=private, create_repo=False, add=(),
                        unchanged=(), delete=(), parent=remote.head, already=remote.tags[tag])
    local_paths = {f.path for f in files}
    same = tuple(f for f in files if _unchanged(f, remote.files.get(f.path)))
    return PushPlan(
        repo_id=repo_id, version=version, folder=folder, private=private, create_repo=not remote.exists,
        add=tuple(f for f in files if f not in same), unchanged=same,
        delete=tuple(sorted(p for p in remote.files if p not in local_paths
                            and (p in remote.manifest_files or any(fnmatch.fnmatch(p, g) for g in globs)))),
        parent=remote.head, already=None)


def _network_errors() -> tuple[type[BaseException], ...]:
    """huggingface_hub's HTTP errors are OSErrors; transport errors (refused, timeout) come from its HTTP client."""
    errors: list[type[BaseException]] = [OSError]
    for name in ("httpx2", "httpx"):
        try:
            errors.append(importlib.import_module(name).HTTPError)
        except (ImportError, AttributeError):
            pass
    return tuple(errors)


@contextmanager
def hub_errors(what: str, token: str | None, endpoint: str) -> Iterator[None]:
    """Hub and network failures as a HubError naming the endpoint, with the token blanked out of the message."""
    try:
        yield
    except _network_errors() as e:
        message = " ".join(str(e).split()) or type(e).__name__
        if token:
            message = message.replace(token, "***")
        raise HubError(f"{what} on {endpoint} failed: {message}") from None


def endpoint() -> str:
    from huggingface_hub import constants

    return (os.environ.get("HF_ENDPOINT") or constants.ENDPOINT).rstrip("/")


def read_remote(api, repo_id: str, tag: str | None = None) -> RemoteState:
    """The repo's visibility, `main` head, files and tags; `exists=False` if the hub has no such repo (for us).

    When `tag` already exists the files are not listed: there is nothing to compare them with.
    """
    from huggingface_hub import RepoFile
    from huggingface_hub.errors import RepositoryNotFoundError

    try:
        info = api.repo_info(repo_id, repo_type=REPO_TYPE)
    except RepositoryNotFoundError:
        return RemoteState(exists=False)
    refs = api.list_repo_refs(repo_id, repo_type=REPO_TYPE)
    head = next((b.target_commit for b in refs.branches if b.name == BRANCH), None)
    tags = {t.name: t.target_commit for t in refs.tags}
    files, listed = {}, frozenset()
    if head is not None and tag not in tags:
        for item in api.list_repo_tree(repo_id, recursive=True, revision=head, repo_type=REPO_TYPE):
            if isinstance(item, RepoFile):
                files[item.path] = RemoteFile(item.path, item.size, item.lfs.sha256 if item.lfs else None, item.blob_id)
    if "manifest.json" in files:
        path = api.hf_hub_download(repo_id, "manifest.json", revision=head, repo_type=REPO_TYPE)
        try:
            listed = frozenset(e["path"] for e in json.loads(Path(path).read_text(encoding="utf-8")).get("files", []))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
            listed = frozenset()  # not a manifest we wrote: prune only what the card's globs match
    return RemoteState(exists=True, private=info.private, head=head, files=files,
                       tags=tags, manifest_files=listed)


def commit_operations(plan: PushPlan) -> list:
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete

    return ([CommitOperationAdd(path_in_repo=f.path, path_or_fileobj=str(f.local) if f.data is None else f.data)
             for f in plan.add]
            + [CommitOperationDelete(path_in_repo=p, is_folder=False) for p in plan.delete])


def run_plan(api, plan: PushPlan, name: str) -> PushResult:
    """Create the repo if needed, commit the changes in one commit on main, tag it."""
    if plan.already:
        return PushResult(plan, plan.already, None, sent=False)
    if plan.create_repo:
        api.create_repo(plan.repo_id, repo_type=REPO_TYPE, private=plan.private, exist_ok=True)
    parent = plan.parent
    if parent is None:  # a repo created just now: its first commit
        parent = next(b.target_commit for b in api.list_repo_refs(plan.repo_id, repo_type=REPO_TYPE).branches
                      if b.name == BRANCH)
    ops = commit_operations(plan)
    commit, url = parent, None
    if ops:
        info = api.create_commit(
            plan.repo_id, ops, repo_type=REPO_TYPE, revision=BRANCH, parent_commit=parent,
            commit_message=f"{name} {plan.tag}",
            commit_description=f"Dataset version {plan.version} written by cleaner; see manifest.json.")
        commit, url = info.oid, info.commit_url
    api.create_tag(plan.repo_id, tag=plan.tag, revision=commit, repo_type=REPO_TYPE,
                   tag_message=f"{name} {plan.version}")
    return PushResult(plan, commit, url, sent=True)


def push(dataset: str | Path, repo_id: str, version: str | None = None, private: bool = False,
         dry_run: bool = False, token: str | None = None) -> PushResult:
    """Publish a local version (default: the latest) to the hub repo `repo_id` and tag it `vX.Y.Z`."""
    from huggingface_hub import HfApi, get_token

    from .card import validate

    check_repo_id(repo_id)
    folder = resolve_version(dataset, version)
    manifest = read_manifest(folder)
    files = with_hub_card(version_files(folder), repo_id, manifest["name"], manifest["version"])
    globs = card_globs(folder)
    problems = validate(card_meta(folder))  # with the Hub's own parsers, which a run leaves to here
    if problems:
        raise HubError(f"{folder / 'README.md'}: the dataset card would not be valid on the Hub: "
                       + "; ".join(problems))
    token = token or get_token()
    if token is None and not dry_run:
        if private:
            raise HubError(f"{repo_id}: a private repo needs a token with write access, and none was found. "
                           "Set HF_TOKEN or run `hf auth login`, then push again.")
        raise HubError(f"{repo_id}: pushing needs a token with write access, and none was found. "
                       "Set HF_TOKEN or run `hf auth login`, then push again.")
    where = endpoint()
    api = HfApi(endpoint=where, token=token if token else False, library_name="cleaner")
    with hub_errors(f"reading {repo_id}", token, where):
        remote = read_remote(api, repo_id, tag=f"v{manifest['version']}")
    plan = plan_push(folder, manifest["version"], repo_id, files, remote, private, globs)
    if dry_run:
        return PushResult(plan, None, None, sent=False)
    with hub_errors(f"pushing {plan.tag} to {repo_id}", token, where), hub_bars():
        return run_plan(api, plan, manifest["name"])


def hub_bars():
    """huggingface_hub's own progress bars (uploads) on a terminal only: none in a log or a pipe."""
    from huggingface_hub.utils import disable_progress_bars

    return nullcontext() if sys.stderr.isatty() else disable_progress_bars()


def load(repo_id: str, version: str | None = None, config_name: str = "default", split: str = "train"):
    """A pushed version as a `datasets.Dataset`: the tag `vX.Y.Z` of `version`, or `main` (the last push)."""
    import datasets

    if not is_repo_id(str(repo_id)):
        raise UsageError(f"{repo_id}: not a local dataset folder, nor a hub repo id (ORG/NAME)")
    revision = None if version is None else (version if version.startswith("v") else f"v{version}")
    with hub_errors(f"loading {repo_id}" + (f" at {revision}" if revision else ""), None, endpoint()):
        try:
            return datasets.load_dataset(str(repo_id), config_name, split=split, revision=revision)
        except datasets.exceptions.DatasetNotFoundError as e:
            raise HubError(f"{repo_id}: not a local folder, and {e}") from None
