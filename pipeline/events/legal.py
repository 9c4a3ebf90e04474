"""Legal acts: arrests, prosecutions, lawsuits, rulings, orders and sanctions.

The acting body and the target come from the case particles of the names before the trigger.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.events.article import _Article, _base, _evidence_span, _Sentence
from pipeline.events.prefilter import finditer_in
from pipeline.events.rules import _legal_rules, _media
from pipeline.events.slots import _RELAYS, _act_date, _dates, _org_name
from pipeline.types import ORG_TYPES, Event, Mention

# The case particle after a name, past a title or description written onto it (村瀬浩二容疑者(45)を,
# 金融庁は, 同社役員ら): who acts (は/が), who is acted on (を/に対し), who acts on the topic of a
# passive (に/によって/から).
_MARKER = re.compile(
    r"^[」』]?(?P<desc>[一-龥ァ-ヶー・]{0,8}?)(\([^()]{0,15}\))?(ら|など)?(?P<p>に対して|に対し|によって|により|から|では|は|が|を|に|と|の|や|も)"
)


# The trigger's predicate turns the topic into the one acted on: 逮捕された, 判決を受けた, 停職処分済.
_PASSIVE = re.compile(r"^(処分)?(され|さる|を受け|が下さ|が言い渡さ|が確定|となっ|とな|済|処分を受け)")


# Orders and sanctions name their target with に (アイフルに業務停止命令); a charge or a suit names
# the authority or court it is filed with (県警に告発, 地裁に提訴), which is not the target.
_TARGET_PARTICLES = {
    "order": ("を", "に対し", "に対して", "に"),
    "sanction": ("を", "に対し", "に対して", "に"),
}


_DEFAULT_TARGET_PARTICLES = ("を", "に対し", "に対して")


_NAMED_AFTER = re.compile(r"(され|し)(た|ていた)のは")


_OTHERS = re.compile(r"(他に|ほかに|このほか)$")


_BEFORE_NOW = re.compile(r"(し|され)?ていた")


_COURT = re.compile(r"裁判所|地裁|高裁|最高裁")


_STRICT_ACTOR = ("arrest", "ruling")


_SUM_AFTER = re.compile(r"^(の|を)?(罰金|課徴金|制裁金|損害賠償|賠償|支払|支払い|請求|返還)")


_SUM_BEFORE = re.compile(r"(罰金|課徴金|制裁金|賠償金?|請求額)(は|として|の)?(約|計)?$")


def _legal_events(
    art: _Article, sent: _Sentence, article_id: str
) -> tuple[list[Event], list[tuple[int, int]]]:
    """Legal acts of a sentence, and the trigger spans they take (a stop inside 業務停止命令 is theirs).
    The caller passes over the sentences that hold none of `_kind_patterns`' words."""
    kinds, modality, actors = _legal_rules()
    events: list[Event] = []
    taken: list[tuple[int, int]] = []
    for kind, actor, pattern in kinds:
        for trig in finditer_in(pattern, art.text, sent.start, sent.end):
            if any(a <= trig.start() < b for a, b in taken):
                continue
            taken.append((trig.start(), trig.end()))
            if kind == "sanction" and trig.group(0) == "解雇" and _laid_off(art, sent, trig.start()):
                continue
            after = art.text[trig.end() : trig.end() + 16].lstrip("し")
            mood = next((mo for mo, p in modality if p.search(after)), None)
            if mood == "negated":
                continue
            org, to = _legal_parties(art, sent, trig, kind, actors.get(actor))
            ev = _base(art, sent, "legal", article_id, *_evidence_span(art, sent, trig.start(), trig.end()))
            # A court's order is a ruling (地裁が支払いを命じた); an authority's is an order.
            by_court = org is not None and _COURT.search(org.value or "")
            ev.kind = "ruling" if kind == "order" and by_court else kind
            ev.org, ev.org_type = _org_name(art, org)
            ev.to = to.value if to is not None else None
            ev.planned = mood == "planned"
            ev.date = _act_date(art, sent, trig.start())
            if _BEFORE_NOW.match(art.text, trig.end()) and not _dates(art, sent.start, trig.start()):
                ev.date = None  # 告発していた: an earlier act, undated, is not of the day of the report
            amounts = [
                m
                for m in art.within(sent.start, sent.end, "MONEY")
                if m.unit in (None, "JPY") and m.value_int is not None
            ]
            # The sum claimed, ordered or paid: the loss behind an arrest is the damage event's.
            sums = [
                m
                for m in amounts
                if _SUM_AFTER.match(art.after(m, 8)) or _SUM_BEFORE.search(art.text, sent.start, m.start)
            ]
            ev.amount_jpy = sums[0].value_int if sums else None
            events.append(ev)
    return events, taken


@lru_cache(maxsize=1)
def _kind_patterns() -> tuple[re.Pattern[str], ...]:
    """The patterns of all legal kinds, for one scan of a text for the words they need."""
    return tuple(p for _, _, p in _legal_rules()[0])


