"""`make train`: rebuild the trained name recognizer (models/ner/model) from the stockmark data.

python -m pipeline.train_ner [--shared ../shared] [--out models/ner/model] [--config models/ner/config.cfg]

The stockmark sentences (Wikipedia, CC BY-SA 3.0) are normalized as the pipeline normalizes
articles, tokenized by fugashi + UniDic with UniDic tags (`pipeline.nlp.tagged_doc`), and their
character spans become token spans with alignment_mode="expand" (a span that starts or ends inside
a MeCab word grows to that word's edge; how many changed or were lost is printed). One page in ten
of train.jsonl (chosen by a seeded hash of its `curid`) is the dev set spaCy selects the best
weights on; stockmark's dev.jsonl is only scored, at the end, never trained or selected on.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import spacy
from spacy.tokens import DocBin, Span
from spacy.util import filter_spans
from thinc.api import NumpyOps, set_current_ops

from pipeline.nlp import tagged_doc
from pipeline.paths import MODELS, ROOT
from pipeline.textnorm import normalize
from pipeline.tokens import tokenize

CONFIG = MODELS / "ner" / "config.cfg"
OUTPUT = MODELS / "ner" / "model"
SEED = 13
# stockmark types -> our labels; the last four are learnt so the model knows what a name is not,
# and are never output as mentions.
LABELS = {
    "法人名": "COMPANY",
    "政治的組織名": "ORGANIZATION",
    "その他の組織名": "ORGANIZATION",
    "人名": "PERSON",
    "地名": "LOCATION",
    "施設名": "FACILITY",
    "製品名": "PRODUCT",
    "イベント名": "EVENT",
}


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def is_dev_page(curid: str, seed: int = SEED) -> bool:
    return int(hashlib.sha256(f"{seed}:{curid}".encode()).hexdigest(), 16) % 10 == 0


def _normalized_offsets(origin: tuple[int, ...], start: int, end: int) -> tuple[int, int]:
    """Normalized (start, end) of the original span [start, end): the inverse of `Normalized.span`."""
    s = next(i for i, o in enumerate(origin) if o >= start)
    e = next(i for i, o in enumerate(origin) if o >= end)
    return s, e


def to_docs(records: Iterable[dict], vocab, stats: Counter) -> list:
    docs = []
    for rec in records:
        norm = normalize(rec["text"])
        doc = tagged_doc(vocab, norm.text, tokenize(norm.text))
        spans: list[Span] = []
        for ent in rec["entities"]:
            stats["spans"] += 1
            s, e = _normalized_offsets(norm.origin, ent["start"], ent["end"])
            span = doc.char_span(s, e, label=LABELS[ent["type"]], alignment_mode="expand")
            if span is None:
                stats["lost"] += 1
                continue
            if (span.start_char, span.end_char) != (s, e):
                stats["expanded"] += 1
            spans.append(span)
        kept = filter_spans(spans)
        stats["overlapping"] += len(spans) - len(kept)
        doc.ents = kept
        docs.append(doc)
    return docs


def exact_scores(nlp, records: list[dict]) -> dict[str, dict[str, float]]:
    """Exact-span P/R/F1 per output label of `nlp` alone on stockmark records."""
    counts: dict[str, Counter] = {}
    for rec in records:
        norm = normalize(rec["text"])
        gold = {
            (LABELS[e["type"]], *_normalized_offsets(norm.origin, e["start"], e["end"]))
            for e in rec["entities"]
        }
        pred = {(e.label_, e.start_char, e.end_char) for e in nlp(norm.text).ents}
        for label in ("COMPANY", "ORGANIZATION", "PERSON"):
            g = {x for x in gold if x[0] == label}
            p = {x for x in pred if x[0] == label}
            c = counts.setdefault(label, Counter())
            c["tp"] += len(g & p)
            c["fp"] += len(p - g)
            c["fn"] += len(g - p)
    out = {}
    for label, c in counts.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        out[label] = {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}
    return out


def prune_strings(model_dir: Path) -> None:
    """Keep only the labels in the saved string store.

    spaCy saves every word it saw in training (the words of the stockmark sentences); the model
    embeds words by hashing them and never looks the strings up, so they are dropped.
    """
    labels = sorted(spacy.load(model_dir).get_pipe("ner").labels)
    (model_dir / "vocab" / "strings.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1))


def train(shared: Path, output: Path = OUTPUT, config: Path = CONFIG) -> None:
    from spacy.cli.train import train as spacy_train

    # As in the accurate profile: NumPy's BLAS, not BLIS's generic kernel on this class of CPU.
    set_current_ops(NumpyOps(use_blis=False))
    records = read_jsonl(shared / "data" / "stockmark" / "train.jsonl")
    vocab = spacy.blank("ja").vocab
    stats: Counter = Counter()
    train_docs = to_docs((r for r in records if not is_dev_page(str(r["curid"]))), vocab, stats)
    dev_docs = to_docs((r for r in records if is_dev_page(str(r["curid"]))), vocab, stats)
    print(
        f"{len(train_docs)} train / {len(dev_docs)} dev sentences; {stats['spans']} spans, "
        f"{stats['expanded']} expanded to word edges, {stats['lost']} lost, "
        f"{stats['overlapping']} dropped as overlapping"
    )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        DocBin(docs=train_docs).to_disk(work / "train.spacy")
        DocBin(docs=dev_docs).to_disk(work / "dev.spacy")
        spacy_train(
            config,
            work / "run",
            overrides={"paths.train": str(work / "train.spacy"), "paths.dev": str(work / "dev.spacy")},
        )
        if output.exists():
            shutil.rmtree(output)
        shutil.copytree(work / "run" / "model-best", output)
    prune_strings(output)
    nlp = spacy.load(output)
    dev = read_jsonl(shared / "data" / "stockmark" / "dev.jsonl")
    for label, s in exact_scores(nlp, dev).items():
        print(f"stockmark dev.jsonl, model alone, {label}: P {s['p']:.3f} R {s['r']:.3f} F1 {s['f1']:.3f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=OUTPUT)
    parser.add_argument("--config", type=Path, default=CONFIG)
    args = parser.parse_args(argv)
    train(args.shared, args.out, args.config)


if __name__ == "__main__":
    main()
