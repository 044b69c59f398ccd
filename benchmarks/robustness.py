"""How extraction holds when an article's surface changes and what it says does not.

    python benchmarks/robustness.py                 # seeds/ (and ../shared/dev/docs when it is there)
    python benchmarks/robustness.py --draws 5       # five redraws of the brands instead of three

Unseen articles differ from the ones the rules were read on in ways a held-out set shows
only in aggregate. Two of them can be made on purpose, with the gold rewritten alike:

- **brands**: every enterprise's brand (the first two characters of its shortest name) is
  redrawn, the same way in every article, from characters brands are made of. jieba knows
  famous brands (华为, 卫龙) and cuts unknown ones into characters, as it does with the
  companies of most real articles; a rule that leans on jieba's dictionary shows here.
  A brand is kept where it is also a common word or starts a place (中国, 哈尔滨), since
  redrawing it would rewrite the article's own words.
- **points**: every 。 typed as ".", as some pages and converters write it.
- **人民币 first**: every amount invested written 投资人民币N亿元 instead of 投资N亿元.
- **亿 alone**: 元 dropped after 亿 (投资10亿的P).
- **wrapped lines**: every paragraph broken into lines of 38 characters, as text copied
  out of a PDF comes.

For each it prints entity and fact micro-F1 against the real articles' in the same run.
``tests/test_robustness.py`` holds the seeds to within a margin of their real figures.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from kg.evaluate.gold import load_gold  # noqa: E402
from kg.evaluate.predictions import predictions_from_graph  # noqa: E402
from kg.evaluate.report import EvalReport  # noqa: E402
from kg.evaluate.score import score  # noqa: E402
from kg.extract.lexicon import places, word_frequency  # noqa: E402
from kg.graph.build import build_graph  # noqa: E402
from kg.ingest.normalize import normalize  # noqa: E402
from kg.run.corpus import read_corpus  # noqa: E402

# Characters of company brands (鑫, 瑞, 恒 …): no grammar word, no place, no trade among them.
BRAND_CHARS = "鑫瑞恒泰宏隆盛远博通佳信康源丰润德晟昊煜琪璟骏铭锐钧浩灏弘拓创翔耀森鹏斐谦赫"
_IDEOGRAPHS = re.compile(r"[\u4e00-\u9fff]+")

Articles = dict[str, str]  # file name → text
Golds = dict[str, dict]  # doc → gold document


def _simplified(text: str) -> str:
    return normalize(text).text


def _redrawable(brand: str) -> bool:
    """Whether redrawing ``brand`` rewrites the company only: not a common word (中国) nor
    the start of a place or of a common longer word (哈尔|滨, 意大|利)."""
    b = _simplified(brand)
    return word_frequency(b) <= 500 and not any(p.startswith(b) for p in places())


def redraw_brands(articles: Articles, golds: Golds, seed: int) -> tuple[Articles, Golds]:
    """The articles and their gold with every enterprise's brand redrawn (see the module)."""
    rng = random.Random(seed)
    drawn: dict[str, str] = {}
    used: set[str] = set()

    def fresh() -> str:
        while True:
            new = "".join(rng.sample(BRAND_CHARS, 2))
            if new not in used:
                used.add(new)
                return new

    for doc in sorted(golds):
        text = articles[_file_of(articles, doc)]
        for entity in golds[doc]["entities"]:
            if entity["type"] != "Enterprise":
                continue
            short = min(entity["names"], key=len)
            brand = short[:2]
            if 2 <= len(short) <= 6 and _IDEOGRAPHS.fullmatch(short) and brand in text and _redrawable(brand) and \
                    word_frequency(_simplified(short[:3])) <= 100:
                drawn.setdefault(brand, fresh())
    if not drawn:
        return dict(articles), json.loads(json.dumps(golds))
    pattern = re.compile("|".join(map(re.escape, sorted(drawn, key=len, reverse=True))))

    def rewrite(x):
        if isinstance(x, str):
            return pattern.sub(lambda m: drawn[m.group()], x)
        if isinstance(x, list):
            return [rewrite(v) for v in x]
        if isinstance(x, dict):
            return {k: (v if k in ("doc", "id", "s", "o", "rel") else rewrite(v)) for k, v in x.items()}
        return x

    return {name: rewrite(text) for name, text in articles.items()}, {doc: rewrite(g) for doc, g in golds.items()}


