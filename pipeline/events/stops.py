"""Suspension and resumption: what stopped or restarted, by whom, since when."""

from __future__ import annotations

import re

from pipeline.events.article import _Article, _base, _clause, _evidence_span, _Sentence
from pipeline.events.rules import (
    _action,
    _action_heads,
    _action_words,
    _operators,
    _rules,
    _stopped_by,
    _thing_alone,
    line_key,
)
from pipeline.events.slots import (
    _dates,
    _org_of,
    _party_services,
    _sentence_date,
    _sentence_org,
    _services,
    _topic_org,
)
from pipeline.types import ORG_TYPES, Event, Mention

_GROUP_COUNT = re.compile(r"^(が|は|に|も|で)")


_GROUP_MEMBERS = re.compile(r"^など(は|が|で|も)")


_SINCE = re.compile(r"^([^、。\d]{0,8}?)(から|以降)")


_RESTART_AT = re.compile(r"^(に|から|より|以降|を?(メド|めど|目途)に|にも)(?!かけ)")


# Units that size what a stop covers: a group of banks or firms, or machines, branches and sites.
_STOP_UNITS = ("行", "社", "台", "店", "カ所", "駅", "便")


_GROUP_UNITS = ("行", "社")


_MEMBER_TYPES = ("BANK", "COMPANY")


_OBJECT = re.compile(r"([^、。\sはが「」]{2,30}?)(?:の(?:受け付け|受付|取り扱い|取扱い))?を$")


# Modifiers before the thing stopped: 一部の中国株…, インターネット取引での外国株…, 同日から暗号資産…
_OBJECT_LEAD = re.compile(r"^.*(での|で|から|一部の|以降)")


_GENERIC_ACTOR = re.compile(r"(銀行|地銀|地方銀行|金融機関|各行|各社|事業者)(側)?(で|が|は|も)")


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
    if named:
        return named[-1].value
    return _modified_thing(art, trig.end()) or _topic_thing(art, clause_start, trig.start())


# 停止していた中国株の買い注文の受け付けは: a stop written as a relative clause on what it stops.
_THING_AFTER = re.compile(
    r"(?:して|されて)いた(?P<thing>[^、。はがをにでも「」『』()\s]{2,20}?)"
    r"(?:の(?:受け付け|受付|取り扱い|取扱い))?(?:は|を|が|も)"
)


# 中国株の買い注文の受け付けは、6月2日から再開する: the thing is the topic before the comma.
_TOPIC_THING = re.compile(
    r"(?P<thing>[^、。はがをにでも「」『』()\s]{2,30}?)(?:の(?:受け付け|受付|取り扱い|取扱い))?は、[^、。]{0,20}$"
)


def _modified_thing(art: _Article, end: int) -> str | None:
    return _plain_thing(art, _THING_AFTER.match(art.text, end))


def _topic_thing(art: _Article, start: int, end: int) -> str | None:
    return _plain_thing(art, _TOPIC_THING.search(art.text, start, end))


def _plain_thing(art: _Article, found: re.Match[str] | None) -> str | None:
    """The thing without the clause on it (4月から停止していた…); not a name, which acts and is not
    stopped, nor a time or a figure."""
    if found is None:
        return None
    thing = _RELATIVE_CLAUSE.sub("", found.group("thing"))
    start = found.end("thing") - len(thing)
    if len(thing) < 2 or _TIME_WORD.search(thing):
        return None
    return None if art.within(start, found.end("thing"), (*ORG_TYPES, "DATE", "COUNT", "MONEY")) else thing


_COMPOUND = re.compile(r"(?:一時|全面|当面|一部)?(?P<noun>[一-龥ァ-ヶーA-Za-z0-9]{2,12})$")


_THING_BEFORE_COMMA = re.compile(r"(?:^|[、。\n「」『』])(?P<thing>[^、。はがをにでも「」『』()\s]{2,16})、$")


