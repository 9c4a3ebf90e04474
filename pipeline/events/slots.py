"""Shared slot finders: who acts (topic, source, anaphor, main actor), which services, which date."""

from __future__ import annotations

import re
from bisect import bisect_left
from datetime import date, timedelta

from pipeline.events.article import _REPORT_WINDOW_DAYS, _Article, _clause, _Sentence
from pipeline.events.rules import _media
from pipeline.names.gazetteer import load_gazetteer
from pipeline.types import ORG_TYPES, Mention

# A service named right before these words is the incident's name or a precedent, not a party to it.
_NOT_A_PARTY = re.compile(r"^[」』]?(問題|事件|騒動|以外|に続|と同様)")


# 東西新聞によると / 地元紙が…の話として報じた / 中国新聞デジタル『…』, 京都新聞電子版『…』 (a
# citation's byline): a paper that relays the story is not a party to it.
_RELAYS = re.compile(r"^(によると|によれば|の報道|[がは][^、。]{0,20}?(報じ|伝え)|[^、。『』「」]{0,6}『)")


_PARTNER = re.compile(r"^(や|と|など|・)")


# A parenthesis after a name (株式会社X（福岡市）は) is the seat of the firm; によると names the source.
_TOPIC = re.compile(r"^(\([^()]{1,15}\))?[」』]?(は|が|では|でも|で|も|によると|によれば)(?![^、。]{0,2}の)")


# 国土交通省と各地方運輸局が…要請: the first of a pair marked as the subject acts.
_FIRST_OF_PAIR = re.compile(r"^(と|や|および)(各|他の)?[一-龥ァ-ヶー]{1,8}(は|が)(?![^、。]{0,2}の)")


# A firm introduced by what it does (不正検知を手掛けるX) is a third party brought in, not the actor,
# unless it is the topic itself.
_DESCRIBED = re.compile(r"(手掛ける|手がける|運営する|提供する|開発する)$")


# Whom a figure is credited to: Xによると, Xの調べ, Xの分析では.
_SOURCE = re.compile(
    r"^(\([^()]{1,15}\))?(によると|によれば|の(調べ|調査|分析|集計|まとめ)(では|で|によると)?)"
)


_SPEAKER_SOURCE = re.compile(r"^[^、。]{0,12}?(によると|によれば)")


_ANAPHOR = re.compile(r"同(社|行|庁|協会|金庫|省)")


_MARKED_ANAPHOR = re.compile(r"同(社|行|金庫)(?:では|は|が|も)")


_ANAPHOR_TYPES = {"社": ("COMPANY", "PAYMENT_SERVICE"), "行": ("BANK",), "金庫": ("BANK",)}


# 3月10日をメドに再開: the day aimed at, not the day of the report.
_TARGET_DAY = re.compile(r"^を?(メド|めど|目途|目処)")


_UNTIL = re.compile(r"^(まで|までに|末まで)")


# A date that opens or closes a period (1月から, 4月中旬まで, 昨年12月にかけて) is not the event's date,
# and a month that qualifies a noun (10月の被害) is the period of a statistic.
_PERIOD = re.compile(r"^(から|以降|まで(?!に)|にかけて|以来)")


_MONTH_OF = re.compile(r"^の")


def _operator(name: str) -> str | None:
    entry = load_gazetteer().get(name)
    return entry.operator if entry is not None and entry.operator else None


def _topic_org(art: _Article, start: int, end: int, marked_only: bool = False) -> Mention | None:
    """The organization a stretch of text is about: one marked by は/が/で first, else the first named.

    A service in quotes (「ドコモ口座」が) is a thing talked about, and an org joined by や/と/との
    is a partner; neither is the actor. A headline may open with its actor and a comma.
    """
    orgs = [
        m
        for m in art.within(start, end, ORG_TYPES)
        if not _NOT_A_PARTY.match(art.after(m, 4))
        and not (_RELAYS.match(art.after(m, 24)) and _media().search(m.value or m.text))
        and not (
            art.after(m, 1) in "」』"
            and (m.type == "PAYMENT_SERVICE" or art.text[m.start - 1 : m.start] == "「")
        )
    ]
    marked = [
        m
        for m in orgs
        if _TOPIC.match(art.after(m, 24))
        or (m.start == 0 and art.after(m, 1) == "、")
        or _FIRST_OF_PAIR.match(art.after(m, 14))
    ]
    if marked or marked_only:
        return marked[0] if marked else None
    return next(
        (
            m
            for m in orgs
            if not _PARTNER.match(art.after(m, 4))
            and not _DESCRIBED.search(art.text[max(0, m.start - 6) : m.start])
        ),
        None,
    )


