"""A small local stand-in for the Hugging Face Hub HTTP API, for tests that must not touch the internet.

It speaks the part of the API that `huggingface_hub` (2.x, with `HF_HUB_DISABLE_XET=1`) and
`datasets.load_dataset(repo, revision=...)` use for a dataset repository:

    POST /api/repos/create                                  create a repo ({"name", "organization", "type", "visibility"})
    GET  /api/{type}s/{repo}[/revision/{rev}]               repo info (sha, private, siblings, cardData)
    POST /api/validate-yaml                                 README front matter check before a commit
    POST /api/{type}s/{repo}/preupload/{rev}                upload mode (regular / lfs) and remote oid per file
    POST /{type}s/{repo}.git/info/lfs/objects/batch         LFS batch API ("basic" transfer, upload + verify actions)
    PUT  /_lfs/{oid}?sig=...                                the presigned upload URL the batch answer hands out
    POST /_lfs/{oid}/verify                                 LFS verify
    POST /api/{type}s/{repo}/commit/{rev}                   NDJSON commit: header, file, lfsFile, deletedFile, deletedFolder
    POST /api/{type}s/{repo}/tag/{rev}                      create a tag ({"tag", "message"})
    GET  /api/{type}s/{repo}/refs                           branches and tags
    GET  /api/{type}s/{repo}/commits/{rev}                  commit history
    GET  /api/{type}s/{repo}/tree/{rev}[/{path}]            tree listing (?recursive=, one page)
    POST /api/{type}s/{repo}/paths-info/{rev}               info on given paths (form-encoded `paths`)
    HEAD/GET /{type}s/{repo}/resolve/{rev}/{path}           file content (Range requests, X-Repo-Commit, ETag,
                                                            X-Linked-Etag / X-Linked-Size for LFS files)
    GET  /api/whoami-v2                                     the user of a bearer token
    GET  /api/agent-harnesses                               an empty registry (huggingface_hub asks for it once a day)

Storage is a temp folder: blobs by sha256 under `blobs/`, and per repo a `repo.json` holding its commits
(each a full snapshot: path -> blob), branches and tags. Auth is a bearer token from a fixed table; any
known token may write any repo, a private repo is readable only with a known token. Not implemented:
Xet storage, pull requests, pagination (a tree is one page), gated repos, rate limits, multipart LFS.

Run alone for manual poking: `python tests/hubserver.py /tmp/hub` prints its URL.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import yaml

MAX_BODY = 512 << 20  # refuse request bodies larger than this
MAX_CHUNKS = 1 << 20  # a chunked body may have at most this many chunks
LFS_THRESHOLD = 10 << 20  # files this big go to LFS even when they look like text
REPO_TYPES = {"model": "models", "dataset": "datasets", "space": "spaces"}
PLURAL_TO_TYPE = {v: k for k, v in REPO_TYPES.items()}
OID_RE = re.compile(r"[0-9a-f]{40}")
SHA256_RE = re.compile(r"[0-9a-f]{64}")
GITATTRIBUTES = b"*.parquet filter=lfs diff=lfs merge=lfs -text\n*.arrow filter=lfs diff=lfs merge=lfs -text\n"


def git_blob_oid(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def lfs_pointer(sha256: str, size: int) -> bytes:
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n".encode()


class HubHTTPError(Exception):
    def __init__(self, status: int, message: str, code: str | None = None):
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    user: str | None


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data, status: int = 200, headers: dict | None = None) -> "Reply":
        return cls(status, json.dumps(data).encode(), {"Content-Type": "application/json", **(headers or {})})


class HubStore:
    """Repos, commits, refs and blobs in a folder. All methods run under one lock."""

    def __init__(self, root: Path):
        self.root = Path(root)
        (self.root / "blobs").mkdir(parents=True, exist_ok=True)
        (self.root / "repos").mkdir(parents=True, exist_ok=True)
        self.lock = threading.RLock()

    # blobs
    def blob_path(self, sha256: str) -> Path:
        return self.root / "blobs" / sha256

    def put_blob(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        path = self.blob_path(sha)
        if not path.exists():
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
        return sha

    def has_blob(self, sha256: str) -> bool:
        return bool(SHA256_RE.fullmatch(sha256)) and self.blob_path(sha256).exists()

    # repos
    def _file(self, repo_type: str, repo_id: str) -> Path:
        return self.root / "repos" / repo_type / repo_id / "repo.json"

    def load(self, repo_type: str, repo_id: str) -> dict | None:
        f = self._file(repo_type, repo_id)
        return json.loads(f.read_text()) if f.exists() else None

    def save(self, repo_type: str, repo_id: str, repo: dict) -> None:
        f = self._file(repo_type, repo_id)
        f.parent.mkdir(parents=True, exist_ok=True)
        tmp = f.with_suffix(".tmp")
        tmp.write_text(json.dumps(repo, indent=1))
        tmp.replace(f)

    def new_commit(self, repo: dict, parent: str | None, files: dict, summary: str, description: str, author: str) -> str:
        body = json.dumps({"parent": parent, "files": files, "summary": summary, "description": description,
                           "author": author, "date": time.time(), "n": len(repo["commits"])}, sort_keys=True)
        oid = hashlib.sha1(body.encode()).hexdigest()
        repo["commits"][oid] = {"parent": parent, "files": files, "summary": summary, "description": description,
                                "author": author, "date": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())}
        return oid

    def create_repo(self, repo_type: str, repo_id: str, private: bool, author: str) -> dict:
        if self.load(repo_type, repo_id) is not None:
            raise HubHTTPError(409, "You already created this repo")
        repo = {"id": repo_id, "type": repo_type, "private": private, "created": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
                "commits": {}, "branches": {}, "tags": {}}
        sha = self.put_blob(GITATTRIBUTES)
        files = {".gitattributes": {"sha256": sha, "size": len(GITATTRIBUTES), "lfs": False}}
        repo["branches"]["main"] = self.new_commit(repo, None, files, "initial commit", "", author)
        self.save(repo_type, repo_id, repo)
        return repo

    @staticmethod
    def resolve(repo: dict, revision: str) -> str:
        """A branch, tag, refs/heads/x, refs/tags/x or a full commit id -> commit id."""
        rev = revision
        for prefix, table in (("refs/heads/", "branches"), ("refs/tags/", "tags")):
            if rev.startswith(prefix) and rev[len(prefix):] in repo[table]:
                return repo[table][rev[len(prefix):]]
        if rev in repo["branches"]:
            return repo["branches"][rev]
        if rev in repo["tags"]:
            return repo["tags"][rev]
        if OID_RE.fullmatch(rev) and rev in repo["commits"]:
            return rev
        raise HubHTTPError(404, f"Invalid rev id: {revision}", "RevisionNotFound")


def _entry(path: str, meta: dict, store: HubStore) -> dict:
    """A tree / paths-info entry for one file, as the Hub sends it."""
    if meta["lfs"]:
        pointer = lfs_pointer(meta["sha256"], meta["size"])
        return {"type": "file", "oid": git_blob_oid(pointer), "size": meta["size"], "path": path,
                "lfs": {"oid": meta["sha256"], "size": meta["size"], "pointerSize": len(pointer)}}
    data = store.blob_path(meta["sha256"]).read_bytes()
    return {"type": "file", "oid": git_blob_oid(data), "size": meta["size"], "path": path}


def _folder_entry(path: str) -> dict:
    return {"type": "directory", "oid": hashlib.sha1(path.encode()).hexdigest(), "size": 0, "path": path}


def _remote_oid(meta: dict, store: HubStore) -> str:
    """What `preupload` reports for an existing file: sha256 for LFS files, the git blob id otherwise."""
    return meta["sha256"] if meta["lfs"] else git_blob_oid(store.blob_path(meta["sha256"]).read_bytes())


class HubApp:
    """Routes requests to handlers. `tokens` maps bearer token -> user name."""

    def __init__(self, store: HubStore, tokens: dict[str, str], base_url: str = ""):
        self.store, self.tokens, self.base_url = store, dict(tokens), base_url
        self.secret = secrets.token_bytes(16)
        self.log: list[tuple[str, str, int]] = []  # (method, path, status) of every request, for tests
        self.log_lock = threading.Lock()

    # access
    def _repo(self, req: Request, repo_type: str, repo_id: str, write: bool = False) -> dict:
        repo = self.store.load(repo_type, repo_id)
        if repo is None or (repo["private"] and req.user is None):
            raise HubHTTPError(401 if req.user is None else 404, "Repository not found", "RepoNotFound")
        if write and req.user is None:
            raise HubHTTPError(401, "You must be authenticated to write to this repo")
        return repo

    def _sign(self, oid: str) -> str:
        return hmac.new(self.secret, oid.encode(), "sha256").hexdigest()

    # dispatch
    def handle(self, req: Request) -> Reply:
        try:
            reply = self._route(req)
        except HubHTTPError as e:
            headers = {"X-Error-Message": e.message}
            if e.code:
                headers["X-Error-Code"] = e.code
            reply = Reply.json({"error": e.message}, e.status, headers)
        except Exception as e:  # the one catch-all: a server bug becomes a 500 the client can report
            reply = Reply.json({"error": f"server error: {type(e).__name__}: {e}"}, 500)
        with self.log_lock:
            self.log.append((req.method, req.path, reply.status))
        return reply

    def _route(self, req: Request) -> Reply:
        raw = [unquote(p) for p in req.path.strip("/").split("/")] if req.path.strip("/") else []
        m, n = req.method, len(raw)
        if raw[:2] == ["api", "whoami-v2"] and m == "GET":
            if req.user is None:
                raise HubHTTPError(401, "Invalid credentials in Authorization header")
            return Reply.json({"type": "user", "name": req.user, "auth": {"type": "access_token"}, "orgs": []})
        if raw[:2] == ["api", "agent-harnesses"] and m == "GET":  # huggingface_hub's best-effort telemetry registry
            return Reply.json({"standardEnvVars": [], "harnesses": {}})
        if raw[:3] == ["api", "repos", "create"] and m == "POST":
            return self.create_repo(req)
        if raw[:2] == ["api", "validate-yaml"] and m == "POST":
            return self.validate_yaml(req)
        if n >= 2 and raw[0] == "_lfs":
            return self.lfs_object(req, raw[1], raw[2:])
        if n >= 4 and raw[0] == "api" and raw[1] in PLURAL_TO_TYPE:
            repo_type, repo_id, rest = PLURAL_TO_TYPE[raw[1]], f"{raw[2]}/{raw[3]}", raw[4:]
            return self.repo_api(req, repo_type, repo_id, rest)
        if n >= 3 and raw[0] in ("datasets", "spaces") and raw[2].endswith(".git") and raw[3:] == ["info", "lfs", "objects", "batch"]:
            return self.lfs_batch(req, PLURAL_TO_TYPE[raw[0]], f"{raw[1]}/{raw[2][:-4]}")
        if n >= 6 and raw[0] in ("datasets", "spaces") and raw[3] == "resolve" and m in ("GET", "HEAD"):
            return self.resolve_file(req, PLURAL_TO_TYPE[raw[0]], f"{raw[1]}/{raw[2]}", raw[4], "/".join(raw[5:]))
        if n >= 5 and raw[2] == "resolve" and m in ("GET", "HEAD"):
            return self.resolve_file(req, "model", f"{raw[0]}/{raw[1]}", raw[3], "/".join(raw[4:]))
        raise HubHTTPError(404, f"no such endpoint: {m} {req.path}")

    def repo_api(self, req: Request, repo_type: str, repo_id: str, rest: list[str]) -> Reply:
        m = req.method
        if not rest and m == "GET":
            return self.repo_info(req, repo_type, repo_id, "main")
        if len(rest) == 2 and rest[0] == "revision" and m == "GET":
            return self.repo_info(req, repo_type, repo_id, rest[1])
        if len(rest) == 2 and rest[0] == "preupload" and m == "POST":
            return self.preupload(req, repo_type, repo_id, rest[1])
        if len(rest) == 2 and rest[0] == "commit" and m == "POST":
            return self.commit(req, repo_type, repo_id, rest[1])
        if len(rest) == 2 and rest[0] == "tag" and m == "POST":
            return self.create_tag(req, repo_type, repo_id, rest[1])
        if rest == ["refs"] and m == "GET":
            return self.refs(req, repo_type, repo_id)
        if len(rest) == 2 and rest[0] == "commits" and m == "GET":
            return self.commits(req, repo_type, repo_id, rest[1])
        if len(rest) >= 2 and rest[0] == "tree" and m == "GET":
            return self.tree(req, repo_type, repo_id, rest[1], "/".join(rest[2:]))
        if len(rest) == 2 and rest[0] == "paths-info" and m == "POST":
            return self.paths_info(req, repo_type, repo_id, rest[1])
        raise HubHTTPError(404, f"no such endpoint: {m} {req.path}")

    # handlers
    def create_repo(self, req: Request) -> Reply:
        if req.user is None:
            raise HubHTTPError(401, "Invalid credentials in Authorization header")
        data = json.loads(req.body or b"{}")
        name, org = data.get("name"), data.get("organization") or req.user
        repo_type = data.get("type") or "model"
        if not name or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name) or repo_type not in REPO_TYPES:
            raise HubHTTPError(400, "Invalid repo name or type")
        private = data.get("visibility") == "private" or bool(data.get("private"))
        repo_id = f"{org}/{name}"
        with self.store.lock:
            self.store.create_repo(repo_type, repo_id, private, req.user)
        prefix = "" if repo_type == "model" else REPO_TYPES[repo_type] + "/"
        return Reply.json({"url": f"{self.base_url}/{prefix}{repo_id}", "name": repo_id, "id": repo_id})

    def validate_yaml(self, req: Request) -> Reply:
        content = json.loads(req.body or b"{}").get("content", "")
        if content.startswith("---\n"):
            head = content[4:].split("\n---", 1)
            try:
                meta = yaml.safe_load(head[0]) if len(head) == 2 else None
            except yaml.YAMLError as e:
                return Reply.json({"errors": [{"message": f"YAML does not parse: {e}"}], "warnings": []}, 400)
            if len(head) != 2 or not isinstance(meta, dict):
                return Reply.json({"errors": [{"message": "front matter must be a YAML mapping"}], "warnings": []}, 400)
        return Reply.json({"errors": [], "warnings": []})

    def repo_info(self, req: Request, repo_type: str, repo_id: str, revision: str) -> Reply:
        with self.store.lock:
            repo = self._repo(req, repo_type, repo_id)
            sha = self.store.resolve(repo, revision)
            commit = repo["commits"][sha]
            card = {}
            readme = commit["files"].get("README.md")
            if readme:
                text = self.store.blob_path(readme["sha256"]).read_text(encoding="utf-8")
                if text.startswith("---\n") and "\n---" in text[4:]:
                    card = yaml.safe_load(text[4:].split("\n---", 1)[0]) or {}
        return Reply.json({"_id": hashlib.sha1(repo_id.encode()).hexdigest()[:24], "id": repo_id,
                           "author": repo_id.split("/")[0], "sha": sha, "private": repo["private"], "gated": False,
                           "disabled": False, "downloads": 0, "likes": 0, "tags": [], "cardData": card,
                           "createdAt": repo["created"], "lastModified": commit["date"],
                           "siblings": [{"rfilename": p} for p in sorted(commit["files"])]})

    def preupload(self, req: Request, repo_type: str, repo_id: str, revision: str) -> Reply:
        data = json.loads(req.body or b"{}")
        with self.store.lock:
            repo = self._repo(req, repo_type, repo_id, write=True)
            sha = self.store.resolve(repo, revision)
            files = repo["commits"][sha]["files"]
            out = []
            for f in data.get("files", []):
                sample = base64.b64decode(f.get("sample", ""))
                lfs = f["size"] >= LFS_THRESHOLD or b"\0" in sample or f["path"].endswith((".parquet", ".arrow"))
                existing = files.get(f["path"])
                out.append({"path": f["path"], "uploadMode": "lfs" if lfs else "regular", "shouldIgnore": False,
                            "oid": _remote_oid(existing, self.store) if existing else None})
        return Reply.json({"files": out, "commitOid": sha})

    def lfs_batch(self, req: Request, repo_type: str, repo_id: str) -> Reply:
        data = json.loads(req.body or b"{}")
        with self.store.lock:
            self._repo(req, repo_type, repo_id, write=data.get("operation") == "upload")
        if data.get("operation") != "upload":
            raise HubHTTPError(400, "only the upload operation is implemented")
        objects = []
        for obj in data.get("objects", []):
            oid, size = obj.get("oid", ""), obj.get("size")
            if not SHA256_RE.fullmatch(oid) or not isinstance(size, int) or size < 0:
                objects.append({"oid": str(oid), "size": int(size or 0), "error": {"code": 422, "message": "bad oid or size"}})
            elif self.store.has_blob(oid):
                objects.append({"oid": oid, "size": size, "authenticated": True})  # already there: no actions
            else:
                href = f"{self.base_url}/_lfs/{oid}"
                objects.append({"oid": oid, "size": size, "authenticated": True, "actions": {
                    "upload": {"href": f"{href}?size={size}&sig={self._sign(oid)}", "header": {}},
                    "verify": {"href": f"{href}/verify", "header": {}}}})
        return Reply(200, json.dumps({"transfer": "basic", "objects": objects}).encode(),
                     {"Content-Type": "application/vnd.git-lfs+json"})

    def lfs_object(self, req: Request, oid: str, rest: list[str]) -> Reply:
        if req.method == "PUT" and not rest:
            sig = (req.query.get("sig") or [""])[0]
            if not hmac.compare_digest(sig, self._sign(oid)):
                raise HubHTTPError(403, "bad upload signature")
            size = int((req.query.get("size") or ["-1"])[0])
            if hashlib.sha256(req.body).hexdigest() != oid or len(req.body) != size:
                raise HubHTTPError(400, "uploaded content does not match its oid and size")
            with self.store.lock:
                self.store.put_blob(req.body)
            return Reply(200, b"", {"ETag": f'"{oid}"'})
        if req.method == "POST" and rest == ["verify"]:
            if req.user is None:
                raise HubHTTPError(401, "Invalid credentials in Authorization header")
            data = json.loads(req.body or b"{}")
            path = self.store.blob_path(oid)
            if not self.store.has_blob(oid) or path.stat().st_size != data.get("size"):
                raise HubHTTPError(404, "object not found or of the wrong size")
            return Reply.json({"success": True})
        raise HubHTTPError(404, "no such LFS endpoint")

    def commit(self, req: Request, repo_type: str, repo_id: str, revision: str) -> Reply:
        lines = [json.loads(line) for line in req.body.decode("utf-8").splitlines() if line.strip()]
        if not lines or lines[0].get("key") != "header":
            raise HubHTTPError(400, "a commit starts with a header line")
        header = lines[0]["value"]
        with self.store.lock:
            repo = self._repo(req, repo_type, repo_id, write=True)
            if revision not in repo["branches"]:
                raise HubHTTPError(404, f"Invalid rev id: {revision} (commits go to a branch)", "RevisionNotFound")
            head = repo["branches"][revision]
            if header.get("parentCommit") and header["parentCommit"] != head:
                raise HubHTTPError(412, "A commit has happened since. Please refresh and try again.")
            files = dict(repo["commits"][head]["files"])
            for line in lines[1:]:
                key, value = line.get("key"), line.get("value", {})
                path = value.get("path", "")
                if not path or path.startswith("/") or ".." in path.split("/"):
                    raise HubHTTPError(400, f"bad path {path!r}")
                if key == "file":
                    data = base64.b64decode(value["content"]) if value.get("encoding") == "base64" else value["content"].encode()
                    files[path] = {"sha256": self.store.put_blob(data), "size": len(data), "lfs": False}
                elif key == "lfsFile":
                    oid = value.get("oid", "")
                    if value.get("algo", "sha256") != "sha256" or not self.store.has_blob(oid):
                        raise HubHTTPError(422, f"LFS object {oid} for {path} was not uploaded")
                    files[path] = {"sha256": oid, "size": self.store.blob_path(oid).stat().st_size, "lfs": True}
                elif key == "deletedFile":
                    if path not in files:
                        raise HubHTTPError(404, f"A file with this name doesn't exist: {path}", "EntryNotFound")
                    del files[path]
                elif key == "deletedFolder":
                    prefix = path.rstrip("/") + "/"
                    gone = [p for p in files if p.startswith(prefix)]
                    if not gone:
                        raise HubHTTPError(404, f"A folder with this name doesn't exist: {path}", "EntryNotFound")
                    for p in gone:
                        del files[p]
                else:
                    raise HubHTTPError(400, f"unknown commit operation {key!r}")
            oid = self.store.new_commit(repo, head, files, header.get("summary", ""), header.get("description", ""), req.user)
            repo["branches"][revision] = oid
            self.store.save(repo_type, repo_id, repo)
        prefix = "" if repo_type == "model" else REPO_TYPES[repo_type] + "/"
        return Reply.json({"success": True, "commitOid": oid, "commitUrl": f"{self.base_url}/{prefix}{repo_id}/commit/{oid}",
                           "pullRequestUrl": None})

    def create_tag(self, req: Request, repo_type: str, repo_id: str, revision: str) -> Reply:
        data = json.loads(req.body or b"{}")
        tag = data.get("tag", "")
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]*", tag):
            raise HubHTTPError(400, f"bad tag name {tag!r}")
        with self.store.lock:
            repo = self._repo(req, repo_type, repo_id, write=True)
            sha = self.store.resolve(repo, revision)
            if tag in repo["tags"]:
                raise HubHTTPError(409, f"Tag {tag} already exists")
            repo["tags"][tag] = sha
            self.store.save(repo_type, repo_id, repo)
        return Reply.json({"success": True})

    def refs(self, req: Request, repo_type: str, repo_id: str) -> Reply:
        with self.store.lock:
            repo = self._repo(req, repo_type, repo_id)
        return Reply.json({
            "branches": [{"name": k, "ref": f"refs/heads/{k}", "targetCommit": v} for k, v in sorted(repo["branches"].items())],
            "tags": [{"name": k, "ref": f"refs/tags/{k}", "targetCommit": v} for k, v in sorted(repo["tags"].items())],
            "converts": [], "pullRequests": []})

    def commits(self, req: Request, repo_type: str, repo_id: str, revision: str) -> Reply:
        with self.store.lock:
            repo = self._repo(req, repo_type, repo_id)
            sha = self.store.resolve(repo, revision)
            out = []
            for _ in range(len(repo["commits"])):  # bounded walk to the root
                c = repo["commits"][sha]
                out.append({"id": sha, "title": c["summary"], "message": c["description"],
                            "authors": [{"user": c["author"]}], "date": c["date"]})
                sha = c["parent"]
                if sha is None:
                    break
        return Reply.json(out)

    def _snapshot(self, req: Request, repo_type: str, repo_id: str, revision: str) -> tuple[str, dict]:
        repo = self._repo(req, repo_type, repo_id)
        sha = self.store.resolve(repo, revision)
        return sha, repo["commits"][sha]["files"]

    def _last_commit(self, req: Request, sha: str, entry: dict, repo_type: str, repo_id: str) -> dict:
        commit = self.store.load(repo_type, repo_id)["commits"][sha]
        entry["lastCommit"] = {"id": sha, "title": commit["summary"], "date": commit["date"]}
        return entry

    def tree(self, req: Request, repo_type: str, repo_id: str, revision: str, path: str) -> Reply:
        recursive = (req.query.get("recursive") or ["false"])[0].lower() in ("1", "true")
        expand = (req.query.get("expand") or ["false"])[0].lower() in ("1", "true")
        with self.store.lock:
            sha, files = self._snapshot(req, repo_type, repo_id, revision)
            prefix = path.strip("/") + "/" if path.strip("/") else ""
            if prefix and prefix.rstrip("/") in files:
                raise HubHTTPError(400, f"{path} is a file, not a folder")
            under = sorted(p for p in files if p.startswith(prefix))
            if prefix and not under:
                raise HubHTTPError(404, f"{path} does not exist at {revision}", "EntryNotFound")
            entries, folders = [], set()
            for p in under:
                parts = p[len(prefix):].split("/")
                for i in range(1, len(parts)):
                    folder = prefix + "/".join(parts[:i])
                    if folder not in folders and (recursive or i == 1):
                        folders.add(folder)
                        entries.append(_folder_entry(folder))
                if recursive or len(parts) == 1:
                    entries.append(_entry(p, files[p], self.store))
            if expand:
                entries = [self._last_commit(req, sha, e, repo_type, repo_id) for e in entries]
        return Reply.json(entries)

    def paths_info(self, req: Request, repo_type: str, repo_id: str, revision: str) -> Reply:
        form = parse_qs(req.body.decode("utf-8"), keep_blank_values=True)
        if "application/json" in req.headers.get("content-type", ""):
            form = {k: v if isinstance(v, list) else [v] for k, v in json.loads(req.body or b"{}").items()}
        paths = form.get("paths", [])
        expand = str((form.get("expand") or ["false"])[0]).lower() in ("1", "true")
        with self.store.lock:
            sha, files = self._snapshot(req, repo_type, repo_id, revision)
            out = []
            for path in paths:
                path = path.strip("/")
                if path in files:
                    out.append(_entry(path, files[path], self.store))
                elif path == "" or any(p.startswith(path + "/") for p in files):
                    out.append(_folder_entry(path))
            if expand:
                out = [self._last_commit(req, sha, e, repo_type, repo_id) for e in out]
        return Reply.json(out)

    def resolve_file(self, req: Request, repo_type: str, repo_id: str, revision: str, path: str) -> Reply:
        with self.store.lock:
            sha, files = self._snapshot(req, repo_type, repo_id, revision)
            meta = files.get(path)
            if meta is None:
                raise HubHTTPError(404, f"Entry not found: {path}", "EntryNotFound")
            blob = self.store.blob_path(meta["sha256"])
        size = meta["size"]
        headers = {"X-Repo-Commit": sha, "Accept-Ranges": "bytes", "Content-Type": "application/octet-stream"}
        if meta["lfs"]:
            headers.update({"ETag": f'"{meta["sha256"]}"', "X-Linked-Etag": f'"{meta["sha256"]}"', "X-Linked-Size": str(size)})
        else:
            headers["ETag"] = f'"{git_blob_oid(blob.read_bytes())}"'
        start, end, status = 0, size - 1, 200
        rng = req.headers.get("range")
        if rng:
            m = re.fullmatch(r"bytes=(\d*)-(\d*)", rng.strip())
            if not m or (not m.group(1) and not m.group(2)):
                raise HubHTTPError(416, f"bad range {rng}")
            if m.group(1):
                start = int(m.group(1))
                end = min(int(m.group(2)), size - 1) if m.group(2) else size - 1
            else:
                start, end = max(0, size - int(m.group(2))), size - 1
            if start >= size or start > end:
                return Reply(416, b"", {**headers, "Content-Range": f"bytes */{size}"})
            status = 206
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        if req.method == "HEAD":
            headers["Content-Length"] = str(end - start + 1)
            return Reply(status, b"", headers)
        with open(blob, "rb") as f:
            f.seek(start)
            body = f.read(end - start + 1)
        return Reply(status, body, headers)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    app: HubApp  # set on the subclass made per server

    def log_message(self, format, *args):  # quiet: the app keeps its own log
        pass

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts, total = [], 0
            for _ in range(MAX_CHUNKS):
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    for _ in range(100):  # trailers, up to the blank line
                        if not self.rfile.readline().strip():
                            break
                    return b"".join(parts)
                total += size
                if total > MAX_BODY:
                    raise HubHTTPError(413, "request body too large")
                parts.append(self.rfile.read(size))
                self.rfile.readline()
            raise HubHTTPError(413, "too many chunks")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise HubHTTPError(413, "request body too large")
        return self.rfile.read(length) if length else b""

    def _user(self) -> str | None:
        auth = self.headers.get("Authorization", "")
        return self.app.tokens.get(auth[7:].strip()) if auth.startswith("Bearer ") else None

    def _serve(self) -> None:
        url = urlsplit(self.path)
        try:
            body = self._read_body()
        except HubHTTPError as e:
            self.close_connection = True
            reply = Reply.json({"error": e.message}, e.status)
        else:
            req = Request(self.command, url.path, parse_qs(url.query, keep_blank_values=True),
                          {k.lower(): v for k, v in self.headers.items()}, body, self._user())
            reply = self.app.handle(req)
        self.send_response(reply.status)
        for k, v in reply.headers.items():
            self.send_header(k, v)
        if "Content-Length" not in reply.headers:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _serve


class HubServer:
    """The app on 127.0.0.1, a free port, in a daemon thread. Use as a context manager."""

    def __init__(self, root: Path, tokens: dict[str, str]):
        self.store = HubStore(root)
        self.app = HubApp(self.store, tokens)
        handler = type("Handler", (_Handler,), {"app": self.app})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.app.base_url = self.url
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    def __enter__(self) -> "HubServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    @property
    def log(self) -> list[tuple[str, str, int]]:
        with self.app.log_lock:
            return list(self.app.log)

    def repo(self, repo_id: str, repo_type: str = "dataset") -> dict | None:
        with self.store.lock:
            return self.store.load(repo_type, repo_id)


if __name__ == "__main__":
    import sys
    import tempfile

    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="hub-"))
    token = secrets.token_hex(8)
    with HubServer(root, {token: "me"}) as server:
        print(f"HF_ENDPOINT={server.url} HF_TOKEN={token} HF_HUB_DISABLE_XET=1  (storage: {root}; Ctrl-C stops)")
        try:
            server.thread.join()
        except KeyboardInterrupt:
            pass