# A colon closes a label (東北新幹線:全線で運転見合わせ), so a thing never runs across one.
_BARE_THING = re.compile(r"(?P<thing>[^、。はがをにでも「」『』()\s:：]{2,16})$")


_LEAD_MODIFIER = re.compile(r"^(一時|全面|当面|一部)")


_LEAD_MODIFIER_END = re.compile(r"(一時的に|一時|全面的に|全面|当面|一部)$")


_QUANTIFIER = re.compile(r"の(ほとんど|大半|一部|多く|すべて|全て)$")


_THING = re.compile(r"(?P<thing>[^、。はがをにでも「」『』()\s:：]{2,16})(?:では|でも|で|も|は|が|の)$")


def _action_target(art: _Article, start: int, end: int) -> str | None:
    """What stopped, told by the activity: the noun it is written onto (弁当販売), else the thing
    named before it with a particle (常磐線でも運転を → 常磐線の運転, 本店の営業), else the activity.
    A date between them (運休区間20日に運転再開) and a leading operator name (JR常磐線) are left out."""
    before = _LEAD_MODIFIER_END.sub("", art.text[start:end])
    act = _action().search(before)
    if act is None:
        return None
    pre = _LEAD_MODIFIER_END.sub("", before[: act.start()])
    for d in sorted(art.within(start, start + act.start(), "DATE"), key=lambda d: d.start, reverse=True):
        if art.text[d.end : start + act.start()] in ("", "に", "から", "も", "は"):
            pre = art.text[start : d.start]
    compound = _COMPOUND.search(pre) if pre == before[: act.start()] else None
    if compound:
        return compound.group("noun") + act.group("action")
    # After a date (運休区間20日に運転再開, 本店25日に営業再開) the thing needs no particle.
    found = _THING.search(pre) or (_BARE_THING.search(pre) if pre != before[: act.start()] else None)
    offset = start + found.start("thing") if found else None
    line = next((m.group(0) for m in _operators()[0].finditer(pre) if m.end() == len(pre) - 1), None)
    if found is None and line is not None and pre.endswith("、"):
        # …運転再開常磐線、24日運転再開へ: a known line just before the comma, even run into a title.
        return f"{line}の{act.group('action')}"
    if found is None and not pre.strip() and art.text[start - 1 : start] == "、":
        # 五能線、24日運転再開へ: a headline names the thing before its comma.
        window = art.text[max(0, start - 17) : start]
        found = _THING_BEFORE_COMMA.search(window)
        offset = start - len(window) + found.start("thing") if found else None
    if found is not None and _TIME_WORD.search(found.group("thing")):
        # 「番組名」を来春で放送を終了: the time is when, the quoted title is what.
        title = _QUOTED_OBJECT.search(pre[: found.start("thing")])
        if title is not None:
            return _SUBTITLE.sub("", title.group("title"))
        found = None
    if found is None or offset is None:
        return act.group("action")
    thing = _after_operator(art, offset, found.group("thing"))
    name = _QUANTIFIER.sub("", _LEAD_MODIFIER.sub("", _DEMONSTRATIVE.sub("", thing)))
    # 台湾ツアーの開催中止: an event called off is itself what stops.
    return name if act.group("action") in _thing_alone() else f"{name}の{act.group('action')}"


def _after_operator(art: _Article, offset: int, name: str) -> str:
    """JR東日本五能線 → 五能線, JR常磐線 → 常磐線: the thing named after its operator, not the operator;
    and 豚肉を使ったギョーザ → ギョーザ: the thing without the clause that describes it."""
    inside = [m for m in art.within(offset, offset + len(name), ORG_TYPES) if m.end < offset + len(name)]
    name = art.text[inside[-1].end : offset + len(name)] if inside else name
    name = _RELATIVE_CLAUSE.sub("", name)
    return name.removeprefix("JR") if _operators()[0].match(name, len("JR")) else name


# A verb or adjective that ends a relative clause before the noun (使った, 予定だった, 主要な), or a
# title's question (本線で落石か) run into the next title of a list; a name in kana (りそな) is not one.
_RELATIVE_CLAUSE = re.compile(r"^.*(った|した|いた|れた|んだ|[一-龥][なか])(?=[一-龥ァ-ヶー]{2})")


