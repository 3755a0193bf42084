"""GB 32100 USCC check characters and phone formats."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keyacct_desktop.domain.codes import (
    USCC_ALPHABET,
    USCC_ORGANISATION_TYPES,
    CodeError,
    is_valid_uscc,
    uscc_check_char,
    validate_landline,
    validate_mobile,
    validate_phone,
    validate_uscc,
)


def test_worked_example_from_the_standard() -> None:
    assert uscc_check_char("91350100M000100Y4") == "3"
    assert validate_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91350100M000100Y4", "18 位"),
        ("91350100M000100Y44", "校验位错误"),
        ("B1350100M000100Y43", "登记管理部门"),
        ("91350100M0001O0Y43", "不是统一社会信用代码允许的字符"),
    ],
)
def test_invalid_codes_say_what_is_wrong(code: str, fragment: str) -> None:
    with pytest.raises(CodeError) as caught:
        validate_uscc(code)
    assert fragment in caught.value.message_zh
    assert caught.value.message_en


@given(
    st.text(alphabet=USCC_ALPHABET, min_size=15, max_size=15),
    st.sampled_from([a + t for a, types in USCC_ORGANISATION_TYPES.items() for t in types]),
)
def test_every_computed_check_character_validates(body: str, authority: str) -> None:
    first17 = authority + body  # registration authority and an organisation type it allows
    assert is_valid_uscc(first17 + uscc_check_char(first17))


@given(st.text(alphabet=USCC_ALPHABET, min_size=16, max_size=16), st.sampled_from(USCC_ALPHABET))
def test_any_wrong_check_character_is_refused(body: str, wrong: str) -> None:
    first17 = "9" + body
    if wrong != uscc_check_char(first17):
        assert not is_valid_uscc(first17 + wrong)


@pytest.mark.parametrize(
    "number", ["13800138000", "+8619912345678", "86 158 1234 5678", "１３８００１３８０００"]
)
def test_valid_mobiles(number: str) -> None:
    assert validate_mobile(number).lstrip("+").removeprefix("86").startswith("1")


@pytest.mark.parametrize("number", ["12800138000", "1380013800", "23800138000"])
def test_invalid_mobiles(number: str) -> None:
    with pytest.raises(CodeError, match="mobile"):
        validate_mobile(number)


@pytest.mark.parametrize(
    "number",
    [
        "0512-66881234",
        "025-8888888",
        "(0571)87654321",
        "0512-66881234-806",
        "95598",
        "400-820-1234",
    ],
)
def test_valid_landlines(number: str) -> None:
    assert validate_landline(number)


@pytest.mark.parametrize("number", ["66881234", "0512-123", "1512-66881234"])
def test_invalid_landlines(number: str) -> None:
    with pytest.raises(CodeError) as caught:
        validate_phone(number)
    assert "固定电话" in caught.value.message_zh
