"""Language cascade against langdetect on everything, on a mixed corpus built here.

    python bench/lang_agreement.py [--per-kind 300]

The corpus (seeded): Vietnamese from the labelled samples (whole articles and
runs of 1 to 6 of their lines, so short text too), the same tone-stripped
(`corpus.strip_tones`: ơ, ư, ă, â, đ kept) and fully unaccented (every mark
dropped, đ -> d), English, French, Indonesian and Chinese texts drawn from
sentences written for this script, and mixed vi/en (Vietnamese lines and
English sentences interleaved, or one after the other). For each text:
`cleaner.passes.lang.detect` (the cascade) and `detect_langdetect` (langdetect on
every text, as before issue 13), both with the default 500-character sample.
Prints agreement on the language per kind and overall, how many texts the
letter check decided, the largest lang_prob difference where it decided, and
the time of each path. Run by hand; not part of the test suite.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import strip_tones  # noqa: E402

from cleaner.passes import lang  # noqa: E402

EN = ["The city council approved the new budget after a long debate on Tuesday evening.",
      "Heavy rain caused flooding in several districts, and schools were closed for two days.",
      "The company reported higher profits this quarter thanks to strong exports.",
      "Police said the driver had been arrested and the investigation was continuing.",
      "Farmers in the region are worried about the drought and the falling price of rice.",
      "The minister told reporters that the government would support small businesses.",
      "Thousands of fans gathered at the stadium to watch the final match of the season.",
      "Scientists warned that rising sea levels threaten coastal cities across Asia.",
      "The new bridge will cut travel time between the two provinces by almost an hour.",
      "Health officials urged residents to get vaccinated before the flu season begins."]
FR = ["Le conseil municipal a approuvé le nouveau budget après un long débat mardi soir.",
      "De fortes pluies ont provoqué des inondations et les écoles sont restées fermées deux jours.",
      "L'entreprise a annoncé des bénéfices en hausse grâce à la vigueur des exportations.",
      "La police a indiqué que le conducteur avait été arrêté et que l'enquête se poursuivait.",
      "Les agriculteurs de la région s'inquiètent de la sécheresse et de la baisse du prix du riz.",
      "Le ministre a déclaré aux journalistes que le gouvernement soutiendrait les petites entreprises.",
      "Des milliers de supporters se sont réunis au stade pour regarder la finale de la saison.",
      "Les scientifiques ont averti que la montée des eaux menace les villes côtières d'Asie.",
      "Le nouveau pont réduira de près d'une heure le trajet entre les deux provinces.",
      "Les autorités sanitaires ont exhorté les habitants à se faire vacciner avant l'hiver."]
ID = ["Dewan kota menyetujui anggaran baru setelah perdebatan panjang pada Selasa malam.",
      "Hujan deras menyebabkan banjir di beberapa kecamatan dan sekolah ditutup selama dua hari.",
      "Perusahaan melaporkan laba yang lebih tinggi berkat ekspor yang kuat.",
      "Polisi mengatakan pengemudi telah ditangkap dan penyelidikan masih berlanjut.",
      "Para petani di wilayah itu khawatir tentang kekeringan dan turunnya harga beras.",
      "Menteri mengatakan kepada wartawan bahwa pemerintah akan mendukung usaha kecil.",
      "Ribuan penggemar berkumpul di stadion untuk menonton pertandingan final musim ini.",
      "Para ilmuwan memperingatkan bahwa kenaikan permukaan laut mengancam kota pesisir di Asia.",
      "Jembatan baru akan memangkas waktu perjalanan antara kedua provinsi hampir satu jam.",
      "Petugas kesehatan mendesak warga untuk divaksinasi sebelum musim flu dimulai."]
ZH = ["市议会在周二晚上经过长时间辩论后批准了新预算。",
      "暴雨导致多个地区发生洪水，学校停课两天。",
      "由于出口强劲，该公司本季度利润有所增长。",
      "警方表示，司机已被逮捕，调查仍在继续。",
      "该地区的农民担心干旱和大米价格下跌。",
      "部长告诉记者，政府将支持小企业的发展。",
      "数千名球迷聚集在体育场观看本赛季的决赛。",
      "科学家警告说，海平面上升威胁着亚洲的沿海城市。",
      "新大桥将使两省之间的行车时间缩短近一个小时。",
      "卫生官员敦促居民在流感季节到来之前接种疫苗。"]


def unaccent(text: str) -> str:
    """Every mark dropped (tones and vowel shapes), đ -> d: Vietnamese as typed without a keyboard layout."""
    nfd = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in nfd if not unicodedata.combining(c))


def build(per_kind: int, seed: int = 0) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    articles = [p.read_text(encoding="utf-8") for d in ("samples", "samples2")
                for p in sorted((ROOT.parent / "shared" / d / "raw").glob("*.txt"))]
    vi_lines = [l for a in articles for l in a.splitlines() if l.strip()]

    def vi_text() -> str:
        if rng.random() < 0.4:
            return rng.choice(articles)
        k = rng.randrange(len(vi_lines))
        return "\n".join(vi_lines[k:k + rng.randint(1, 6)])

    def other(sents: list[str]) -> str:
        return ("" if sents is ZH else " ").join(rng.choice(sents) for _ in range(rng.randint(1, 12)))

    def mixed() -> str:
        vi = vi_text().splitlines()
        en = [rng.choice(EN) for _ in range(rng.randint(1, 8))]
        if rng.random() < 0.5:
            return "\n".join(vi + en)
        return "\n".join(x for pair in zip(vi, en) for x in pair)

    makers = {"vi": vi_text, "vi-tones-stripped": lambda: strip_tones(vi_text()),
              "vi-unaccented": lambda: unaccent(vi_text()), "en": lambda: other(EN), "fr": lambda: other(FR),
              "id": lambda: other(ID), "zh": lambda: other(ZH), "vi+en": mixed}
    return [(kind, make()) for kind, make in makers.items() for _ in range(per_kind)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-kind", type=int, default=300)
    ap.add_argument("--chars", type=int, default=500)
    args = ap.parse_args()
    texts = build(args.per_kind)
    t0 = time.perf_counter()
    ref = [lang.detect_langdetect(t, args.chars) for _, t in texts]
    t1 = time.perf_counter()
    got = [lang.detect(t, args.chars) for _, t in texts]
    t2 = time.perf_counter()
    fast = [lang._clear_vietnamese(ps, sum(c.isalpha() for c in "\n".join(ps))) is not None
            and sum(c.isalpha() for c in "\n".join(ps)) >= lang.MIN_LETTERS
            for ps in ([lang.words_only(p) for p in lang.blocks(t, args.chars)] for _, t in texts)]
    print(f"{len(texts):,} texts, {args.per_kind} per kind, {args.chars}-character sample\n")
    print("| kind | texts | same language | decided by the letter check |")
    print("|---|---:|---:|---:|")
    for kind in dict.fromkeys(k for k, _ in texts):
        idx = [i for i, (k, _) in enumerate(texts) if k == kind]
        same = sum(got[i][0] == ref[i][0] for i in idx)
        print(f"| {kind} | {len(idx)} | {same / len(idx):.1%} | {sum(fast[i] for i in idx)} |")
    same = sum(g[0] == r[0] for g, r in zip(got, ref))
    diffs = [abs(g[1] - r[1]) for g, r, f in zip(got, ref, fast) if f]
    print(f"\nagreement: {same}/{len(texts)} = {same / len(texts):.2%}")
    print(f"letter check decided {sum(fast)} texts; lang_prob there vs langdetect's: "
          f"max difference {max(diffs, default=0):.4f}, mean {sum(diffs) / max(1, len(diffs)):.4f}")
    print(f"time: langdetect on everything {t1 - t0:.2f} s, cascade {t2 - t1:.2f} s ({(t1 - t0) / (t2 - t1):.2f}x)")
    for (kind, t), g, r in zip(texts, got, ref):
        if g[0] != r[0]:
            print(f"  differs ({kind}): cascade {g}, langdetect {r}: {t[:100]!r}")


if __name__ == "__main__":
    main()