# この協力工場製の…: a pointing word, or the tail of one cut by the length limit, is not the thing.
_DEMONSTRATIVE = re.compile(r"^(この|その|あの|の)")


_TIME_WORD = re.compile(r"来年|今年|昨年|年内|年度|春|夏|秋|冬|月末|上旬|中旬|下旬|今月|来月")


_QUOTED_OBJECT = re.compile(r"「(?P<title>[^「」]{1,30})」を[^「」]{0,12}$")


# 峠の駅〜山あいの暮らし〜: a programme is named without its subtitle.
_SUBTITLE = re.compile(r"[~〜～].*$")


_NOMINAL_THING = re.compile(r"(?P<thing>[^、。はがをにでも「」『』()\s:：]{2,20}?)(?:の|から)[一-龥]{0,3}$")


def _nominal_stop(art: _Article, start: int, trig: re.Match[str]) -> str | None:
    """The activity a nominal stop word stops and the thing before it: 五能線の3駅の冬期休業 →
    五能線の3駅の営業, 外食事業から撤退 → 外食事業."""
    action = next((a for w, a in _stopped_by().items() if w in trig.group(0)), None)
    if action is None:
        return None
    found = _NOMINAL_THING.search(art.text, start, trig.start())
    heads = _action_heads().get(action)
    if found is None:
        return None if heads else action
    name = _after_operator(art, found.start("thing"), found.group("thing"))
    if heads and not heads.search(name):
        return None
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


def _suspension(
    art: _Article, sent: _Sentence, trig: re.Match[str], article_id: str, restart: bool = False
) -> Event | None:
    clause_start = art.text.rfind("、", sent.start, trig.start()) + 1 or sent.start
    if sent.field == "body":
        clause_start = sent.start
    target = _target(art, clause_start, trig)
    if target is None:
        return None
    if target.startswith("同線") and (line := _last_line(art, sent.start)) is not None:
        target = line + target.removeprefix("同線")  # 同線全線で運行を停止: the line last named
    services = _party_services(art, _Sentence(sent.field, clause_start, trig.end()))
    ev = _base(art, sent, "suspension", article_id, *_evidence_span(art, sent, clause_start, trig.end()))
    ev.target = target
    ev.services = services or _services(art, sent)
    size, is_group = _stop_size(art, clause_start, trig)
    if size is not None:
        ev.count, ev.count_unit = size.value_int, size.unit
    owners = _joint_owners(art, _clause(art, sent, trig.start())[0], trig.start())
    if is_group:
        ev.orgs = [m.value for m in art.within(clause_start, size.start, _MEMBER_TYPES)]
    elif owners:
        ev.orgs = owners
    elif not _generic_actor(art, _clause(art, sent, trig.start())[0], trig.end() + 16) and not _group_topic(
        art, sent.start, trig.start()
    ):
        ev.org, ev.org_type = _org_of(art, sent, trig.start())
        clause = _clause(art, sent, trig.start())
        named = _topic_org(art, *clause) or _topic_org(art, sent.start, trig.start(), marked_only=True)
        # 五能線、24日運転再開へ: a line written just before the comma is the clause's thing.
        operator = _line_operator(art, max(sent.start, clause[0] - _LINE_REACH), trig.start())
        if operator is not None and named is None:
            ev.org, ev.org_type = operator
        elif restart and _sentence_org(art, sent, trig.start()) is None and art.memo.get("stopped_by"):
            # 運行を停止した。約2時間後に運転を再開した: a restart that names no one is by whoever stopped.
            ev.org, ev.org_type = art.memo["stopped_by"]
        if not restart and ev.org is not None:
            art.memo["stopped_by"] = ev.org, ev.org_type
    since = [d for d in _dates(art, clause_start, trig.start()) if _SINCE.match(art.after(d, 10))]
    ev.since = since[0].value if since else None
    ev.date = _sentence_date(art, sent)
    return ev


