"""The event package's parts on their own: its rule tables, the legal trigger data and merging."""

from __future__ import annotations

import random
import re

import pytest

from pipeline.events.legal import _same_legal_act
from pipeline.events.merge import _same_figure
from pipeline.events.prefilter import WordScan, finditer_in, may_match, needed_words
from pipeline.events.rules import _legal_rules, _not_harm, _rules, _stopped_by
from pipeline.types import Event


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("容疑者を逮捕した", "arrest"),
        ("元社長を書類送検した", "prosecution"),
        ("地裁に提訴した", "lawsuit"),
        ("無罪判決を言い渡した", "ruling"),
        ("業務改善命令を出した", "order"),
        ("選手を出場停止とした", "sanction"),
    ],
)
def test_each_legal_kind_has_its_trigger(text: str, kind: str) -> None:
    kinds, _, _ = _legal_rules()
    assert next(k for k, _, p in kinds if p.search(text)) == kind


@pytest.mark.parametrize("text", ["逮捕状を請求した", "不起訴処分とした"])
def test_a_warrant_and_a_dropped_charge_are_no_legal_act(text: str) -> None:
    kinds, _, _ = _legal_rules()
    assert not any(k in ("arrest", "prosecution") and p.search(text) for k, _, p in kinds)


def test_dismissing_all_staff_is_no_sanction() -> None:
    kinds, _, _ = _legal_rules()
    sanction = next(p for k, _, p in kinds if k == "sanction")
    closing = ("全従業員を解雇する方針を示した", "全社員に解雇を言い渡した", "全員を解雇した")
    assert not any(sanction.search(t) for t in closing) and sanction.search("元社員を解雇した")


def test_legal_modality_reads_plans_and_negation() -> None:
    _, modality, _ = _legal_rules()

    def mood(after: str) -> str | None:
        return next((m for m, p in modality if p.search(after)), None)

    assert (mood("する方針だ"), mood("も辞さない"), mood("されていない"), mood("した")) == (
        "planned",
        "planned",
        "negated",
        None,
    )


def test_not_harm_vetoes_and_stopped_activities() -> None:
    vetoes = _not_harm()
    assert vetoes["clause"].search("5人が死亡した") and not vetoes["clause"].search("300万円をだまし取った")
    assert _stopped_by()["休業"] == "営業" and _stopped_by()["運休"] == "運行"


def _legal(kind: str, org: str | None, to: str | None, day: str | None) -> Event:
    return Event(article_id="a", event_type="legal", kind=kind, org=org, to=to, date=day)


def test_one_legal_act_told_twice() -> None:
    body = _legal("arrest", "松本警察署", "村瀬浩二", "2024-05-08")
    assert _same_legal_act(body, _legal("arrest", "長野県警", None, "2024-05-08"))
    assert not _same_legal_act(body, _legal("arrest", "警視庁", "森田健司", "2024-05-08"))
    assert not _same_legal_act(body, _legal("ruling", "松本警察署", "村瀬浩二", "2024-05-08"))


def test_a_rounded_count_is_the_same_figure() -> None:
    def leak(count: int, unit: str) -> Event:
        return Event(article_id="a", event_type="damage", role="damage", count=count, count_unit=unit)

    assert _same_figure(leak(3996789, "名"), leak(4000000, "人"))
    assert not _same_figure(leak(265, "件"), leak(12, "件"))


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (r"(?<![不再])逮捕(?!状)|刑事拘束", {"逮捕", "刑事拘束"}),  # look-arounds are no part of a match
        (r"(一時|全面)?停止", {"停止"}),  # an optional part is not needed
        (r"(でき|使え)なくなっ", {"なくなっ"}),  # of the needed parts, the longest words
        (r"無罪(が|を)", {"無罪"}),
        (r"(障害|不具合)が[^、。]{0,10}?解消", {"障害", "不具合"}),
        (r"(?:再開){2,}", {"再開"}),
        (r"[^、。]+", None),
        (r"再開|", None),  # a match may be empty
        (r"(?i)stop", None),  # STOP matches too
        (r"(?i:stop)|停止", None),
    ],
)
def test_needed_words_are_what_every_match_holds(pattern: str, words: set[str] | None) -> None:
    assert needed_words(re.compile(pattern)) == (frozenset(words) if words else None)


def test_prefiltered_scan_finds_what_the_table_patterns_find() -> None:
    patterns = [p for _, _, p in _legal_rules()[0]] + [p for _, p in _rules()[0]]
    # Texts strung from every needed word and a few particles: each pattern meets sentences with
    # its own words and with only the others'.
    pieces = sorted({w for p in patterns for w in needed_words(p) or ()} | set("、。をがはにしたの"))
    rng = random.Random(7)
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 10)))
        start, end = rng.randint(0, len(text) // 3), rng.randint(len(text) // 2, len(text))
        for p in patterns:
            found = [m.span() for m in finditer_in(p, text, start, end)]
            assert found == [m.span() for m in p.finditer(text, start, end)], (p.pattern, text)
        if any(p.search(text, start, end) for p in patterns):
            assert may_match(tuple(patterns), text, start, end), text


def test_word_scan_lets_through_every_sentence_a_table_pattern_matches() -> None:
    patterns = tuple(p for _, _, p in _legal_rules()[0]) + tuple(p for _, p in _rules()[0])
    words = {w for p in patterns for w in needed_words(p) or ()}
    pieces = sorted(words | set("、をがはにしたの"))
    rng = random.Random(11)
    for _ in range(200):
        sentences = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) + "。" for _ in range(5)]
        text = "".join(sentences)
        scan, start = WordScan(patterns, text), 0
        for sentence in sentences:  # asked in the order of the text, as the event rules ask
            end = start + len(sentence)
            passed = scan.may_match(start, end)
            if any(p.search(text, start, end) for p in patterns) or may_match(patterns, text, start, end):
                assert passed, (text, start)
            if not passed:  # passed over only when no word of theirs starts in the sentence
                assert not any(text.startswith(w, i) for w in words for i in range(start, end)), (text, start)
            start = end
