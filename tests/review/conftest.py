from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import cleaner
from cleaner.config import Config

SCRIPT_LINE = '<script>document.title="pwned"</script>'
SCRIPT_DOC = "\n".join([
    "Người dân xã Tân Lập đón mùa lúa bội thu sau nhiều năm mất mùa",
    "",
    "Năm nay, nhờ thời tiết thuận lợi và giống lúa mới, bà con nông dân xã Tân Lập thu hoạch được năng suất "
    "cao nhất từ trước đến nay, nhiều hộ gia đình đã có thêm thu nhập để sửa sang nhà cửa.",
    SCRIPT_LINE,
    "Theo ông Nguyễn Văn Hùng, Chủ tịch UBND xã, toàn xã có hơn 300 ha lúa, trong đó phần lớn đã được thu hoạch "
    "xong trước khi mùa mưa bão đến, người dân rất phấn khởi.",
    "",
    "Bình luận",
    "",
])


@pytest.fixture(scope="session")
def script_line() -> str:
    return SCRIPT_LINE


@pytest.fixture(scope="session")
def corpus(tmp_path_factory, examples) -> Path:
    """The bundled examples, a page with a scraped <script> line, and a JSONL file (sources `x.jsonl:N`)."""
    root = tmp_path_factory.mktemp("review-corpus")
    shutil.copytree(examples, root / "txt")
    (root / "txt" / "script.txt").write_text(SCRIPT_DOC, encoding="utf-8")
    (root / "extra.jsonl").write_text(json.dumps({"id": "j1", "text": SCRIPT_DOC.replace("Tân Lập", "Hòa Bình")},
                                                 ensure_ascii=False) + "\nnot json\n", encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def built(tmp_path_factory, corpus) -> Path:
    """OUT/vi with v1.0.0: several data files of several row groups, and a rejects table."""
    out = tmp_path_factory.mktemp("review-out")
    here = os.getcwd()
    os.chdir(corpus.parent)  # as a user runs it: inputs given relative to where they are, as the manifest keeps them
    try:
        cleaner.clean(Config(inputs=(f"{corpus.name}/txt", f"{corpus.name}/extra.jsonl"), out=str(out), name="vi",
                             version="1.0.0", progress=False, workers=1, shard_rows=4, row_group_rows=2))
    finally:
        os.chdir(here)
    return out / "vi"


@pytest.fixture
def dataset(built, tmp_path) -> Path:
    """A fresh copy of OUT/vi (no marks yet); the manifest's inputs still point at the corpus."""
    copy = tmp_path / "out" / "vi"
    shutil.copytree(built, copy)
    return copy
