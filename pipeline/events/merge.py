"""Merging: one event per fact across headline, body, citation titles and lists."""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.events.article import SLOTS, _Article, _sentence_index
from pipeline.events.legal import _same_legal_act
from pipeline.types import Event, Mention

# Counters that count the same things: 52万人分 and 52万3,418名分 are one figure.
_PEOPLE = {"人": ("人", "名"), "名": ("人", "名"), "件": ("件",), "口座": ("口座",)}


def _dedupe(events: list[Event]) -> list[Event]:
    """Overlapping triggers of one type in one sentence (会見 inside 記者会見) are one event."""
    out: list[Event] = []
    # Events arrive sentence by sentence, so an overlapping one is among the last few of its kind.
    recent: dict[tuple[str, str | None, str], list[Event]] = {}
    for ev in events:
        kept = recent.setdefault((ev.event_type, ev.kind, ev.field), [])
        if ev.event_type != "damage" and any(_same_sentence(o, ev) and _same_thing(o, ev) for o in kept[-3:]):
            continue
        kept.append(ev)
        out.append(ev)
    return out


def _same_thing(a: Event, b: Event) -> bool:
    """Stops of two different things in one sentence (a list of titles: …20日に運転再開…23日運転再開へ)
    are two events; other triggers of one type in one sentence tell one act."""
    return a.event_type not in ("suspension", "resumption") or a.target == b.target


def _same_sentence(a: Event, b: Event) -> bool:
    return a.start <= b.end and b.start <= a.end


def _compatible_amounts(head: Event, body: Event) -> bool:
    if head.amount_jpy is None or body.amount_jpy is None:
        return head.count is None or body.count is None or head.count == body.count
    h, b = head.amount_jpy, body.amount_jpy
    if head.amount_qualifier == "over":
        return h <= b <= h * 1.2
    if head.amount_qualifier == "under":
        return h * 0.8 <= b <= h
    return abs(h - b) <= 0.1 * max(h, b)


def _same_figure(a: Event, b: Event) -> bool:
    """The same loss told again in the body (a citation title, a list): same role, same unit and an
    amount or count that agrees (52万人分 is 52万3,418名分 rounded)."""
    if (
        a.role != b.role
        or (a.amount_jpy is None) != (b.amount_jpy is None)
        or (a.count is None) != (b.count is None)
    ):
        return False
    if a.count is not None and not abs(a.count - b.count) <= 0.1 * max(a.count, b.count):
        return False
    return a.amount_jpy is None or _compatible_amounts(a, b)


def _mergeable(head: Event, body: Event) -> bool:
    if head.event_type != body.event_type:
        return False
    if head.event_type == "damage":
        return head.role == body.role and _compatible_amounts(head, body)
    if head.event_type in ("warning", "apology", "announcement"):
        return True
    if head.event_type == "legal":
        return _same_legal_act(head, body)
    if None not in (head.since, body.since) and head.since != body.since:
        return False  # 20日に運転再開 and 23日運転再開へ are two restarts
    return head.org is None or body.org is None or head.org == body.org


def _merge(art: _Article, events: list[Event]) -> list[Event]:
    heads = [e for e in events if e.field == "headline"]
    bodies = [e for e in events if e.field == "body"]
    bodies = _join_members(art, _join_split_figures(art, _merge_same_type_in_body(art, bodies)))
    out = list(bodies)
    for head in heads:
        match = next((b for b in bodies if _mergeable(head, b)), None)
        if match is None:
            out.append(head)
            continue
        merged = _fill_from(match, head)
        if _headline_has_more_figures(head, match):
            merged.evidence, merged.field, merged.start, merged.end = (
                head.evidence,
                head.field,
                head.start,
                head.end,
            )
        out[out.index(match)] = merged
        bodies[bodies.index(match)] = merged
    for ev in out:
        if ev.event_type == "damage":
            _take_precise_figure(art, ev)
    return sorted(out, key=lambda e: (e.field != "headline", e.start))


def _round_unit(value: int) -> int:
    """The place a round figure is rounded to: 10,000 for 230,000 (23万円), 100 for 234,500."""
    unit = 1
    while value and value % (unit * 10) == 0:
        unit *= 10
    return unit


def _precise_of(value: int, mentions: list[Mention]) -> Mention | None:
    """A figure written elsewhere that the round `value` stands for: 23万4500円 for a title's 23万円,
    52万3,418名 for 52万人; within the rounding place and a tenth of the value."""
    unit = _round_unit(value)
    if unit < 100:
        return None
    return next(
        (
            m
            for m in mentions
            if m.value_int is not None
            and m.value_int != value
            and _round_unit(m.value_int) < unit
            and abs(m.value_int - value) < unit
            and abs(m.value_int - value) <= 0.1 * value
        ),
        None,
    )


