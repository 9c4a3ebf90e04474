"""The accurate profile's spaCy pipeline: our trained name recognizer and the rules in one `nlp`.

It tokenizes with fugashi + UniDic-lite, runs `jnews_trained_ner` (models/ner) on every sentence
and then the rules (`jnews_mentions`), which read its spans as name candidates. The fast profile
runs the same rules without spaCy (`pipeline.profiles`, `pipeline.annotator`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch
from thinc.api import NumpyOps, set_current_ops

from pipeline.mentions import find_mentions
from pipeline.paths import MODELS
from pipeline.profiles import profile_config, uses_spacy
from pipeline.tokens import Token, tokenize

Doc.set_extension("published", default=None, force=True)
Doc.set_extension("reference_year", default=None, force=True)
Doc.set_extension("mentions", default=None, force=True)
# The trained recognizer's entity spans as (start char, end char, label);
# `pipeline.names.statistical` combines them with the rules.
Doc.set_extension("ner", default=(), force=True)


class FugashiTokenizer:
    """spaCy tokenizer over fugashi; keeps the UniDic tokens so the rules need not re-tokenize."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        tokens = tokenize(text)
        words, spaces, kept = _words_covering(text, tokens)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data["unidic"] = kept
        # Doc.text joins every token anew on each access; the rules read the text several times.
        doc.user_data["text"] = text
        return doc

    # spaCy serializes tokenizers with the pipeline; ours has no state of its own.
    def to_bytes(self, **_kwargs) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **_kwargs) -> FugashiTokenizer:
        return self

    def to_disk(self, _path, **_kwargs) -> None:
        return None

    def from_disk(self, _path, **_kwargs) -> FugashiTokenizer:
        return self


def _words_covering(text: str, tokens: list[Token]) -> tuple[list[str], list[bool], list[Token]]:
    """Words and trailing-space flags that reproduce `text` exactly (MeCab drops white space)."""
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for tok in tokens:
        if tok.start > pos:
            gap = text[pos : tok.start]
            if gap == " " and words and not spaces[-1]:
                spaces[-1] = True
            else:
                words.append(gap)
                spaces.append(False)
        words.append(tok.surface)
        spaces.append(False)
        pos = tok.end
    if pos < len(text):
        words.append(text[pos:])
        spaces.append(False)
    return words, spaces, tokens


@spacy.registry.tokenizers("jnews.fugashi_tokenizer.v1")
def create_fugashi_tokenizer():
    return lambda nlp: FugashiTokenizer(nlp.vocab)


def unidic_tag(token: Token) -> str:
    """pos1-pos2-pos3-pos4 without the unset fields: 名詞-固有名詞-人名-姓."""
    return "-".join(p for p in token.pos if p != "*")


def tagged_doc(vocab, text: str, tokens: list[Token]) -> Doc:
    """A Doc over fugashi's words whose `tag_` is the UniDic POS: the trained recognizer's input.

    White space MeCab skipped becomes a word of its own tagged 空白, as in `FugashiTokenizer`.
    """
    words, spaces, _ = _words_covering(text, tokens)
    by_start = {t.start: t for t in tokens}
    tags, pos = [], 0
    for word, space in zip(words, spaces, strict=True):
        tok = by_start.get(pos)
        tags.append(unidic_tag(tok) if tok is not None and tok.surface == word else "空白")
        pos += len(word) + space
    return Doc(vocab, words=words, spaces=spaces, tags=tags)


class TaggedFugashiTokenizer(FugashiTokenizer):
    """The tokenizer the trained recognizer was trained with: fugashi words carrying UniDic tags."""

    def __call__(self, text: str) -> Doc:
        return tagged_doc(self.vocab, text, tokenize(text))


@spacy.registry.tokenizers("jnews.fugashi_tagged_tokenizer.v1")
def create_tagged_fugashi_tokenizer():
    return lambda nlp: TaggedFugashiTokenizer(nlp.vocab)


@Language.factory("jnews_mentions")
def create_mentions_component(nlp: Language, name: str) -> MentionsComponent:
    return MentionsComponent()