_LINE_REACH = 8


# 名古屋市営地下鉄, 横浜市営バス: a city's own transport bureau runs them.
_MUNICIPAL = re.compile(r"(?P<city>[一-龥]{1,4}市)営(?:地下鉄|バス|交通)")


# A line written after the railway that runs it: 市営地下鉄東山線, 阪急電鉄京都線.
_NAMED_LINE = re.compile(
    r"(?:地下鉄|鉄道|電鉄|メトロ|都営|市営|JR)(?P<line>(?!地下鉄|鉄道|電鉄)[一-龥ァ-ヶー]{1,5}?線)"
)


def _last_line(art: _Article, before: int) -> str | None:
    """The last line named before `before`, by the table of lines or after its railway."""
    text = art.text[:before]
    known = [(m.start(), m.group(0)) for m in _operators()[0].finditer(text)]
    named = [(m.start("line"), m.group("line")) for m in _NAMED_LINE.finditer(text)]
    found = max(known + named, default=None)
    return found[1] if found else None


def _line_operator(art: _Article, start: int, end: int) -> tuple[str, str] | None:
    """The operator of the last line named in [start, end): JR常磐線も運転を見合わせ → 東日本旅客鉄道."""
    pattern, by_key = _operators()
    lines = list(pattern.finditer(art.text, start, end))
    cities = list(_MUNICIPAL.finditer(art.text, start, end))
    if cities and (not lines or cities[-1].start() > lines[-1].start()):
        return f"{cities[-1].group('city')}交通局", "ORGANIZATION"
    return by_key[line_key(lines[-1].group(0))] if lines else None


def _joint_owners(art: _Article, start: int, end: int) -> list[str]:
    """AやBの一部のATMが停止: several firms own what stopped, none acts alone."""
    names = art.within(start, end, ORG_TYPES)
    for i in range(len(names) - 1):
        run = [names[i]]
        for m in names[i + 1 :]:
            if art.text[run[-1].end : m.start] not in ("や", "と", "・", "、"):
                break
            run.append(m)
        if len(run) > 1 and art.after(run[-1], 1) == "の":
            return [m.value for m in run]
    return []


# ネット証券各社は、…受け付けを停止: a group of firms, the topic of the sentence, acts as a whole.
_GROUP_TOPIC = re.compile(r"(各社|各行|各局|各店|各紙)は")


def _group_topic(art: _Article, start: int, end: int) -> bool:
    found = _GROUP_TOPIC.search(art.text, start, end)
    return found is not None and not art.within(start, found.start(), ORG_TYPES)


def _generic_actor(art: _Article, start: int, end: int) -> bool:
    """Banks in general, not a named one, do the stopping (…を停止する銀行が / 銀行側で / 停止の地銀が)."""
    names = art.within(start, end, ORG_TYPES)
    return any(
        not any(n.start <= g.start() < n.end for n in names)
        for g in _GENERIC_ACTOR.finditer(art.text, start, end)
    )


def _resumption(art: _Article, sent: _Sentence, trig: re.Match[str], article_id: str) -> Event | None:
    ev = _suspension(art, sent, trig, article_id, restart=True)
    if ev is not None:
        ev.event_type = "resumption"
        # The day written right before the restart (20日に運転再開) wins over a start elsewhere in
        # the sentence (4月から速度制限を緩和).
        ev.since = _restart_date(art, sent, trig) or ev.since
    return ev


def _restart_date(art: _Article, sent: _Sentence, trig: re.Match[str]) -> str | None:
    """The day written right before a restart (20日に運転再開, 3月10日をメドに…再開, 24日運転再開へ)."""
    start = _clause(art, sent, trig.start())[0]
    days = [
        d
        for d in _dates(art, start, trig.start())
        if not d.relative
        and (_RESTART_AT.match(art.after(d, 8)) or re.match(_action_words(), art.after(d, 8)))
    ]
    return days[-1].value if days else None