def _take_precise_figure(art: _Article, ev: Event) -> None:
    """A headline or a citation title rounds the figure the body writes out: the body's wins."""
    if ev.amount_jpy is not None and ev.amount_qualifier in ("exact", "approx"):
        money = [m for m in art.mentions if m.type == "MONEY" and m.unit in (None, "JPY") and not m.per_unit]
        if (m := _precise_of(ev.amount_jpy, money)) is not None:
            ev.amount_jpy, ev.amount_qualifier = m.value_int, m.qualifier
    if ev.count is not None and ev.count_qualifier in ("exact", "approx"):
        counts = [m for m in art.mentions if m.type == "COUNT" and m.unit in _PEOPLE.get(ev.count_unit, ())]
        if (m := _precise_of(ev.count, counts)) is not None:
            ev.count, ev.count_unit, ev.count_qualifier = m.value_int, m.unit, m.qualifier


def _in_citation_title(art: _Article, ev: Event) -> bool:
    """Whether the event is told inside a citation title (『アオバ証券社長が陳謝』。神戸新聞、…)."""
    opened = art.text.rfind("『", 0, ev.start + 1) > art.text.rfind("』", 0, ev.start + 1)
    return opened or "『" in ev.evidence


def _merge_same_type_in_body(art: _Article, bodies: list[Event]) -> list[Event]:
    """A warning and its follow-up request, two mentions of one press conference, a stop and its
    citation title: one event each."""
    out: list[Event] = []
    for ev in bodies:
        if ev.event_type == "damage":
            prev = next((o for o in out if o.event_type == "damage" and _same_figure(o, ev)), None)
            if prev is not None:
                _fill_missing(prev, ev)
                continue
        if ev.event_type == "legal":
            prev = next((o for o in out if o.event_type == "legal" and _same_legal_act(o, ev)), None)
            if prev is not None:
                _fill_missing(prev, ev)
                continue
        if ev.event_type in ("warning", "announcement", "apology"):
            # A citation title names the actor its own way (アオバ証券社長 for アオバホールディングス).
            cited = _in_citation_title(art, ev)
            prev = next(
                (o for o in out if o.event_type == ev.event_type and (cited or o.org == ev.org)), None
            )
            if prev is not None:
                _fill_missing(prev, ev)
                continue
        if ev.event_type in ("suspension", "resumption"):
            # The same stop told again (a citation title repeats the body): same thing, same actor.
            prev = next((o for o in out if o.target == ev.target and _mergeable(o, ev)), None)
            if prev is not None:
                _fill_missing(prev, ev)
                continue
        out.append(ev)
    return out


def _join_split_figures(art: _Article, bodies: list[Event]) -> list[Event]:
    """A count and, in the next sentence, an amount with nothing else are one statistic
    (二十数件で引き出された。被害額は合わせて1000万円余り): the amount joins the count's event."""
    out: list[Event] = []
    for ev in bodies:
        prev = next((o for o in reversed(out) if o.event_type == "damage"), None)
        if (
            prev is not None
            and ev.event_type == "damage"
            and (prev.role, prev.org) == (ev.role, ev.org)
            and _count_only(prev)
            and _amount_only(ev)
            and _sentence_index(art, ev.start) == _sentence_index(art, prev.start) + 1
        ):
            _fill_missing(prev, ev)
            prev.end, prev.evidence = ev.end, art.text[prev.start : ev.end]
            continue
        out.append(ev)
    return out


_MEMBER_OF = re.compile(r"(この|その)?うち")


def _join_members(art: _Article, bodies: list[Event]) -> list[Event]:
    """各社は…受け付けを停止した。このうち松井証券は…受け付けを停止した: a member of the group that acted
    tells the same act; it joins the group's `orgs`."""
    out: list[Event] = []
    for ev in bodies:
        sent = art.sentences[_sentence_index(art, ev.start)]
        prev = next((o for o in reversed(out) if o.event_type == ev.event_type), None)
        if (
            prev is not None
            and ev.event_type in ("suspension", "resumption")
            and prev.org is None
            and ev.org is not None
            and _MEMBER_OF.match(art.text, sent.start)
            and _sentence_index(art, prev.start) == _sentence_index(art, ev.start) - 1
        ):
            prev.orgs = [*prev.orgs, ev.org]
            continue
        out.append(ev)
    return out


def _count_only(ev: Event) -> bool:
    return ev.amount_jpy is None and ev.amount_min_jpy is None and ev.count_unit is not None


def _amount_only(ev: Event) -> bool:
    return (ev.amount_jpy is not None or ev.amount_min_jpy is not None) and ev.count_unit is None


def _fill_missing(into: Event, source: Event) -> None:
    for name in SLOTS:
        if name in ("org", "org_type") and into.orgs:
            continue  # a group acts: no single actor
        if getattr(into, name) in (None, []) and getattr(source, name) not in (None, []):
            setattr(into, name, getattr(source, name))


def _fill_from(body: Event, head: Event) -> Event:
    merged = replace(body)
    _fill_missing(merged, head)
    return merged


def _headline_has_more_figures(head: Event, body: Event) -> bool:
    def figures(e: Event) -> int:
        return sum(x is not None for x in (e.amount_jpy, e.amount_min_jpy, e.count))

    return figures(head) > figures(body)
