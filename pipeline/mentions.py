"""All taggers over one text, composed into one non-overlapping list of mentions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pipeline.names.orgs import learned_orgs, org_candidates, resolve_orgs, tag_orgs
from pipeline.names.people import full_names, resolve_people, tag_people
from pipeline.spans import Occupied
from pipeline.tokens import Token
from pipeline.types import Mention
from pipeline.values.counts import tag_counts
from pipeline.values.dates import tag_dates
from pipeline.values.money import tag_money

# When two taggers claim overlapping text, the longer span wins; on equal length, this order.
_PRIORITY = {
    t: i
    for i, t in enumerate(
        ("DATE", "MONEY", "PERCENT", "COUNT", "BANK", "PAYMENT_SERVICE", "ORGANIZATION", "COMPANY", "PERSON")
    )
}


def find_mentions(
    text: str,
    tokens: list[Token],
    ner: Sequence[tuple[int, int, str]] = (),
    published: date | None = None,
    reference_year: int | None = None,
) -> list[Mention]:
    # Names twice: what the first pass learns (a full name in the lead, a company introduced by
    # 「…を手掛けるX」) lets the second find its short or earlier mentions (a surname in the headline).
    # With nothing learnt (a third of real articles), the second pass would repeat the first.
    orgs = org_candidates(text, tokens, ner)
    first_orgs, first_people = tag_orgs(text, tokens, ner, candidates=orgs), tag_people(text, tokens, ner)
    learnt_orgs, names = learned_orgs([*first_orgs, *first_people]), full_names(first_people)
    candidates = [
        *tag_dates(text, published=published, reference_year=reference_year),
        *tag_money(text),
        *tag_counts(text, tokens),
        *(tag_orgs(text, tokens, ner, learnt_orgs, candidates=orgs) if learnt_orgs else first_orgs),
        *(tag_people(text, tokens, ner, names) if names else first_people),
    ]
    kept = resolve_overlaps(candidates)
    return sorted(resolve_people(resolve_orgs(kept)), key=lambda m: m.start)


def resolve_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Greedy: longest first, then by type priority; a mention overlapping a kept one is dropped."""
    ranked = sorted(mentions, key=lambda m: (-(m.end - m.start), _PRIORITY.get(m.type, 99), m.start))
    occupied = Occupied()
    return sorted((m for m in ranked if occupied.claim(m.start, m.end)), key=lambda m: m.start)