def _main_org(art: _Article) -> Mention | None:
    """The article's main actor: the marked topic of the first body sentence that has one, else the
    headline's. A payment service stands for its operator only when the article names the operator."""
    if "main" not in art.memo:
        art.memo["main"] = _find_main_org(art)
    return art.memo["main"]


def _find_main_org(art: _Article) -> Mention | None:
    for sent in [*art.sentences[1:], art.sentences[0]]:
        m = _topic_org(art, sent.start, sent.end, marked_only=True)
        while m is not None and _media().search(m.value or m.text):
            # 東西新聞は、アオバ電鉄で…と報じた: the paper relays; the story is about the next org marked.
            m = _topic_org(art, m.end, sent.end, marked_only=True)
        if m is not None and (m.type != "PAYMENT_SERVICE" or _named_operator(art, m)):
            return m
    # 楽天証券の田村社長は…: no org is marked, but the speaker's employer opens the lead.
    lead = art.sentences[1] if len(art.sentences) > 1 else None
    opener = art.within(lead.start, lead.end, ORG_TYPES)[:1] if lead else []
    people = art.within(lead.start, lead.end, "PERSON") if lead else []
    if opener and people and art.text[opener[0].end : people[0].start] == "の":
        return opener[0]
    return None


def _named_operator(art: _Article, service: Mention) -> str | None:
    operator = _operator(service.value or service.text)
    if not operator or operator == service.value:
        return None
    return operator if operator in art.org_names else None


def _org_of(art: _Article, sent: _Sentence, near: int) -> tuple[str | None, str | None]:
    """Who acts at `near`: the one its sentence names, else the article's main actor, else the
    first org named before it in the sentence."""
    own = _sentence_org(art, sent, near)
    if own is not None:
        return own
    return _org_name(art, _main_org(art) or _topic_org(art, sent.start, near))


def _sentence_org(art: _Article, sent: _Sentence, near: int) -> tuple[str, str | None] | None:
    """The actor the sentence itself names at `near`: the org of its clause, else the sentence's
    marked topic, else one pointed back to (同社は, 同市交通局は); None when it names none."""
    start, end = _clause(art, sent, near)
    m = (
        _topic_org(art, start, end)
        or _topic_org(art, sent.start, near, marked_only=True)
        or _anaphor_org(art, sent, near)
    )
    if m is None and (body := _place_anaphor(art, sent.start, near)) is not None:
        return body, "ORGANIZATION"
    name = _org_name(art, m)
    return name if name[0] is not None else None


# 同市交通局は / 同県は: a body of the place last named (名古屋市中区 → 名古屋市交通局), marked as the topic.
_PLACE_ANAPHOR = re.compile(
    r"同(?P<kind>[市県府町村])(?P<head>[一-龥]{0,6}?(局|部|課|委員会|署|本部|庁|議会|警察))?(?:は|が|では)"
)


def _place_anaphor(art: _Article, start: int, end: int) -> str | None:
    found = _PLACE_ANAPHOR.search(art.text, start, end)
    if found is None:
        return None
    kind = found.group("kind")
    places = [
        p.group(0)
        for p in re.finditer(rf"(?<![一-龥])[一-龥]{{1,3}}?{kind}(?!場)", art.text[: found.start()])
        if not p.group(0).startswith("同")
    ]
    return f"{places[-1]}{found.group('head') or ''}" if places else None


def _anaphor_org(art: _Article, sent: _Sentence, near: int) -> Mention | None:
    """同社は / 同行では before `near`: the last firm (or bank) named before the sentence."""
    found = _MARKED_ANAPHOR.search(art.text, sent.start, near)
    if found is None:
        return None
    kinds = _ANAPHOR_TYPES[found.group(1)]
    before = [m for m in art.mentions[: bisect_left(art.starts, sent.start)] if m.type in kinds]
    # The firm the story was about (marked は/が) wins over one named in passing (不正検知を手掛けるX).
    topics = [m for m in before if _TOPIC.match(art.after(m, 24))]
    return (topics or before or [None])[-1]


def _org_name(art: _Article, m: Mention | None) -> tuple[str | None, str | None]:
    if m is None:
        return None, None
    if m.type == "PAYMENT_SERVICE" and (operator := _named_operator(art, m)):
        return operator, "COMPANY"
    return m.value, m.type


