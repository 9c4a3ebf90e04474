"""Events from short sentences written for these tests, and the seed gold's event tuples.

Each case runs the whole fast pipeline (normalize, tag, assemble) on one headline and body.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from pipeline.annotator import annotate_articles
from pipeline.types import Article, Event

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _events(body: str, headline: str = "", published: date | None = date(2020, 9, 10)) -> list[Event]:
    article = Article(article_id="t", source_path="", headline=headline, body=body, published=published)
    return next(annotate_articles([article], profile="fast")).events


def _one(events: list[Event], event_type: str) -> Event:
    found = [e for e in events if e.event_type == event_type]
    assert len(found) == 1, found
    return found[0]


def test_shared_as_of_and_reporting_org():
    ev = _one(
        _events(
            "ゆうちょ銀行は9月24日、被害が約380件、約6000万円(いずれも9月22日時点)に拡大したと発表した。"
        ),
        "damage",
    )
    assert (ev.org, ev.amount_jpy, ev.amount_qualifier, ev.count, ev.count_unit) == (
        "ゆうちょ銀行",
        60000000,
        "approx",
        380,
        "件",
    )
    assert (ev.as_of, ev.date, ev.role) == ("2020-09-22", "2020-09-24", "damage")


def test_three_roles_in_one_sentence():
    body = (
        "楽天証券は10日、不正な売却が疑われる取引は約30億円あり、うち約12億円は被害を防いだが、"
        "残る約18億円は損失となった可能性があると発表した。"
    )
    roles = {e.role: e.amount_jpy for e in _events(body) if e.event_type == "damage"}
    assert roles == {"suspected": 3000000000, "prevented": 1200000000, "possible_damage": 1800000000}


@pytest.mark.parametrize(
    "body",
    [
        "静岡銀行は2日、ネットバンキングを止めた。ネットバンキングの再開時期は未定としている。",
        "同行はATMの再開のめどが立っていないと説明した。",
    ],
)
def test_negated_resumption_gives_no_event(body):
    assert not [e for e in _events(body) if e.event_type == "resumption"]


def test_planned_suspension_of_an_object_phrase():
    ev = _one(_events("松井証券は5日、7日から米国株の信用取引の受け付けを停止すると発表した。"), "suspension")
    assert (ev.org, ev.target, ev.planned, ev.since, ev.date) == (
        "松井証券",
        "米国株の信用取引",
        True,
        "2020-09-07",
        "2020-09-05",
    )


def test_suspension_in_effect_dates_from_its_start():
    ev = _one(
        _events("ゆうちょ銀行は8日、7日午前10時から送金機能を一時停止していると明らかにした。"), "suspension"
    )
    assert (ev.org, ev.target, ev.planned, ev.since, ev.date) == (
        "ゆうちょ銀行",
        "送金機能",
        False,
        "2020-09-07",
        "2020-09-07",
    )


def test_group_of_banks_has_no_single_actor():
    body = "ドコモ口座の問題を受け、七十七銀行や横浜銀行など12行が12日、同口座へのチャージを停止した。"
    ev = _one(_events(body), "suspension")
    assert (ev.org, sorted(ev.orgs), ev.count, ev.count_unit, ev.target) == (
        None,
        ["七十七銀行", "横浜銀行"],
        12,
        "行",
        "チャージ機能",
    )


def test_outage_is_a_suspension_and_its_end_a_resumption():
    events = _events(
        "みずほ銀行で3日、全国のATM約1000台のうち約800台が使えなくなった。ATMは同日夕方に順次再開した。"
    )
    stop, restart = _one(events, "suspension"), _one(events, "resumption")
    assert (stop.org, stop.target, stop.count, stop.count_unit, stop.date) == (
        "みずほ銀行",
        "ATM",
        800,
        "台",
        "2020-09-03",
    )
    assert (restart.org, restart.target, restart.date) == ("みずほ銀行", "ATM", "2020-09-03")


def test_compensation_scope_and_recipients_not_damage():
    events = _events("北國銀行は15日、被害に遭った顧客12人に対し、被害額の半額を補償する方針を示した。")
    comp = _one(events, "compensation")
    assert (comp.org, comp.scope, comp.count, comp.count_unit) == ("北國銀行", "半額", 12, "人")
    assert not [e for e in events if e.event_type == "damage"]


@pytest.mark.parametrize(
    "body",
    ["同行は被害者への補償を個別に検討する。", "業界全体の補償負担は百数十億円に膨らむとの見方がある。"],
)
def test_no_decision_to_compensate(body):
    events = _events(body)
    assert not [e for e in events if e.event_type in ("compensation", "damage")]


def test_warning_addressee_and_inquiry_recipient():
    body = "千葉銀行には9月だけで約2,000件の問い合わせが寄せられた。全銀協は9日、会員銀行に注意を喚起した。"
    events = _events(body)
    inq, warn = _one(events, "inquiries"), _one(events, "warning")
    assert (inq.to, inq.count, inq.count_qualifier) == ("千葉銀行", 2000, "approx")
    assert (warn.org, warn.to, warn.date) == ("全国銀行協会", "会員銀行", "2020-09-09")


def test_seed_gold_event_tuples():
    seed, gold_path = SHARED / "seeds" / "000_ca0cd79583425037.txt", SHARED / "gold" / "seed_gold.jsonl"
    if not seed.exists() or not gold_path.exists():
        pytest.skip("shared seed not available")
    from pipeline.readers import read_inputs

    articles = [a for a in read_inputs([seed]) if isinstance(a, Article)]
    gold = {json.loads(line)["id"]: json.loads(line)["events"] for line in gold_path.open(encoding="utf-8")}
    keys = ("org", "amount_jpy", "count", "as_of", "target")
    hits = total = 0
    for done in annotate_articles(articles, profile="fast"):
        pred = {(e.event_type, k, str(getattr(e, k))) for e in done.events for k in keys}
        for ev in gold.get(done.article.article_id, []):
            for k in keys:
                if ev.get(k) is not None:
                    total += 1
                    hits += (ev["type"], k, str(ev[k])) in pred
    assert total > 40 and hits / total >= 0.95


def _damage(body: str, headline: str = "") -> list[tuple]:
    keys = ("org", "role", "amount_jpy", "count", "count_unit", "date", "services")
    return [tuple(getattr(e, k) for k in keys) for e in _events(body, headline) if e.event_type == "damage"]


def test_credited_source_reports_the_figure_and_carries_to_the_next_sentence():
    body = (
        "金融庁と全銀協は7日、利用者に注意を呼びかけた。警察庁によると、8月の不正送金は120件、約3億円だった。"
        "9月上旬だけでも約8000万円の被害が出ている。"
    )
    assert _damage(body) == [
        ("警察庁", "damage", 300000000, 120, "件", "2020-09-07", []),
        ("警察庁", "damage", 80000000, None, None, "2020-09", []),
    ]


def test_officer_of_a_vendor_credited_with_a_figure():
    body = (
        "警察庁は7日、注意を促した。"
        "セキュリティー対策を手掛けるNECの山田一郎部長によると、約50万円を盗まれた例がある。"
    )
    assert [d[:3] for d in _damage(body)] == [("日本電気", "damage", 500000)]


def test_firm_introduced_by_what_it_does_is_not_the_actor():
    body = (
        "ソニー銀行は4日、約900万円の不正チャージが疑われると発表した。"
        "うち約200万円は不正検知を手掛けるNECの仕組みで被害を防いだ。"
    )
    assert [d[:3] for d in _damage(body)] == [
        ("ソニー銀行", "suspected", 9000000),
        ("ソニー銀行", "prevented", 2000000),
    ]


def test_topic_after_a_long_bracket_and_loss_words():
    body = (
        "SBI証券(東京都港区)は3日、不正に買い付けられた株式が約2億円に上ると発表した。"
        "金融庁は同社に報告を求めた。"
    )
    assert [d[:3] for d in _damage(body)] == [("SBI証券", "damage", 200000000)]
    assert [d[:3] for d in _damage("楽天証券は3日、顧客の損失が約40億円に達したと明らかにした。")] == [
        ("楽天証券", "damage", 4000000000)
    ]


def test_suspected_accounts_and_headline_question_mark():
    body = "松井証券は6日、パスワードが漏れた疑いのある口座が少なくとも30口座あると発表した。"
    assert [d[:5] for d in _damage(body)] == [("松井証券", "suspected", None, 30, "口座")]
    head = _events(
        "北國銀行は2日、元行員が顧客の預金約300万円を着服した疑いがあると発表した。",
        "北國銀で着服、300万円か",
    )
    assert [(e.role, e.amount_jpy) for e in head if e.event_type == "damage"] == [("suspected", 3000000)]


def test_count_and_next_sentence_amount_are_one_statistic():
    body = (
        "千葉銀行は8日、利用者に注意を呼びかけた。"
        "同行によると、8月下旬だけで十数件の不正送金があった。被害額は合わせて約500万円に上る。"
    )
    ev = _one(_events(body), "damage")
    assert (ev.org, ev.count_unit, ev.count_qualifier, ev.amount_jpy, ev.date) == (
        "千葉銀行",
        "件",
        "vague",
        5000000,
        "2020-08",
    )


def test_fake_sites_are_not_cases_and_stopped_service_is_not_the_channel():
    body = (
        "横浜銀行は1日、偽サイトが数千件見つかり、約100万円がだまし取られたと発表した。"
        "同行は「はまPay」の新規登録を停止した。"
    )
    assert _damage(body) == [("横浜銀行", "damage", 1000000, None, None, "2020-09-01", [])]


# --- legal acts ------------------------------------------------------------------------------------------


def _legal(events: list[Event], kind: str) -> Event:
    found = [e for e in events if e.event_type == "legal" and e.kind == kind]
    assert len(found) == 1, found
    return found[0]


def test_order_regulator_is_org_and_addressee_is_to():
    events = _events("金融庁は12日、アオバ証券に業務停止命令を出した。", published=date(2024, 3, 13))
    ev = _legal(events, "order")
    assert (ev.org, ev.to, ev.date, ev.planned) == ("金融庁", "アオバ証券", "2024-03-12", False)
    # The stop is the content of the order, not a suspension of its own.
    assert not [e for e in events if e.event_type == "suspension"]


def test_arrest_by_police_of_the_person_marked_wo():
    body = "警視庁は8日、会社員の村瀬浩二容疑者(45)を詐欺の疑いで逮捕した。"
    ev = _legal(_events(body, published=date(2024, 5, 9)), "arrest")
    assert (ev.org, ev.to, ev.date, ev.amount_jpy) == ("警視庁", "村瀬浩二", "2024-05-08", None)


def test_passive_arrest_swaps_actor_and_target():
    ev = _legal(_events("村瀬浩二容疑者は8日、静岡県警に逮捕された。", published=date(2024, 5, 9)), "arrest")
    assert (ev.org, ev.to) == ("静岡県警察", "村瀬浩二")


def test_court_ordering_a_payment_is_a_ruling_with_its_sum():
    body = "東京地裁は5日、銀行に約800万円の支払いを命じる判決を言い渡した。"
    ev = _legal(_events(body, published=date(2024, 7, 6)), "ruling")
    assert (ev.org, ev.amount_jpy, ev.date) == ("東京地方裁判所", 8000000, "2024-07-05")


def test_planned_lawsuit_and_negated_arrest():
    events = _events(
        "アオバ証券は元役員を提訴する方針だ。警視庁は元役員を逮捕していない。", published=date(2024, 5, 9)
    )
    assert _legal(events, "lawsuit").planned is True
    assert not [e for e in events if e.kind == "arrest"]


def test_headline_and_body_arrest_are_one_event():
    events = _events(
        "警視庁は8日、村瀬浩二容疑者を逮捕した。",
        headline="元証券社員を逮捕　警視庁",
        published=date(2024, 5, 9),
    )
    assert _legal(events, "arrest").to == "村瀬浩二"


def test_sanction_on_an_unnamed_employee_has_no_target():
    ev = _legal(
        _events("東湊信用金庫は29日、元職員の男性を懲戒解雇した。", published=date(2024, 8, 30)), "sanction"
    )
    assert (ev.org, ev.to, ev.date) == ("東湊信用金庫", None, "2024-08-29")


# --- damage that means damage --------------------------------------------------------------------------


def test_casualties_and_business_losses_are_no_damage():
    events = _events(
        "列車事故の被害は大きく、5人が死亡し、20人がけがをした。台風の被害で同社は約30億円の減収を見込む。",
        published=date(2024, 5, 9),
    )
    assert not [e for e in events if e.event_type == "damage"]


def test_leaked_records_are_damage_counted_by_what_leaked():
    ev = _one(_events("アオバ証券では約1万2000件の顧客情報が社外に流出した。"), "damage")
    assert (ev.count, ev.count_unit, ev.counted, ev.org) == (12000, "件", "顧客情報", "アオバ証券")


def test_money_covering_a_loss_is_not_the_loss():
    events = _events("同社は赤字を隠すため、保有株を売って得た約300億円で損失を穴埋めしていた。")
    assert not [e for e in events if e.event_type == "damage" and e.amount_jpy == 30000000000]


def test_a_background_date_is_not_the_report_date():
    # The loss is told without a date; the article's only date is years before publication.
    events = _events(
        "アオバ証券は、顧客の情報約1万2000件が流出したと発表した。"
        "情報が漏れたのは、2019年3月31日までに口座を開設した顧客だという。",
        published=date(2024, 6, 21),
    )
    assert _one(events, "damage").date == "2024-06-21"


def test_an_ordered_stop_is_the_order_not_a_suspension():
    events = _events("県は15日、食品会社に製品の出荷を停止するよう命じた。", published=date(2024, 5, 16))
    assert _legal(events, "order").date == "2024-05-15"
    assert not [e for e in events if e.event_type == "suspension"]


def test_a_stop_repeated_in_a_citation_title_is_one_event():
    body = (
        "アオバ電鉄は3日、全線で運転を見合わせた。"
        "『アオバ電鉄、全線で運転を見合わせ』。東西新聞、2024年5月3日。"
    )
    ev = _one(_events(body, published=date(2024, 5, 3)), "suspension")
    assert (ev.org, ev.target, ev.date) == ("アオバ電鉄", "全線の運転", "2024-05-03")


def test_a_sports_paper_relays_and_does_not_act():
    # The date's comma leaves the trigger's clause without an org, so the paper is one of the
    # sentence's marked orgs, and the first.
    body = "中日スポーツによれば、アオバ電鉄は3日、全線で運転を見合わせた。"
    ev = _one(_events(body, published=date(2024, 5, 3)), "suspension")
    assert ev.org == "アオバ電鉄"


def test_a_paper_marked_as_the_topic_of_the_lead_is_not_the_main_actor():
    body = "読売新聞は4日、アオバ電鉄で脱線事故があったと報じた。現場付近の区間では運転を見合わせた。"
    ev = _one(_events(body, published=date(2024, 5, 4)), "suspension")
    assert (ev.org, ev.target) == ("アオバ電鉄", "現場付近の区間の運転")


def test_a_title_rounds_the_figure_the_body_writes_out():
    body = (
        "県警は9日、タクシーの運賃を払わずに降りる行為を繰り返した男を詐欺の疑いで逮捕した。"
        "未払いの運賃は計23万4500円に上った。『タクシー代23万円を踏み倒し』。東西新聞、2024年5月9日。"
    )
    ev = _one(_events(body, published=date(2024, 5, 9)), "damage")
    assert (ev.amount_jpy, ev.amount_qualifier, ev.role) == (234500, "exact", "damage")


def test_records_of_people_are_counted_by_what_leaked():
    ev = _one(_events("アオバ証券は、顧客12万人分の個人情報が流出したと発表した。"), "damage")
    assert (ev.count, ev.count_unit, ev.counted) == (120000, "人", "個人情報")


def test_the_paper_before_a_citation_title_is_no_actor():
    body = (
        "アオバ電鉄の東山一郎社長は3日に記者会見し、陳謝した。"
        "中国新聞デジタル『電鉄トップが陳謝』。中国新聞、2024年5月3日。"
    )
    ev = _one(_events(body, published=date(2024, 5, 3)), "apology")
    assert (ev.org, ev.person) == ("アオバ電鉄", "東山一郎")


def test_two_restarts_in_one_list_of_titles_are_two_events():
    body = "関連ニュース本線20日に運転再開空港線、23日運転再開へ調整"
    events = [e for e in _events(body, published=date(2024, 5, 3)) if e.event_type == "resumption"]
    assert [(e.since, e.planned) for e in events] == [("2024-04-20", False), ("2024-04-23", True)]


def test_the_same_restart_on_two_days_is_two_events():
    body = "アオバ電鉄は20日に全線で運転を再開した。大雨で再び止まったが、23日に全線で運転を再開した。"
    events = [e for e in _events(body, published=date(2024, 5, 24)) if e.event_type == "resumption"]
    assert [(e.org, e.target, e.since) for e in events] == [
        ("アオバ電鉄", "全線の運転", "2024-05-20"),
        ("アオバ電鉄", "全線の運転", "2024-05-23"),
    ]


def test_the_operator_of_a_named_line_stops_it():
    body = "アオバ電力は3日、送電線の事故で停電したと発表した。JR常磐線も運転を一時見合わせた。"
    ev = _one(_events(body, published=date(2024, 5, 3)), "suspension")
    assert (ev.org, ev.target) == ("東日本旅客鉄道", "常磐線の運転")


def test_a_city_subway_is_run_by_the_city_transport_bureau():
    body = "アオバ電力は3日、停電が起きたと発表した。横浜市営地下鉄も全線で運行を停止した。"
    ev = _one(_events(body, published=date(2024, 5, 3)), "suspension")
    assert ev.org == "横浜市交通局"


def test_a_city_bus_before_a_headline_comma_is_run_by_the_city_not_the_body_firm():
    ev = _one(
        _events(
            "アオバ電力は3日、大雪で送電線が切れ、停電したと発表した。",
            headline="大雪で湊市営バス、全線で運休",
            published=date(2024, 5, 3),
        ),
        "suspension",
    )
    assert (ev.org, ev.org_type) == ("湊市交通局", "ORGANIZATION")


def test_a_line_before_the_comma_of_a_headline_restart():
    ev = _one(
        _events("アオバ電力が停電。", headline="五能線、24日運転再開へ", published=date(2024, 5, 3)),
        "resumption",
    )
    assert (ev.org, ev.target, ev.planned) == ("東日本旅客鉄道", "五能線の運転", True)


@pytest.mark.parametrize(
    "body",
    [
        "アオバ電鉄は来年3月で山頂線の運行を終了。",
        "アオバ電鉄は、来春に山頂線の運行を休止し、バスに切り替える。",
    ],
)
def test_a_stop_at_a_future_time_is_planned(body):
    ev = _one(_events(body, published=date(2024, 5, 3)), "suspension")
    assert (ev.org, ev.target, ev.planned) == ("アオバ電鉄", "山頂線の運行", True)


def test_a_quoted_programme_ended_at_a_time_is_the_target():
    body = "東西放送は、紀行番組「峠の駅~山あいの暮らし~」を来春で放送を終了し、後継番組を始める。"
    ev = _one(_events(body, published=date(2024, 5, 3)), "suspension")
    assert (ev.target, ev.planned) == ("峠の駅", True)


def test_a_tour_called_off_is_itself_the_target():
    ev = _one(_events("アオバ旅行は3日、台湾ツアーの開催中止を発表した。"), "suspension")
    assert ev.target == "台湾ツアー"


def test_the_clause_describing_a_product_is_not_part_of_it():
    body = "アオバフーズは3日、産地を偽った豚肉を使ったギョーザの販売を停止した。"
    ev = _one(_events(body, published=date(2024, 5, 3)), "suspension")
    assert ev.target == "ギョーザの販売"


def test_a_group_of_firms_acts_and_a_member_joins_its_act():
    body = (
        "ネット証券各社は3日、中国株の買い注文の受け付けを停止した。"
        "このうち松井証券は5日から米国株の買い注文の受け付けを停止した。"
    )
    ev = _one(_events(body, published=date(2024, 5, 3)), "suspension")
    assert (ev.org, ev.orgs, ev.target) == (None, ["松井証券"], "中国株の買い注文")


def test_a_day_before_the_activity_is_not_the_thing_stopped():
    body = "アオバランドは大雪のため3日は休園した。翌4日も営業を休止する方針だ。"
    ev = _one(_events(body, published=date(2024, 5, 3)), "suspension")
    assert ev.target == "営業"


def test_banks_owning_what_stopped_are_orgs_not_one_actor():
    body = "落雷による停電で、千葉銀行や東湊信用金庫の一部店舗のATMが一時停止した。"
    ev = _one(_events(body), "suspension")
    assert (ev.org, ev.orgs, ev.target) == (None, ["千葉銀行", "東湊信用金庫"], "ATM")


def test_a_body_of_the_place_last_named_acts():
    body = "名古屋市中区の地下鉄駅で3日、ぼや騒ぎが発生。同市交通局は安全確認のため全線で運行を停止した。"
    ev = _one(_events(body, published=date(2024, 5, 3)), "suspension")
    assert (ev.org, ev.org_type) == ("名古屋市交通局", "ORGANIZATION")


def test_the_same_line_is_the_line_last_named():
    body = (
        "名古屋市営地下鉄東山線の駅で3日、電気設備から煙が出るトラブルが発生。"
        "同市交通局は同線全線で運行を停止した。"
    )
    ev = _one(_events(body, published=date(2024, 5, 3)), "suspension")
    assert ev.target == "東山線全線の運行"


def test_a_restart_day_wins_over_a_start_elsewhere_in_a_list():
    body = "関連ニュース4月から速度制限を緩和本線で落石か本線の運休区間20日に運転再開"
    ev = _one(_events(body, published=date(2024, 5, 3)), "resumption")
    assert (ev.since, ev.date, ev.target) == ("2024-04-20", "2024-04-20", "本線の運休区間の運転")


def test_an_apology_in_a_citation_title_is_the_body_apology():
    body = (
        "アオバホールディングスの北条晴彦社長は3日に会見し、謝罪した。"
        "神戸新聞NEXT『アオバ証券社長が陳謝』。神戸新聞、2024年5月3日。"
    )
    ev = _one(_events(body, published=date(2024, 5, 3)), "apology")
    assert (ev.org, ev.person) == ("アオバホールディングス", "北条晴彦")


def test_those_arrested_are_named_after_the_trigger():
    body = (
        "警視庁は8日、建設会社の役員ら2人を詐欺の疑いで逮捕した。"
        "今回逮捕されたのは村瀬浩二容疑者(45)と東山一郎容疑者(50)。このほか逮捕されたのは会社員の西田次郎容疑者(30)だ。"
    )
    ev = _legal(_events(body, published=date(2024, 5, 9)), "arrest")
    assert (ev.org, ev.to, ev.date) == ("警視庁", "村瀬浩二", "2024-05-08")


def test_the_employer_written_onto_the_arrested_is_not_the_actor():
    ev = _legal(_events("東京地検検事を逮捕", published=date(2024, 5, 9)), "arrest")
    assert ev.org is None


def test_a_known_line_before_the_comma_of_a_list_title_is_the_thing():
    body = "関連ニュース本線で倒木相次ぐ一部運転再開常磐線、24日運転再開へ調整"
    events = [e for e in _events(body, published=date(2024, 5, 3)) if e.event_type == "resumption"]
    assert ("常磐線の運転", "東日本旅客鉄道", True) in [(e.target, e.org, e.planned) for e in events]


def test_a_restart_that_names_no_one_is_by_whoever_stopped():
    body = "アオバ電力は3日、停電を起こした。アオバ電鉄は全線で運行を停止した。約1時間後に運転を再開した。"
    ev = _one(_events(body, published=date(2024, 5, 3)), "resumption")
    assert ev.org == "アオバ電鉄"


def test_a_loss_told_only_in_a_citation_title_takes_no_actor_from_the_article():
    body = (
        "長野県警は9日、タクシーの運賃を払わずに逃げた男を詐欺の疑いで逮捕した。"
        "『タクシー代23万円を踏み倒し』。東西新聞、2024年5月9日。"
    )
    ev = _one(_events(body, published=date(2024, 5, 9)), "damage")
    assert (ev.org, ev.amount_jpy) == (None, 230000)


def test_an_earlier_undated_complaint_has_no_report_date():
    body = "警視庁は8日、村瀬浩二容疑者を逮捕した。業界団体が警視庁に刑事告発していた。"
    ev = _legal(_events(body, published=date(2024, 5, 9)), "prosecution")
    assert ev.date is None


def test_a_title_in_a_list_of_related_articles_has_no_report_date():
    body = (
        "アオバ電鉄は3日、全線で運転を見合わせた。"
        "関連ニュースアオバ電鉄、山頂駅の冬期休業を発表アオバ電鉄で車両故障"
    )
    events = [e for e in _events(body, published=date(2024, 5, 3)) if e.event_type == "suspension"]
    assert sorted((e.target, e.date) for e in events) == [
        ("全線の運転", "2024-05-03"),
        ("山頂駅の営業", None),
    ]


def test_the_first_of_a_pair_requests_and_the_addressee_keeps_its_noun():
    body = "会合では、国土交通省と各地方運輸局がバス事業者に運転手の健康管理の徹底を要請した。"
    ev = _one(_events(body, published=date(2024, 5, 3)), "warning")
    assert (ev.org, ev.to) == ("国土交通省", "バス事業者")


def test_a_call_answered_is_no_warning():
    body = "観客は3日、主催者の担当者の呼びかけに応じて会場を後にした。"
    assert not [e for e in _events(body, published=date(2024, 5, 3)) if e.event_type == "warning"]


def test_an_undecided_restart_day_is_no_resumption():
    body = "アオバランドは10日から休園する。営業再開日は未定だ。"
    assert not [e for e in _events(body, published=date(2024, 5, 3)) if e.event_type == "resumption"]


@pytest.mark.parametrize(
    "body",
    [
        "共同通信が消防当局の話として伝えた内容によると、アオバ電鉄は3日、全線で運転を見合わせた。",
        "読売新聞によると、アオバ電鉄は3日、全線で運転を見合わせた。",
        "アオバ電鉄は3日、全線で運転を見合わせたと共同通信が伝えた。",
    ],
)
def test_a_paper_relaying_what_others_told_is_no_actor(body):
    # The paper is in the trigger's clause, or past the date's comma the first org the sentence
    # marks: only its relaying keeps it from being the actor.
    ev = _one(_events(body, published=date(2024, 5, 3)), "suspension")
    assert ev.org == "アオバ電鉄"


def test_staff_cut_by_the_number_is_a_layoff_not_a_sanction():
    layoff = _events(
        "アオバランドは3日、臨時職員の55人を年内に解雇すると発表した。", published=date(2024, 5, 3)
    )
    assert not [e for e in layoff if e.kind == "sanction"]
    penalty = _events("東湊信用金庫は3日、職員2人を懲戒解雇した。", published=date(2024, 5, 3))
    assert _legal(penalty, "sanction").org == "東湊信用金庫"


def test_withdrawing_from_a_place_is_no_stop_but_from_a_business_is():
    assert not [e for e in _events("軍は3日、ガザ地区から撤退した。") if e.event_type == "suspension"]
    ev = _one(_events("アオバフーズは3日、外食事業から撤退すると発表した。"), "suspension")
    assert ev.target == "外食事業"


def test_a_pointing_word_is_not_part_of_the_thing_stopped():
    body = "問題を受け、青葉食品はこの協力工場製の冷凍ギョーザの販売を停止した。"
    ev = _one(_events(body, published=date(2024, 5, 3)), "suspension")
    assert ev.target == "協力工場製の冷凍ギョーザの販売"


def test_a_firm_expecting_a_one_off_loss_and_complaints_counted_are_no_damage():
    body = (
        "アオバ電機は3日、事業撤退に伴う当期の一時損失を約170億円と見込んでいると発表した。"
        "被害の訴え・問い合わせは少なくとも69件寄せられた。"
    )
    assert not [e for e in _events(body, published=date(2024, 5, 3)) if e.event_type == "damage"]


def test_people_hit_by_a_storm_are_no_damage_but_fraud_victims_are():
    storm = _events("大雨で、同州内だけで80万人以上が被害を受けた。", published=date(2024, 5, 3))
    assert not [e for e in storm if e.event_type == "damage"]
    fraud = _events(
        "アオバ銀行は3日、不正送金の被害を受けた顧客は23人だと発表した。", published=date(2024, 5, 3)
    )
    assert _one(fraud, "damage").count == 23


def test_a_passive_qualifying_the_person_after_it_names_the_arrested():
    body = "アオバ証券は、23日に静岡県警に逮捕された村瀬浩二容疑者が社長を退くと発表した。"
    ev = _legal(_events(body, published=date(2024, 5, 24)), "arrest")
    assert (ev.org, ev.to) == ("静岡県警察", "村瀬浩二")


def test_a_persons_leave_is_no_suspension():
    body = "東山さんは2023年10月に長男を出産し、育児休業中だった。"
    assert not [e for e in _events(body, published=date(2024, 5, 3)) if e.event_type == "suspension"]


def test_a_colon_label_is_not_part_of_the_thing_stopped():
    body = "交通の状況は次の通り。道路:高速道路の一部区間が通行止め東北新幹線:全線で運転見合わせ"
    events = [e for e in _events(body, published=date(2024, 5, 3)) if e.event_type == "suspension"]
    assert "全線の運転" in [e.target for e in events]


def test_a_stop_told_as_a_relative_clause_and_its_restart_by_topic():
    body = "アオバ証券は20日、4月から停止していた米国株の売り注文の受け付けは、6月2日から再開すると発表した。"
    events = _events(body, published=date(2024, 5, 21))
    assert (_one(events, "suspension").target, _one(events, "resumption").target) == ("米国株の売り注文",) * 2
    assert (_one(events, "resumption").since, _one(events, "resumption").planned) == ("2024-06-02", True)


@pytest.mark.parametrize(
    ("body", "org"),
    [
        ("毎日jp(北条晴彦)『農水省、ブラジル産鶏肉の輸入を一時停止』。", "農林水産省"),
        ("毎日jp(北条晴彦)『湊川線が運転見合わせ』。", None),
    ],
)
def test_a_news_site_credited_before_a_citation_title_is_no_party(body, org):
    assert _one(_events(body, published=date(2010, 1, 20)), "suspension").org == org


def test_a_personal_appeal_is_no_warning():
    assert [e.event_type for e in _events("北条晴彦氏は記者団に対し、冷静な対応を呼びかけた。")] == []
    assert _one(_events("警視庁は利用者に注意を呼びかけている。"), "warning").org == "警視庁"
