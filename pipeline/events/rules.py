"""Event rules as data: every table in models/events/ is read here, once."""

from __future__ import annotations

import csv
import re
from functools import lru_cache

from pipeline.paths import MODELS

_DATA = MODELS / "events"


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
    """News outlets: they relay what others report (東西新聞によれば), they are not its source."""
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
    # バス事業者に: the addressee with the noun written onto it.
    return re.compile(
        rf"((?<![一-龥ァ-ヶー])[一-龥ァ-ヶー]{{0,4}}?(?:{nouns}))(?:に対して|に対し|にも|には|に)(?!注意|気を)"
    )


@lru_cache(maxsize=1)
def _action_words() -> str:
    return "|".join(sorted((re.escape(r["action"]) for r in _table("actions.tsv")), key=len, reverse=True))


@lru_cache(maxsize=1)
def _action() -> re.Pattern[str]:
    """An activity stopped or restarted right before the trigger (運転を見合わせ, 販売停止, 営業を再開)."""
    return re.compile(rf"(?P<action>{_action_words()})(?:を|が|は|も|の)?(?:一時|全面|当面|一時的に)?$")


@lru_cache(maxsize=1)
def _thing_alone() -> frozenset[str]:
    """Activities that are the thing itself (ツアーの開催 → ツアー): the target is the thing alone."""
    return frozenset(r["action"] for r in _table("actions.tsv") if r.get("thing_alone") == "yes")


@lru_cache(maxsize=1)
def _action_heads() -> dict[str, re.Pattern[str]]:
    """What the thing of an activity must be (撤退 gives up a 事業 or a 市場, not a place)."""
    return {r["action"]: re.compile(r["heads"]) for r in _table("actions.tsv") if r.get("heads")}


@lru_cache(maxsize=1)
def _stopped_by() -> dict[str, str]:
    """Stop words that name the activity they stop: 休業 stops 営業, 運休 運行, 禁輸 輸入."""
    return {w: r["action"] for r in _table("actions.tsv") for w in r["stopped_by"].split("|") if w}


@lru_cache(maxsize=1)
def _operators() -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    """Lines and networks whose operator is known (京葉線 → 東日本旅客鉄道): what runs a line stops it.
    A line may be written with 本線 (奥羽本線); `line_key` of a match is its key in the table."""
    rows = _table("operators.tsv")
    by_key = {line_key(r["line"]): (r["operator"], r["type"]) for r in rows}
    names = [
        re.escape(k) + "本?線" if r["line"].endswith("線") else re.escape(k)
        for r in rows
        if (k := line_key(r["line"]))
    ]
    return re.compile("|".join(sorted(names, key=len, reverse=True))), by_key


def line_key(name: str) -> str:
    return re.sub("本?線$", "", name)


@lru_cache(maxsize=1)
def _list_header() -> re.Pattern[str]:
    """The header of a list of related articles (関連ニュース, 最近の記事)."""
    return re.compile("|".join(f"(?:{r['pattern']})" for r in _table("lists.tsv")))