def latin_points(articles: Articles, golds: Golds) -> tuple[Articles, Golds]:
    """The articles with every 。 typed as "." (the gold's names hold no 。; evidence is not scored)."""
    return {name: text.replace("。", ".") for name, text in articles.items()}, golds


_INVESTED = re.compile(r"投资(约|达|超|近|逾)?(?=[0-9][0-9.]*\s*(?:亿|万)?元)")


def renminbi_first(articles: Articles, golds: Golds) -> tuple[Articles, Golds]:
    """The articles with 人民币 written before every amount invested (投资人民币3亿元)."""
    return {name: _INVESTED.sub(lambda m: m.group() + "人民币", text) for name, text in articles.items()}, golds


def yi_alone(articles: Articles, golds: Golds) -> tuple[Articles, Golds]:
    """The articles with 元 dropped after 亿 (投资10亿的P, 总投资3亿,建设…), as news often writes."""
    return {name: re.sub(r"(?<=[0-9])亿元", "亿", text) for name, text in articles.items()}, golds


WRAP_WIDTH = 38  # characters to a line of an A4 page of Chinese text


def wrapped_lines(articles: Articles, golds: Golds) -> tuple[Articles, Golds]:
    """The articles with every paragraph broken into lines of ``WRAP_WIDTH`` characters, as
    text copied out of a PDF or a printed page comes (wherever the width falls: inside a
    name, an amount, before a 。)."""
    def wrap(text: str) -> str:
        return "\n".join("\n".join(line[i:i + WRAP_WIDTH] for i in range(0, max(len(line), 1), WRAP_WIDTH))
                         for line in text.split("\n"))
    return {name: wrap(text) for name, text in articles.items()}, golds


def _file_of(articles: Articles, doc: str) -> str:
    return next(name for name in articles if Path(name).stem == doc)


def evaluate(articles: Articles, golds: Golds) -> EvalReport:
    """Score the articles as ``kg eval`` does: extract, build the graph, read it back."""
    with tempfile.TemporaryDirectory(prefix="kg-robustness-") as tmp:
        for name, text in articles.items():
            Path(tmp, name).write_text(text, encoding="utf-8")
        corpus = read_corpus([Path(tmp)], show_progress=False, jobs=1)
    predicted = predictions_from_graph(build_graph(corpus.extractions))
    return score({k: v for k, v in predicted.items() if k in golds}, golds)


def read_articles(docs: Path, gold: Path) -> tuple[Articles, Golds]:
    golds = load_gold(gold)
    articles = {p.name: p.read_text(encoding="utf-8") for p in sorted(docs.glob("*.txt")) if p.stem in golds}
    return articles, {doc: g for doc, g in golds.items() if any(Path(n).stem == doc for n in articles)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--draws", type=int, default=3, help="redraws of the brands, each with its own seed (default 3)")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the shared data directory (default ../shared)")
    args = ap.parse_args(argv)
    sets = {"seeds (5)": read_articles(REPO / "seeds", REPO / "seeds" / "gold")}
    if (args.shared / "dev" / "docs").is_dir():
        sets["dev (40)"] = read_articles(args.shared / "dev" / "docs", args.shared / "dev" / "gold")
    print("| articles | variant | entity F1 | fact F1 | Enterprise F1 |")
    print("|---|---|---|---|---|")
    for label, (articles, golds) in sets.items():
        rows = [("as written", [evaluate(articles, golds)])]
        rows.append((f"brands redrawn (mean of {args.draws})",
                     [evaluate(*redraw_brands(articles, golds, seed)) for seed in range(1, args.draws + 1)]))
        rows.append(("。 typed as \".\"", [evaluate(*latin_points(articles, golds))]))
        rows.append(("投资人民币N亿元", [evaluate(*renminbi_first(articles, golds))]))
        rows.append(("N亿元 written N亿", [evaluate(*yi_alone(articles, golds))]))
        rows.append((f"lines wrapped at {WRAP_WIDTH}", [evaluate(*wrapped_lines(articles, golds))]))
        for variant, reports in rows:
            n = len(reports)
            ent = sum(r.entity_micro.f1 for r in reports) / n
            fact = sum(r.fact_micro.f1 for r in reports) / n
            firm = sum(r.entities["Enterprise"].f1 for r in reports) / n
            print(f"| {label} | {variant} | {ent:.3f} | {fact:.3f} | {firm:.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
