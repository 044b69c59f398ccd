"""A synthetic corpus of development-zone articles, for benchmarks and tests.

Each article mixes paragraphs of the bundled sample articles (``seeds/``), their
city swapped for the article's own, with paragraphs made from templates of the
sentence patterns those articles use: a zone with its ``(以下简称…)`` alias,
clusters and chains, lists of parks and enterprises, projects with investments
and operators. Zone, park, company and project names are drawn from pools of
brands, industries and products, so the graph grows like a real one (new
entities with every article, some shared between articles) instead of repeating
one article. The output depends only on the seed number: the same call makes
the same bytes.

    python benchmarks/corpus.py OUT_DIR --mb 20 [--seed 1]
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
PLACES = REPO / "kg" / "resources" / "places.tsv"

# Characters jieba barely knows in pairs: brand names such as 瑞恒, 鼎钧.
_BRAND_CHARS = "瑞恒鼎润泰宏昌隆源丰鑫晟煜翔锐峰钧凯昊骏宸卓腾豪嘉诚洛澜璟琨瑜珑瀚沣淼焱垚森柯桦楷榕棠筠岚屹峻崇巍"
_INDUSTRIES = ("电子信息", "生物医药", "智能装备", "新材料", "新能源汽车", "食品加工", "电力装备", "现代物流",
               "纺织服装", "精密制造", "节能环保", "医疗器械", "光电子", "数字经济", "航空装备", "冷链物流")
_PRODUCTS = ("锂电池", "光伏组件", "精密铸件", "医疗耗材", "液压件", "电子元器件", "冷链食品", "汽车零部件",
             "智能电表", "工业机器人", "特种电缆", "环保涂料", "功能薄膜", "数控机床", "中药饮片", "休闲食品")
_COMPANY_HEADS = ("科技有限公司", "电子有限公司", "药业有限公司", "食品有限公司", "电气股份有限公司",
                  "集团", "新材料有限公司", "智能装备有限公司", "物流有限公司", "机械有限公司")
_ZONE_HEADS = (("经济技术开发区", "经开区"), ("高新技术产业开发区", "高新区"), ("经济开发区", "经开区"))
_PARK_HEADS = ("产业园", "工业园", "科技园")
_VERBS = ("正式开工建设", "顺利竣工投产", "完成主体工程", "进入设备安装阶段", "签约落地")


def _cities() -> list[str]:
    rows = PLACES.read_text("utf-8").splitlines()[1:]
    return sorted(r.split("\t")[1] for r in rows if r.split("\t")[2] == "city" and len(r.split("\t")[1]) == 2)


def _seed_paragraphs() -> list[str]:
    paras = []
    for path in sorted(SEEDS.glob("*.txt")):
        for p in re.split(r"\n\s*\n", path.read_text("utf-8")):
            p = p.strip()
            if len(p) >= 20:
                paras.append(p)
    return paras


class Generator:
    def __init__(self, seed: int = 1) -> None:
        self.rng = random.Random(seed)
        self.cities = _cities()
        self.paragraphs = _seed_paragraphs()
        self.n = 0

    def brand(self) -> str:
        return "".join(self.rng.sample(_BRAND_CHARS, 2))

    def company(self) -> tuple[str, str]:
        b = self.brand()
        return b + self.rng.choice(_COMPANY_HEADS), b

    def amount(self) -> str:
        r = self.rng.random()
        if r < 0.7:
            return f"{self.rng.randint(1, 120)}亿元"
        if r < 0.9:
            return f"{self.rng.randint(1, 99)}.{self.rng.randint(1, 9)}亿元"
        return f"{self.rng.randint(1000, 9000)}万元"

    def article(self) -> str:
        rng = self.rng
        self.n += 1
        city = rng.choice(self.cities)
        zone_head, zone_short_head = rng.choice(_ZONE_HEADS)
        zone = f"国家{city}{zone_head}" if rng.random() < 0.5 else f"{city}{zone_head}"
        short = city + zone_short_head
        inds = rng.sample(_INDUSTRIES, 3)
        parks = [f"{i}{rng.choice(_PARK_HEADS)}" for i in inds]
        companies = [self.company() for _ in range(rng.randint(4, 8))]
        out = [f"{city}：{inds[0]}产业发展纪实（{self.n}）", ""]
        out.append(f"近年来，{zone}(以下简称{short})坚持项目为王，主动适应经济新常态，"
                   f"培育形成了{inds[0]}产业集群和{inds[1]}产业链，综合竞争实力逐步增强。")
        out.append(f"{short}规划建设了{parks[0]}、{parks[1]}和{parks[2]}等专业园区，"
                   f"基础设施日益完善。")
        # Like the sample articles: mostly prose, with a named thing here and there.
        seed_paras = rng.sample(self.paragraphs, 12)
        for i, para in enumerate(seed_paras):
            out += ["", para.replace("许昌", city)]
            if i % 4:
                continue
            out.append("")
            kind = (i // 4 + self.n) % 3
            if kind == 0:
                listed = rng.sample(companies, 4)
                names = "、".join(c[0] for c in listed[:3])
                out.append(f"{parks[i % 3]}已入驻{names}等{rng.randint(10, 60)}家企业，"
                           f"年产值突破{rng.randint(10, 300)}亿元。")
                full, b = listed[3]
                out.append(f"{full}是{short}的龙头企业，主要生产{rng.choice(_PRODUCTS)}，"
                           f"产品远销{rng.randint(20, 90)}个国家和地区。")
            elif kind == 1:
                full, b = rng.choice(companies)
                product = rng.choice(_PRODUCTS)
                out.append(f"总投资{self.amount()}的{b}{product}生产线项目{rng.choice(_VERBS)}，"
                           f"项目由{full}建设运营，达产后年产值可达{rng.randint(5, 80)}亿元。")
                full2, b2 = rng.choice(companies)
                out.append(f"投资{self.amount()}的{b2}{rng.choice(_INDUSTRIES)}产业园项目落户{parks[1]}，"
                           f"将建设标准化厂房{rng.randint(5, 40)}万平方米。")
            else:
                p1 = f"{self.brand()}{rng.choice(_PRODUCTS)}项目"
                p2 = f"年产{rng.randint(1, 50)}万吨{rng.choice(_PRODUCTS)}项目"
                out.append(f"今年以来，{short}新签约{p1}、{p2}等{rng.randint(3, 12)}个项目，"
                           f"总投资{self.amount()}。")
                full, b = rng.choice(companies)
                out.append(f"{b}{rng.choice(_PRODUCTS)}研发中心项目由{full}投资建设，"
                           f"计划{rng.randint(2024, 2027)}年建成投用。")
        out.append("")
        return "\n".join(out) + "\n"


def generate(out_dir: Path, megabytes: float, seed: int = 1, prefix: str = "article") -> list[Path]:
    """Write articles into ``out_dir`` until they add up to ``megabytes`` (10^6 bytes) of UTF-8."""
    out_dir.mkdir(parents=True, exist_ok=True)
    gen = Generator(seed)
    target = int(megabytes * 1_000_000)
    total = 0
    paths = []
    while total < target:
        data = gen.article().encode("utf-8")
        path = out_dir / f"{prefix}_{gen.n:06d}.txt"
        path.write_bytes(data)
        paths.append(path)
        total += len(data)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--mb", type=float, default=20.0, help="total size in MB (default 20)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    paths = generate(args.out, args.mb, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} articles, {size / 1e6:.1f} MB, to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
