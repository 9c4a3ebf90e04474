"""The spaCy pipeline: GiNZA's statistical layers and our rule components in one `nlp`.

Two profiles write the same tables:
- `accurate`: ja_ginza (Sudachi tokens, NER, dependency parse, bunsetu) with the components we do
  not read (morphologizer, compound splitter) left out, then our rules, which correct and extend
  GiNZA's entity spans and use its parse to fill event slots.
- `fast`: a fugashi + UniDic-lite tokenizer and our rules only, no neural component.
Which GiNZA components each profile keeps is data: `models/spacy/profiles.toml`.
"""

from __future__ import annotations

import tomllib
from datetime import date
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.mentions import find_mentions
from pipeline.paths import MODELS
from pipeline.tokens import Token, tokenize

PROFILES = ("accurate", "fast")

Doc.set_extension("published", default=None, force=True)
Doc.set_extension("reference_year", default=None, force=True)
Doc.set_extension("mentions", default=None, force=True)


@lru_cache(maxsize=1)
def profile_config() -> dict:
    with open(MODELS / "spacy" / "profiles.toml", "rb") as fh:
        return tomllib.load(fh)


class FugashiTokenizer:
    """spaCy tokenizer over fugashi; keeps the UniDic tokens so the rules need not re-tokenize."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        tokens = tokenize(text)
        words, spaces, kept = _words_covering(text, tokens)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data["unidic"] = kept
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


@Language.factory("jnews_mentions")
def create_mentions_component(nlp: Language, name: str) -> MentionsComponent:
    return MentionsComponent()


class MentionsComponent:
    """Runs the value and name taggers over the doc text; GiNZA's entity spans are candidates."""

    def __call__(self, doc: Doc) -> Doc:
        tokens = doc.user_data.get("unidic") or tokenize(doc.text)
        ner = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        mentions = find_mentions(
            doc.text, tokens, ner, published=doc._.published, reference_year=doc._.reference_year
        )
        doc._.mentions = mentions
        doc.spans["mentions"] = [
            span
            for m in mentions
            if (span := doc.char_span(m.start, m.end, label=m.type, alignment_mode="expand")) is not None
        ]
        return doc


@lru_cache(maxsize=2)
def build_nlp(profile: str = "accurate") -> Language:
    """The pipeline for a profile, loaded once per process."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    cfg = profile_config()[profile]
    if cfg["base"] == "ja_ginza":
        nlp = spacy.load("ja_ginza", exclude=cfg["exclude"])
    else:
        nlp = spacy.blank("ja", config={"nlp": {"tokenizer": {"@tokenizers": cfg["tokenizer"]}}})
    nlp.add_pipe("jnews_mentions", last=True)
    return nlp


def make_doc(nlp: Language, text: str, published: date | None, reference_year: int | None) -> Doc:
    doc = nlp.make_doc(text)
    doc._.published = published
    doc._.reference_year = reference_year
    return doc


def sentence_of(doc: Doc, start: int, end: int) -> Span | None:
    """The parsed sentence holding [start, end), when the profile parses."""
    if not doc.has_annotation("DEP"):
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.sent if span is not None else None
