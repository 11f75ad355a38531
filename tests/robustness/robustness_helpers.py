"""Helpers for the robustness suite: real files, real subprocesses, no mocks of the file system."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[2]
VI = ("Giá xăng dầu hôm nay tiếp tục tăng mạnh tại Hà Nội.\n\n"
      "Người dân ở Đà Nẵng cho biết họ đã chuẩn bị cho đợt điều chỉnh giá mới của Bộ Công Thương.\n"
      "Theo các chuyên gia, thị trường sẽ ổn định trở lại vào cuối quý này nếu nguồn cung được bảo đảm.\n")
TONES = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 the way Vietnamese Windows wrote it: base letters precomposed, tone marks combining."""
    out = []
    for ch in text:
        d = unicodedata.normalize("NFD", ch)
        out.append(unicodedata.normalize("NFC", "".join(c for c in d if c not in TONES)) + "".join(c for c in d if c in TONES))
    return "".join(out).encode("cp1258")


def cli(*args: str, env: dict | None = None, cwd: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cleaner", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, **(env or {})}, timeout=timeout)


def rows(version: Path, table: str) -> list[dict]:
    files = sorted((version / table).glob("*.parquet"))
    return [r for f in files for r in pq.read_table(f).to_pylist()]


def write_corpus(folder: Path, docs: int, files: int, seed: int = 7) -> Path:
    """A realistic corpus from bench/corpus.py's Generator over the bundled examples, split into `files` JSONL files."""
    from corpus import Generator, sentences  # bench/corpus.py (bench/ is on pytest's pythonpath)
    made = Generator(sentences([ROOT / "examples" / "vi-news"]), seed).corpus(docs)
    folder.mkdir(parents=True, exist_ok=True)
    per = -(-len(made) // files)
    for i in range(files):
        with open(folder / f"part-{i:03d}.jsonl", "w", encoding="utf-8") as f:
            for d in made[i * per:(i + 1) * per]:
                f.write(json.dumps({"id": d.id, "text": d.text, "published": d.published}, ensure_ascii=False) + "\n")
    return folder
