"""Masking of personal data in free text: phone, ID-card and bank-card numbers, plates, e-mail
addresses, and person names where the text shows them as names. Pure functions."""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

STAR = "*"
_HAN = "\u4e00-\u9fff"
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# The commonest surnames, without those that are also everyday function words (于, 和, 向, 时,
# 全, 党, 应, 成, 文, 安 …), so that "民警和群众" is not read as a name.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛"
    "郝龚邵钱严覃武戴莫孔汤温康施牛樊葛邢齐乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞左柳祝包舒"
    "阮柯纪梅童凌毕季裴霍涂苗谷盛翁冉骆蓝游辛靳柴鲍喻祁蒲滕屈饶牟艾尤穆卓缪褚娄窦戚岑宫费"
    "冷晏瞿桂佟臧闵苟邬卞姬栾隋刁巫寇桑郎甄仲虞敖巩佘邝"
)
# Words after which a name follows ("联系人：王某某", "当事人刘某某（…）", "民警潘某某、").
_LABELS = (
    "姓名|联系人|报警人|当事人|投诉人|举报人|申请人|求助人|来电人|反映人|留言人|受害人|证人"
    "|嫌疑人|经办人|负责人|户主|车主|民警|辅警"
)
_TITLES = "同志|先生|女士|小姐|警官"

# 18-digit resident ID: keep the region (6) and the last 4 (430102********1234).
_ID_CARD = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
# Bank card: 16-19 digits, optionally in groups of four; keep the first and last 4 digits.
_BANK_CARD = re.compile(r"(?<!\d)\d{4}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?(?!\d)")
# Mobile, optionally +86 and separated 3-4-4: 138****5678.
_MOBILE = re.compile(r"(?<!\d)((?:\+?86[ -]?)?1[3-9]\d)[ -]?\d{4}[ -]?(\d{4})(?!\d)")
# Landline with its area code, (0731)84521234 / 0731-84521234: keep the area code and last 2.
_LANDLINE = re.compile(r"(?<!\d)([(（]?0\d{2,3}[)）]?[ -]?)(\d{7,8})(?!\d)")
# A local number named as one: 电话：84521234.
_NAMED_NUMBER = re.compile(
    r"((?:电话|手机|座机|联系方式|号码|TEL|Tel|tel)[:：\s]*)(\d{7,12})(?!\d)"
)
_PLATE = re.compile(
    rf"([{_PROVINCES}][A-Za-z])([·•.\s-]?)((?=[A-Za-z]*\d)[A-Za-z0-9]{{5,6}})(?![A-Za-z0-9])"
)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9])[A-Za-z0-9._%+-]*(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})"
)
# After "label：" any surname goes, but not a pronoun ("负责人：我是…").
_NOT_A_NAME = "我你您他她它本其该此这那各每某"
_NAME_AFTER_COLON = re.compile(
    rf"((?:{_LABELS})\s*[:：]\s*)"
    rf"((?![{_NOT_A_NAME}])(?:[{_HAN}]{{2,4}}(?![{_HAN}])|[{_HAN}]{{2,3}}))"
)
_NAME_AFTER_LABEL = re.compile(
    rf"((?:{_LABELS})(?:为|是)?)([{_SURNAMES}][{_HAN}]{{1,2}})(?![{_HAN}])"
)
_NAME_BEFORE_TITLE = re.compile(rf"([{_SURNAMES}][{_HAN}]{{1,2}})(?={_TITLES})")
# Full-width digits (１３８…) are read as the ASCII ones, so one set of patterns covers both.
_FULL_WIDTH_DIGITS = re.compile("[\uff10-\uff19]")
_TO_ASCII = str.maketrans({0xFF10 + i: str(i) for i in range(10)})
# Texts without any of these cannot hold what is masked here: they skip the other patterns.
_MAYBE = re.compile(rf"\d|@|{_LABELS}|{_TITLES}")


def _keep_ends(text: str, head: int, tail: int) -> str:
    """text with every digit or letter outside the first `head` and last `tail` of them starred;
    separators stay where they were."""
    positions = [i for i, c in enumerate(text) if c.isalnum()]
    hidden = set(positions[head : len(positions) - tail])
    return "".join(STAR if i in hidden else c for i, c in enumerate(text))


def _name(text: str) -> str:
    return text[0] + STAR * (len(text) - 1)


_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (_ID_CARD, lambda m: m[1] + STAR * 8 + m[2]),
    (_BANK_CARD, lambda m: _keep_ends(m[0], 4, 4)),
    (_MOBILE, lambda m: m[1] + STAR * 4 + m[2]),
    (_LANDLINE, lambda m: m[1] + _keep_ends(m[2], 0, 2)),
    (_NAMED_NUMBER, lambda m: m[1] + _keep_ends(m[2], 0, 2)),
    (_PLATE, lambda m: m[1] + m[2] + _keep_ends(m[3], 0, 2)),
    (_EMAIL, lambda m: m[1] + STAR * 3 + m[2]),
    (_NAME_AFTER_COLON, lambda m: m[1] + _name(m[2])),
    (_NAME_AFTER_LABEL, lambda m: m[1] + _name(m[2])),
    (_NAME_BEFORE_TITLE, lambda m: _name(m[1])),
)


def mask_text(text: object) -> object:
    """text with personal data starred; anything that is not a string is returned unchanged."""
    if not isinstance(text, str) or not _MAYBE.search(text):
        return text
    if _FULL_WIDTH_DIGITS.search(text):
        text = text.translate(_TO_ASCII)
    for pattern, replace in _RULES:
        text = pattern.sub(replace, text)
    return text


def is_identifier(column: str) -> bool:
    """Key columns (record_id, unit_id …) are never masked: pages join and drill on them."""
    return column == "id" or column.endswith(("_id", "_ids"))


def mask_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of df whose text columns (all but identifiers) are masked."""
    out = df.copy()
    for column in out.columns:
        values = out[column]
        texty = values.dtype == object or pd.api.types.is_string_dtype(values)
        if texty and not is_identifier(str(column)):
            out[column] = values.map(mask_text, na_action="ignore")
    return out


def is_personal(word: str) -> bool:
    """Whether a single word (a keyword-cloud token) is or was personal data: such words are not
    shown at all, masked or not."""
    return STAR in word or mask_text(word) != word
