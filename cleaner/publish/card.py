"""The dataset card: Hugging Face YAML front matter and a human section, from the run's own figures."""
from __future__ import annotations

import datasets
import pyarrow as pa
import yaml

from ..passes import unicode as unicode_pass

SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
                   (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B"))


def size_category(n: int) -> str:
    for limit, name in SIZE_CATEGORIES:
        if n < limit:
            return name
    return "1B<n<10B"


def features_yaml(schema: pa.Schema) -> list:
    return datasets.Features.from_arrow_schema(schema)._to_yaml_list()


def front_matter(*, name: str, license: str, languages: list[str], documents: int,
                 configs: dict[str, tuple[str, pa.Schema]]) -> dict:
    """`configs` maps config name -> (data_files glob, schema); the first is the default."""
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
            {"config_name": "default" if i == 0 else cfg, "features": features_yaml(configs[cfg][1])}
            for i, cfg in enumerate(names)
        ],
    }


def render(meta: dict, *, name: str, version: str, stats: dict, packs: list[dict], removed_by_family: dict) -> str:
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
        "## Load it",
        "",
        "```python",
        "import cleaner",
        f'ds = cleaner.load("{name}", version="{version}")  # from the folder that holds the versions',
        "",
        "from datasets import load_dataset",
        f'ds = load_dataset("path/to/{name}/v{version}", split="train")',
        f'rejects = load_dataset("path/to/{name}/v{version}", "rejects", split="train")',
        "```",
        "",
        "## Figures",
        "",
        "| documents read | kept | rejected |",
        "|---:|---:|---:|",
        f"| {read} | {kept} | {sum(rejected.values())} |",
        "",
    ]
    if rejected:
        body += ["Rejected, by reason: " + ", ".join(f"`{k}` {v}" for k, v in rejected.items()) + ".", ""]
    body += [f"Lines kept: {stats['lines_kept']}; lines removed: {sum(removed.values())}. "
             f"Characters kept: {stats['chars_kept']} of {stats['chars_raw']}.", "",
             "Languages: " + ", ".join(f"`{k}` {v}" for k, v in stats["languages"].items()) + ".", "",
             "### Lines removed, by rule family", "", "| family | lines |", "|---|---:|"]
    body += [f"| {fam} | {n} |" for fam, n in removed_by_family.items()]
    body += ["", "### Lines removed, by rule", "", "| rule | lines |", "|---|---:|"]
    body += [f"| `{rule}` | {n} |" for rule, n in removed.items()]
    body += ["", "## How it was cleaned", "",
             "Passes, in order: " + ", ".join(f"`{p}`" for p in _pass_order()) + ".", "",
             "Rule packs: " + ", ".join(f"`{p['name']}` {p['version']} (sha256 {p['sha256'][:12]})" for p in packs) + ".", "",
             "Normalization convention: " + " ".join(unicode_pass.__doc__.split("\n\n", 1)[1].split()), "",
             "## Columns", "",
             "See `schemas/document.schema.json` in the cleaner repository; `removed` holds "
             "`{line, rule, text}` for every raw line taken out (1-based raw line numbers).", ""]
    yaml_text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return f"---\n{yaml_text}---\n\n" + "\n".join(body)


def _pass_order() -> tuple[str, ...]:
    from ..pipeline import PASS_ORDER
    return PASS_ORDER
