"""Realistic, deterministic demo data: parks, grids, managers, customers, contacts, visits.

The same seed (and the same ``today``) always gives the same data. Rows are bulk-inserted
and deliberately **not** queued for upload: demo data must never reach a real server.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from keyacct_desktop.domain.codes import USCC_ALPHABET, uscc_check_char
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.domain.pyramid import classify_by_cumulative_share
from keyacct_desktop.store.base import utcnow
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.models import (
    Contact,
    Customer,
    Grid,
    Park,
    PowerSource,
    Referral,
    ReferralEvent,
    User,
    Visit,
)

DEFAULT_SEED = 20261122

PARKS = [
    ("高新技术产业开发区", "新区", "科技大道 88 号"),
    ("经济技术开发区", "经开区", "发展大道 1 号"),
    ("临港化工园区", "临港镇", "港城路 16 号"),
    ("滨江智能制造产业园", "滨江区", "江滨路 200 号"),
    ("绿色能源装备产业园", "北郊", "能源路 9 号"),
    ("空港物流商贸园", "空港新城", "航站路 66 号"),
]
CITY_WORDS = [
    "华东",
    "江南",
    "东方",
    "新城",
    "恒通",
    "长江",
    "金桥",
    "海川",
    "瑞丰",
    "中科",
    "天元",
    "宏达",
    "鑫源",
    "博远",
    "嘉禾",
    "振华",
    "永盛",
    "鼎新",
    "汇能",
    "凯旋",
    "星河",
    "正泰",
    "协鑫",
    "远航",
    "晨光",
    "瀚海",
    "锦程",
    "德润",
    "同创",
    "云启",
]
CORE_WORDS = [
    "精密",
    "新材料",
    "智能",
    "重工",
    "电子",
    "光伏",
    "化纤",
    "钢构",
    "医药",
    "食品",
    "汽车零部件",
    "半导体",
    "冷链",
    "包装",
    "机械",
    "特种气体",
    "环保",
    "纺织",
    "锂电",
]
#: Core words that fit a company suffix; suffixes not listed take no core word.
CORE_BY_SUFFIX = {
    "科技有限公司": ["精密", "新材料", "智能", "电子", "光伏", "半导体", "锂电", "环保"],
    "制造有限公司": ["重工", "钢构", "汽车零部件", "机械", "包装", "纺织", "食品", "医药"],
    "化工有限公司": ["特种气体", "精细", "石化", "化纤"],
    "物流有限公司": ["冷链", "供应链", "国际"],
    "商贸有限公司": ["国际", "五金", "建材"],
    "置业有限公司": ["城建", "商业"],
    "建设工程有限公司": ["机电", "市政"],
    "热电有限公司": ["能源", "环保"],
}
INDUSTRY_PLAN: list[tuple[str, str, float]] = [
    # (section, company suffix, weight)
    ("C", "科技有限公司", 0.30),
    ("C", "制造有限公司", 0.22),
    ("C", "化工有限公司", 0.06),
    ("I", "数据科技有限公司", 0.06),
    ("G", "物流有限公司", 0.07),
    ("F", "商贸有限公司", 0.05),
    ("K", "置业有限公司", 0.04),
    ("Q", "医院", 0.04),
    ("P", "职业技术学院", 0.03),
    ("D", "热电有限公司", 0.03),
    ("E", "建设工程有限公司", 0.04),
    ("B", "矿业有限公司", 0.02),
    ("H", "酒店管理有限公司", 0.02),
    ("N", "水务有限公司", 0.02),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "志强",
    "海燕",
    "晓东",
    "立新",
    "春梅",
    "国栋",
    "文博",
]
AREA_CODES = ["0512", "0510", "025", "021", "0571", "0574"]
MOBILE_PREFIXES = [
    "133",
    "135",
    "136",
    "138",
    "139",
    "150",
    "152",
    "158",
    "177",
    "180",
    "186",
    "189",
    "199",
]
SUBSTATIONS = ["城东", "科创", "港口", "滨江", "北郊", "空港", "新区", "石湖"]
FINDINGS_RELIABILITY = [
    "近三个月无停电",
    "6 月雷雨天气发生一次短时停电,已恢复",
    "反映 10 kV 进线偶有电压暂降,影响变频设备",
    "备用电源切换试验正常",
]
FINDINGS_QUALITY = [
    "谐波在国标限值内",
    "整流设备较多,建议开展谐波测试",
    "功率因数 0.93,达标",
    "功率因数偏低(0.86),建议增加无功补偿",
]
FINDINGS_EQUIPMENT = [
    "配电房整洁,设备运行正常",
    "1 号主变油温偏高,建议检查散热",
    "开关柜防误闭锁装置完好",
    "电缆沟有积水,需清理",
]
FINDINGS_SAFETY = [
    "未发现安全隐患",
    "应急发电机未定期试车",
    "配电房消防器材过期,已提醒更换",
    "值班人员持证上岗",
]
OUTLOOKS = [
    "明年预计新增一条生产线,用电量增长约 15%",
    "产能稳定,用电量基本持平",
    "受订单影响,下半年用电量可能下降 10%",
    "计划建设屋顶光伏 2 MW",
]
DEMANDS: list[tuple[str, str, str]] = [
    ("capacity_increase", "connection", "新增生产线,申请增容 2000 kVA"),
    ("capacity_reduction", "connection", "一台变压器长期轻载,咨询减容办理"),
    ("suspension", "connection", "春节期间停产,申请暂停一台主变"),
    ("power_quality", "operations", "反映电压暂降影响生产,请求监测分析"),
    ("billing", "billing", "对上月力调电费有疑问,请求核查"),
    ("metering", "metering", "电能表显示异常,请求校验"),
    ("retrofit", "development", "配电房改造,咨询技术方案"),
    ("outage", "dispatch", "希望计划停电提前一周通知并避开生产高峰"),
]


@dataclass(frozen=True)
class DemoSummary:
    customers: int
    contacts: int
    visits: int
    referrals: int


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def org_code(rng: random.Random) -> str:
    """A 9-character organisation code (GB 11714) with its own check character."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "".join(rng.choice(alphabet[:10] if i < 2 else alphabet) for i in range(8))
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    value = {ch: (int(ch) if ch.isdigit() else ord(ch) - 55) for ch in alphabet}
    check = 11 - sum(value[c] * w for c, w in zip(body, weights, strict=True)) % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def demo_uscc(rng: random.Random, kind: str = "91") -> str:
    """A well-formed USCC: registration type, admin division, org code, GB 32100 check."""
    division = rng.choice(["320505", "320506", "320211", "330106", "310115", "320114"])
    first17 = kind + division + org_code(rng)
    assert all(ch in USCC_ALPHABET for ch in first17)
    return first17 + uscc_check_char(first17)


