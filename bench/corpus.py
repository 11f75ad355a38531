"""Realistic synthetic corpora from real articles, with planted duplicates whose truth is known.

    python bench/corpus.py --docs 10000 --out /tmp/corpus.jsonl [--source ../shared/samples/raw]

Sentences come from real raw articles; each generated article is a fresh draw of
sentences with some words swapped, wrapped in real-looking page junk. Planted:
exact copies (same body, other spacing and case), near copies (a few words
changed), copies with different junk around the same body, and same-topic
articles (a share of sentences in common) that must stay apart. A tone-stripped
copy of an article is planted as a distinct article: tone marks make other words.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import unicodedata
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES = [ROOT.parent / "shared" / "samples" / "raw", ROOT / "examples" / "vi-news"]

HEADERS = ["Trang chủ", "Tin tức", "Thời sự", "Multimedia Đọc Báo in", "Chia sẻ", "{date}", "Ngày đăng: {date}",
           "Cập nhật: {date}"]
FOOTERS = ["Tin, ảnh: {name}", "{name}", "Ý kiến bạn đọc", "Các tin khác:", "Theo TTXVN", "Quảng cáo",
           "Tác giả: {name}", "Gửi bình luận"]
MAX_BODIES = 5000  # articles kept to be copied from
NAMES = ["Minh Anh", "Hoàng Tuyến", "Thu Hà", "Văn Dương", "Quỳnh Anh", "Đức Đồng", "Lê Thuận", "Ngọc Vân"]


@dataclass
class Doc:
    id: str
    text: str
    original: str  # id of the article this one copies; its own id when it is an original
    kind: str  # original, exact, near, junk, topic, tone
    published: str | None = None
    extra: dict = field(default_factory=dict)


def sentences(sources: list[Path]) -> list[str]:
    out = []
    for folder in sources:
        for path in sorted(folder.glob("*.txt")) if folder.is_dir() else ():
            for line in path.read_text(encoding="utf-8").splitlines():
                if len(line) > 80 and line.rstrip().endswith("."):
                    out += [s.strip().rstrip(".") + "." for s in re.split(r"(?<=[.!?])\s+", line) if len(s.split()) >= 8]
    return sorted(set(out))


def strip_tones(text: str) -> str:
    """Drop the five tone marks (keeping vowel shapes): a different word in almost every syllable."""
    nfd = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in nfd if c not in "\u0300\u0301\u0303\u0309\u0323"))


class Generator:
    def __init__(self, pool: list[str], seed: int = 0):
        if len(pool) < 20:
            raise SystemExit("need at least 20 source sentences: point --source at raw articles")
        self.rng = random.Random(seed)
        self.pool = pool
        self.vocab = sorted({w for s in pool for w in s.split() if w.isalpha()})

    def _mutate(self, sentence: str, share: float) -> str:
        words = sentence.split()
        return " ".join(self.rng.choice(self.vocab) if self.rng.random() < share else w for w in words)

    def body(self, n: int = 10) -> list[str]:
        """A fresh article body: paragraphs of drawn sentences, a fifth of the words swapped."""
        sents = [self._mutate(self.rng.choice(self.pool), 0.2) for _ in range(n)]
        return [" ".join(sents[i:i + 2]) for i in range(0, n, 2)]

    def wrap(self, paragraphs: list[str], title: str) -> str:
        date = f"{self.rng.randint(1, 28):02d}/{self.rng.randint(1, 12):02d}/20{self.rng.randint(15, 25)}"
        name = self.rng.choice(NAMES)
        head = [h.format(date=date, name=name) for h in self.rng.sample(HEADERS, 2)]
        foot = [f.format(date=date, name=name) for f in self.rng.sample(FOOTERS, 2)]
        return "\n\n".join(head + [title] + paragraphs + foot) + "\n"

    def near(self, paragraphs: list[str], per_words: int = 100) -> list[str]:
        """A few words changed: one in every `per_words` (at least one), so Jaccard stays about 0.9."""
        out = list(paragraphs)
        for _ in range(max(1, sum(len(p.split()) for p in out) // per_words)):
            i = self.rng.randrange(len(out))
            words = out[i].split()
            j = self.rng.randrange(len(words))
            words[j] = self.rng.choice(self.vocab)
            out[i] = " ".join(words)
        return out

    def corpus(self, n: int, dup_share: float = 0.3) -> list[Doc]:
        return list(self.documents(n, dup_share))

    def documents(self, n: int, dup_share: float = 0.3) -> Iterator[Doc]:
        """`n` documents, one at a time; copies are made of the last `MAX_BODIES` articles, so memory stays flat."""
        bodies: dict[str, tuple[list[str], str]] = {}
        recent: deque[str] = deque()
        tone_of: dict[str, str] = {}
        made = 0

        def remember(i: str, body: tuple[list[str], str]) -> None:
            bodies[i] = body
            recent.append(i)
            if len(recent) > MAX_BODIES:
                old = recent.popleft()
                del bodies[old]
                tone_of.pop(old, None)

        while made < n:
            roll = self.rng.random()
            i = f"doc{made:07d}"
            if not bodies or roll >= dup_share:
                paras, title = self.body(self.rng.randint(8, 14)), self._mutate(self.rng.choice(self.pool), 0.3)[:90]
                remember(i, (paras, title))
                made += 1
                yield Doc(i, self.wrap(paras, title), i, "original", f"2024-01-{made % 28 + 1:02d}")
                continue
            orig = recent[self.rng.randrange(len(recent))]
            paras, title = bodies[orig]
            kind = self.rng.choice(["exact", "near", "junk", "topic", "tone"])
            if kind == "exact":
                doc = Doc(i, self.wrap([re.sub(" ", "  ", p) for p in paras], title), orig, kind, "2025-01-01")
            elif kind == "near":
                doc = Doc(i, self.wrap(self.near(paras), title), orig, kind, "2025-01-01")
            elif kind == "junk":
                doc = Doc(i, self.wrap(paras, title), orig, kind, "2025-01-01")
            elif kind == "topic":  # same topic: two fifths of the paragraphs in common, the rest new
                mixed = paras[: max(1, len(paras) * 2 // 5)] + self.body(len(paras) * 2)[: len(paras) - len(paras) * 2 // 5]
                remember(i, (mixed, title))
                doc = Doc(i, self.wrap(mixed, title), i, kind, "2025-01-01")
            else:  # tone-stripped: different syllables throughout, a different document
                stripped = [strip_tones(p) for p in paras]
                if stripped == paras:
                    continue
                first = tone_of.setdefault(orig, i)  # a second stripped copy of one article copies the first
                if first == i:
                    remember(i, (stripped, strip_tones(title)))
                doc = Doc(i, self.wrap(stripped, strip_tones(title)), first, kind, "2025-01-01")
            made += 1
            yield doc


def write_jsonl(docs: Iterable[Doc], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps({"id": d.id, "text": d.text, "published": d.published}, ensure_ascii=False) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--truth", type=Path, help="also write id,original,kind as JSONL here")
    ap.add_argument("--source", type=Path, action="append", help="folders of raw .txt articles")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    truth = []
    docs = Generator(sentences(args.source or DEFAULT_SOURCES), args.seed).documents(args.docs)
    if args.truth:
        docs = (truth.append({"id": d.id, "original": d.original, "kind": d.kind}) or d for d in docs)
    write_jsonl(docs, args.out)
    if args.truth:
        args.truth.write_text("".join(json.dumps(t) + "\n" for t in truth))
    print(f"{args.docs} documents -> {args.out}")


if __name__ == "__main__":
    main()