def _laid_off(art: _Article, sent: _Sentence, pos: int) -> bool:
    """臨時職員の55人を解雇: staff cut by the number is a layoff, not a penalty on anyone (社員2人を
    懲戒解雇 is one)."""
    if art.text[max(0, pos - 2) : pos] == "懲戒":
        return False
    counts = art.within(max(sent.start, pos - 16), pos, "COUNT")
    return any(c.unit in ("人", "名") and art.after(c, 1) in ("を", "に") for c in counts)


def _legal_parties(
    art: _Article, sent: _Sentence, trig: re.Match[str], kind: str, actor: re.Pattern[str] | None
) -> tuple[Mention | None, Mention | None]:
    """The acting body and the first named target of a legal act, from the case particles of the
    names before its trigger; a passive predicate (逮捕された) swaps them."""
    # A title in brackets (東西新聞『…5人逮捕』) is read on its own: the byline before it is no party.
    opening = max(art.text.rfind(q, sent.start, trig.start()) for q in "『「")
    closing = max(art.text.rfind(q, sent.start, trig.start()) for q in "』」")
    start = opening + 1 if opening > closing else sent.start
    parties = [
        m
        for m in art.within(start, trig.start(), (*ORG_TYPES, "PERSON"))
        if not (_RELAYS.match(art.after(m, 24)) and _media().search(m.value or m.text))
    ]
    if _NAMED_AFTER.match(art.text, trig.end()):
        # 逮捕されたのは…村瀬浩二(45)と…の2容疑者: the ones acted on are named after the trigger.
        # このほか逮捕されたのは: the rest of those in an act already told, which this joins.
        if _OTHERS.search(art.text, sent.start, trig.start()):
            return None, None
        named = art.within(trig.end(), sent.end, "PERSON") or art.within(trig.end(), sent.end, ORG_TYPES)
        return None, named[0] if named else None
    marked = [(m, _particle(art, m)) for m in parties]
    topics = [m for m, p in marked if p in ("は", "が", "では")]
    orgs = [m for m in parties if m.type in ORG_TYPES]
    if passive := _PASSIVE.match(art.text[trig.end() : trig.end() + 8]):
        # 逮捕された堀江貴文容疑者が: the passive qualifies the person named right after it.
        end = trig.end() + passive.end()
        after = art.within(end, end + 12, "PERSON")
        qualified = (
            after[0]
            if after and art.text[end : after[0].start] == "た" and passive.group(0) == "され"
            else None
        )
        to = qualified or (topics[0] if topics else None)
        by = [m for m, p in marked if m.type in ORG_TYPES and p in ("に", "によって", "により", "から")]
        org = by[0] if by else None
    else:
        org_topics = [m for m in topics if m.type in ORG_TYPES]
        org = _first_of_pair(art, parties, org_topics[0]) if org_topics else None
        wanted = _TARGET_PARTICLES.get(kind, _DEFAULT_TARGET_PARTICLES)
        objects = [m for m, p in marked if p in wanted and m is not org]
        people = [m for m in parties if m.type == "PERSON" and m not in topics]
        to = objects[0] if objects else (people[0] if people else None)
        people_topics = [m for m in topics if m.type == "PERSON"]
        if to is None and kind == "sanction" and people_topics:
            to = people_topics[0]  # 村瀬容疑者は解雇: the topic of a nominal sanction is the one sanctioned
    if actor is not None and kind in _STRICT_ACTOR and org is not None and not actor.search(org.value or ""):
        org = None  # only the police arrest and only a court rules: a newspaper in a citation does neither
    if org is None and actor is not None:
        # The police, prosecutors or court are named somewhere in the sentence (県警によると…逮捕).
        org = next(
            (
                m
                for m in orgs
                if m is not to and actor.search(m.value or "") and not _employer_of_target(art, m)
            ),
            None,
        )
    return org, to


def _employer_of_target(art: _Article, m: Mention) -> bool:
    """東京地検検事を逮捕: the body written onto the title of the one acted on employs them."""
    mk = _MARKER.match(art.after(m, 30))
    return mk is not None and bool(mk.group("desc")) and mk.group("p") == "を"


def _first_of_pair(art: _Article, parties: list[Mention], m: Mention) -> Mention:
    """静岡県警と静岡地検は: the topic marks the pair, and the first named acts."""
    i = parties.index(m)
    while i > 0 and art.text[parties[i - 1].end : parties[i].start] in ("と", "や", "・"):
        i -= 1
    return parties[i]


def _particle(art: _Article, m: Mention) -> str | None:
    """The case particle of a name; a person may carry a title or description before it
    (村瀬浩二容疑者(45)を), an organization may not: 銀行員を is a person, not the bank."""
    mk = _MARKER.match(art.after(m, 30))
    if mk is None or (m.type != "PERSON" and mk.group("desc")):
        return None
    return mk.group("p")


def _same_legal_act(a: Event, b: Event) -> bool:
    """One act told twice (headline, body, citation title): same kind, no conflicting target or actor."""

    def fits(x: str | None, y: str | None) -> bool:
        return x is None or y is None or x in y or y in x

    # 長野県警が逮捕 (a citation title) and 松本署が逮捕 (the body): one arrest told by two names
    # of the police, when the day agrees.
    same_actor = fits(a.org, b.org) or (a.date is not None and a.date == b.date)
    return a.kind == b.kind and fits(a.to, b.to) and same_actor
