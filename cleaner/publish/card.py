"""The dataset card: Hugging Face YAML front matter and a human section, from the run's own figures."""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import yaml

from ..passes import unicode as unicode_pass
from ..schema import load_json_schema
from ..stats import MOVED_FAMILIES

SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
                   (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B"))


def size_category(n: int) -> str:
    for limit, name in SIZE_CATEGORIES:
        if n < limit:
            return name
    return "1B<n<10B"


# Arrow's names of the types whose `datasets` name differs (the others are the same: string, int32, bool, ...)
_DTYPES = {"double": "float64", "float": "float32", "halffloat": "float16"}


def features_yaml(schema: pa.Schema) -> list:
    """The `dataset_info` features of the schema, as `datasets.Features.from_arrow_schema(schema)._to_yaml_list()`
    writes them (a test holds the two equal for every table a version has), without importing `datasets` and
    pandas, which took about 1 s of every run.

    >>> features_yaml(pa.schema([("n", pa.int32()), ("tags", pa.list_(pa.string()))]))
    [{'name': 'n', 'dtype': 'int32'}, {'name': 'tags', 'list': 'string'}]
    """
    return [{"name": field.name, **_feature(field.type)} for field in schema]


def _feature(kind: pa.DataType) -> dict:
    if pa.types.is_list(kind):
        inner = _feature(kind.value_type)
        if "list" in inner:
            raise ValueError(f"no dataset card type for {kind}")  # none of the tables has one
        return {"list": inner.get("dtype", inner.get("struct"))}
    if pa.types.is_struct(kind):
        return {"struct": [{"name": f.name, **_feature(f.type)} for f in kind]}
    if pa.types.is_nested(kind) or pa.types.is_dictionary(kind):
        raise ValueError(f"no dataset card type for {kind}")  # none of the tables has one
    return {"dtype": _DTYPES.get(str(kind), str(kind))}


def split_sizes(files) -> dict:
    """The `dataset_info` sizes of one config's Parquet files, as the Hub writes them.

    They also key `datasets`' cache of a local folder: without them, two version
    folders of the same name (`v1.0.0`) would share one cache entry.
    """
    import pyarrow.parquet as pq

    rows = size = download = 0
    for path in files:
        meta = pq.ParquetFile(path).metadata
        rows += meta.num_rows
        size += sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        download += path.stat().st_size
    return {"splits": [{"name": "train", "num_bytes": size, "num_examples": rows}],
            "download_size": download, "dataset_size": size}


def front_matter(*, name: str, license: str, languages: list[str], documents: int,
                 configs: dict[str, tuple[str, pa.Schema, dict]]) -> dict:
    """`configs` maps config name -> (data_files glob, schema, split_sizes); the first is the default."""
    names = list(configs)
    return {
        "pretty_name": name,
        "license": license,
        "language": languages,
        "task_categories": ["text-generation"],
        "size_categories": [size_category(documents)],
        "configs": [
            {"config_name": "default" if i == 0 else cfg, **({"default": True} if i == 0 else {}),
             "data_files": [{"split": "train", "path": configs[cfg][0]}]}
            for i, cfg in enumerate(names)
        ],
        "dataset_info": [
            {"config_name": "default" if i == 0 else cfg, "features": features_yaml(configs[cfg][1]), **configs[cfg][2]}
            for i, cfg in enumerate(names)
        ],
    }


def render(meta: dict, *, name: str, version: str, stats: dict, packs: list[dict], removed_by_family: dict,
           changelog: str = "", plots: list[str] = ()) -> str:
    read, kept = stats["documents_read"], stats["documents_kept"]
    rejected = stats["documents_rejected"]
    removed = stats["lines_removed"]
    body = [
        f"# {name} v{version}",
        "",
        "Scraped news text cleaned line by line by `cleaner`: every raw line is either in a document's "
        "`text` or listed in its `removed` column with the rule that took it out, and every input document "
        "is either a row of the `default` config or a row of the `rejects` config with its reason.",
        "",
        *load_section(name, version, configs=[c["config_name"] for c in meta.get("configs", [])]),
        "## Figures",
        "",
        "| documents read | kept | rejected |",
        "|---:|---:|---:|",
        f"| {read} | {kept} | {sum(rejected.values())} |",
        "",
    ]
    if rejected:
        body += ["Rejected, by reason: " + ", ".join(f"`{k}` {v}" for k, v in rejected.items()) + ".", ""]
    moved = {r: n for r, n in removed.items() if r.split(".", 1)[0] in MOVED_FAMILIES}
    junk = {r: n for r, n in sorted(removed.items(), key=lambda kv: (-kv[1], kv[0])) if r not in moved}
    in_rejected = sum(stats.get("lines_removed_rejected", {}).values())
    body += [f"Lines kept: {stats['lines_kept']}; lines removed as junk: {sum(junk.values())}"
             + (f"; headline lines moved to `title` (not junk): {sum(moved.values())}" if moved else "")
             + (f"; lines removed from rejected documents: {in_rejected}" if in_rejected else "")
             + f". Words kept: {stats['words_kept']}. Characters kept: {stats['chars_kept']} of {stats['chars_raw']}.", "",
             "Languages: " + ", ".join(f"`{k}` {v}" for k, v in stats["languages"].items()) + ".", "",
             "### Lines removed, by rule family", "", "| family | lines |", "|---|---:|"]
    body += [f"| {fam} | {n} |" for fam, n in removed_by_family.items()]
    body += ["", "### Lines removed, by rule", "", "Most first; `cleaner rules` says what each rule is and where it "
             "comes from.", "", "| rule | lines |", "|---|---:|"]
    body += [f"| `{rule}` | {n} |" for rule, n in junk.items()]
    if moved:
        body += ["", "Moved to the `title` field, not removed as junk: "
                 + ", ".join(f"`{r}` {n}" for r, n in sorted(moved.items(), key=lambda kv: -kv[1])) + "."]
    body += ["", *[f"![{p}]({p})" for p in plots]] if plots else []
    body += _dedup_section(stats, read)
    body += _coverage_section(stats, kept)
    body += ["", "## How it was cleaned", "",
             "Passes, in order: " + ", ".join(f"`{p}`" for p in _pass_order()) + ".", "",
             "Rule packs: " + ", ".join(f"`{p['name']}` {p['version']} (sha256 {p['sha256'][:12]})" for p in packs) + ".", "",
             "Normalization convention: " + " ".join(unicode_pass.__doc__.split("\n\n", 1)[1].split()), ""]
    body += _uses_sections()
    body += _columns_section()
    if changelog:
        body += ["## Changelog", "", changelog.replace("## ", "### ", 1)]
    yaml_text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return f"---\n{yaml_text}---\n\n" + "\n".join(body)


LOAD_HEADING = "## Load it"


def load_section(name: str, version: str, repo: str | None = None, configs=("default", "rejects", "removals")) -> list[str]:
    """The card's "Load it" section: from a local folder (`path/to/NAME`), or, for the card a push sends,
    from the hub repo `repo` at the tag the push creates, `vX.Y.Z`; either way naming only the configs the
    version has.

    >>> print("\\n".join(load_section("vi", "1.0.0", repo="org/vi", configs=("default",))))
    ## Load it
    <BLANKLINE>
    ```python
    import cleaner
    ds = cleaner.load("org/vi", version="1.0.0")  # the tag v1.0.0 of the hub repo
    <BLANKLINE>
    from datasets import load_dataset
    ds = load_dataset("org/vi", revision="v1.0.0", split="train")
    ```
    <BLANKLINE>
    >>> [line for line in load_section("vi", "1.0.0", configs=("default", "removals")) if "load_dataset(" in line]
    ['ds = load_dataset("path/to/vi/v1.0.0", split="train")', 'removals = load_dataset("path/to/vi/v1.0.0", "removals", split="train")  # the audit']
    """
    if repo is None:
        where = f"path/to/{name}/v{version}"
        lines = [f'ds = cleaner.load("path/to/{name}", version="{version}")  # the folder that holds the versions',
                 "", "from datasets import load_dataset", f'ds = load_dataset("{where}", split="train")',
                 *([f'rejects = load_dataset("{where}", "rejects", split="train")'] if "rejects" in configs else []),
                 *([f'removals = load_dataset("{where}", "removals", split="train")  # the audit']
                   if "removals" in configs else [])]
    else:
        at = f'revision="v{version}"'
        lines = [f'ds = cleaner.load("{repo}", version="{version}")  # the tag v{version} of the hub repo', "",
                 "from datasets import load_dataset", f'ds = load_dataset("{repo}", {at}, split="train")']
        lines += [f'rejects = load_dataset("{repo}", "rejects", {at}, split="train")'] if "rejects" in configs else []
        lines += ([f'removals = load_dataset("{repo}", "removals", {at}, split="train")  # the audit']
                  if "removals" in configs else [])
    return [LOAD_HEADING, "", "```python", "import cleaner", *lines, "```", ""]


def for_hub(text: str, repo: str, name: str, version: str) -> str:
    """The card of version `version` of `name` as a push sends it to `repo`: its "Load it" section names the
    repo and the tag `vX.Y.Z` instead of a local path; the rest is the card as written."""
    meta = yaml.safe_load(text[4:].split("\n---\n", 1)[0])
    head, rest = text.split(f"\n{LOAD_HEADING}\n", 1)
    tail = rest[rest.index("\n## "):]
    configs = [c["config_name"] for c in meta.get("configs", [])]
    return head + "\n" + "\n".join(load_section(name, version, repo, configs)).rstrip("\n") + "\n" + tail


def _uses_sections() -> list[str]:
    return [
        "## Uses", "",
        "Text for pretraining or adapting language models on Vietnamese news, and for studying news text. The "
        "`removed` column and the `removals` config make the cleaning auditable: what was taken out, by which rule; "
        "the `rejects` config says why each document was left out.", "",
        "Out of scope: using the `authors` column to profile people; treating the text as verified facts.", "",
        "## Limitations", "",
        "Cleaning is rule-, step- and model-based line by line: some boilerplate stays and some article lines go "
        "(see the quality figures in the cleaner README; every decision is in `removed`). Metadata (`title`, "
        "`published`, `authors`, ...) is extracted from the text and can be wrong or missing (see Field coverage). "
        "Near-duplicate detection is approximate (MinHash). The text keeps the biases and errors of its sources.", "",
        "## Personal information", "",
        "News text names real people. The `authors` column holds the names of journalists as bylines give them, "
        "`photo_credits` the names of photographers, and the text and `removed` lines may name anyone the articles "
        "mention. Nothing was anonymized. Use it in line with the sources' terms and the data protection law that "
        "applies to you, and remove a person's data on request.", "",
    ]


def _columns_section() -> list[str]:
    """Every column of every config, described from the JSON schemas the tables are made from."""
    out = ["## Columns", ""]
    for config, schema in (("default", "document"), ("rejects", "rejects"), ("removals", "removals")):
        props = load_json_schema(schema)["properties"]
        out += [f"### `{config}`", "", "| column | description |", "|---|---|"]
        out += [f"| `{col}` | {' '.join(p.get('description', '').split()).replace('|', '/')} |" for col, p in props.items()]
        out.append("")
    out += ["`hashes.parquet` holds each kept document's content hash (what `cleaner diff` compares); "
            "`manifest.json` the config, rule-pack hashes and file checksums.", ""]
    return out


def _dedup_section(stats: dict, read: int) -> list[str]:
    rejected = stats["documents_rejected"]
    exact, near = rejected.get("duplicate", 0), rejected.get("near_duplicate", 0)
    out = ["", "### Deduplication", "",
           f"Exact duplicates removed: {exact} ({exact / read:.1%} of documents read); "
           f"near duplicates removed: {near} ({near / read:.1%})." if read else "No documents read.", "",
           "Cluster sizes (documents per cluster, duplicates included; `cluster_size` on every row):", "",
           "| cluster size | clusters |", "|---:|---:|"]
    out += [f"| {size} | {n} |" for size, n in stats["cluster_sizes"].items()]
    by_source = stats["frequent_lines_by_source"]
    if by_source:
        out += ["", "Lines removed as site boilerplate (`dedup.frequent_line`), by source:", "",
                "| source | lines |", "|---|---:|"]
        out += [f"| {src} | {n} |" for src, n in list(by_source.items())[:30]]
    return out


def _coverage_section(stats: dict, kept: int) -> list[str]:
    out = ["", "### Field coverage", "", "Share of documents with each metadata field filled:", "",
           "| field | documents | share |", "|---|---:|---:|"]
    cover = stats["field_coverage"]
    from ..engine import COVERED_FIELDS
    out += [f"| `{f}` | {cover.get(f, 0)} | {cover.get(f, 0) / kept:.0%} |" for f in COVERED_FIELDS] if kept else []
    return out


def _pass_order() -> tuple[str, ...]:
    from ..pipeline import PASS_ORDER
    return PASS_ORDER


def _shipped_values(name: str) -> set[str]:
    """A value list that `datasets` ships (languages, size categories), for offline checks: read from its
    folder without importing it."""
    import json
    from importlib.util import find_spec

    spec = find_spec("datasets")  # a top-level package's spec: found, not imported
    folder = Path(next(iter(spec.submodule_search_locations)))
    return set(json.loads((folder / "utils" / "resources" / f"{name}.json").read_text(encoding="utf-8")))


def validate(meta: dict, parse: bool = True) -> list[str]:
    """What in the front matter the Hub would not accept (empty when all is well), checked offline: the
    languages and size category against the Hub's lists and, with `parse`, `configs` and `dataset_info`
    by the Hub's own parsers (in `datasets`, whose import is most of a second: a run leaves that to `push`,
    the card's layout being fixed, and tested)."""
    problems = []
    languages = _shipped_values("languages")
    problems += [f"language {lang!r} is not a known language code" for lang in meta.get("language", []) if lang not in languages]
    sizes = _shipped_values("size_categories")
    problems += [f"size category {s!r} is not one the Hub knows" for s in meta.get("size_categories", []) if s not in sizes]
    if not parse:
        return problems
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs

    try:
        MetadataConfigs.from_dataset_card_data({"configs": meta["configs"]})
        infos = DatasetInfosDict.from_dataset_card_data({"dataset_info": meta["dataset_info"]})
        if set(infos) != {c["config_name"] for c in meta["configs"]}:
            problems.append("dataset_info and configs name different configs")
    except Exception as e:  # the Hub's own parsers: any failure is a card problem
        problems.append(f"configs/dataset_info do not parse: {e}")
    return problems