def demo_mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def demo_landline(rng: random.Random) -> str:
    area = rng.choice(AREA_CODES)
    digits = 8 if len(area) == 3 or area in ("0512", "0571") else 7
    return f"{area}-{rng.randrange(2, 9)}{rng.randrange(10 ** (digits - 1)):0{digits - 1}d}"


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _capacity_for(rng: random.Random, voltage: float) -> float:
    choices = {
        10: [315, 400, 630, 800, 1000, 1250, 1600, 2000, 2500, 3150, 4000, 5000, 6300, 8000],
        20: [2000, 3150, 5000, 8000, 10000, 12500],
        35: [5000, 6300, 8000, 10000, 16000, 20000, 31500],
        110: [31500, 40000, 50000, 63000, 80000, 100000],
    }
    return float(rng.choice(choices[int(voltage)]))


def generate_demo(
    store: Store,
    customers: int = 300,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    managers: int = 6,
) -> DemoSummary:
    """Write demo data into ``store`` in one transaction and return what was written."""
    if customers < 0:
        raise ValueError("customers must be >= 0")
    rng = random.Random(seed)
    today = today or date.today()
    now = utcnow()
    stamp = {"version": 0, "created_at": now, "updated_at": now}

    users, parks, grids = demo_people(rng, managers, stamp)
    customer_rows, contact_rows, source_rows = demo_customers(
        rng, customers, users, parks, grids, today, seed, stamp
    )
    visit_rows, referral_rows, event_rows = demo_visits(rng, customer_rows, users, today, stamp)

    with store.begin() as session:
        if session.scalar(select(Customer.id).limit(1)) is not None:
            raise UserError(
                "该数据库已有客户数据;演示数据只能写入空的数据库(可用 --data-dir 指定新文件夹)",
                "the store already holds customers; demo data goes into an empty store "
                "(use --data-dir for a new folder)",
            )
        for model, rows in (
            (User, users),
            (Park, parks),
            (Grid, grids),
            (Customer, customer_rows),
            (Contact, contact_rows),
            (PowerSource, source_rows),
            (Visit, visit_rows),
            (Referral, referral_rows),
            (ReferralEvent, event_rows),
        ):
            for start in range(0, len(rows), 5000):
                session.execute(insert(model), rows[start : start + 5000])
    return DemoSummary(len(customer_rows), len(contact_rows), len(visit_rows), len(referral_rows))


