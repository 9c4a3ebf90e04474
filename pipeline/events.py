"""From mentions to events: triggers found in sentences, slots filled from the mentions around them.

The unit is the sentence (the headline is one). Slots come from the trigger's own sentence first,
then from the article: the organization that is the topic of the lead, the date of the report,
the services the headline names. A fact stated in the headline and again in the body is one event,
with the body's more precise values and the headline filling what the body leaves out.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_left
from dataclasses import dataclass, fields, replace
from dataclasses import field as dc_field
from datetime import date, timedelta
from functools import lru_cache

from pipeline.names.gazetteer import load_gazetteer
from pipeline.paths import MODELS
from pipeline.types import ORG_TYPES, Event, Mention

_DATA = MODELS / "events"
_REPORT_WINDOW_DAYS = 31  # a report tells what happened in the month before it was published
_SENTENCE_END = re.compile(r"[。!?\n]")
_CLAUSE_END = re.compile(r"[、,。!?\n]")
# A service named right before these words is the incident's name or a precedent, not a party to it.
_NOT_A_PARTY = re.compile(r"^[」』]?(問題|事件|騒動|以外|に続|と同様)")
# 朝日新聞によると / 読売新聞が伝えた: a paper that relays the story is not a party to it.
_RELAYS = re.compile(r"^(によると|によれば|の報道|が報じ|が伝え|は報じ|は伝え)")
_PARTNER = re.compile(r"^(や|と|など|・)")
# A parenthesis after a name (株式会社X（福岡市）は) is the seat of the firm; によると names the source.
_TOPIC = re.compile(r"^(\([^()]{1,15}\))?[」』]?(は|が|では|でも|で|も|によると|によれば)(?![^、。]{0,2}の)")
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
_GROUP_COUNT = re.compile(r"^(が|は|に|も|で)")
_GROUP_MEMBERS = re.compile(r"^など(は|が|で|も)")
_SINCE = re.compile(r"^([^、。\d]{0,8}?)(から|以降)")
_RESTART_AT = re.compile(r"^(に|から|より|以降|を?(メド|めど|目途)に|にも)(?!かけ)")
# 1月22日をメドに再開: the day aimed at, not the day of the report.
_TARGET_DAY = re.compile(r"^を?(メド|めど|目途|目処)")
_FUTURE = re.compile(r"今後|来年|来月|来週|来春|来夏|来秋|来冬|将来|年内に|月内に")
_UNTIL = re.compile(r"^(まで|までに|末まで)")
# A date that opens or closes a period (1月から, 4月中旬まで, 昨年12月にかけて) is not the event's date,
# and a month that qualifies a noun (10月の被害) is the period of a statistic.
_PERIOD = re.compile(r"^(から|以降|まで(?!に)|にかけて|以来)")
_MONTH_OF = re.compile(r"^の")
_INQUIRED = re.compile(r"^(には|に|へ)")
_INQUIRED_WORD = re.compile(r"([^\s、。「」()]{2,12}?)(?:に|には|へ)(?:は)?[^、。]{0,20}問い合わせ")
# Counted things that are not cases or accounts hit: questions, and the fraudsters' own sites and messages.
_NOT_HIT = ("問い合わせ", "迷惑メール", "相談", "偽サイト", "フィッシングSMS", "フィッシングメール")
_DAMAGE_UNITS = {"件", "口座", "人", "名", "回", "万件", "万人"}
_PERSON_UNITS = ("人", "名", "万人")
_PART_OF = re.compile(r"(この|その)?うち|残り|残る")
# A damage word that is the subject or topic of the figure's predicate: 不正送金の被害が…5,578件.
_HARM_TOPIC = re.compile(r"[^、。]{0,12}?(は|が|も)")
# People counted are victims only when the text says so; records of people (400万人分) are leaked data.
_VICTIMS = re.compile(r"被害者|被害に遭|被害にあ|被害を受け|被害は|だまされ|奪われ|失っ")
# Units that size what a stop covers: a group of banks or firms, or machines, branches and sites.
_STOP_UNITS = ("行", "社", "台", "店", "カ所", "駅", "便")
_GROUP_UNITS = ("行", "社")
_MEMBER_TYPES = ("BANK", "COMPANY")
# Counts that are not victims: suspects arrested, recipients of compensation.
_NOT_VICTIMS = re.compile(r"^(を逮捕|を書類送検|に対し|と合意)")
_PAIRED = re.compile(r"^[、,・\s]*(計|合計|総額)?$")
_COMP_COUNT = re.compile(r"^(に対し|には|に|へ|と)")
_OBJECT = re.compile(r"([^、。\sはが「」]{2,30}?)(?:の(?:受け付け|受付|取り扱い|取扱い))?を$")
# Modifiers before the thing stopped: 一部の中国株…, インターネット取引での外国株…, 同日から暗号資産…
_OBJECT_LEAD = re.compile(r"^.*(での|で|から|一部の|以降)")
_GOVERNMENT_TITLE = re.compile(r"(大臣|相|長官|知事|首相)$")
_GENERIC_ACTOR = re.compile(r"(銀行|地銀|地方銀行|金融機関|各行|各社|事業者)(側)?(で|が|は|も)")

SLOTS = tuple(
    f.name for f in fields(Event) if f.name not in {"article_id", "evidence", "field", "start", "end"}
)


def _table(name: str) -> list[dict[str, str]]:
    with open(_DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@lru_cache(maxsize=1)
def _rules() -> tuple[list[tuple[str, re.Pattern[str]]], ...]:
    triggers = [(r["event_type"], re.compile(r["pattern"])) for r in _table("triggers.tsv")]
    modality = [(r["modality"], re.compile(r["pattern"])) for r in _table("modality.tsv")]
    roles = [(r["role"], r["where"], re.compile(r["pattern"])) for r in _table("roles.tsv")]
    targets = [((r["target"], r["short"]), re.compile(r["pattern"])) for r in _table("targets.tsv")]
    return triggers, modality, roles, targets


@lru_cache(maxsize=1)
def _legal_rules() -> tuple[list[tuple[str, str, re.Pattern[str]]], list[tuple[str, re.Pattern[str]]], dict]:
    kinds = [(r["kind"], r["actor"], re.compile(r["pattern"])) for r in _table("legal.tsv")]
    modality = [(r["modality"], re.compile(r["pattern"])) for r in _table("legal_modality.tsv")]
    actors = {r["actor"]: re.compile(r["pattern"]) for r in _table("actors.tsv")}
    return kinds, modality, actors


@lru_cache(maxsize=1)
def _not_harm() -> dict[str, re.Pattern[str]]:
    rows = _table("not_harm.tsv")
    return {
        w: re.compile("|".join(f"(?:{r['pattern']})" for r in rows if r["where"] == w))
        for w in ("clause", "harm")
    }


@lru_cache(maxsize=1)
def _media() -> re.Pattern[str]:
    """News outlets: they relay what others report (読売新聞によると), they are not its source."""
    return re.compile("|".join(f"(?:{r['pattern']})" for r in _table("media.tsv")))


@lru_cache(maxsize=1)
def _scopes() -> list[tuple[str, re.Pattern[str]]]:
    return [(r["scope"], re.compile(r["pattern"])) for r in _table("scopes.tsv")]


@lru_cache(maxsize=1)
def _addressee() -> re.Pattern[str]:
    """A named addressee (利用者, 会員銀行) followed by に / に対し: whom a warning is for."""
    nouns = "|".join(
        sorted((re.escape(r["addressee"]) for r in _table("addressees.tsv")), key=len, reverse=True)
    )
    return re.compile(rf"({nouns})(?:に対して|に対し|にも|には|に)(?!注意|気を)")


@dataclass(slots=True)
class _Sentence:
    field: str
    start: int
    end: int


@dataclass(slots=True)
class _Article:
    text: str  # headline + "\n" + body, normalized
    headline_end: int
    sentences: list[_Sentence]
    mentions: list[Mention]
    published: date | None = None
    starts: list[int] = dc_field(init=False)
    org_names: frozenset[str] = dc_field(init=False)
    memo: dict = dc_field(init=False)  # article-wide answers that every event would otherwise recompute

    def __post_init__(self) -> None:
        # Sorted once, so that every slot lookup is a bisect, not a scan: long articles stay linear.
        self.mentions = sorted(self.mentions, key=lambda m: m.start)
        self.starts = [m.start for m in self.mentions]
        self.org_names = frozenset(m.value for m in self.mentions if m.type in ORG_TYPES and m.value)
        self.memo = {}

    def within(self, start: int, end: int, types: tuple[str, ...] | str) -> list[Mention]:
        kinds = (types,) if isinstance(types, str) else types
        out = []
        for m in self.mentions[bisect_left(self.starts, start) :]:
            if m.start >= end:
                break
            if m.type in kinds and m.end <= end:
                out.append(m)
        return out

    def after(self, m: Mention, n: int = 12) -> str:
        return self.text[m.end : m.end + n]

    def field_of(self, pos: int) -> str:
        return "headline" if pos < self.headline_end else "body"


def _sentences(text: str, headline_end: int) -> list[_Sentence]:
    out = [_Sentence("headline", 0, headline_end)]
    start = headline_end + 1
    for m in _SENTENCE_END.finditer(text, start):
        if m.end() - start > 1:
            out.append(_Sentence("body", start, m.end()))
        start = m.end()
    if start < len(text):
        out.append(_Sentence("body", start, len(text)))
    return out


def _assign_roles(art: _Article) -> None:
    """Set `role` on MONEY mentions: damage, suspected, prevented or possible_damage (in place).

    Only a figure the text says was lost, stolen, defrauded, hidden or leaked has one."""
    for sent in art.sentences:
        for m in art.within(sent.start, sent.end, "MONEY"):
            if m.per_unit:
                continue
            role = _role_words(art, sent, m) if _harmed(art, sent, m) else None
            m.role = None if role == "none" else (role or ("damage" if _harmed(art, sent, m) else None))


def _harm_words(art: _Article, start: int, end: int) -> list[re.Match[str]]:
    """Damage words in [start, end), less physical harms (痴漢被害, 地震の被害)."""
    damage = next(p for t, p in _rules()[0] if t == "damage")
    physical = _not_harm()["harm"]
    return [
        h for h in damage.finditer(art.text, start, end) if not physical.search(art.text, start, h.start())
    ]


def _harmed(art: _Article, sent: _Sentence, m: Mention) -> bool:
    """Whether the text says the figure `m` was lost, stolen, defrauded or leaked: a damage word in
    its own clause (500万円を着服, 被害額は…), or in the sentence's subject or topic before it
    (不正出金された金額が、…109件1811万円), or anywhere in a headline; and no word in its clause that
    makes it a casualty, a business figure or a repayment."""
    start, end = _clause(art, sent, m.start)
    if _not_harm()["clause"].search(art.text, start, end):
        return False
    if _harm_words(art, start, end) or (sent.field == "headline" and _harm_words(art, sent.start, sent.end)):
        return True
    if any(_HARM_TOPIC.match(art.text, h.end()) for h in _harm_words(art, sent.start, m.start)):
        return True
    # このうち940万円は…阻止: a part of the harmed whole of the sentence before.
    i = _sentence_index(art, sent.start)
    return bool(_PART_OF.match(art.text, sent.start)) and i > 1 and _harm_sentence(art, art.sentences[i - 1])


def _harm_sentence(art: _Article, sent: _Sentence) -> bool:
    return any(m.role for m in art.within(sent.start, sent.end, "MONEY"))


def _role_words(art: _Article, sent: _Sentence, m: Mention) -> str | None:
    """The role the words around a figure give it (疑われる, 阻止, 可能性, 補償), or None."""
    end = _CLAUSE_END.search(art.text, m.end, sent.end)
    text = {
        "after": art.text[m.end : end.start() if end else sent.end],
        "before": art.text[sent.start : m.start],
    }
    return next((r for r, where, p in _rules()[2] if p.search(text[where])), None)


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
    found: list[Event] = []
    prior: tuple[str | None, str | None] = (None, None)
    for sent in art.sentences:
        legal, taken = _legal_events(art, sent, article_id)
        found.extend(legal)
        damages = _damage_events(art, sent, article_id, prior)
        if damages and sent.field == "body":
            prior = damages[-1].org, damages[-1].org_type
        found.extend(damages)
        for etype, pattern in triggers:
            if etype == "damage":
                continue
            for trig in pattern.finditer(text, sent.start, sent.end):
                if any(a <= trig.start() < b for a, b in taken):
                    continue  # 業務停止命令 / 出場停止: the content of a legal act, not a stop of its own
                mood = next((mo for mo, p in modality if p.search(text[trig.end() : trig.end() + 16])), None)
                if mood == "negated":
                    continue
                if mood is None and _FUTURE.search(
                    art.text, _clause(art, sent, trig.start())[0], trig.start()
                ):
                    mood = "planned"  # 今後は物販事業から撤退し / 来年の春で放送を終了: not yet in effect
                event = _FILL[etype](art, sent, trig, article_id)
                if event is not None:
                    event.planned = mood == "planned" and etype in (
                        "suspension",
                        "compensation",
                        "resumption",
                    )
                    if event.since and not event.planned:
                        event.date = event.since  # a stop in effect happened when it began
                    found.append(event)
    events = _merge(art, _dedupe(found))
    for ev in events:
        _days_only(ev)
    return events


def _days_only(ev: Event) -> None:
    """as_of, since and deadline are days; only `date` may be a month (2024-06), which the table
    stores as its first day with `date_granularity` = month."""
    for name in ("as_of", "since", "deadline"):
        value = getattr(ev, name)
        if value is not None and len(value) != len("YYYY-MM-DD"):
            setattr(ev, name, None)


# --- organizations, dates and services of a sentence --------------------------------------------------


def _operator(name: str) -> str | None:
    entry = load_gazetteer().get(name)
    return entry.operator if entry is not None and entry.operator else None


def _clause(art: _Article, sent: _Sentence, pos: int) -> tuple[int, int]:
    """The comma-delimited clause of `sent` that holds `pos`."""
    left = art.text.rfind("、", sent.start, pos)
    right = art.text.find("、", pos, sent.end)
    return (left + 1 if left >= 0 else sent.start), (right if right >= 0 else sent.end)


def _topic_org(art: _Article, start: int, end: int, marked_only: bool = False) -> Mention | None:
    """The organization a stretch of text is about: one marked by は/が/で first, else the first named.

    A service in quotes (「ドコモ口座」が) is a thing talked about, and an org joined by や/と/との
    is a partner; neither is the actor. A headline may open with its actor and a comma.
    """
    orgs = [
        m
        for m in art.within(start, end, ORG_TYPES)
        if not _NOT_A_PARTY.match(art.after(m, 4))
        and not (_RELAYS.match(art.after(m, 6)) and _media().search(m.value or m.text))
        and not (
            art.after(m, 1) in "」』"
            and (m.type == "PAYMENT_SERVICE" or art.text[m.start - 1 : m.start] == "「")
        )
    ]
    marked = [m for m in orgs if _TOPIC.match(art.after(m, 24)) or (m.start == 0 and art.after(m, 1) == "、")]
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
        if m is not None and _media().search(m.value or m.text):
            continue  # 読売新聞が伝えたところによると: the paper relays, the story is about others
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
    """Who acts at `near`: the org of its clause, else the sentence's marked topic, else the
    article's main actor, else the first org named before it in the sentence."""
    start, end = _clause(art, sent, near)
    m = (
        _topic_org(art, start, end)
        or _topic_org(art, sent.start, near, marked_only=True)
        or _anaphor_org(art, sent, near)
        or _main_org(art)
        or _topic_org(art, sent.start, near)
    )
    return _org_name(art, m)


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


