"""Every setting the app reads, declared once (the dialog, the checks on save and
docs/SETTINGS.md are generated from these declarations)."""

from __future__ import annotations

from keyacct_desktop.domain.billing import DEFAULT_BASIC_CHARGE, DEFAULT_CAPACITY_ADVICE
from keyacct_desktop.domain.economics import (
    DEFAULT_ARREARS_RISK,
    DEFAULT_CREDIT_RATINGS,
    DEFAULT_CREDIT_SCORE,
)
from keyacct_desktop.domain.enums import ImportantGrade
from keyacct_desktop.domain.referral_rules import DEFAULT_DUE_WORKDAYS
from keyacct_desktop.domain.workdays import DEFAULT_EXTRA_WORKDAYS_2026, DEFAULT_HOLIDAYS_2026
from keyacct_desktop.settings.options import declare

#: Item labels of the mappings by important-customer grade.
_GRADES = {grade.value: (grade.zh, grade.en) for grade in ImportantGrade}


# --- server and sync
declare(
    "sync.server_url",
    "",
    ("服务器地址", "Server address"),
    (
        "中心服务器地址(https://…);留空表示只在本机离线工作",
        "Central server URL; empty means work offline only",
    ),
    group="server",
)
declare(
    "sync.username",
    "",
    ("账号", "Account name"),
    ("在中心服务器上的账号", "Account name on the central server"),
    group="server",
)
declare(
    "sync.interval_seconds",
    300,
    ("同步间隔(秒)", "Sync every (seconds)"),
    ("在线时后台同步的周期", "Background sync period when online"),
    group="server",
    low=30,
    high=86_400,
)
declare(
    "sync.after_edit_seconds",
    15,
    ("修改后同步(秒)", "Sync after an edit (seconds)"),
    (
        "本机修改后过这么多秒同步一次(0 = 只按周期同步)",
        "Sync this many seconds after a local edit (0 = timer only)",
    ),
    group="server",
    low=0,
    high=3_600,
)
declare(
    "sync.max_backoff_seconds",
    900,
    ("服务器不可用时最长重试间隔(秒)", "Longest retry wait while the server is down (seconds)"),
    (
        "服务器不可用时,两次重试之间最长等待的秒数",
        "Longest wait between retries while the server is down",
    ),
    group="server",
    low=30,
    high=86_400,
)
declare(
    "sync.ca_file",
    "",
    ("CA 证书文件(PEM)", "CA certificate file (PEM)"),
    (
        "校验服务器 TLS 证书时信任的 CA 证书(PEM);留空使用系统 CA",
        "CA certificate (PEM) to trust for the server's TLS; empty = system CAs",
    ),
    group="server",
)
declare(
    "sync.allow_http",
    False,
    ("允许明文 http 连接其他计算机", "Allow plain http to another computer"),
    (
        "允许用 http:// 连接其他计算机上的服务器(仅限可信的测试网络)",
        "Allow plain http:// to a server on another computer (trusted test networks only)",
    ),
)
declare(
    "sync.user_id",
    "",
    ("已登录账号的服务器用户编号", "Server user id of the signed-in account"),
    (
        "本数据文件夹所属账号在服务器上的用户编号(登录时写入)",
        "Server user id of the signed-in account (whose data this folder holds)",
    ),
)
# --- letterhead of printed documents
declare(
    "letterhead.company",
    "国网示范供电公司",
    ("单位名称", "Company"),
    ("印在每份文书上的单位名称", "Company name printed on every document"),
    group="letterhead",
)
declare(
    "letterhead.department",
    "大客户服务中心",
    ("部门", "Department"),
    ("发文部门", "Issuing department"),
    group="letterhead",
)
declare(
    "letterhead.address",
    "示范市电力路 1 号",
    ("地址", "Address"),
    ("文书上的地址行", "Address line on documents"),
    group="letterhead",
)
declare(
    "letterhead.hotline",
    "95598",
    ("服务热线", "Service hotline"),
    ("文书上印的服务热线", "Service hotline printed on documents"),
    group="letterhead",
)
declare(
    "letterhead.logo_path",
    "",
    ("徽标(PNG 或 JPEG)", "Logo (PNG or JPEG)"),
    ("信头上的徽标图片(可不填)", "Optional logo image (PNG or JPEG) for the letterhead"),
    group="letterhead",
)
declare(
    "documents.verify_base_url",
    "",
    ("文书查验网址", "Document verification address"),
    (
        "中心服务器查验页面的公网地址(https://…);文书二维码打开 <地址>/verify/<编号>。留空:二维码只含编号和校验码",
        "Public address of the central server's verification page (https://…); the QR code "
        "of a document opens <address>/verify/<number>. Empty: the QR holds number and code only",
    ),
    group="letterhead",
)
# --- visits (frequencies in days per pyramid class and per important-customer grade)
declare(
    "visits.class_frequency_days",
    {"A": 30, "B": 60, "C": 90, "D": 180},
    ("按客户分级的走访周期(天)", "Visit every N days, by class"),
    ("按金字塔分级,每隔多少天走访一次", "Visit every N days by pyramid class"),
    group="visits",
    low=1,
    high=3650,
    items={c: (f"{c} 类", f"Class {c}") for c in "ABCD"},
)
declare(
    "visits.grade_frequency_days",
    {"special": 15, "first": 30, "second": 60, "temporary": 30},
    ("按重要用户等级的走访周期(天)", "Visit every N days, by important-user grade"),
    (
        "按重要电力用户等级,每隔多少天走访一次(与分级周期取较短者)",
        "Visit every N days by important-customer grade (the shorter of class and grade wins)",
    ),
    group="visits",
    low=1,
    high=3650,
    items=_GRADES,
)
declare(
    "referrals.due_workdays",
    dict(DEFAULT_DUE_WORKDAYS),
    ("转办答复时限(工作日)", "Referral answer time (working days)"),
    (
        "后台专业部门答复转办事项的工作日数,按类别(投诉:1 个工作日内联系客户)",
        "Working days a team has to answer, by kind (complaints: contact within 1 working day)",
    ),
    group="visits",
    low=1,
    high=60,
    items={"demand": ("诉求", "Demand"), "complaint": ("投诉", "Complaint")},
)
# --- working-day calendar and service time limits (State Grid commitments; configurable)
declare(
    "limits.warn_within_workdays",
    3,
    ("剩余工作日数时预警", "Warn when working days left"),
    ("时限只剩这么多个工作日时提醒", "Warn when a time limit has this many working days left"),
    group="limits",
    low=0,
    high=30,
)
declare(
    "limits.working_days",
    {
        "plan_reply_hv_single": 15,
        "plan_reply_hv_dual": 30,
        "plan_reply_lv": 7,
        "plan_reply_residential": 3,
        "design_review": 10,
        "mid_check": 5,
        "completion_check": 5,
        "energising": 5,
        "energising_residential": 3,
        "utility_total_hv_single": 22,
        "utility_total_hv_dual": 32,
        "utility_total_lv": 6,
    },
    ("办理时限(工作日)", "Time limits (working days)"),
    (
        "供电企业的办理时限(工作日),告知单模板按这些键引用",
        "Utility time limits in working days, by key (templates refer to these keys)",
    ),
    group="limits",
    low=1,
    high=365,
    items={
        "plan_reply_hv_single": ("供电方案答复(高压单电源)", "Plan reply, HV single source"),
        "plan_reply_hv_dual": ("供电方案答复(高压双电源)", "Plan reply, HV dual source"),
        "plan_reply_lv": ("供电方案答复(低压)", "Plan reply, LV"),
        "plan_reply_residential": ("供电方案答复(居民)", "Plan reply, residential"),
        "design_review": ("设计审核", "Design review"),
        "mid_check": ("中间检查", "Mid-construction check"),
        "completion_check": ("竣工检验", "Completion check"),
        "energising": ("装表接电", "Metering and energising"),
        "energising_residential": ("装表接电(居民)", "Metering and energising, residential"),
        "utility_total_hv_single": (
            "供电企业总时长(高压单电源)",
            "Total utility time, HV single source",
        ),
        "utility_total_hv_dual": (
            "供电企业总时长(高压双电源)",
            "Total utility time, HV dual source",
        ),
        "utility_total_lv": ("供电企业总时长(低压)", "Total utility time, LV"),
    },
)
declare(
    "limits.customer_terms",
    {
        "mid_check_request_days": 3,
        "reduction_notice_days": 5,
        "reduction_min_months": 6,
        "reduction_max_years": 2,
        "suspension_notice_days": 5,
        "suspension_times_per_year": 2,
        "suspension_min_days": 15,
        "suspension_max_months_per_year": 6,
        "temp_swap_months_up_to_10kv": 2,
        "temp_swap_months_from_35kv": 3,
        "temp_removal_max_months": 6,
        "temporary_supply_max_months": 6,
    },
    ("客户须知期限(告知客户,不倒计时)", "Terms told to the customer (not counted down)"),
    (
        "告知客户的规则(提前天数、期限、次数,单位见名称):印在告知单上,不作为供电企业时限倒计时",
        "Rules told to the customer (lead times, durations, counts; the unit is in the key): "
        "printed on checklists, never counted down as utility deadlines",
    ),
    group="limits",
    low=1,
    high=366,
    items={
        "mid_check_request_days": (
            "提前预约中间检查(天)",
            "Ask for the mid-construction check ahead (days)",
        ),
        "reduction_notice_days": (
            "减容提前申请(天)",
            "Apply for a capacity reduction ahead (days)",
        ),
        "reduction_min_months": ("减容最短期限(月)", "Capacity reduction, shortest (months)"),
        "reduction_max_years": ("减容最长期限(年)", "Capacity reduction, longest (years)"),
        "suspension_notice_days": ("暂停提前申请(天)", "Apply for a suspension ahead (days)"),
        "suspension_times_per_year": (
            "每一日历年暂停次数上限",
            "Suspensions per calendar year, at most",
        ),
        "suspension_min_days": ("每次暂停最短(天)", "Each suspension, shortest (days)"),
        "suspension_max_months_per_year": (
            "每年累计暂停最长(月)",
            "Suspension per year in total, longest (months)",
        ),
        "temp_swap_months_up_to_10kv": (
            "暂换期限 10 千伏及以下(月)",
            "Temporary transformer swap up to 10 kV (months)",
        ),
        "temp_swap_months_from_35kv": (
            "暂换期限 35 千伏及以上(月)",
            "Temporary transformer swap from 35 kV (months)",
        ),
        "temp_removal_max_months": ("暂拆最长期限(月)", "Temporary removal, longest (months)"),
        "temporary_supply_max_months": (
            "临时用电最长期限(月)",
            "Temporary supply, longest (months)",
        ),
    },
)
# --- technical plan handout rules
declare(
    "plan.validity_months",
    {"hv": 12, "lv": 3},
    ("供电方案有效期(月)", "Supply plan validity (months)"),
    ("供电方案的有效期,高压 / 低压", "Validity of a supply plan in months (HV / LV)"),
    group="plans",
    low=1,
    high=60,
    items={"hv": ("高压", "High voltage"), "lv": ("低压", "Low voltage")},
)
declare(
    "plan.required_sources",
    {"special": 3, "first": 2, "second": 2, "temporary": 1},
    ("重要用户应有的电源数", "Power sources required by grade"),
    (
        "各级重要电力用户应具备的独立电源数",
        "Independent power sources required per important-customer grade",
    ),
    group="plans",
    low=1,
    high=6,
    items=_GRADES,
)
declare(
    "plan.power_factor",
    {
        "hv_industrial_over_kva": 160,
        "hv_industrial": 0.90,
        "other_from_kva": 100,
        "other": 0.85,
        "agriculture": 0.80,
    },
    ("功率因数考核标准", "Power-factor standards"),
    (
        "功率因数考核标准及其适用的容量起点",
        "Power-factor standards and the capacity thresholds they apply from",
    ),
    group="plans",
    low=0,
    high=100_000,
    items={
        "hv_industrial_over_kva": ("高压工业用户容量起点(kVA)", "HV industrial users from (kVA)"),
        "hv_industrial": ("高压工业用户标准", "HV industrial standard"),
        "other_from_kva": ("其他用户容量起点(kVA)", "Other users from (kVA)"),
        "other": ("其他用户标准", "Other users' standard"),
        "agriculture": ("农业用户标准", "Agriculture standard"),
    },
)
# --- outage notices
declare(
    "outage.planned_notice_days",
    7,
    ("计划停电提前通知(天)", "Planned outage notice (days ahead)"),
    ("计划停电须提前这么多天通知", "A planned outage must be notified this many days ahead"),
    group="outages",
    low=0,
    high=60,
)
declare(
    "outage.temporary_notice_hours",
    24,
    ("临时停电提前通知(小时)", "Temporary outage notice (hours ahead)"),
    ("临时停电须提前这么多小时通知", "A temporary outage must be notified this many hours ahead"),
    group="outages",
    low=0,
    high=240,
)
declare(
    "outage.repair_arrival_minutes",
    {"urban": 45, "rural": 90, "remote": 120},
    ("抢修到达时限(分钟)", "Repair crew arrival (minutes)"),
    (
        "故障停电通知上印的抢修承诺:抢修人员到达现场的分钟数(城区 / 农村 / 边远地区)",
        "Repair commitment printed on fault-outage notices: minutes until the crew arrives "
        "(urban / rural / remote)",
    ),
    group="outages",
    low=1,
    high=1_440,
    items={
        "urban": ("城区", "Urban"),
        "rural": ("农村", "Rural"),
        "remote": ("边远地区", "Remote"),
    },
)
declare(
    "outage.delivery_min_days",
    3,
    ("计划停电通知最迟送达(天)", "Planned outage notice delivered at least (days)"),
    (
        "计划停电通知送达时距停电不足这么多天的,除非客户经理确认迟送,否则不予登记",
        "A planned outage's notice delivered less than this many days before it is refused "
        "unless the manager confirms it was late",
    ),
    group="outages",
    low=0,
    high=60,
)
declare(
    "outage.remind_minutes",
    30,
    ("停电前提醒(分钟)", "Remind before the outage (minutes)"),
    ("停电前这么多分钟提醒客户", "Remind customers this many minutes before the outage"),
    group="outages",
    low=0,
    high=1_440,
)
# --- pyramid classification and consumption
declare(
    "pyramid.basis",
    "consumption",
    ("金字塔分级依据", "Pyramid classification by"),
    (
        "按最近 12 个月的用电量(千瓦时)、电费收入或利润(元)分级",
        "Classify by the last 12 months' 'consumption' (kWh), 'revenue' or 'profit' (yuan)",
    ),
    group="economics",
    choices={
        "consumption": ("用电量", "Consumption"),
        "revenue": ("电费收入", "Revenue"),
        "profit": ("利润", "Profit"),
    },
)
declare(
    "pyramid.cost_per_kwh",
    0.45,
    ("平均购电及输配成本(元/千瓦时)", "Average cost per kWh (yuan)"),
    (
        "每千瓦时平均购电及输配成本(元):利润 = 电费收入 − 电量 × 此值",
        "Average purchase and grid cost per kWh (yuan): profit = revenue - kWh x this",
    ),
    group="economics",
    low=0,
    high=10,
)
declare(
    "pyramid.reevaluate_months",
    12,
    ("重新分级提醒(月)", "Re-evaluate the pyramid after (months)"),
    ("距上次分级这么多个月后提醒重新分级", "Remind to re-evaluate the pyramid after N months"),
    group="economics",
    low=1,
    high=60,
)
declare(
    "pyramid.cumulative_cutoffs",
    [0.5, 0.8, 0.95],
    ("A/B/C 类累计占比分界", "A/B/C cumulative-share cut-offs"),
    (
        "A、B、C 类的累计占比分界(依次递增,0–1);其余为 D 类",
        "Cumulative-share cut-offs for A/B/C (rising, 0–1); the rest is D",
    ),
    group="economics",
    low=0.01,
    high=1,
)
declare(
    "history.sharp_change",
    0.3,
    ("电量大幅变化比例", "Sharp change in consumption (share)"),
    (
        "首页列出最近 3 个月电量同比变化超过此比例的客户",
        "首页 lists customers whose last 3 months' kWh changed more than this share year on year",
    ),
    group="economics",
    low=0.01,
    high=10,
)
declare(
    "billing.basic_charge",
    dict(DEFAULT_BASIC_CHARGE),
    ("基本电费", "Basic charge"),
    (
        "基本电费:容量电价 元/kVA·月,需量电价 元/kW·月,核定需量下限(占容量比例),"
        "超需量容差(超出部分按加价倍数计收),核定需量取整步长 kW",
        "Basic charge: capacity_price 元/kVA·月, demand_price 元/kW·月, demand_floor_share "
        "(declared demand at least this share of capacity), demand_tolerance (excess above it "
        "billed excess_factor times), declared_step_kw",
    ),
    group="economics",
    low=0,
    high=10_000,
    items={
        "capacity_price": ("容量电价(元/kVA·月)", "Capacity price (yuan/kVA·month)"),
        "demand_price": ("需量电价(元/kW·月)", "Demand price (yuan/kW·month)"),
        "demand_floor_share": ("核定需量下限(占容量)", "Declared demand floor (share of capacity)"),
        "demand_tolerance": ("超需量容差", "Demand tolerance"),
        "excess_factor": ("超需量加价倍数", "Excess demand factor"),
        "declared_step_kw": ("核定需量步长(kW)", "Declared demand step (kW)"),
    },
)
declare(
    "billing.capacity_advice",
    dict(DEFAULT_CAPACITY_ADVICE),
    ("减容/暂停/增容建议", "Capacity advice"),
    (
        "减容、暂停、增容建议的负荷率门槛,以及需要的历史月数",
        "Load-rate thresholds of the 减容/暂停/增容 advice and the months of history it needs",
    ),
    group="economics",
    low=0,
    high=120,
    items={
        "min_months": ("至少需要的月数", "Months of history needed"),
        "reduce_below_load_rate": ("负荷率低于此值建议减容", "Advise a reduction below load rate"),
        "reduce_target_load_rate": ("减容后目标负荷率", "Target load rate after a reduction"),
        "suspend_below_load_rate": (
            "负荷率低于此值建议暂停",
            "Advise a suspension below load rate",
        ),
        "expand_from_load_rate": ("负荷率达到此值建议增容", "Advise an increase from load rate"),
    },
)
# --- credit and arrears
declare(
    "credit.score",
    dict(DEFAULT_CREDIT_SCORE),
    ("信用评分规则", "Credit score rules"),
    (
        "信用评分:起始分,以及每项指标的扣分(和扣分上限)",
        "Credit score: start points and the deduction (and cap) per indicator",
    ),
    group="credit",
    low=-100,
    high=1_000,
    items={
        "start": ("起始分", "Start points"),
        "recovery_per_pct": ("电费回收率每低 1%扣分", "Per % of recovery rate missing"),
        "recovery_cap": ("回收率扣分上限", "Recovery deduction cap"),
        "on_time_per_pct": ("按时缴费率每低 1%扣分", "Per % of on-time payment missing"),
        "on_time_cap": ("按时缴费扣分上限", "On-time deduction cap"),
        "overdue_per_count": ("每次逾期扣分", "Per overdue payment"),
        "overdue_count_cap": ("逾期次数扣分上限", "Overdue count cap"),
        "overdue_per_day": ("每逾期 1 天扣分", "Per overdue day"),
        "overdue_days_cap": ("逾期天数扣分上限", "Overdue days cap"),
        "violation_each": ("每次违约用电扣分", "Per violation"),
        "violation_cap": ("违约用电扣分上限", "Violation cap"),
        "high_energy": ("高耗能行业扣分", "High-energy industry"),
        "operating_trouble": ("经营困难扣分", "Operating trouble"),
        "decline_below": ("电量下降门槛(同比)", "Consumption decline below (year on year)"),
        "decline": ("电量下降扣分", "Consumption decline"),
    },
)
declare(
    "credit.ratings",
    dict(DEFAULT_CREDIT_RATINGS),
    ("信用等级最低分", "Lowest score per credit rating"),
    ("各信用等级的最低分(低于 B 为 C)", "Lowest score of each credit rating (else C)"),
    group="credit",
    low=0,
    high=1_000,
)
declare(
    "arrears.risk",
    dict(DEFAULT_ARREARS_RISK),
    ("欠费风险门槛", "Arrears risk thresholds"),
    (
        "欠费风险:达到这些逾期天数或金额(元)即为高 / 中风险",
        "Arrears risk: high/medium from these overdue days or amounts (yuan)",
    ),
    group="credit",
    low=0,
    high=100_000_000,
    items={
        "high_days": ("高风险逾期天数", "High risk from overdue days"),
        "high_amount": ("高风险欠费金额(元)", "High risk from amount (yuan)"),
        "medium_days": ("中风险逾期天数", "Medium risk from overdue days"),
        "medium_amount": ("中风险欠费金额(元)", "Medium risk from amount (yuan)"),
    },
)
declare(
    "arrears.pay_within_days",
    10,
    ("催缴通知缴费期限(天)", "Payment reminder: pay within (days)"),
    ("电费催缴通知单要求在这么多天内缴清", "A payment reminder asks for payment within N days"),
    group="credit",
    low=1,
    high=90,
)
declare(
    "arrears.suspension_notice_days",
    7,
    ("欠费停电提前书面通知(天)", "Notice before suspending for arrears (days)"),
    (
        "因欠费停电前须提前这么多天书面通知(本省规定)",
        "Written notice given this many days before supply is suspended for arrears (provincial)",
    ),
    group="credit",
    low=1,
    high=60,
)
# --- working-day calendar
declare(
    "calendar.holidays",
    list(DEFAULT_HOLIDAYS_2026),
    ("法定节假日", "Public holidays"),
    (
        "不算工作日的法定节假日(YYYY-MM-DD)",
        "Public holidays (YYYY-MM-DD) that are not working days",
    ),
    group="calendar",
)
declare(
    "calendar.extra_workdays",
    list(DEFAULT_EXTRA_WORKDAYS_2026),
    ("调休上班的周末", "Weekend working days (调休)"),
    ("调休上班、算作工作日的周末", "Weekend days that are working days (调休)"),
    group="calendar",
)
declare(
    "calendar.official_years",
    [],
    ("已录入国务院通知的年份", "Years entered from the official notice"),
    (
        "管理员已按国务院放假通知录入上面日期的年份:这些年份以设置为准"
        "(其他年份用 resources/calendar 中随附的数据或估算)",
        "Years whose official notice the administrator entered above: their days replace the "
        "bundled data (other years: bundled files in resources/calendar, or an estimate)",
    ),
    group="calendar",
    low=2000,
    high=2100,
)
# --- user interface
declare(
    "ui.language",
    "zh_CN",
    ("界面语言", "User interface language"),
    ("界面语言:简体中文(默认)或英文", "UI language: zh_CN (default) or en"),
    group="language",
    choices={"zh_CN": ("简体中文", "简体中文"), "en": ("English", "English")},
)
declare(
    "ui.consumption_unit",
    "wan_kwh",
    ("用电量显示单位", "Consumption shown in"),
    (
        "界面上用电量的单位:万千瓦时或千瓦时",
        "Unit of consumption shown: 10,000 kWh (万千瓦时) or kWh",
    ),
    group="language",
    choices={"wan_kwh": ("万千瓦时", "10,000 kWh"), "kwh": ("千瓦时", "kWh")},
)
declare(
    "ui.stretch_strings",
    False,
    ("加长界面文字(检查布局)", "Stretch UI texts (layout check)"),
    (
        "把界面文字加长,检查更长的译文是否放得下(供翻译和测试)",
        "Pad UI strings to test layouts for longer translations",
    ),
    group="language",
)
declare(
    "ui.columns",
    {},
    ("隐藏的表格列", "Hidden table columns"),
    (
        "每个用户隐藏的表格列:{用户: {表格: [列名]}}",
        "Table columns each user hid: {user: {table: [column names]}}",
    ),
)
# --- security and backup
declare(
    "security.idle_lock_minutes",
    15,
    ("空闲多少分钟后锁定(0 = 从不)", "Lock after idle minutes (0 = never)"),
    ("空闲这么多分钟后锁定程序(0 = 从不)", "Lock the app after this many idle minutes (0 = never)"),
    group="security",
    low=0,
    high=480,
)
declare(
    "security.min_passphrase_length",
    8,
    ("口令最短长度", "Shortest passphrase"),
    ("新建数据密钥时接受的最短口令长度", "Shortest passphrase accepted for a new store key"),
    group="security",
    low=8,
    high=128,
)
declare(
    "security.attachment_max_mb",
    20,
    ("附件大小上限(MB)", "Largest attachment (MB)"),
    ("可接受的最大附件,单位 MB", "Largest attachment accepted, in MB"),
    group="security",
    low=1,
    high=500,
)
declare(
    "backup.keep",
    10,
    ("保留的备份份数", "Backups kept"),
    ("本机数据滚动备份保留的份数", "How many rotating backups of the local store to keep"),
    group="security",
    low=1,
    high=100,
)
declare(
    "backup.interval_hours",
    24,
    ("自动备份间隔(小时)", "Automatic backup every (hours)"),
    (
        "启动或退出时,若上次备份早于这么多小时,则自动备份",
        "Take an automatic backup on start/exit if the last is older",
    ),
    group="security",
    low=1,
    high=24 * 30,
)
