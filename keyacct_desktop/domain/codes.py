"""Code formats: 统一社会信用代码 (GB 32100-2015) and Chinese phone numbers."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from keyacct_desktop.domain.errors import UserError

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
USCC_REGISTRATION_AUTHORITIES = frozenset("123456789ANY")
#: Position 2 (机构类别) allowed after each registration authority (GB 32100-2015, annex).
USCC_ORGANISATION_TYPES: dict[str, str] = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 群众团体, 其他
    "2": "19",  # 外交
    "3": "123459",  # 司法行政
    "4": "19",  # 文化
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游
    "7": "129",  # 宗教
    "8": "19",  # 工会
    "9": "123",  # 市场监管(工商): 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室
    "N": "1239",  # 农业: 组级、村级、乡镇级集体经济组织, 其他
    "Y": "1",  # 其他
}

MOBILE_RE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:(?:-|转|ext\.?|#)\d{1,6})?$")
SERVICE_NUMBER_RE = re.compile(r"^(?:[48]00-?\d{3}-?\d{4}|95598)$")


class CodeError(UserError, ValueError):
    """A code (USCC, phone number) is malformed; the message says exactly how."""


def uscc_check_char(first17: str) -> str:
    """Compute the GB 32100 check character for the first 17 characters."""
    if len(first17) != 17:
        raise CodeError("前 17 位长度不对", "need exactly 17 characters before the check character")
    total = 0
    for position, ch in enumerate(first17.upper()):
        if ch not in _USCC_VALUE:
            raise CodeError(
                f"第 {position + 1} 位“{ch}”不是统一社会信用代码允许的字符(不含 I、O、S、V、Z)",
                f"character {position + 1} {ch!r} is not allowed in a USCC (no I, O, S, V, Z)",
            )
        total += _USCC_VALUE[ch] * USCC_WEIGHTS[position]
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalize_uscc(value: str) -> str:
    """Strip blanks, turn full-width letters and digits (typed with a Chinese input method)
    into ASCII, and upper-case, the way codes are typed or pasted."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or "")).upper()


def validate_uscc(value: str) -> str:
    """Return the normalised code or raise :class:`CodeError` saying exactly what is wrong."""
    code = normalize_uscc(value)
    if len(code) != 18:
        raise CodeError(
            f"统一社会信用代码应为 18 位,当前为 {len(code)} 位",
            f"a USCC has 18 characters, this one has {len(code)}",
        )
    if code[0] not in USCC_REGISTRATION_AUTHORITIES:
        raise CodeError(
            f"第 1 位登记管理部门代码“{code[0]}”无效(应为 1–9、A、N、Y)",
            f"registration authority code {code[0]!r} is invalid (1–9, A, N, Y)",
        )
    allowed = USCC_ORGANISATION_TYPES[code[0]]
    if code[1] not in allowed:
        raise CodeError(
            f"第 2 位机构类别代码“{code[1]}”与第 1 位登记管理部门“{code[0]}”不符"
            f"(应为 {'、'.join(allowed)})",
            f"organisation type {code[1]!r} is not valid for registration authority "
            f"{code[0]!r} (allowed: {', '.join(allowed)})",
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise CodeError(
            f"校验位错误:最后一位应为“{expected}”,实为“{code[17]}”",
            f"check character should be {expected!r}, found {code[17]!r}",
        )
    return code


def is_valid_uscc(value: str) -> bool:
    try:
        validate_uscc(value)
    except CodeError:
        return False
    return True


def normalize_phone(value: str) -> str:
    """Remove blanks, brackets and full-width characters people type into phone fields."""
    text = (value or "").strip()
    text = text.translate(str.maketrans("（）－＋０１２３４５６７８９", "()-+0123456789"))
    text = re.sub(r"[\s()]", "", text)
    return text


def validate_mobile(value: str) -> str:
    phone = normalize_phone(value)
    if not MOBILE_RE.match(phone):
        raise CodeError(
            f"手机号“{value}”格式不对:应为 11 位、以 13–19 开头(可带 +86)",
            f"mobile number {value!r} is invalid: 11 digits starting 13–19, optional +86",
        )
    return phone


def validate_landline(value: str) -> str:
    phone = normalize_phone(value)
    if not (LANDLINE_RE.match(phone) or SERVICE_NUMBER_RE.match(phone)):
        raise CodeError(
            f"固定电话“{value}”格式不对:应为 0+区号(2–3 位)+7–8 位号码,可带分机;或 400/800/95598",
            f"landline {value!r} is invalid: 0 + 2–3 digit area code + 7–8 digits [ext], or 400/800/95598",
        )
    return phone


def validate_phone(value: str) -> str:
    """Accept a mobile or a landline number."""
    phone = normalize_phone(value)
    if MOBILE_RE.match(phone):
        return phone
    return validate_landline(value)


def verification_code(seed: str) -> str:
    """The 8-character code printed beside a document number and carried in its QR code.

    ``seed`` is what the server can recompute from the synced record: the content hash of a
    checklist or plan handout (so a mismatch means the printed content is not what was
    issued), the id of an outage notice. Anyone can read it off the paper; it proves the
    paper came from the system, it is not a secret.
    """
    return hashlib.sha256(f"keyacct-verify|{seed}".encode()).hexdigest()[:8].upper()


def visit_report_number(started_at: object, visit_id: object) -> str:
    """The number printed on a visit report: ZF + visit day + the start of the visit's id.

    Derived, not stored (``ZF20261201-3F2A9C``), so the laptop's reprint and the server's
    verification page find the same visit from it. ``started_at`` is a date(time) or its ISO
    text, ``visit_id`` a UUID or its text.
    """
    day = str(started_at)[:10].replace("-", "")
    return f"ZF{day}-{str(visit_id).replace('-', '')[:6].upper()}"


#: A visit report number: the visit day and the first six hex digits of its id.
VISIT_NUMBER = re.compile(r"^ZF(\d{4})(\d{2})(\d{2})-([0-9A-F]{6})$")


def verification_url(base_url: str, number: str, code: str) -> str:
    """What the QR code holds: the server's verification page (or number and code offline)."""
    if base_url.strip():
        return f"{base_url.rstrip('/')}/verify/{number}?c={code}"
    return f"KEYACCT:{number}:{code}"
