"""Annotate articles: normalize, find the mentions (the profile's pipeline), assemble events, map
offsets back.

An article is analysed as one text, headline + "\\n" + body, so that dates in the body can refer
back to the headline (同日) and events can merge what both say. Every offset that leaves this
module points into the original headline or body string.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from pipeline.events import assemble_events
from pipeline.mentions import find_mentions
from pipeline.profiles import uses_spacy
from pipeline.textnorm import Normalized, normalize
from pipeline.tokens import tokenize
from pipeline.types import Article, Event, Mention
from pipeline.values.dates import reference_year

# GiNZA's Sudachi tokenizer refuses inputs above 49,149 bytes; pieces well below it, cut at sentence
# ends, bound every sentence the accurate profile hands to GiNZA.
MAX_PIECE_BYTES = 40_000


@dataclass(slots=True)
class Annotated:
    article: Article
    reference_year: int | None
    mentions: list[Mention]
    events: list[Event]


@dataclass(slots=True)
class _Prepared:
    article: Article
    head: Normalized
    body: Normalized
    text: str
    reference_year: int | None
    pieces: list[tuple[int, str]]


def _prepare(article: Article) -> _Prepared:
    head, body = normalize(article.headline), normalize(article.body)
    text = f"{head.text}\n{body.text}"
    # News gold reads year-less dates against the publication date; the text's own first full date
    # stands in only when the article has none.
    year = article.published.year if article.published else reference_year(text)
    return _Prepared(article, head, body, text, year, split_pieces(text))


def split_pieces(text: str, max_bytes: int = MAX_PIECE_BYTES) -> list[tuple[int, str]]:
    """(offset, piece) cuts of `text`, each under `max_bytes` of UTF-8, cut after 。 or a newline."""
    if len(text.encode("utf-8")) <= max_bytes:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = start
        size = 0
        cut = -1
        while end < len(text):
            size += len(text[end].encode("utf-8"))
            if size > max_bytes:
                break
            if text[end] in "。\n":
                cut = end + 1
            end += 1
        if end >= len(text):
            cut = len(text)
        elif cut <= start:
            cut = end  # no sentence end in reach: cut mid-sentence rather than fail
        pieces.append((start, text[start:cut]))
        start = cut
    return pieces


# One made-up article that passes through every tagger and event rule, so that their tables load.
_WARM_UP = Article(
    article_id="warm-up",
    source_path="",
    headline="架空銀行、不正送金の被害を発表",
    body="架空銀行の山田太郎頭取は2024年1月5日、約100万円の被害が3件あったと発表し、謝罪した。",
    published=date(2024, 1, 5),
)


def preload(profile: str) -> None:
    """Load what `profile` annotates with (the tagger, the tables, the spaCy pipeline if it has
    one), so that a worker pays for it before its first article rather than during it."""
    for _ in annotate_articles([_WARM_UP], profile):
        pass


def annotate_articles(
    articles: Iterable[Article], profile: str = "accurate", batch_size: int = 64
) -> Iterator[Annotated]:
    find = _spacy_mentions(profile, batch_size) if uses_spacy(profile) else _rule_mentions
    batch: list[_Prepared] = []
    for article in articles:
        batch.append(_prepare(article))
        if len(batch) >= batch_size:
            yield from _run(find(batch), batch)
            batch = []
    if batch:
        yield from _run(find(batch), batch)


def _rule_mentions(batch: list[_Prepared]) -> Iterator[list[Mention]]:
    """The mentions of each piece of `batch`, in order, from the rules on fugashi's tokens alone."""
    for p in batch:
        for _, piece in p.pieces:
            yield find_mentions(
                piece, tokenize(piece), published=p.article.published, reference_year=p.reference_year
            )


def _spacy_mentions(profile: str, batch_size: int) -> Callable[[list[_Prepared]], Iterator[list[Mention]]]:
    """The same from the profile's spaCy pipeline, whose trained recognizer feeds the rules."""
    from pipeline.nlp import build_nlp, make_doc

    nlp = build_nlp(profile)

    def find(batch: list[_Prepared]) -> Iterator[list[Mention]]:
        docs = (
            make_doc(nlp, piece, p.article.published, p.reference_year)
            for p in batch
            for _, piece in p.pieces
        )
        for doc in nlp.pipe(docs, batch_size=batch_size):
            yield doc._.mentions

    return find


def _run(found: Iterator[list[Mention]], batch: list[_Prepared]) -> Iterator[Annotated]:
    for p in batch:
        mentions: list[Mention] = []
        for offset, _ in p.pieces:
            piece_mentions = next(found)
            for m in piece_mentions:  # made for this piece alone, so moved in place
                m.start += offset
                m.end += offset
            mentions.extend(piece_mentions)
        headline_end = len(p.head.text)
        events = assemble_events(p.text, headline_end, mentions, p.article.article_id, p.article.published)
        yield Annotated(
            p.article,
            p.reference_year,
            [m for m in mentions if _relocate(p, m, "text")],
            [e for e in events if _relocate(p, e, "evidence")],
        )


def _to_field(p: _Prepared, start: int, end: int) -> tuple[str, int, int, str] | None:
    """Original (field, start, end, text) of a span of the normalized article text."""
    split = len(p.head.text)
    if end <= split:
        s, e = p.head.span(start, end)
        return "headline", s, e, p.article.headline[s:e]
    if start > split:
        s, e = p.body.span(start - split - 1, end - split - 1)
        return "body", s, e, p.article.body[s:e]
    return None  # a span across the headline/body boundary is not a mention


def _relocate(p: _Prepared, record: Mention | Event, text_field: str) -> bool:
    """Put `record`'s span in its original field, and that field's text in `text_field` (in place:
    every record was made for this article alone). False when the span has no original field."""
    where = _to_field(p, record.start, record.end)
    if where is None:
        return False
    record.field, record.start, record.end, text = where
    setattr(record, text_field, text)
    return True


def annotate(text: str, reference_date: date | None = None, profile: str = "accurate") -> list[Mention]:
    """Mentions of one text, offsets into `text` (field "body"), dates resolved against `reference_date`."""
    article = Article(article_id="text", source_path="", headline="", body=text, published=reference_date)
    return next(annotate_articles([article], profile=profile)).mentions
