"""Official names of public bodies and the press, from the shape of the name as written.

News writes police, prosecutors and courts by short forms that follow fixed patterns, and the
gold wants the official name (`../shared/gold/NEWS.md`): 大阪府警 -> 大阪府警察, 松江署 -> 松江警察署,
東京地検特捜部 -> 東京地方検察庁特別捜査部, 東京地裁 -> 東京地方裁判所, 最高裁 -> 最高裁判所; newspapers
and agencies drop 社 (読売新聞社 -> 読売新聞). The patterns are data (models/names/official_forms.tsv),
longest first, so that 警察署 and 消防署 are recognised before 署.

A police section written with its body (大阪府警捜査一課, 警視庁組織犯罪対策部) is one mention valued
as the body: `section_end` says how far a section word after a police name reaches
(models/names/police_sections.tsv).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.names.gazetteer import NAMES_DIR, read_tsv


@lru_cache(maxsize=1)
def _forms() -> dict[str, tuple[str, str, str]]:
    """Each short form (its first row when listed twice) and its (short, official, kind)."""
    forms: dict[str, tuple[str, str, str]] = {}
    for r in read_tsv(NAMES_DIR / "official_forms.tsv"):
        forms.setdefault(r["short"], (r["short"], r["official"], r["kind"]))
    return forms


@lru_cache(maxsize=1)
def _form_lengths() -> tuple[int, ...]:
    """The short forms' lengths, longest first: a name's form is one dict lookup per length."""
    return tuple(sorted({len(s) for s in _forms()}, reverse=True))


@lru_cache(maxsize=1)
def _section_re() -> re.Pattern[str]:
    sections = sorted((r["section"] for r in read_tsv(NAMES_DIR / "police_sections.tsv")), key=len)
    return re.compile("|".join(re.escape(s) for s in reversed(sections)))


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """The short names news gives states (中国, 米国, 韓国) and their official names."""
    return {r["short"]: r["official"] for r in read_tsv(NAMES_DIR / "countries.tsv")}


# Cached, as `official_name` is: every chosen name is asked, and an article repeats its names.
@lru_cache(maxsize=4096)
def _form_of(name: str) -> tuple[str, str, str] | None:
    """The longest pattern `name` ends in, when something stands before it (府警 alone is no name)."""
    forms = _forms()
    return next((forms[end] for n in _form_lengths() if n < len(name) and (end := name[-n:]) in forms), None)


@lru_cache(maxsize=4096)
def official_name(name: str) -> str:
    """大阪府警 -> 大阪府警察, 東京地裁 -> 東京地方裁判所, 読売新聞社 -> 読売新聞; other names unchanged.

    A station written with its prefecture's police (兵庫県警西宮署) is valued as that police, as a
    section is."""
    if station := _STATION_OF_BODY.fullmatch(name):
        return official_name(station["body"])
    if name.endswith("政府") and (country := _countries().get(name[: -len("政府")])):
        return country + "政府"  # 中国政府 -> 中華人民共和国政府
    form = _form_of(name)
    if form is None:
        return name
    short, official, _ = form
    return name[: -len(short)] + official


def is_police(name: str) -> bool:
    form = _form_of(name)
    return name == "警視庁" or (form is not None and form[2] == "police")


_SPECIAL_INVESTIGATION = re.compile(r"特別捜査部|特捜部")


def with_special_investigation(text: str, end: int, official: str) -> tuple[int, str]:
    """東京地方検察庁特別捜査部 written in full or as 東京地方検察庁特捜部: the prosecutors' section
    is part of the name (unlike a police section); (end, official name) with it when it follows."""
    m = _SPECIAL_INVESTIGATION.match(text, end)
    if m is None or not official.endswith("検察庁"):
        return end, official
    return m.end(), official + "特別捜査部"


_STATION_OF_BODY = re.compile(r"(?P<body>.+?(?:[都道府県]警|警視庁))[一-龥]{1,6}(?:警察)?署")
# A unit of the police not listed, by its shape: a kanji word ending in 課, 隊, 班 or 室 (生活安全特別
# 捜査隊, 捜査共助課); 部 is left to the list, so that 幹部 stays out.
_SECTION_SHAPE = re.compile(r"[一-龥]{1,8}?(?:課|隊|班|室)")


def section_end(text: str, end: int) -> int:
    """Where a police section written right after a police name ending at `end` ends (else `end`)."""
    m = _section_re().match(text, end) or _SECTION_SHAPE.match(text, end)
    return m.end() if m else end