def demo_people(
    rng: random.Random, managers: int, stamp: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Managers (one grid each) and a supervisor, the parks, the grids."""
    users = [
        {
            "id": _uuid(rng),
            "username": f"manager{i + 1}",
            "display_name": person_name(rng),
            "role": "manager",
            "phone": demo_mobile(rng),
            "active": True,
            **stamp,
        }
        for i in range(managers)
    ]
    users.append(
        {
            "id": _uuid(rng),
            "username": "supervisor",
            "display_name": person_name(rng),
            "role": "supervisor",
            "phone": demo_mobile(rng),
            "active": True,
            **stamp,
        }
    )
    parks = [
        {
            "id": _uuid(rng),
            "name": name,
            "district": district,
            "address": address,
            "note": None,
            **stamp,
        }
        for name, district, address in PARKS
    ]
    grids = [
        {
            "id": _uuid(rng),
            "name": f"第{i + 1}网格",
            "manager_id": users[i]["id"],
            "note": None,
            **stamp,
        }
        for i in range(managers)
    ]

    return users, parks, grids


def demo_customers(
    rng: random.Random,
    customers: int,
    users: list[dict[str, Any]],
    parks: list[dict[str, Any]],
    grids: list[dict[str, Any]],
    today: date,
    seed: int,
    stamp: dict[str, Any],
    first_index: int = 0,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """``customers`` customers with their contacts and power sources, classed A–D among
    themselves; ``first_index`` numbers them on (account numbers stay unique across calls,
    as the server's seeding command makes them in slices)."""
    managers = len(grids)
    sections = [p[0] for p in INDUSTRY_PLAN]
    suffixes = [p[1] for p in INDUSTRY_PLAN]
    weights = [p[2] for p in INDUSTRY_PLAN]
    used_names: set[str] = set()
    customer_rows: list[dict[str, Any]] = []
    contact_rows: list[dict[str, Any]] = []
    source_rows: list[dict[str, Any]] = []
    for index in range(first_index, first_index + customers):
        choice = rng.choices(range(len(INDUSTRY_PLAN)), weights)[0]
        section, suffix = sections[choice], suffixes[choice]
        park_index = rng.randrange(len(parks))
        name = ""
        for attempt in range(20):
            core = rng.choice(CORE_BY_SUFFIX.get(suffix, [""]))
            name = f"{rng.choice(CITY_WORDS)}{core}{suffix}"
            if name not in used_names:
                break
            if attempt == 19:
                name = f"{rng.choice(CITY_WORDS)}{core}第{index + 1}{suffix}"
        used_names.add(name)
        voltage = rng.choices([10.0, 20.0, 35.0, 110.0], [0.70, 0.08, 0.16, 0.06])[0]
        capacity = _capacity_for(rng, voltage)
        hours = rng.uniform(1500, 6500)
        annual_kwh = round(capacity * 0.85 * hours, -2)
        high_energy = section in ("B", "D") or suffix == "化工有限公司" or rng.random() < 0.05
        margin = rng.uniform(0.01, 0.03) if high_energy else rng.uniform(0.03, 0.09)
        important = None
        load_grade = "third"
        if section == "Q":
            important, load_grade = "first", "first"
        elif suffix == "化工有限公司":
            important, load_grade = rng.choice([("first", "first"), ("second", "second")])
        elif section == "I" and capacity >= 2000:
            important, load_grade = "second", "second"
        elif rng.random() < 0.08:
            load_grade = "second"
        pooled = rng.random() < 0.92
        # Most customers sit in the grid of their park; with more grids than parks (a server
        # seeded at province scale) they spread evenly over every grid.
        near_park = rng.random() < 0.85 and managers <= len(parks)
        grid_index = park_index % managers if near_park else rng.randrange(managers)
        overdue = rng.choices([0, 1, 2, 4], [0.75, 0.15, 0.07, 0.03])[0]
        customer_id = _uuid(rng)
        account_no = f"31{seed % 97:02d}{index + 1:06d}"
        customer_rows.append(
            {
                "id": customer_id,
                "account_no": account_no,
                "name": name,
                "uscc": demo_uscc(
                    rng, "12" if section in ("P", "Q") and rng.random() < 0.7 else "91"
                ),
                "address": f"{parks[park_index]['district']}{rng.choice(['工业', '创新', '兴业', '民营', '港湾'])}路 {rng.randrange(1, 400)} 号",
                "park_id": parks[park_index]["id"],
                "grid_id": grids[grid_index]["id"] if pooled else None,
                "manager_id": users[grid_index]["id"] if pooled else None,
                "industry": section,
                "industry_detail": rng.choice(CORE_WORDS),
                "voltage_kv": voltage,
                "capacity_kva": capacity,
                "annual_kwh": annual_kwh,
                "annual_profit_yuan": round(annual_kwh * margin, -2),
                "tariff": "large_industry"
                if capacity >= 315 and section in ("B", "C", "D")
                else "commercial",
                "metering": "hv_hv" if capacity > 630 or voltage >= 35 else "hv_lv",
                "important_grade": important,
                "load_grade": load_grade,
                "emergency_power": "柴油发电机" if important else None,
                "emergency_power_kw": float(rng.choice([200, 400, 800])) if important else None,
                "credit_rating": rng.choices(
                    ["AAA", "AA", "A", "B", "C"], [0.3, 0.35, 0.2, 0.1, 0.05]
                )[0],
                "recovery_rate": round(1.0 - (rng.random() * 0.03 if overdue else 0.0), 4),
                "on_time_rate": round(1.0 - overdue / 12, 4),
                "overdue_count": overdue,
                "overdue_days_max": overdue * rng.randrange(3, 25),
                "violation_count": rng.choices([0, 1], [0.97, 0.03])[0],
                "high_energy": high_energy,
                "consumption_growth": round(rng.uniform(-0.15, 0.25), 3),
                "operating_trouble": rng.random() < 0.03,
                "pool_status": "pooled" if pooled else rng.choice(["prospect", "evaluating"]),
                "pool_note": None if pooled else "园区项目备案信息获取,待现场评估",
                "lead_source": rng.choice(["园区项目备案", "现场走访", "政府招商推介", "业扩申请"]),
                "pooled_on": today - timedelta(days=rng.randrange(30, 900)) if pooled else None,
                "pyramid_class": None,
                "pyramid_override": None,
                "pyramid_override_reason": None,
                "status": "active",
                "notes": None,
                **stamp,
            }
        )
        roles = ["electrical", "finance"] + (["legal"] if rng.random() < 0.4 else [])
        for position, role in enumerate(roles):
            contact_rows.append(
                {
                    "id": _uuid(rng),
                    "customer_id": customer_id,
                    "name": person_name(rng),
                    "role": role,
                    "title": {"electrical": "设备部经理", "finance": "财务主管", "legal": "总经理"}[
                        role
                    ],
                    "mobile": demo_mobile(rng),
                    "landline": demo_landline(rng) if rng.random() < 0.6 else None,
                    "email": None,
                    "last_verified": today - timedelta(days=rng.randrange(0, 720)),
                    "is_primary": position == 0,
                    **stamp,
                }
            )
        sources = 2 if important or voltage >= 35 else 1
        for number in range(1, sources + 1):
            substation = rng.choice(SUBSTATIONS)
            source_rows.append(
                {
                    "id": _uuid(rng),
                    "customer_id": customer_id,
                    "source_no": number,
                    "role": "main" if number == 1 else "backup",
                    "voltage_kv": voltage,
                    "capacity_kva": capacity,
                    "substation": f"{substation} {110 if voltage < 110 else 220} kV 变电站",
                    "line": f"{substation}{rng.choice('一二三四五六')}{rng.choice(['线', '回'])}",
                    "bay": f"{rng.randrange(1, 30)} 号间隔",
                    "line_type": rng.choice(["overhead", "cable"]),
                    **stamp,
                }
            )

    classes = classify_by_cumulative_share({row["id"]: row["annual_kwh"] for row in customer_rows})
    for row in customer_rows:
        row["pyramid_class"] = classes[row["id"]]

    return customer_rows, contact_rows, source_rows


def demo_visits(
    rng: random.Random,
    customers: list[dict[str, Any]],
    users: list[dict[str, Any]],
    today: date,
    stamp: dict[str, Any],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    per_year = {"A": 12, "B": 6, "C": 4, "D": 2}
    visits: list[dict[str, Any]] = []
    referrals: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    names = {u["id"]: u["display_name"] for u in users}
    for customer in customers:
        if customer["pool_status"] != "pooled":
            continue
        count = max(1, round(per_year[customer["pyramid_class"]] * rng.uniform(0.6, 1.1)))
        for _ in range(count):
            day = today - timedelta(days=rng.randrange(1, 365))
            start = datetime.combine(day, time(rng.choice([9, 10, 14, 15]), rng.choice([0, 30])))
            visit_id = _uuid(rng)
            manager = customer["manager_id"]
            visits.append(
                {
                    "id": visit_id,
                    "customer_id": customer["id"],
                    "manager_id": manager,
                    "status": "completed",
                    "started_at": start,
                    "ended_at": start + timedelta(minutes=rng.choice([45, 60, 90])),
                    "place": "客户配电房及会议室",
                    "our_participants": [names.get(manager, "客户经理")],
                    "customer_attendees": [person_name(rng) + "(设备部)"],
                    "purpose": rng.choice(
                        ["例行走访", "迎峰度夏用电检查", "业扩需求沟通", "电费政策宣传"]
                    ),
                    "findings_reliability": rng.choice(FINDINGS_RELIABILITY),
                    "findings_power_quality": rng.choice(FINDINGS_QUALITY),
                    "findings_equipment": rng.choice(FINDINGS_EQUIPMENT),
                    "findings_safety": rng.choice(FINDINGS_SAFETY),
                    "consumption_outlook": rng.choice(OUTLOOKS),
                    "advice": "建议定期开展预防性试验,关注功率因数。",
                    "score_reliability": rng.choices([3, 4, 5], [0.1, 0.4, 0.5])[0],
                    "score_billing": rng.choices([3, 4, 5], [0.15, 0.45, 0.4])[0],
                    "score_service": rng.choices([3, 4, 5], [0.05, 0.35, 0.6])[0],
                    "comments": None,
                    "complaints": None,
                    "signature_id": None,
                    "completed_at": start + timedelta(hours=2),
                    **stamp,
                }
            )
            if rng.random() < 0.15:
                demand_type, team, text = rng.choice(DEMANDS)
                referral_id = _uuid(rng)
                due = day + timedelta(days=rng.choice([5, 10, 15]))
                state = (
                    "confirmed"
                    if due < today - timedelta(days=20)
                    else rng.choice(["open", "in_progress", "answered"])
                )
                referrals.append(
                    {
                        "id": referral_id,
                        "customer_id": customer["id"],
                        "visit_id": visit_id,
                        "kind": "demand",
                        "demand_type": demand_type,
                        "description": text,
                        "team": team,
                        "owner_name": person_name(rng),
                        "due_on": due,
                        "state": state,
                        "answer": "已安排专人对接,按期办结。"
                        if state in ("answered", "confirmed")
                        else None,
                        "reject_reason": None,
                        "answered_at": start + timedelta(days=4)
                        if state in ("answered", "confirmed")
                        else None,
                        "confirmed_at": start + timedelta(days=6) if state == "confirmed" else None,
                        "customer_feedback": "满意" if state == "confirmed" else None,
                        "created_by": manager,
                        "registered_on": day,
                        **stamp,
                    }
                )
                events.append(
                    {
                        "id": _uuid(rng),
                        "referral_id": referral_id,
                        "from_state": None,
                        "to_state": "open",
                        "note": "走访中发现需求,转办",
                        "actor_id": manager,
                        "at": start,
                        **stamp,
                    }
                )
    _demo_feedback(visits)
    return visits, referrals, events


#: Complaints and demands that reach the office without a visit (by phone, 95598, the web).
REQUESTS: list[tuple[str, str, str, str]] = [
    ("complaint", "complaint", "dispatch", "来电投诉:计划停电未提前通知,影响生产"),
    ("complaint", "complaint", "billing", "95598 投诉:电费发票开具不及时"),
    ("complaint", "complaint", "connection", "投诉业扩报装进度慢,多次询问无答复"),
    ("demand", "billing", "billing", "来电咨询力调电费计算方式"),
    ("demand", "metering", "metering", "来电反映电能表走字异常,请求校验"),
    ("demand", "capacity_increase", "connection", "来电咨询增容办理流程"),
    ("demand", "outage", "dispatch", "来电询问计划停电时间安排"),
]


def demo_requests(
    rng: random.Random,
    customers: list[dict[str, Any]],
    count: int,
    today: date,
    stamp: dict[str, Any],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``count`` referrals that did not start on a visit (complaints and phoned-in demands)
    of random pooled ``customers`` over the past year, with their opening events: mostly
    answered by their due date, some late, the recent ones still open."""
    pooled = [c for c in customers if c["pool_status"] == "pooled"] or customers
    referrals: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    if not pooled:
        return referrals, events
    for _ in range(count):
        customer = rng.choice(pooled)
        kind, demand_type, team, text = rng.choice(REQUESTS)
        day = today - timedelta(days=rng.randrange(0, 365))
        start = datetime.combine(day, time(rng.randrange(8, 18), rng.choice([0, 15, 30, 45])))
        due = day + timedelta(days=1 if kind == "complaint" else 7)
        late = rng.random() < 0.15
        answered_day = due + timedelta(days=rng.randrange(1, 6)) if late else day
        if answered_day >= today:
            state = rng.choice(["open", "in_progress"])
        elif answered_day < today - timedelta(days=20):
            state = rng.choices(["confirmed", "rejected"], [0.95, 0.05])[0]
        else:
            state = "answered"
        answered = state in ("answered", "confirmed")
        referral_id = _uuid(rng)
        manager = customer["manager_id"]
        referrals.append(
            {
                "id": referral_id,
                "customer_id": customer["id"],
                "visit_id": None,
                "kind": kind,
                "demand_type": demand_type,
                "description": text,
                "team": team,
                "owner_name": None,
                "due_on": due,
                "state": state,
                "answer": "已核实处理并回复客户。" if answered else None,
                "reject_reason": "不属于本团队职责,请转营销部" if state == "rejected" else None,
                "answered_at": datetime.combine(answered_day, time(16, 0)) if answered else None,
                "confirmed_at": datetime.combine(answered_day, time(17, 0))
                if state == "confirmed"
                else None,
                "customer_feedback": "满意" if state == "confirmed" else None,
                "created_by": manager,
                "registered_on": day,
                **stamp,
            }
        )
        events.append(
            {
                "id": _uuid(rng),
                "referral_id": referral_id,
                "from_state": None,
                "to_state": "open",
                "note": "来电登记",
                "actor_id": manager,
                "at": start,
                **stamp,
            }
        )
    return referrals, events


#: What unhappy customers say (the satisfaction page lists complaints per customer and grid).
COMPLAINTS = (
    ("上月两次计划停电未提前电话通知,影响生产排班", "停电通知应提前一周并电话确认"),
    ("电费发票开具不及时,影响财务结算", "希望开通电子发票"),
    ("业扩报装进度不透明,多次询问无明确答复", "希望有专人跟踪进度"),
    ("抢修到场时间超过承诺时限", "希望提高夜间抢修响应速度"),
)


def _demo_feedback(visits: list[dict[str, Any]]) -> None:
    """Some comments and a few complaints, from a separate generator (seeded by the first visit
    id, so the rest of the demo data stays as it was for a given seed)."""
    if not visits:
        return
    rng = random.Random(str(visits[0]["id"]))
    for visit in visits:
        draw = rng.random()
        if draw < 0.04:
            complaint, comment = rng.choice(COMPLAINTS)
            visit["complaints"] = complaint
            visit["comments"] = comment
            visit["score_service"] = rng.choice([1, 2])
        elif draw < 0.15:
            visit["comments"] = rng.choice(
                ["对客户经理服务满意", "希望多提供节能用电建议", "停电信息希望通过短信推送"]
            )


def generate_demo_documents(store: Store, settings: Any, today: date | None = None) -> int:
    """Issued documents of every kind, so a new user sees them at once: a checklist of each
    of the 18 business types, an HV and an LV plan handout, a planned, a temporary and a
    fault outage with their notices (visit reports come with the demo visits).
    Returns how many documents were written."""
    from keyacct_desktop.domain.enums import BusinessType
    from keyacct_desktop.services.checklists import ChecklistService
    from keyacct_desktop.services.outages import OutageService
    from keyacct_desktop.services.plans import SupplyPlanService

    today = today or date.today()
    now = datetime.combine(today, datetime.min.time()).replace(hour=9)
    with store.read() as session:
        customers = session.execute(
            select(Customer.id, Customer.voltage_kv)
            .where(Customer.manager_id.is_not(None))
            .order_by(Customer.account_no)
        ).all()
        line = session.execute(
            select(PowerSource.line)
            .where(PowerSource.line.is_not(None))
            .group_by(PowerSource.line)
            .order_by(func.count().desc(), PowerSource.line)
            .limit(1)
        ).scalar()
    if not customers:
        return 0
    written = 0
    checklists = ChecklistService(store, settings)
    for index, business_type in enumerate(BusinessType):
        customer_id = customers[index % len(customers)][0]
        draft = checklists.draft(customer_id, business_type, today - timedelta(days=3))
        checklists.issue(draft, now=now)
        written += 1
    plans = SupplyPlanService(store, settings)
    high = next((c for c, kv in customers if (kv or 0) >= 1), customers[0][0])
    low = next((c for c, kv in customers if (kv or 0) < 1), None)
    other = low or next((c for c, _kv in customers if c != high), None)  # an LV one if any
    for customer_id in (high, other):
        if customer_id is None:
            continue
        plan_id = plans.draft(customer_id, today - timedelta(days=5), f"SQ{today:%Y%m%d}{written}")
        plans.update(
            plan_id,
            {
                "property_boundary": "客户进线电缆终端头(产权分界点处装设计量装置)",
                "receiving_type": "户内配电室",
                "protection": "进线设电流速断、过电流及零序保护",
            },
        )
        plans.issue(plan_id, now=now)
        written += 1
    outages = OutageService(store, settings)
    affected = outages.affected_customers(lines=[line]) if line else []
    affected = (affected or [c for c, _kv in customers])[:5]
    for kind, starts, hours, reason in (
        ("planned", now + timedelta(days=8), 6, "10 kV 线路检修及设备消缺"),
        ("temporary", now + timedelta(days=2), 3, "配合市政道路施工迁改线路"),
        ("fault", now - timedelta(hours=1), 4, "10 kV 线路电缆故障"),
    ):
        outages.issue(
            kind=kind,
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            area="演示片区(科技大道以东)",
            reason=reason,
            customer_ids=affected,
            lines=[line] if line else [],
            now=now,
        )
        written += 1
    return written
