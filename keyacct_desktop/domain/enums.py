"""Enumerations of the domain with their official Chinese terms and English glosses.

Values are stable codes stored in the database and sent over sync; ``zh``/``en`` are labels.
The GUI picks the label for the current language via :func:`label`.
"""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A string enum whose members carry a Chinese and an English label."""

    zh: str
    en: str

    def __new__(cls, value: str, zh: str = "", en: str = "") -> LabelledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member.zh = zh
        member.en = en
        return member

    @classmethod
    def from_label(cls, text: str) -> LabelledEnum:
        """Find a member by code, Chinese or English label (for imports of real spreadsheets)."""
        needle = (text or "").strip()
        for member in cls:
            if (
                needle in (member.value, member.zh, member.en)
                or needle.lower() == member.en.lower()
            ):
                return member
        raise ValueError(needle)


def label(member: LabelledEnum | None, language: str = "zh") -> str:
    if member is None:
        return ""
    return member.en if language.startswith("en") else member.zh


class Industry(LabelledEnum):
    """GB/T 4754-2017 sections."""

    A = "A", "农、林、牧、渔业", "Agriculture, forestry, animal husbandry, fishery"
    B = "B", "采矿业", "Mining"
    C = "C", "制造业", "Manufacturing"
    D = "D", "电力、热力、燃气及水生产和供应业", "Electricity, heat, gas and water supply"
    E = "E", "建筑业", "Construction"
    F = "F", "批发和零售业", "Wholesale and retail"
    G = "G", "交通运输、仓储和邮政业", "Transport, storage and post"
    H = "H", "住宿和餐饮业", "Accommodation and catering"
    I = "I", "信息传输、软件和信息技术服务业", "Information technology services"  # noqa: E741
    J = "J", "金融业", "Finance"
    K = "K", "房地产业", "Real estate"
    L = "L", "租赁和商务服务业", "Leasing and business services"
    M = "M", "科学研究和技术服务业", "Scientific research and technical services"
    N = "N", "水利、环境和公共设施管理业", "Water, environment and public facilities"
    O = "O", "居民服务、修理和其他服务业", "Resident services and repair"  # noqa: E741
    P = "P", "教育", "Education"
    Q = "Q", "卫生和社会工作", "Health and social work"
    R = "R", "文化、体育和娱乐业", "Culture, sports and entertainment"
    S = "S", "公共管理、社会保障和社会组织", "Public administration and social organisations"
    T = "T", "国际组织", "International organisations"


#: Supply voltage levels (kV) the app knows; others are refused with a clear message.
VOLTAGE_LEVELS_KV: tuple[float, ...] = (0.22, 0.4, 6, 10, 20, 35, 66, 110, 220, 330, 500)


def voltage_label(kv: float | None) -> str:
    if kv is None:
        return ""
    return f"{kv:g} kV"


class TariffCategory(LabelledEnum):
    LARGE_INDUSTRY = "large_industry", "大工业用电(两部制)", "Large industry (two-part)"
    COMMERCIAL = "commercial", "一般工商业用电", "General industry and commerce"
    AGRICULTURE = "agriculture", "农业生产用电", "Agricultural production"
    RESIDENTIAL = "residential", "居民生活用电", "Residential"


class MeteringMethod(LabelledEnum):
    HV_HV = "hv_hv", "高供高计", "HV supply, HV metering"
    HV_LV = "hv_lv", "高供低计", "HV supply, LV metering"
    LV_LV = "lv_lv", "低供低计", "LV supply, LV metering"


class PyramidClass(LabelledEnum):
    A = "A", "A 类(VIP)", "A (VIP)"
    B = "B", "B 类(重要)", "B (major)"
    C = "C", "C 类(普通)", "C (ordinary)"
    D = "D", "D 类(小微)", "D (small)"


class ImportantGrade(LabelledEnum):
    SPECIAL = "special", "特级重要电力用户", "Special-grade important user"
    FIRST = "first", "一级重要电力用户", "First-grade important user"
    SECOND = "second", "二级重要电力用户", "Second-grade important user"
    TEMPORARY = "temporary", "临时性重要电力用户", "Temporary important user"


class LoadGrade(LabelledEnum):
    FIRST_SPECIAL = "first_special", "一级负荷中特别重要负荷", "Grade 1, especially important"
    FIRST = "first", "一级负荷", "Grade 1 load"
    SECOND = "second", "二级负荷", "Grade 2 load"
    THIRD = "third", "三级负荷", "Grade 3 load"


class CreditRating(LabelledEnum):
    AAA = "AAA", "AAA(信用极好)", "AAA (excellent)"
    AA = "AA", "AA(信用优良)", "AA (very good)"
    A = "A", "A(信用较好)", "A (good)"
    B = "B", "B(信用一般)", "B (fair)"
    C = "C", "C(信用较差)", "C (poor)"


class PoolStatus(LabelledEnum):
    PROSPECT = "prospect", "潜在客户", "Prospect"
    EVALUATING = "evaluating", "评估中", "Under evaluation"
    POOLED = "pooled", "已入池", "Pooled"
    EXITED = "exited", "已出池", "Left the pool"


class ContactRole(LabelledEnum):
    ELECTRICAL = "electrical", "电气负责人", "Electrical lead"
    FINANCE = "finance", "财务负责人", "Finance lead"
    LEGAL = "legal", "法定代表人", "Legal representative"
    GENERAL = "general", "业务联系人", "General contact"


class SourceRole(LabelledEnum):
    MAIN = "main", "主供", "Main"
    BACKUP = "backup", "备供", "Backup"


class LineType(LabelledEnum):
    OVERHEAD = "overhead", "架空", "Overhead"
    CABLE = "cable", "电缆", "Cable"


class SupportGroup(LabelledEnum):
    STRATEGY = "strategy", "战略支撑", "Strategy support"
    TECHNICAL = "technical", "技术支撑", "Technical support"
    SERVICE = "service", "服务支撑", "Service support"


class BackOfficeTeam(LabelledEnum):
    """The "N" of 1+N: the nine back-office teams a demand can be referred to."""

    DEVELOPMENT = "development", "发展部", "Development Dept."
    OPERATIONS = "operations", "运检部", "Operation & Maintenance Dept."
    MARKETING = "marketing", "营销部", "Marketing Dept."
    ICT = "ict", "信息通信", "Information & Communication"
    MONITORING = "monitoring", "业务监控", "Business Monitoring"
    METERING = "metering", "计量中心", "Metering Centre"
    BILLING = "billing", "电费管理中心", "Billing Centre"
    CONNECTION = "connection", "业扩报装中心", "Connection Centre"
    DISPATCH = "dispatch", "供电服务指挥中心", "Service Command Centre"

    @property
    def group(self) -> SupportGroup:
        return TEAM_GROUPS[self]


TEAM_GROUPS: dict[BackOfficeTeam, SupportGroup] = {
    BackOfficeTeam.DEVELOPMENT: SupportGroup.STRATEGY,
    BackOfficeTeam.OPERATIONS: SupportGroup.STRATEGY,
    BackOfficeTeam.MARKETING: SupportGroup.STRATEGY,
    BackOfficeTeam.ICT: SupportGroup.TECHNICAL,
    BackOfficeTeam.MONITORING: SupportGroup.TECHNICAL,
    BackOfficeTeam.METERING: SupportGroup.TECHNICAL,
    BackOfficeTeam.BILLING: SupportGroup.SERVICE,
    BackOfficeTeam.CONNECTION: SupportGroup.SERVICE,
    BackOfficeTeam.DISPATCH: SupportGroup.SERVICE,
}


class BusinessType(LabelledEnum):
    HV_NEW = "hv_new", "高压新装", "HV new connection"
    CAPACITY_INCREASE = "capacity_increase", "增容", "Capacity increase"
    CAPACITY_REDUCTION = "capacity_reduction", "减容", "Capacity reduction"
    REDUCTION_RESTORE = "reduction_restore", "减容恢复", "Capacity reduction restore"
    SUSPENSION = "suspension", "暂停", "Suspension"
    SUSPENSION_RESTORE = "suspension_restore", "暂停恢复", "Suspension restore"
    TEMP_SWAP = "temp_swap", "暂换", "Temporary transformer swap"
    RELOCATION = "relocation", "迁址", "Relocation"
    METER_MOVE = "meter_move", "移表", "Meter relocation"
    TEMP_REMOVAL = "temp_removal", "暂拆", "Temporary removal"
    RENAME = "rename", "更名", "Change of name"
    TRANSFER = "transfer", "过户", "Change of owner"
    SPLIT = "split", "分户", "Account split"
    MERGE = "merge", "并户", "Account merge"
    VOLTAGE_CHANGE = "voltage_change", "改压", "Voltage change"
    CLASS_CHANGE = "class_change", "改类", "Tariff class change"
    CLOSE = "close", "销户", "Account closure"
    TEMPORARY_SUPPLY = "temporary_supply", "临时用电", "Temporary supply"


class DemandType(LabelledEnum):
    """What a customer asks for on a visit; each becomes a referral."""

    CAPACITY_INCREASE = "capacity_increase", "增容", "Capacity increase"
    CAPACITY_REDUCTION = "capacity_reduction", "减容", "Capacity reduction"
    SUSPENSION = "suspension", "暂停", "Suspension"
    NEW_CONNECTION = "new_connection", "新装", "New connection"
    RETROFIT = "retrofit", "改造", "Retrofit"
    POWER_QUALITY = "power_quality", "电能质量", "Power quality"
    BILLING = "billing", "电费电价", "Billing and tariff"
    METERING = "metering", "计量", "Metering"
    OUTAGE = "outage", "停电", "Outage"
    COMPLAINT = "complaint", "投诉", "Complaint"
    OTHER = "other", "其他", "Other"


class ReferralState(LabelledEnum):
    OPEN = "open", "待处理", "Open"
    IN_PROGRESS = "in_progress", "处理中", "In progress"
    ANSWERED = "answered", "已答复", "Answered"
    CONFIRMED = "confirmed", "客户已确认", "Confirmed with customer"
    REJECTED = "rejected", "已退回", "Rejected"


class VisitStatus(LabelledEnum):
    DRAFT = "draft", "草稿", "Draft"
    COMPLETED = "completed", "已完成", "Completed"


class ReviewRating(LabelledEnum):
    """The business specialist's quality rating of a visit report (优/良/中/差)."""

    EXCELLENT = "excellent", "优", "Excellent"
    GOOD = "good", "良", "Good"
    FAIR = "fair", "中", "Fair"
    POOR = "poor", "差", "Poor"


class DocumentStatus(LabelledEnum):
    DRAFT = "draft", "草稿", "Draft"
    ISSUED = "issued", "已出具", "Issued"
    SUPERSEDED = "superseded", "已被新版本替代", "Superseded"


class OutageKind(LabelledEnum):
    PLANNED = "planned", "计划停电", "Planned outage"
    TEMPORARY = "temporary", "临时停电", "Temporary outage"
    FAULT = "fault", "故障停电", "Fault outage"


class UserRole(LabelledEnum):
    MANAGER = "manager", "客户经理", "Account manager"
    SUPERVISOR = "supervisor", "主管", "Supervisor"
    ADMIN = "admin", "管理员", "Administrator"
