"""From mentions to events: triggers found in sentences, slots filled from the mentions around them.

Where things are: `rules` reads the tables of models/events/, `prefilter` tells which sentences
hold none of the words a rule's matches need, `article` holds sentences and clauses,
`slots` finds who acts, which services and which date, `damage`, `stops` (suspension, resumption),
`legal` and `responses` (compensation, warning, apology, announcement, inquiries) read one event
type each, and `merge` makes one event of a fact told twice.

The unit is the sentence (the headline is one). Slots come from the trigger's own sentence first,
then from the article: the organization that is the topic of the lead, the date of the report,
the services the headline names. A fact stated in the headline and again in the body is one event,
with the body's more precise values and the headline filling what the body leaves out.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from pipeline.events.article import _Article, _clause, _sentences
from pipeline.events.damage import _assign_roles, _damage_events
from pipeline.events.legal import _kind_patterns, _legal_events
from pipeline.events.merge import _dedupe, _merge
from pipeline.events.prefilter import WordScan, finditer_in
from pipeline.events.responses import _compensation, _inquiries, _speaker_event, _warning
from pipeline.events.rules import _list_header, _rules
from pipeline.events.stops import _resumption, _suspension
from pipeline.types import Event, Mention

_FUTURE = re.compile(r"今後|来年|来月|来週|来春|来夏|来秋|来冬|将来|年内に|月内に")


def assemble_events(
    text: str, headline_end: int, mentions: list[Mention], article_id: str, published: date | None = None
) -> list[Event]:
    """Events of one article; also sets the role of its MONEY mentions.

    `text` is the normalized headline + "\\n" + body and `mentions` are in its offsets; `published`
    dates the facts the text tells without a date of their own.
    """
    art = _Article(text, headline_end, _sentences(text, headline_end), mentions, published)
    _assign_roles(art)
    triggers, modality, _, _ = _rules()
    # Most sentences tell no legal act, no damage and no other event: a scan of the text for the
    # words of each passes over them.
    legal_words, damage_words, other_words = (WordScan(p, text) for p in _scanned_patterns())
    found: list[Event] = []
    prior: tuple[str | None, str | None] = (None, None)
    for sent in art.sentences:
        taken: list[tuple[int, int]] = []  # the spans of legal triggers, which no other trigger reads
        if legal_words.may_match(sent.start, sent.end):
            legal, taken = _legal_events(art, sent, article_id)
            found.extend(legal)
        if damage_words.may_match(sent.start, sent.end):
            damages = _damage_events(art, sent, article_id, prior)
            if damages and sent.field == "body":
                prior = damages[-1].org, damages[-1].org_type
            found.extend(damages)
        if not other_words.may_match(sent.start, sent.end):
            continue
        for etype, pattern in triggers:
            if etype == "damage":
                continue
            for trig in finditer_in(pattern, text, sent.start, sent.end):
                if any(a <= trig.start() < b for a, b in taken):
                    continue  # 業務停止命令 / 出場停止: the content of a legal act, not a stop of its own
                mood = next((mo for mo, p in modality if p.search(text[trig.end() : trig.end() + 16])), None)
                if mood == "negated":
                    continue
                if mood is None and _FUTURE.search(
                    art.text, _clause(art, sent, trig.start())[0], trig.start()
                ):
                    mood = "planned"  # 今後は外食事業から撤退し / 来春で放送を終了: not yet in effect
                event = _FILL[etype](art, sent, trig, article_id)
                if event is not None:
                    event.planned = mood == "planned" and etype in (
                        "suspension",
                        "compensation",
                        "resumption",
                    )
                    if event.since and not event.planned:
                        event.date = event.since  # a stop in effect happened when it began
                    elif _list_header().search(text, sent.start, trig.start()):
                        event.date = None  # a title in a list of related articles is not of the report's day
                    found.append(event)
    events = _merge(art, _dedupe(found))
    for ev in events:
        _days_only(ev)
    return events


@lru_cache(maxsize=1)
def _scanned_patterns() -> tuple[tuple[re.Pattern[str], ...], ...]:
    """The patterns of the legal kinds, of damage and of the other triggers (damage has its own
    reading), each a group that one scan for its words passes over sentences for."""
    triggers = _rules()[0]
    damage = tuple(p for etype, p in triggers if etype == "damage")
    return _kind_patterns(), damage, tuple(p for etype, p in triggers if etype != "damage")


def _days_only(ev: Event) -> None:
    """as_of, since and deadline are days; only `date` may be a month (2024-06), which the table
    stores as its first day with `date_granularity` = month."""
    for name in ("as_of", "since", "deadline"):
        value = getattr(ev, name)
        if value is not None and len(value) != len("YYYY-MM-DD"):
            setattr(ev, name, None)


_FILL = {
    "suspension": _suspension,
    "resumption": _resumption,
    "compensation": _compensation,
    "warning": _warning,
    "apology": _speaker_event("apology"),
    "announcement": _speaker_event("announcement"),
    "inquiries": _inquiries,
}