class MentionsComponent:
    """Runs the value and name taggers over the doc text."""

    def __call__(self, doc: Doc) -> Doc:
        return set_mentions(doc)


def text_of(doc: Doc) -> str:
    return doc.user_data.get("text") or doc.text


def set_mentions(doc: Doc) -> Doc:
    """`doc._.mentions` and `doc.spans["mentions"]` from the rules, with `doc._.ner` as name candidates."""
    text = text_of(doc)
    tokens = doc.user_data.get("unidic") or tokenize(text)
    mentions = find_mentions(
        text, tokens, doc._.ner, published=doc._.published, reference_year=doc._.reference_year
    )
    doc._.mentions = mentions
    doc.spans["mentions"] = [
        span
        for m in mentions
        if (span := doc.char_span(m.start, m.end, label=m.type, alignment_mode="expand")) is not None
    ]
    return doc


@Language.factory("jnews_trained_ner", default_config={"path": "ner/model", "batch_size": 64})
def create_trained_ner(nlp: Language, name: str, path: str, batch_size: int) -> TrainedNer:
    return TrainedNer(MODELS / path, batch_size)


class TrainedNer:
    """Our recognizer trained on annotated text (models/ner): its spans join `doc._.ner`.

    It runs on every sentence, before the rules, which then read its spans as name candidates
    (`pipeline.names.statistical` states how they combine). A small CNN over the same fugashi words
    and UniDic tags the rules read, so it costs a fraction of GiNZA's tok2vec. thinc's default CPU
    ops multiply through BLIS, which falls back to its generic kernel on this class of machine;
    NumPy's BLAS runs the same weights faster.
    """

    def __init__(self, path: Path, batch_size: int):
        set_current_ops(NumpyOps(use_blis=False))
        self.model = spacy.load(path)
        self.batch_size = batch_size

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        for batch in minibatch(docs, batch_size):
            lines = [(i, start, line) for i, d in enumerate(batch) for start, line in self._lines(d)]
            parsed = self.model.pipe((line for _, _, line in lines), batch_size=self.batch_size)
            found: list[list[tuple[int, int, str]]] = [[] for _ in batch]
            for (i, start, _), doc in zip(lines, parsed, strict=True):
                found[i].extend((start + e.start_char, start + e.end_char, e.label_) for e in doc.ents)
            for doc, spans in zip(batch, found, strict=True):
                doc._.ner = (*doc._.ner, *spans)
            yield from batch

    def _lines(self, doc: Doc) -> Iterator[tuple[int, Doc]]:
        """Each line of the text as a tagged Doc of its own, with its offset. The recognizer learnt
        from single sentences: a line break before the body's first word is context it never saw,
        and it missed names there (サンライズは… after a headline)."""
        text, tokens = text_of(doc), doc.user_data["unidic"]
        start = k = 0
        for line in text.split("\n"):
            end = start + len(line)
            inside = []
            while k < len(tokens) and tokens[k].start < end:
                inside.append(tokens[k]._replace(start=tokens[k].start - start, end=tokens[k].end - start))
                k += 1
            if inside:
                yield start, tagged_doc(self.model.vocab, line, inside)
            start = end + 1


@lru_cache(maxsize=2)
def build_nlp(profile: str = "accurate") -> Language:
    """The pipeline of a profile that uses spaCy, loaded once per process."""
    if not uses_spacy(profile):
        raise ValueError(f"the {profile} profile runs without spaCy")
    cfg = profile_config(profile)
    nlp = spacy.blank("ja", config={"nlp": {"tokenizer": {"@tokenizers": cfg["tokenizer"]}}})
    nlp.add_pipe("jnews_trained_ner", config=cfg["trained_ner"])
    nlp.add_pipe("jnews_mentions")
    return nlp


def make_doc(nlp: Language, text: str, published: date | None, reference_year: int | None) -> Doc:
    doc = nlp.make_doc(text)
    doc._.published = published
    doc._.reference_year = reference_year
    return doc
