"""One declaration per customer-profile field: labels, unit, spreadsheet aliases, export column.

Import, export and the editor's labels read this table, so a field is named, converted and
recognised the same way everywhere. Each field says:

* ``key``: the attribute of the record and of the editor's form;
* ``zh``/``en``: the label; the export column is the Chinese label with the unit, e.g.
  ``年用电量(kWh)``, and an export imports back through the same table;
* ``kind``: how a cell is read (text, code of an enumeration, number, whole number, rate,
  date, yes/no, a phone that may be mobile or landline, a park/grid/manager by name);
* ``unit``: the unit the value is stored in; a unit in a sheet's header or cell is converted
  (``年用电量(万千瓦时)`` multiplies by 10 000);
* ``aliases``: other header spellings seen in utilities' sheets;
* ``values``: short forms utilities write for an enumeration (``大工业``, ``一级``, ``AAA级``).

Pure data and pure functions: no Qt, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from keyacct_desktop.domain.enums import (
    ContactRole,
    CreditRating,
    ImportantGrade,
    Industry,
    LabelledEnum,
    LineType,
    LoadGrade,
    MeteringMethod,
    PoolStatus,
    PyramidClass,
    SourceRole,
    TariffCategory,
)

#: Sheets of an export workbook, in order; an import reads the ones it finds.
CUSTOMER_SHEET = "客户"
CONTACT_SHEET = "联系人"
SOURCE_SHEET = "电源"

KINDS = ("text", "account", "code", "number", "int", "rate", "date", "bool", "phone", "ref")


@dataclass(frozen=True)
class CustomerField:
    """A profile field as the app names, converts and recognises it."""

    key: str
    zh: str
    en: str
    kind: str = "text"
    unit: str = ""
    aliases: tuple[str, ...] = ()
    enum: type[LabelledEnum] | None = None
    values: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    export: bool = True  # written by an export (inline contact columns are import-only)
    required: bool = False
    percent_of_one: bool = False  # a 0–1 rate: 98.5 in a column without "%" means 98.5 %

    @property
    def column(self) -> str:
        """The export column header: the Chinese label with the stored unit."""
        if self.kind == "rate":
            return self.zh
        return f"{self.zh}({self.unit})" if self.unit else self.zh

    def label(self, language: str = "zh") -> str:
        return self.en if language.startswith("en") else self.zh


# ----------------------------------------------------------------------- value aliases

TARIFF_VALUES = {
    "大工业": "large_industry",
    "大工业用电": "large_industry",
    "两部制": "large_industry",
    "大工业两部制": "large_industry",
    "一般工商业": "commercial",
    "一般工商业用电": "commercial",
    "一般工商业及其他": "commercial",
    "工商业": "commercial",
    "普通工业": "commercial",
    "非普工业": "commercial",
    "商业": "commercial",
    "商业用电": "commercial",
    "非居民照明": "commercial",
    "农业": "agriculture",
    "农业生产": "agriculture",
    "农业用电": "agriculture",
    "农业排灌": "agriculture",
    "居民": "residential",
    "居民生活": "residential",
    "居民用电": "residential",
    "城镇居民": "residential",
    "乡村居民": "residential",
}
IMPORTANT_VALUES = {
    "特级": "special",
    "特级重要用户": "special",
    "特级重要客户": "special",
    "一级": "first",
    "一级重要用户": "first",
    "一级重要客户": "first",
    "二级": "second",
    "二级重要用户": "second",
    "二级重要客户": "second",
    "临时": "temporary",
    "临时性": "temporary",
    "临时重要用户": "temporary",
    "临时性重要用户": "temporary",
}
CREDIT_VALUES = {
    "AAA级": "AAA",
    "3A": "AAA",
    "3A级": "AAA",
    "AA级": "AA",
    "2A": "AA",
    "2A级": "AA",
    "A级": "A",
    "B级": "B",
    "C级": "C",
}
LOAD_VALUES = {
    "一级": "first",
    "一类": "first",
    "一类负荷": "first",
    "二级": "second",
    "二类": "second",
    "二类负荷": "second",
    "三级": "third",
    "三类": "third",
    "三类负荷": "third",
    "特别重要": "first_special",
    "一级中特别重要": "first_special",
    "一级负荷中特别重要": "first_special",
    "一级负荷中特别重要的负荷": "first_special",
}
METERING_VALUES = {
    "高压侧计量": "hv_hv",
    "高计": "hv_hv",
    "低压侧计量": "hv_lv",
    "低计": "hv_lv",
}
POOL_VALUES = {
    "入池": "pooled",
    "在池": "pooled",
    "是": "pooled",
    "否": "prospect",  # 是否入池 = 否: not in the pool (not "no value", which means pooled)
    "未入池": "prospect",
    "潜在": "prospect",
    "储备": "prospect",
    "储备客户": "prospect",
    "待评估": "evaluating",
    "评估": "evaluating",
    "出池": "exited",
    "退出": "exited",
}
ROLE_VALUES = {
    "电气": "electrical",
    "电气联系人": "electrical",
    "电工": "electrical",
    "设备负责人": "electrical",
    "财务": "finance",
    "财务联系人": "finance",
    "法人": "legal",
    "法人代表": "legal",
    "法定代表人": "legal",
    "联系人": "general",
    "业务": "general",
    "一般": "general",
    "其他": "general",
}
SOURCE_ROLE_VALUES = {
    "主": "main",
    "主用": "main",
    "常用": "main",
    "主供电源": "main",
    "备": "backup",
    "备用": "backup",
    "备供电源": "backup",
}
LINE_TYPE_VALUES = {"架空线": "overhead", "架空线路": "overhead", "电缆线路": "cable"}
PYRAMID_VALUES = {f"{c}类": c for c in "ABCD"}
INDUSTRY_VALUES = {
    "农林牧渔": "A",
    "农林牧渔业": "A",
    "采矿": "B",
    "制造": "C",
    "电力热力燃气水": "D",
    "电力热力燃气及水生产和供应业": "D",
    "建筑": "E",
    "批发零售": "F",
    "批发零售业": "F",
    "交通运输仓储邮政": "G",
    "交通运输": "G",
    "住宿餐饮": "H",
    "信息技术服务": "I",
    "信息技术": "I",
    "金融": "J",
    "房地产": "K",
    "租赁商务": "L",
    "科研技术": "M",
    "水利环境公共设施": "N",
    "居民服务修理": "O",
    "卫生社会工作": "Q",
    "文化体育娱乐": "R",
    "公共管理社会组织": "S",
}
#: The divisions (大类, two-digit codes 01–97) of GB/T 4754-2017 by section (门类): rosters
#: often name the division ("化学原料和化学制品制造业", "26", "C2614"), the profile keeps the
#: section and, when its own column is empty, the division's name as the detail. Names are
#: written without the 、 and commas the standard puts in them (cells are compared that way).
INDUSTRY_DIVISIONS: dict[str, tuple[str, ...]] = {
    section: tuple(names.split())
    for section, names in {
        "A": "农业 林业 畜牧业 渔业 农林牧渔专业及辅助性活动",
        "B": "煤炭开采和洗选业 石油和天然气开采业 黑色金属矿采选业 有色金属矿采选业 非金属矿采选业 开采专业及辅助性活动 其他采矿业",
        "C": "农副食品加工业 食品制造业 酒饮料和精制茶制造业 烟草制品业 纺织业 纺织服装服饰业 皮革毛皮羽毛及其制品和制鞋业 木材加工和木竹藤棕草制品业 家具制造业 造纸和纸制品业 印刷和记录媒介复制业 文教工美体育和娱乐用品制造业 石油煤炭及其他燃料加工业 化学原料和化学制品制造业 医药制造业 化学纤维制造业 橡胶和塑料制品业 非金属矿物制品业 黑色金属冶炼和压延加工业 有色金属冶炼和压延加工业 金属制品业 通用设备制造业 专用设备制造业 汽车制造业 铁路船舶航空航天和其他运输设备制造业 电气机械和器材制造业 计算机通信和其他电子设备制造业 仪器仪表制造业 其他制造业 废弃资源综合利用业 金属制品机械和设备修理业",
        "D": "电力热力生产和供应业 燃气生产和供应业 水的生产和供应业",
        "E": "房屋建筑业 土木工程建筑业 建筑安装业 建筑装饰装修和其他建筑业",
        "F": "批发业 零售业",
        "G": "铁路运输业 道路运输业 水上运输业 航空运输业 管道运输业 多式联运和运输代理业 装卸搬运和仓储业 邮政业",
        "H": "住宿业 餐饮业",
        "I": "电信广播电视和卫星传输服务 互联网和相关服务 软件和信息技术服务业",
        "J": "货币金融服务 资本市场服务 保险业 其他金融业",
        "K": "房地产业",
        "L": "租赁业 商务服务业",
        "M": "研究和试验发展 专业技术服务业 科技推广和应用服务业",
        "N": "水利管理业 生态保护和环境治理业 公共设施管理业 土地管理业",
        "O": "居民服务业 机动车电子产品和日用产品修理业 其他服务业",
        "P": "教育",
        "Q": "卫生 社会工作",
        "R": "新闻和出版业 广播电视电影和录音制作业 文化艺术业 体育 娱乐业",
        "S": "中国共产党机关 国家机构 人民政协民主党派 社会保障 群众团体社会团体和其他成员组织 基层群众自治组织及其他组织",
        "T": "国际组织",
    }.items()
}
#: The first and last division number of each section.
INDUSTRY_DIVISION_RANGES = (
    ("A", 1, 5),
    ("B", 6, 12),
    ("C", 13, 43),
    ("D", 44, 46),
    ("E", 47, 50),
    ("F", 51, 52),
    ("G", 53, 60),
    ("H", 61, 62),
    ("I", 63, 65),
    ("J", 66, 69),
    ("K", 70, 70),
    ("L", 71, 72),
    ("M", 73, 75),
    ("N", 76, 79),
    ("O", 80, 82),
    ("P", 83, 83),
    ("Q", 84, 85),
    ("R", 86, 90),
    ("S", 91, 96),
    ("T", 97, 97),
)
#: Cells that mean "no value" in a coded column (不是重要用户, no grade).
NONE_VALUES = frozenset({"无", "否", "-", "—", "/", "非重要用户", "非重要客户", "一般用户", "不是"})
TRUE_VALUES = frozenset({"是", "有", "y", "yes", "true", "√", "1", "✓"})
FALSE_VALUES = frozenset({"否", "无", "n", "no", "false", "×", "0", "-", "—"})

# ----------------------------------------------------------------------- the fields

CUSTOMER_FIELDS: tuple[CustomerField, ...] = (
    CustomerField(
        "account_no",
        "户号",
        "Account no.",
        "account",
        aliases=("用户编号", "客户编号", "用电户号", "户号编码", "用户号", "客户号"),
        required=True,
    ),
    CustomerField(
        "name",
        "客户名称",
        "Name",
        aliases=("户名", "用户名称", "单位名称", "名称", "客户名", "企业名称"),
        required=True,
    ),
    CustomerField(
        "uscc",
        "统一社会信用代码",
        "USCC",
        aliases=("社会信用代码", "信用代码", "统一信用代码"),
    ),
    CustomerField("address", "用电地址", "Address", aliases=("地址", "用户地址", "客户地址")),
    CustomerField("park", "园区", "Park", "ref", aliases=("所属园区", "工业园区", "园区名称")),
    CustomerField("grid", "网格", "Grid", "ref", aliases=("所属网格", "网格名称")),
    CustomerField(
        "manager",
        "客户经理",
        "Manager",
        "ref",
        aliases=("经理", "责任经理", "所属经理", "大客户经理", "客户经理姓名"),
    ),
    CustomerField(
        "industry",
        "行业",
        "Industry",
        "code",
        aliases=("行业分类", "行业门类", "所属行业", "行业类别"),
        enum=Industry,
        values=INDUSTRY_VALUES,
    ),
    CustomerField(
        "industry_detail", "主要产品", "Products", aliases=("产品", "行业明细", "细分行业")
    ),
    CustomerField(
        "voltage_kv",
        "电压等级",
        "Voltage",
        "number",
        "kV",
        aliases=("供电电压", "电压", "供电电压等级"),
    ),
    CustomerField(
        "capacity_kva",
        "合同容量",
        "Contracted capacity",
        "number",
        "kVA",
        aliases=("容量", "运行容量", "用电容量", "报装容量", "受电容量"),
    ),
    CustomerField(
        "annual_kwh",
        "年用电量",
        "Annual consumption",
        "number",
        "kWh",
        aliases=("年电量", "全年用电量", "上年用电量", "年度用电量"),
    ),
    CustomerField(
        "annual_profit_yuan",
        "利润贡献",
        "Profit contribution",
        "number",
        "元",
        aliases=("年利润贡献", "年电费利润", "利润"),
    ),
    CustomerField(
        "tariff",
        "电价类别",
        "Tariff",
        "code",
        aliases=("用电类别", "电价", "电价分类", "用电分类"),
        enum=TariffCategory,
        values=TARIFF_VALUES,
    ),
    CustomerField(
        "metering",
        "计量方式",
        "Metering",
        "code",
        enum=MeteringMethod,
        values=METERING_VALUES,
    ),
    CustomerField(
        "important_grade",
        "重要客户等级",
        "Important-customer grade",
        "code",
        aliases=("重要用户等级", "重要电力用户等级", "重要等级", "重要用户"),
        enum=ImportantGrade,
        values=IMPORTANT_VALUES,
    ),
    CustomerField(
        "load_grade",
        "负荷等级",
        "Load grade",
        "code",
        aliases=("负荷级别", "负荷分级", "负荷性质"),
        enum=LoadGrade,
        values=LOAD_VALUES,
    ),
    CustomerField(
        "emergency_power",
        "自备应急电源",
        "Emergency power",
        aliases=("应急电源", "自备电源", "自备应急电源配置"),
    ),
    CustomerField(
        "emergency_power_kw",
        "应急电源容量",
        "Emergency power capacity",
        "number",
        "kW",
        aliases=("自备电源容量", "应急电源功率"),
    ),
    CustomerField(
        "credit_rating",
        "信用等级",
        "Credit rating",
        "code",
        aliases=("信用评级", "客户信用等级"),
        enum=CreditRating,
        values=CREDIT_VALUES,
    ),
    CustomerField(
        "recovery_rate",
        "电费回收率",
        "Recovery rate",
        "rate",
        aliases=("回收率",),
        percent_of_one=True,
    ),
    CustomerField(
        "on_time_rate",
        "缴费准时率",
        "On-time payment rate",
        "rate",
        aliases=("准时率", "按时缴费率", "准时缴费率"),
        percent_of_one=True,
    ),
    CustomerField(
        "overdue_count",
        "逾期次数",
        "Overdue count",
        "int",
        aliases=("欠费次数", "近12个月逾期次数", "逾期缴费次数"),
    ),
    CustomerField(
        "overdue_days_max",
        "最长逾期天数",
        "Longest overdue (days)",
        "int",
        aliases=("最长欠费天数", "逾期天数", "欠费天数"),
    ),
    CustomerField(
        "violation_count",
        "窃电违章次数",
        "Theft/violation count",
        "int",
        aliases=("窃电/违章次数", "违章用电次数", "窃电违约次数", "窃电/违章"),
    ),
    CustomerField(
        "high_energy",
        "高耗能",
        "High-energy industry",
        "bool",
        aliases=("高耗能行业", "是否高耗能"),
    ),
    CustomerField(
        "consumption_growth",
        "用电增长率",
        "Consumption growth",
        "rate",
        aliases=("电量增长率", "同比增长", "用电量同比"),
    ),
    CustomerField(
        "operating_trouble",
        "经营异常",
        "Operating trouble",
        "bool",
        aliases=("经营困难", "是否经营异常"),
    ),
    CustomerField(
        "risk_updated_on",
        "信用指标更新日期",
        "Indicators updated on",
        "date",
        aliases=("指标更新日期", "信用更新日期", "信用指标日期"),
    ),
    CustomerField(
        "pool_status",
        "入池状态",
        "Pool status",
        "code",
        aliases=("是否入池", "入池"),
        enum=PoolStatus,
        values=POOL_VALUES,
    ),
    CustomerField("pooled_on", "入池日期", "Pooled on", "date", aliases=("入池时间",)),
    CustomerField(
        "pool_note", "入池评估意见", "Evaluation notes", aliases=("评估意见", "入池评估")
    ),
    CustomerField("lead_source", "客户来源", "Lead source", aliases=("来源", "线索来源")),
    CustomerField(
        "pyramid_class",
        "分级",
        "Class",
        "code",
        aliases=("客户分级", "金字塔分级", "计算分级"),
        enum=PyramidClass,
        values=PYRAMID_VALUES,
    ),
    CustomerField(
        "pyramid_override",
        "人工分级",
        "Class set by hand",
        "code",
        aliases=("人工调整分级",),
        enum=PyramidClass,
        values=PYRAMID_VALUES,
    ),
    CustomerField(
        "pyramid_override_reason",
        "人工分级理由",
        "Reason for the class set by hand",
        aliases=("分级调整理由",),
    ),
    CustomerField("notes", "备注", "Notes", aliases=("说明",)),
    # the one contact most rosters carry on the customer's own row (import only)
    CustomerField(
        "contact_name",
        "联系人",
        "Contact",
        aliases=("联系人姓名", "客户联系人"),
        export=False,
    ),
    CustomerField(
        "contact_phone",
        "联系电话",
        "Phone",
        "phone",
        aliases=("电话", "联系方式", "联系人电话"),
        export=False,
    ),
    CustomerField(
        "contact_mobile",
        "手机",
        "Mobile",
        "phone",
        aliases=("手机号", "移动电话", "手机号码", "联系人手机"),
        export=False,
    ),
    CustomerField(
        "contact_landline",
        "固定电话",
        "Landline",
        "phone",
        aliases=("座机", "办公电话"),
        export=False,
    ),
)

CONTACT_FIELDS: tuple[CustomerField, ...] = (
    CustomerField("account_no", "户号", "Account no.", "account", aliases=("用户编号", "客户编号")),
    CustomerField("name", "姓名", "Name", aliases=("联系人", "联系人姓名"), required=True),
    CustomerField(
        "role",
        "角色",
        "Role",
        "code",
        aliases=("联系人类型", "类型", "联系人角色"),
        enum=ContactRole,
        values=ROLE_VALUES,
    ),
    CustomerField("title", "职务", "Title", aliases=("职位",)),
    CustomerField("mobile", "手机", "Mobile", "phone", aliases=("手机号", "移动电话", "手机号码")),
    CustomerField("landline", "固定电话", "Landline", "phone", aliases=("座机", "办公电话")),
    CustomerField(
        "phone", "联系电话", "Phone", "phone", aliases=("电话", "联系方式"), export=False
    ),
    CustomerField("email", "电子邮箱", "Email", aliases=("邮箱", "Email", "电子邮件")),
    CustomerField(
        "last_verified",
        "核实日期",
        "Last verified",
        "date",
        aliases=("最近核实日期", "最后核实日期", "号码核实日期", "上次核实"),
    ),
    CustomerField(
        "is_primary",
        "主要联系人",
        "Primary contact",
        "bool",
        aliases=("是否主要联系人", "首要联系人", "主联系人"),
    ),
)

SOURCE_FIELDS: tuple[CustomerField, ...] = (
    CustomerField("account_no", "户号", "Account no.", "account", aliases=("用户编号", "客户编号")),
    CustomerField("source_no", "电源编号", "Source no.", "int", aliases=("电源序号", "电源号")),
    CustomerField(
        "role",
        "主备",
        "Main/backup",
        "code",
        aliases=("主供/备供", "电源性质", "电源类型"),
        enum=SourceRole,
        values=SOURCE_ROLE_VALUES,
    ),
    CustomerField("voltage_kv", "电压等级", "Voltage", "number", "kV", aliases=("电压",)),
    CustomerField(
        "capacity_kva", "容量", "Capacity", "number", "kVA", aliases=("电源容量", "供电容量")
    ),
    CustomerField(
        "substation", "变电站", "Substation", aliases=("电源变电站", "电源点"), required=True
    ),
    CustomerField("line", "线路", "Line", aliases=("供电线路", "线路名称"), required=True),
    CustomerField("bay", "间隔", "Bay", aliases=("出线间隔", "开关间隔")),
    CustomerField(
        "line_type",
        "线路类型",
        "Line type",
        "code",
        aliases=("架空/电缆", "线路性质"),
        enum=LineType,
        values=LINE_TYPE_VALUES,
    ),
)

SHEET_FIELDS: dict[str, tuple[CustomerField, ...]] = {
    CUSTOMER_SHEET: CUSTOMER_FIELDS,
    CONTACT_SHEET: CONTACT_FIELDS,
    SOURCE_SHEET: SOURCE_FIELDS,
}
FIELD_BY_KEY: dict[str, CustomerField] = {f.key: f for f in CUSTOMER_FIELDS}


def field_label(key: str, language: str = "zh") -> str:
    """The label of a customer field by key (the key itself when it is not declared)."""
    spec = FIELD_BY_KEY.get(key)
    return spec.label(language) if spec else key


#: The free and coded text fields of a profile, stored stripped (empty as NULL) by both the
#: profile editor's save and a roster import.
CUSTOMER_TEXT_FIELDS = (
    "address",
    "industry",
    "industry_detail",
    "tariff",
    "metering",
    "important_grade",
    "load_grade",
    "credit_rating",
    "emergency_power",
    "pool_note",
    "lead_source",
    "notes",
)

#: The numeric, flag and risk values of a profile, copied as they are by both the profile
#: editor's save and a roster import (names, codes and references differ between the two).
CUSTOMER_VALUE_FIELDS = (
    "voltage_kv",
    "capacity_kva",
    "annual_kwh",
    "annual_profit_yuan",
    "emergency_power_kw",
    "recovery_rate",
    "on_time_rate",
    "overdue_count",
    "overdue_days_max",
    "violation_count",
    "high_energy",
    "consumption_growth",
    "operating_trouble",
    "risk_updated_on",
)
