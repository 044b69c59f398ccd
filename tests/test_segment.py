"""The fast segmentation (route by jieba-rs, HMM by jieba) gives jieba's own tokens.

kg.extract.lexicon.segment must return exactly what ``jieba.Tokenizer.lcut(text, HMM=True)``
returns with the same dictionary: every extractor works on those tokens, and
``kg eval`` figures must not move when the tokenizer is swapped.
"""
from __future__ import annotations

import random
import re

import pytest
from test_build import SEED_FILES
from test_corpus import generated_corpus

from kg.extract.lexicon import _fast_tokenizer, _tokenizer, fast_segment_safe, segment, tokenizer_name
from kg.ingest.normalize import normalize

pytestmark = pytest.mark.skipif(_fast_tokenizer() is None, reason="rjieba not installed: segment() is jieba itself")

_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*")


def jieba_tokens(text: str) -> list[str]:
    return _tokenizer().lcut(text, HMM=True)


def sentences(texts) -> list[str]:
    out = []
    for t in texts:
        out += [m.group() for m in _SENTENCE.finditer(normalize(t).text)]
    return list(dict.fromkeys(out))


def test_the_fast_tokenizer_is_in_use():
    assert "rjieba" in tokenizer_name()


def test_every_sentence_of_the_seeds_and_of_a_generated_corpus(tmp_path):
    texts = [p.read_text("utf-8") for p in SEED_FILES]
    texts += [p.read_text("utf-8") for p in generated_corpus(tmp_path, 0.3, seed=3)]
    sents = sentences(texts)
    assert len(sents) > 1000
    assert [s for s in sents if segment(s) != jieba_tokens(s)] == []


def test_random_strings_of_chinese_latin_digits_and_symbols():
    rng = random.Random(20261122)
    seed_text = "".join(p.read_text("utf-8") for p in SEED_FILES)
    common = [chr(c) for c in range(0x4E00, 0x9FD6)]
    symbols = list("aZx0915._+#&%- \t·，。()（）“”") + ["有限公司", "2.5亿元", "15.6%", "5G", "U.S.", "C++", "新材料"]
    bad = []
    for _ in range(20000):
        kind = rng.random()
        n = rng.randint(1, 30)
        if kind < 0.3:
            k = rng.randrange(len(seed_text) - 40)
            s = "".join(rng.choice(symbols) if rng.random() < 0.15 else c for c in seed_text[k:k + n])
        elif kind < 0.6:
            s = "".join(rng.choice(common) if rng.random() < 0.7 else rng.choice(symbols) for _ in range(n))
        else:
            s = "".join(rng.choice(symbols) for _ in range(n))
        if segment(s) != jieba_tokens(s):
            bad.append(s)
    assert bad == []


@pytest.mark.parametrize("text", [
    "两群两链", "打造“两群", "中直国", "中键国", "常在较解决项目芙期", "U.S.9.2", "7_1", "iPhone5G新材料",
    "司公公公两", "国亿亿亿亿的", "㐀𠀀中国", "\ue000\ue001\ue002", "2023-2025年", "A股上市", "",
])
def test_corner_cases(text):
    assert segment(text) == jieba_tokens(text)


def test_unsafe_sentences_go_to_jieba():
    assert not fast_segment_safe("中㐀国")
    assert not fast_segment_safe("公公公")
    assert fast_segment_safe("许昌经开区新签约项目12个，总投资15.6亿元。")
