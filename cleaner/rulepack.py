"""Rule packs: regular expressions and their tests, as data.

A pack is a TOML file (see `schemas/rulepack.schema.json`). Patterns compile
with RE2, which runs in time linear in the line whatever the pattern, so a
hostile line cannot hang a run. A pack whose rule misses one of its own
`examples` or hits one of its `keeps` is refused at load.
"""
from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import jsonschema
import re2

from .errors import RulePackError
from .schema import load_json_schema

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False


@dataclass(frozen=True)
class Rule:
    id: str
    pattern: str
    regex: object
    examples: tuple[str, ...]
    keeps: tuple[str, ...]
    max_chars: int | None = None
    position: str = "any"
    rest: str | None = None
    description: str = ""

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    def __hash__(self) -> int:
        # the run's rule ids are unique, so the id is hash enough: the rule pass's prefilter cache hashes
        # every rule of the run twice a document, and the fields' hash (examples, keeps...) cost 3 us a rule
        return hash(self.id)

    def matches(self, text: str) -> bool:
        if self.max_chars is not None and len(text) > self.max_chars:
            return False
        return self.regex.search(text) is not None


@dataclass(frozen=True)
class Keep:
    """A `[[keep]]` pattern: a line it matches stays, whatever any rule, step or the model says."""
    id: str
    pattern: str
    regex: object
    examples: tuple[str, ...]
    description: str = ""

    def matches(self, text: str) -> bool:
        return self.regex.search(text) is not None


@dataclass(frozen=True)
class RulePack:
    name: str
    version: str
    language: str
    sha256: str
    path: str
    rules: tuple[Rule, ...]
    disable: tuple[str, ...] = ()  # rule ids (of any pack, structural step or model family) that remove nothing
    keep: tuple[Keep, ...] = ()
    description: str = ""


def builtin_path(name: str) -> Path:
    return Path(str(resources.files("cleaner") / "rules" / f"{name}.toml"))


def _compile(rule_id: str, pattern: str, where: str):
    try:
        return re2.compile(pattern, _RE2_OPTIONS)
    except re2.error as e:
        raise RulePackError(f"{where}: rule {rule_id}: pattern is not valid RE2 "
                            f"(no lookaround or backreferences): {e}") from None


def rule_failures(rule: Rule) -> list[str]:
    """What a rule gets wrong on its own examples and keeps (empty when it is right)."""
    out = [f"{rule.id} does not remove its example {t!r}" for t in rule.examples if not rule.matches(t)]
    out += [f"{rule.id} removes its keep {t!r}" for t in rule.keeps if rule.matches(t)]
    return out


def parse_pack(data: bytes, where: str) -> RulePack:
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise RulePackError(f"{where}: not a TOML rule pack: {e}") from None
    try:
        jsonschema.validate(doc, load_json_schema("rulepack"))
    except jsonschema.ValidationError as e:
        at = "/".join(map(str, e.absolute_path)) or "top level"
        raise RulePackError(f"{where}: {at}: {e.message}") from None
    rules, seen = [], set()
    for spec in doc.get("rules", ()):
        if spec["id"] in seen:
            raise RulePackError(f"{where}: rule id {spec['id']} appears twice")
        seen.add(spec["id"])
        rule = Rule(
            id=spec["id"], pattern=spec["pattern"], regex=_compile(spec["id"], spec["pattern"], where),
            examples=tuple(spec["examples"]), keeps=tuple(spec.get("keeps", ())),
            max_chars=spec.get("max_chars"), position=spec.get("position", "any"),
            rest=spec.get("rest"), description=spec.get("description", ""),
        )
        failures = rule_failures(rule)
        if failures:
            raise RulePackError(f"{where}: " + "; ".join(failures))
        rules.append(rule)
    keep = []
    for n, spec in enumerate(doc.get("keep", ()), 1):
        kid = spec.get("id", f"keep.{n}")
        k = Keep(id=kid, pattern=spec["pattern"], regex=_compile(kid, spec["pattern"], where),
                 examples=tuple(spec["examples"]), description=spec.get("description", ""))
        missed = [t for t in k.examples if not k.matches(t)]
        if missed:
            raise RulePackError(f"{where}: keep pattern {kid} does not match its example {missed[0]!r}")
        keep.append(k)
    p = doc["pack"]
    return RulePack(name=p["name"], version=p["version"], language=p["language"],
                    sha256=hashlib.sha256(data).hexdigest(), path=where, rules=tuple(rules),
                    disable=tuple(doc.get("disable", ())) + tuple(p.get("disable", ())), keep=tuple(keep), description=p.get("description", ""))


def check_packs(packs: tuple[RulePack, ...], known_ids: frozenset[str]) -> None:
    """Refuse packs that clash: a pack name or a rule id loaded twice (from two packs, or a pack's rule that
    takes a structural step's or the model's id), and a `disable` naming no rule anyone knows."""
    names: dict[str, str] = {}
    ids: dict[str, str] = {}
    for pack in packs:
        if pack.name in names:
            raise RulePackError(f"{pack.path}: pack name {pack.name!r} is already loaded from {names[pack.name]}; "
                                f"give the pack another [pack] name, or load only one of them")
        names[pack.name] = pack.path
        for rule in pack.rules:
            if rule.id in ids:
                raise RulePackError(f"{pack.path}: rule id {rule.id} is already defined by {ids[rule.id]}; give "
                                    f"the rule another id, or `disable = [\"{rule.id}\"]` and add yours under a new one")
            if rule.id in known_ids:
                raise RulePackError(f"{pack.path}: rule id {rule.id} is a structural step's or the line model's; "
                                    f"give the rule another id")
            ids[rule.id] = f"pack {pack.name} ({pack.path})"
    every = known_ids | set(ids) | {r.rest for p in packs for r in p.rules if r.rest}
    for pack in packs:
        for rid in pack.disable:
            if rid not in every:
                import difflib
                near = difflib.get_close_matches(rid, sorted(every), n=1)
                hint = f" (did you mean {near[0]}?)" if near else ""
                raise RulePackError(f"{pack.path}: disable names {rid!r}, which no loaded pack, step or model "
                                    f"family defines{hint}; `cleaner rules` lists every id")


def load_pack(name_or_path: str) -> RulePack:
    """A built-in pack by name (`vi-news`) or a TOML file by path, read again at every call (a pack
    edited between two runs in one process is seen) and parsed once per content."""
    path = Path(name_or_path)
    if not path.suffix:
        path = builtin_path(name_or_path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise RulePackError(f"rule pack {name_or_path!r}: cannot read {path}: {e.strerror}") from None
    return _parse_once(data, str(path))


@cache
def _parse_once(data: bytes, where: str) -> RulePack:
    return parse_pack(data, where)