def _source_org(art: _Article, sent: _Sentence) -> Mention | None:
    """The org a sentence credits its figures to (警察庁によると, X社の調べでは, X社のY社長によると):
    whoever reports a figure is the damage event's org, even when another org is the topic."""
    people = art.within(sent.start, sent.end, "PERSON")
    for m in art.within(sent.start, sent.end, ORG_TYPES):
        if _media().search(m.value or m.text):
            continue
        if _SOURCE.match(art.after(m, 24)):
            return m
        speaker = next((p for p in people if p.start == m.end + 1 and art.text[m.end] == "の"), None)
        if speaker is not None and _SPEAKER_SOURCE.match(art.after(speaker, 16)):
            return m
    return None


def _services(art: _Article, sent: _Sentence, leave_out: frozenset[str] = frozenset()) -> list[str]:
    """Payment services taking part: the sentence's, else the headline's, else the body's.

    The fallback is the same for every event of the article, so it is found once."""
    own = [n for n in _party_services(art, sent) if n not in leave_out]
    if own:
        return own
    key = ("services", leave_out)
    if key not in art.memo:
        found = ([n for n in _party_services(art, s) if n not in leave_out] for s in art.sentences)
        art.memo[key] = next((names for names in found if names), [])
    return list(art.memo[key])


def _party_services(art: _Article, sent: _Sentence) -> list[str]:
    services = art.within(sent.start, sent.end, "PAYMENT_SERVICE")
    out: list[str] = []
    excluded = False
    for m in services:
        tail = art.after(m, 4)
        if _NOT_A_PARTY.match(tail):
            excluded = True
            continue
        # "X や Y 以外": the exclusion covers the whole coordinated list.
        if re.match(r"^[」』]?(や|と|・)", tail) and _NOT_A_PARTY.search(
            art.text[m.end : sent.end][:40].split("、")[0].replace("」", "")
        ):
            continue
        if m.value not in out:
            out.append(m.value or m.text)
    return [] if excluded and not out else out


def _dates(art: _Article, start: int, end: int) -> list[Mention]:
    return [m for m in art.within(start, end, "DATE") if m.value]


def _event_date(art: _Article, m: Mention, until_too: bool = True) -> bool:
    """Whether a date can be the day (or month) a fact happened: not an as-of date, not a year,
    not the end of a period, not a month that names the period of a statistic. A date things
    were found by (15日までに) is one, unless `until_too` is false (a deadline to compensate by)."""
    if m.time_point or not m.value or m.granularity in ("year", "fiscal_year", "end_of_year"):
        return False
    tail = art.text[m.end : m.end + 6].lstrip("朝昼夜午前後時分半ごろ頃すぎ0123456789:")
    if _PERIOD.match(tail) or _TARGET_DAY.match(tail) or (not until_too and _UNTIL.match(tail)):
        return False
    return m.granularity == "day" or not _MONTH_OF.match(tail)


def _article_date(art: _Article) -> str | None:
    """The report date: the first date in the body that can be an event's date and, when the
    publication date is known, falls in the month before it (a background date such as
    2019年3月31日までに口座を開設した is no report date); else the publication date itself."""
    if "date" not in art.memo:
        body = art.within(art.headline_end, len(art.text), "DATE")
        dates = (m.value for m in body if _event_date(art, m) and _near_publication(art, m.value))
        art.memo["date"] = next(dates, None) or (art.published.isoformat() if art.published else None)
    return art.memo["date"]


def _near_publication(art: _Article, value: str) -> bool:
    if art.published is None:
        return True
    day = date.fromisoformat(value if len(value) == 10 else f"{value[:7]}-01")
    return art.published - timedelta(days=_REPORT_WINDOW_DAYS) <= day <= art.published + timedelta(days=1)


def _sentence_date(art: _Article, sent: _Sentence, until_too: bool = True) -> str | None:
    in_sentence = (m.value for m in _dates(art, sent.start, sent.end) if _event_date(art, m, until_too))
    return next(in_sentence, None) or _article_date(art)


def _act_date(art: _Article, sent: _Sentence, pos: int) -> str | None:
    """The date of the act at `pos`: the last date before it in its sentence that can be a fact's
    (2019年3月の判決, 14日、…逮捕した), else the sentence's, else the article's report date."""
    days = [
        m
        for m in _dates(art, sent.start, pos)
        if not m.time_point
        and m.granularity not in ("year", "fiscal_year", "end_of_year")
        and not _PERIOD.match(art.after(m, 6))
    ]
    return days[-1].value if days else _sentence_date(art, sent)