def _damage_org(
    art: _Article, sent: _Sentence, near: int, prior: tuple[str | None, str | None]
) -> tuple[str | None, str | None]:
    """Who reports a figure: the sentence's credited source, else the actor found as for any event.
    A sentence that names no org and points back to none (同社) continues the previous figure's
    reporter (警察庁によると…。11月も…の被害が確認された)."""
    source = _source_org(art, sent)
    if source is not None:
        return _org_name(art, source)
    names = [m for m in art.within(sent.start, sent.end, ORG_TYPES) if not _media().search(m.value or m.text)]
    if not names and prior[0] is not None and not _ANAPHOR.search(art.text, sent.start, sent.end):
        return prior
    if not names and (owner := _harm_owner(art, sent.start)) is not None:
        return _org_name(art, owner)
    return _org_of(art, sent, near)


def _harm_owner(art: _Article, before: int) -> Mention | None:
    """The last org written as the owner of a harm before `before` (オリンパスの粉飾決算, X社の損失):
    a figure in a sentence that names no one is that harm's."""
    owners = [
        m
        for m in art.mentions[: bisect_left(art.starts, before)]
        if m.type in ORG_TYPES
        and art.text[m.end : m.end + 1] == "の"
        and any(h.start() == m.end + 1 for h in _harm_words(art, m.end + 1, m.end + 12))
    ]
    return owners[-1] if owners else None


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
    2003年12月18日までに申し込んだ is no report date); else the publication date itself."""
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


# --- event types ---------------------------------------------------------------------------------------


def _base(art: _Article, sent: _Sentence, etype: str, article_id: str, start: int, end: int) -> Event:
    return Event(
        article_id=article_id,
        event_type=etype,
        field=sent.field,
        start=start,
        end=end,
        evidence=art.text[start:end],
    )


def _damage_events(
    art: _Article, sent: _Sentence, article_id: str, prior: tuple[str | None, str | None] = (None, None)
) -> list[Event]:
    triggers = _rules()[0]
    damage = next(p for t, p in triggers if t == "damage")
    if not damage.search(art.text, sent.start, sent.end):
        return []
    amounts = [
        m
        for m in art.within(sent.start, sent.end, "MONEY")
        if m.role and not m.per_unit and (m.unit in (None, "JPY"))
    ]
    counts = [m for m in art.within(sent.start, sent.end, "COUNT") if m.unit in _DAMAGE_UNITS]
    counts = [c for c in counts if c.counted not in _NOT_HIT and not _NOT_VICTIMS.match(art.after(c, 5))]
    pairs: list[tuple[Mention | None, Mention | None]] = []
    used: set[int] = set()
    for c in counts:
        # 計1811万円、109件: an amount right before the count, joined by a comma, is its pair.
        preceding = [a for a in amounts if a.end <= c.start and id(a) not in used]
        following = [a for a in amounts if a.start >= c.end and id(a) not in used]
        between = following and any(c.end <= o.start < following[0].start for o in counts if o is not c)
        if preceding and _PAIRED.match(art.text[preceding[-1].end : c.start]):
            used.add(id(preceding[-1]))
            pairs.append((preceding[-1], c))
        elif following and not between and not re.search("うち", art.text[c.end : following[0].start]):
            used.add(id(following[0]))
            pairs.append((following[0], c))
        else:
            pairs.append((None, c))
    pairs.extend((a, None) for a in amounts if id(a) not in used)
    # A count joined to a lost amount (6口座…計9864万円を引き出した) is hit by the same harm.
    pairs = [(a, c) for a, c in pairs if a is not None or _counted_harm(art, sent, c)]
    as_of = next((m.value for m in _dates(art, sent.start, sent.end) if m.time_point), None)
    events = []
    for amount, count in pairs:
        first = min((m for m in (amount, count) if m), key=lambda m: m.start)
        last = max((m for m in (amount, count) if m), key=lambda m: m.end)
        ev = _base(art, sent, "damage", article_id, *_evidence_span(art, sent, first.start, last.end))
        ev.role = amount.role if amount else _count_role(art, sent, count)
        ev.org, ev.org_type = _damage_org(art, sent, first.start, prior)
        ev.services = _damage_services(art, sent)
        ev.date = _sentence_date(art, sent)
        ev.as_of = as_of
        if amount:
            ev.amount_jpy = amount.value_int
            ev.amount_min_jpy, ev.amount_max_jpy = amount.min_int, amount.max_int
            ev.amount_qualifier = amount.qualifier
        if count:
            ev.count, ev.count_unit, ev.count_qualifier = count.value_int, count.unit, count.qualifier
            ev.counted = count.counted
        events.append(ev)
    # Within one sentence, the whole (suspected) figure comes first, then its parts.
    return events


def _counted_harm(art: _Article, sent: _Sentence, c: Mention) -> bool:
    """A count of cases, accounts or records hit; people count only as victims or as records of them."""
    if c.unit not in _PERSON_UNITS:
        return _harmed(art, sent, c)
    if art.after(c, 1) == "分":
        return _harmed(art, sent, c)
    start, end = _clause(art, sent, c.start)
    return bool(_VICTIMS.search(art.text, start, end)) and not _not_harm()["clause"].search(
        art.text, start, end
    )


def _count_role(art: _Article, sent: _Sentence, count: Mention | None) -> str:
    """A count alone is damage unless its words say otherwise (疑いのある口座が120口座)."""
    role = _role_words(art, sent, count) if count is not None else None
    return role if role not in (None, "none") else "damage"


def _damage_services(art: _Article, sent: _Sentence) -> list[str]:
    """Services taking part in a loss, as for any event, less those the item names only as
    what is stopped (「X」の新規登録を停止): a stop is a response, not the channel of the loss."""
    if "stopped" not in art.memo:
        services = [m for m in art.mentions if m.type == "PAYMENT_SERVICE"]
        art.memo["stopped"] = frozenset(
            {m.value for m in services if _stopped_object(art, m)}
            - {m.value for m in services if not _stopped_object(art, m)}
        )
    return _services(art, sent, art.memo["stopped"])


def _stopped_object(art: _Article, m: Mention) -> bool:
    end = _CLAUSE_END.search(art.text, m.end)
    rest = art.text[m.end : end.start() if end else len(art.text)]
    triggers = dict(_rules()[0])
    return bool(triggers["suspension"].search(rest)) and not triggers["damage"].search(rest)


def _evidence_span(art: _Article, sent: _Sentence, start: int, end: int) -> tuple[int, int]:
    """The clause around [start, end): from the previous comma to the next one."""
    left = max(art.text.rfind("、", sent.start, start), art.text.rfind(",", sent.start, start))
    right = _CLAUSE_END.search(art.text, end, sent.end)
    return (left + 1 if left >= 0 else sent.start), (right.start() if right else sent.end)


def _target(art: _Article, clause_start: int, trig: re.Match[str]) -> str | None:
    """What stopped: a word of the target vocabulary in the object before the trigger, else in the
    last comma clause, else anywhere before it in the clause, else the object phrase itself
    (中国株の買い注文), else a payment service named before it."""
    before = art.text[clause_start : trig.start()]
    obj = _OBJECT.search(before)
    scopes = ([obj.group(1)] if obj else []) + [before.rsplit("、", 1)[-1], before]
    for scope in scopes:
        found = _vocabulary(scope)
        if len(found) == 1:
            return found[0][0]
        if found:
            return "・".join(short for _, short in found)
    action = _action_target(art, clause_start, trig.start()) or _nominal_stop(art, clause_start, trig)
    if action is not None:
        return action
    if obj:
        phrase = _OBJECT_LEAD.sub("", obj.group(1))
        end = clause_start + obj.end(1)
        if len(phrase) >= 2 and not art.within(end - len(phrase), end, ("DATE", "COUNT", "MONEY")):
            return phrase
    named = art.within(clause_start, trig.start(), "PAYMENT_SERVICE")
    return named[-1].value if named else None


@lru_cache(maxsize=1)
def _action_words() -> str:
    return "|".join(sorted((re.escape(r["action"]) for r in _table("actions.tsv")), key=len, reverse=True))


@lru_cache(maxsize=1)
def _action() -> re.Pattern[str]:
    """An activity stopped or restarted right before the trigger (運転を見合わせ, 販売停止, 営業を再開)."""
    return re.compile(rf"(?P<action>{_action_words()})(?:を|が|は|も|の)?(?:一時|全面|当面|一時的に)?$")


_COMPOUND = re.compile(r"(?:一時|全面|当面|一部)?(?P<noun>[一-龥ァ-ヶーA-Za-z0-9]{2,12})$")
_THING_BEFORE_COMMA = re.compile(r"(?:^|[、。\n「」『』])(?P<thing>[^、。はがをにでも「」『』()\s]{2,16})、$")
_BARE_THING = re.compile(r"(?P<thing>[^、。はがをにでも「」『』()\s]{2,16})$")
_LEAD_MODIFIER = re.compile(r"^(一時|全面|当面|一部)")
_LEAD_MODIFIER_END = re.compile(r"(一時的に|一時|全面的に|全面|当面|一部)$")
_QUANTIFIER = re.compile(r"の(ほとんど|大半|一部|多く|すべて|全て)$")
_THING = re.compile(r"(?P<thing>[^、。はがをにでも「」『』()\s]{2,16})(?:では|でも|で|も|は|が|の)$")


def _action_target(art: _Article, start: int, end: int) -> str | None:
    """What stopped, told by the activity: the noun it is written onto (牛丼販売), else the thing
    named before it with a particle (京葉線でも運転を → 京葉線の運転, 本店の営業), else the activity.
    A date between them (不通区間19日に運転再開) and a leading operator name (JR京葉線) are left out."""
    before = _LEAD_MODIFIER_END.sub("", art.text[start:end])
    act = _action().search(before)
    if act is None:
        return None
    pre = _LEAD_MODIFIER_END.sub("", before[: act.start()])
    for d in sorted(art.within(start, start + act.start(), "DATE"), key=lambda d: d.start, reverse=True):
        if art.text[d.end : start + act.start()] in ("", "に", "から"):
            pre = art.text[start : d.start]
    compound = _COMPOUND.search(pre) if pre == before[: act.start()] else None
    if compound:
        return compound.group("noun") + act.group("action")
    # After a date (不通区間19日に運転再開, 本店22日に営業再開) the thing needs no particle.
    found = _THING.search(pre) or (_BARE_THING.search(pre) if pre != before[: act.start()] else None)
    offset = start + found.start("thing") if found else None
    if found is None and not pre.strip() and art.text[start - 1 : start] == "、":
        # 羽越線、21日運転再開へ: a headline names the thing before its comma.
        window = art.text[max(0, start - 17) : start]
        found = _THING_BEFORE_COMMA.search(window)
        offset = start - len(window) + found.start("thing") if found else None
    if found is None or offset is None:
        return act.group("action")
    name = _after_operator(art, offset, found.group("thing"))
    return f"{_QUANTIFIER.sub('', _LEAD_MODIFIER.sub('', name))}の{act.group('action')}"


def _after_operator(art: _Article, offset: int, name: str) -> str:
    """JR京葉線 → 京葉線: the thing named after its operator, not the operator."""
    inside = [m for m in art.within(offset, offset + len(name), ORG_TYPES) if m.end < offset + len(name)]
    return art.text[inside[-1].end : offset + len(name)] if inside else name


@lru_cache(maxsize=1)
def _stopped_by() -> dict[str, str]:
    """Stop words that name the activity they stop: 休業 stops 営業, 運休 運行, 禁輸 輸入."""
    return {w: r["action"] for r in _table("actions.tsv") for w in r["stopped_by"].split("|") if w}


_NOMINAL_THING = re.compile(r"(?P<thing>[^、。はがをにでも「」『』()\s]{2,20}?)(?:の|から)[一-龥]{0,3}$")


def _nominal_stop(art: _Article, start: int, trig: re.Match[str]) -> str | None:
    """The activity a nominal stop word stops and the thing before it: 山田線の2駅の冬季休業 →
    山田線の2駅の営業, 物販事業から撤退 → 物販事業."""
    action = next((a for w, a in _stopped_by().items() if w in trig.group(0)), None)
    if action is None:
        return None
    found = _NOMINAL_THING.search(art.text, start, trig.start())
    if found is None:
        return action
    name = _after_operator(art, found.start("thing"), found.group("thing"))
    return name if name.endswith(action) else f"{name}の{action}"


def _vocabulary(text: str) -> list[tuple[str, str]]:
    """Targets named in `text`, in order; a match inside a longer match (送金 in 送金機能) is dropped."""
    hits = [(m.start(), m.end(), t) for t, p in _rules()[3] for m in p.finditer(text)]
    kept = [
        h
        for h in hits
        if not any(o is not h and o[0] <= h[0] and h[1] <= o[1] and o[1] - o[0] > h[1] - h[0] for o in hits)
    ]
    out: list[tuple[str, str]] = []
    for _, _, t in sorted(kept):
        if t not in out:
            out.append(t)
    return out


def _stop_size(art: _Article, start: int, trig: re.Match[str]) -> tuple[Mention | None, bool]:
    """The count that sizes a stop (14行, 4318台, 全87店) and whether it is a group of actors.

    A total followed by のうち (5395台のうち4318台) is not the size of the stop."""
    sizes = [
        c
        for c in art.within(start, trig.end() + 12, "COUNT")
        if c.unit in _STOP_UNITS and c.start < trig.start() + 12 and not art.after(c, 3).startswith("のうち")
    ]
    if not sizes:
        return None, False
    c = sizes[0]
    group = c.unit in _GROUP_UNITS and (
        _GROUP_COUNT.match(art.after(c, 2)) is not None or art.text[max(0, c.start - 2) : c.start] == "など"
    )
    return c, group


def _suspension(art: _Article, sent: _Sentence, trig: re.Match[str], article_id: str) -> Event | None:
    clause_start = art.text.rfind("、", sent.start, trig.start()) + 1 or sent.start
    if sent.field == "body":
        clause_start = sent.start
    target = _target(art, clause_start, trig)
    if target is None:
        return None
    services = _party_services(art, _Sentence(sent.field, clause_start, trig.end()))
    ev = _base(art, sent, "suspension", article_id, *_evidence_span(art, sent, clause_start, trig.end()))
    ev.target = target
    ev.services = services or _services(art, sent)
    size, is_group = _stop_size(art, clause_start, trig)
    if size is not None:
        ev.count, ev.count_unit = size.value_int, size.unit
    if is_group:
        ev.orgs = [m.value for m in art.within(clause_start, size.start, _MEMBER_TYPES)]
    elif not _generic_actor(art, _clause(art, sent, trig.start())[0], trig.end() + 16):
        ev.org, ev.org_type = _org_of(art, sent, trig.start())
    since = [d for d in _dates(art, clause_start, trig.start()) if _SINCE.match(art.after(d, 10))]
    ev.since = since[0].value if since else None
    ev.date = _sentence_date(art, sent)
    return ev


def _generic_actor(art: _Article, start: int, end: int) -> bool:
    """Banks in general, not a named one, do the stopping (…を停止する銀行が / 銀行側で / 停止の地銀が)."""
    names = art.within(start, end, ORG_TYPES)
    return any(
        not any(n.start <= g.start() < n.end for n in names)
        for g in _GENERIC_ACTOR.finditer(art.text, start, end)
    )


def _resumption(art: _Article, sent: _Sentence, trig: re.Match[str], article_id: str) -> Event | None:
    ev = _suspension(art, sent, trig, article_id)
    if ev is not None:
        ev.event_type = "resumption"
        if ev.since is None:
            ev.since = _restart_date(art, sent, trig)
    return ev


def _restart_date(art: _Article, sent: _Sentence, trig: re.Match[str]) -> str | None:
    """The day written right before a restart (19日に運転再開, 1月22日をメドに…再開, 21日運転再開へ)."""
    start = _clause(art, sent, trig.start())[0]
    days = [
        d
        for d in _dates(art, start, trig.start())
        if not d.relative
        and (_RESTART_AT.match(art.after(d, 8)) or re.match(_action_words(), art.after(d, 8)))
    ]
    return days[-1].value if days else None


def _group_actor(art: _Article, start: int, end: int) -> bool:
    """A group acts: 大手証券10社は / 14行で / 三菱UFJ信託銀行やりそな銀行などは."""
    groups = [c for c in art.within(start, end, "COUNT") if c.unit in _GROUP_UNITS]
    if any(
        _GROUP_COUNT.match(art.after(c, 2)) and "など" in art.text[max(start, c.start - 12) : c.start]
        for c in groups
    ):
        return True
    return any(_GROUP_MEMBERS.match(art.after(m, 3)) for m in art.within(start, end, ORG_TYPES))


def _compensation(art: _Article, sent: _Sentence, trig: re.Match[str], article_id: str) -> Event:
    ev = _base(art, sent, "compensation", article_id, *_evidence_span(art, sent, sent.start, trig.end()))
    if not _group_actor(art, sent.start, trig.start()):
        ev.org, ev.org_type = _org_of(art, sent, trig.start())
    deadline = [d for d in _dates(art, sent.start, trig.start()) if _UNTIL.match(art.after(d, 3))]
    ev.deadline = deadline[0].value if deadline else None
    ev.date = _sentence_date(art, sent, until_too=False)
    scope_text = art.text[sent.start : trig.end()]
    ev.scope = next((name for name, p in _scopes() if p.search(scope_text)), None)
    # Only the people or accounts compensated count (顧客23人に対し), not the damage figures nearby.
    counts = [
        c
        for c in art.within(sent.start, trig.start(), "COUNT")
        if c.unit in _DAMAGE_UNITS and _COMP_COUNT.match(art.after(c, 3))
    ]
    if counts:
        c = counts[-1]
        ev.count, ev.count_unit, ev.count_qualifier, ev.counted = c.value_int, c.unit, c.qualifier, c.counted
    return ev


def _warning(art: _Article, sent: _Sentence, trig: re.Match[str], article_id: str) -> Event:
    ev = _base(art, sent, "warning", article_id, *_evidence_span(art, sent, sent.start, trig.end()))
    ev.org, ev.org_type = _org_of(art, sent, trig.start())
    ev.date = _sentence_date(art, sent)
    m = _addressee().search(art.text, sent.start, trig.start())
    ev.to = m.group(1) if m else None
    return ev


def _person_near(art: _Article, sent: _Sentence) -> Mention | None:
    people = art.within(sent.start, sent.end, "PERSON")
    return people[0] if people else None


def _org_of_person(art: _Article, person: Mention) -> Mention | None:
    """The organization written right before a person (ゆうちょ銀行の田中進, NTT澤田社長)."""
    before = [m for m in art.mentions if m.type in ORG_TYPES and 0 <= person.start - m.end <= 1]
    return before[-1] if before else None


def _speaker_event(etype: str):
    def fill(art: _Article, sent: _Sentence, trig: re.Match[str], article_id: str) -> Event:
        ev = _base(art, sent, etype, article_id, *_evidence_span(art, sent, trig.start(), trig.end()))
        person = _person_near(art, sent)
        org = _org_of_person(art, person) if person is not None else None
        if person is not None:
            ev.person = person.value
        if org is not None:
            ev.org, ev.org_type = org.value, org.type
        elif person is None or not _GOVERNMENT_TITLE.search(person.title or ""):
            # A company's officer speaks for the company the article is about; a minister's
            # ministry is left null unless it is written next to the name.
            ev.org, ev.org_type = _org_of(art, sent, trig.start())
        ev.date = _sentence_date(art, sent)
        return ev

    return fill


def _inquiries(art: _Article, sent: _Sentence, trig: re.Match[str], article_id: str) -> Event:
    ev = _base(art, sent, "inquiries", article_id, *_evidence_span(art, sent, sent.start, trig.end()))
    ev.date = _sentence_date(art, sent) if sent.field == "body" else None
    end = _CLAUSE_END.search(art.text, trig.end(), sent.end)
    counts = [
        c
        for c in art.within(sent.start, end.start() if end else sent.end, "COUNT")
        if c.counted == "問い合わせ" or c.unit == "件"
    ]
    if counts:
        c = min(counts, key=lambda c: abs(c.start - trig.start()))
        ev.count, ev.count_unit, ev.count_qualifier, ev.counted = c.value_int, c.unit, c.qualifier, c.counted
    ev.to = _recipient(art, sent, trig.start())
    return ev


def _recipient(art: _Article, sent: _Sentence, end: int) -> str | None:
    """Who receives the questions: an org marked に/には before the trigger; 同行には is the main actor."""
    named = [m for m in art.within(sent.start, end, ORG_TYPES) if _INQUIRED.match(art.after(m, 2))]
    if named:
        return named[0].value
    if re.search(r"同(行|社|庁)(には|に|へ)", art.text[sent.start : end]):
        main = _main_org(art)
        return main.value if main else None
    # Recipients may be written descriptively (地方銀行には…問い合わせ).
    m = _INQUIRED_WORD.search(art.text, sent.start, end + 8)
    return m.group(1) if m else None


# --- legal acts: arrests, charges, suits, rulings, orders, sanctions -------------------------------------

# The case particle after a name, past a title or description written onto it (竹内昭容疑者(44)を,
# 金融庁は, 同社社員ら): who acts (は/が), who is acted on (を/に対し), who acts on the topic of a
# passive (に/によって/から).
_MARKER = re.compile(
    r"^[」』]?(?P<desc>[一-龥ァ-ヶー・]{0,8}?)(\([^()]{0,15}\))?(ら|など)?(?P<p>に対して|に対し|によって|により|から|では|は|が|を|に|と|の|や|も)"
)
# The trigger's predicate turns the topic into the one acted on: 逮捕された, 判決を受けた, 懲戒免職処分済.
_PASSIVE = re.compile(r"^(処分)?(され|さる|を受け|が下さ|が言い渡さ|が確定|となっ|とな|済|処分を受け)")
# Orders and sanctions name their target with に (アイフルに業務停止命令); a charge or a suit names
# the authority or court it is filed with (県警に告発, 地裁に提訴), which is not the target.
_TARGET_PARTICLES = {
    "order": ("を", "に対し", "に対して", "に"),
    "sanction": ("を", "に対し", "に対して", "に"),
}
_DEFAULT_TARGET_PARTICLES = ("を", "に対し", "に対して")
_COURT = re.compile(r"裁判所|地裁|高裁|最高裁")
_STRICT_ACTOR = ("arrest", "ruling")
_SUM_AFTER = re.compile(r"^(の|を)?(罰金|課徴金|制裁金|損害賠償|賠償|支払|支払い|請求|返還)")
_SUM_BEFORE = re.compile(r"(罰金|課徴金|制裁金|賠償金?|請求額)(は|として|の)?(約|計)?$")


def _legal_events(
    art: _Article, sent: _Sentence, article_id: str
) -> tuple[list[Event], list[tuple[int, int]]]:
    """Legal acts of a sentence, and the trigger spans they take (a stop inside 業務停止命令 is theirs)."""
    kinds, modality, actors = _legal_rules()
    events: list[Event] = []
    taken: list[tuple[int, int]] = []
    for kind, actor, pattern in kinds:
        for trig in pattern.finditer(art.text, sent.start, sent.end):
            if any(a <= trig.start() < b for a, b in taken):
                continue
            taken.append((trig.start(), trig.end()))
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


def _legal_parties(
    art: _Article, sent: _Sentence, trig: re.Match[str], kind: str, actor: re.Pattern[str] | None
) -> tuple[Mention | None, Mention | None]:
    """The acting body and the first named target of a legal act, from the case particles of the
    names before its trigger; a passive predicate (逮捕された) swaps them."""
    # A title in brackets (毎日jp『…12人逮捕』) is read on its own: the byline before it is no party.
    opening = max(art.text.rfind(q, sent.start, trig.start()) for q in "『「")
    closing = max(art.text.rfind(q, sent.start, trig.start()) for q in "』」")
    start = opening + 1 if opening > closing else sent.start
    parties = [
        m
        for m in art.within(start, trig.start(), (*ORG_TYPES, "PERSON"))
        if not (_RELAYS.match(art.after(m, 6)) and _media().search(m.value or m.text))
    ]
    marked = [(m, _particle(art, m)) for m in parties]
    topics = [m for m, p in marked if p in ("は", "が", "では")]
    orgs = [m for m in parties if m.type in ORG_TYPES]
    if _PASSIVE.match(art.text[trig.end() : trig.end() + 8]):
        to = topics[0] if topics else None
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
            to = people_topics[0]  # レイ容疑者は解雇: the topic of a nominal sanction is the one sanctioned
    if actor is not None and kind in _STRICT_ACTOR and org is not None and not actor.search(org.value or ""):
        org = None  # only the police arrest and only a court rules: a newspaper in a citation does neither
    if org is None and actor is not None:
        # The police, prosecutors or court are named somewhere in the sentence (県警によると…逮捕).
        org = next((m for m in orgs if m is not to and actor.search(m.value or "")), None)
    return org, to


def _first_of_pair(art: _Article, parties: list[Mention], m: Mention) -> Mention:
    """北海道警察と札幌地検は: the topic marks the pair, and the first named acts."""
    i = parties.index(m)
    while i > 0 and art.text[parties[i - 1].end : parties[i].start] in ("と", "や", "・"):
        i -= 1
    return parties[i]


def _particle(art: _Article, m: Mention) -> str | None:
    """The case particle of a name; a person may carry a title or description before it
    (竹内昭容疑者(44)を), an organization may not: 銀行員を is a person, not the bank."""
    mk = _MARKER.match(art.after(m, 30))
    if mk is None or (m.type != "PERSON" and mk.group("desc")):
        return None
    return mk.group("p")


def _act_date(art: _Article, sent: _Sentence, pos: int) -> str | None:
    """The date of the act at `pos`: the last date before it in its sentence that can be a fact's
    (2005年3月の判決, 22日、…逮捕した), else the sentence's, else the article's report date."""
    days = [
        m
        for m in _dates(art, sent.start, pos)
        if not m.time_point
        and m.granularity not in ("year", "fiscal_year", "end_of_year")
        and not _PERIOD.match(art.after(m, 6))
    ]
    return days[-1].value if days else _sentence_date(art, sent)


def _same_legal_act(a: Event, b: Event) -> bool:
    """One act told twice (headline, body, citation title): same kind, no conflicting target or actor."""

    def fits(x: str | None, y: str | None) -> bool:
        return x is None or y is None or x in y or y in x

    # 岐阜県警が逮捕 (a citation title) and 岐阜北署が逮捕 (the body): one arrest told by two names
    # of the police, when the day agrees.
    same_actor = fits(a.org, b.org) or (a.date is not None and a.date == b.date)
    return a.kind == b.kind and fits(a.to, b.to) and same_actor


_FILL = {
    "suspension": _suspension,
    "resumption": _resumption,
    "compensation": _compensation,
    "warning": _warning,
    "apology": _speaker_event("apology"),
    "announcement": _speaker_event("announcement"),
    "inquiries": _inquiries,
}


# --- merging -------------------------------------------------------------------------------------------


def _dedupe(events: list[Event]) -> list[Event]:
    """Overlapping triggers of one type in one sentence (会見 inside 記者会見) are one event."""
    out: list[Event] = []
    # Events arrive sentence by sentence, so an overlapping one is among the last few of its kind.
    recent: dict[tuple[str, str | None, str], list[Event]] = {}
    for ev in events:
        kept = recent.setdefault((ev.event_type, ev.kind, ev.field), [])
        if ev.event_type != "damage" and any(_same_sentence(o, ev) for o in kept[-3:]):
            continue
        kept.append(ev)
        out.append(ev)
    return out


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
    amount or count that agrees (400万人分 is 399万6,789名分 rounded)."""
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
        return False  # 19日に運転再開 and 21日運転再開へ are two restarts
    return head.org is None or body.org is None or head.org == body.org


def _merge(art: _Article, events: list[Event]) -> list[Event]:
    heads = [e for e in events if e.field == "headline"]
    bodies = [e for e in events if e.field == "body"]
    bodies = _join_split_figures(art, _merge_same_type_in_body(bodies))
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
    return sorted(out, key=lambda e: (e.field != "headline", e.start))


def _merge_same_type_in_body(bodies: list[Event]) -> list[Event]:
    """A warning and its follow-up request, two mentions of one press conference: one event each."""
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
            prev = next((o for o in out if o.event_type == ev.event_type and o.org == ev.org), None)
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


def _count_only(ev: Event) -> bool:
    return ev.amount_jpy is None and ev.amount_min_jpy is None and ev.count_unit is not None


def _amount_only(ev: Event) -> bool:
    return (ev.amount_jpy is not None or ev.amount_min_jpy is not None) and ev.count_unit is None


def _sentence_index(art: _Article, pos: int) -> int:
    return next(i for i, s in enumerate(art.sentences) if s.start <= pos < s.end)


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
