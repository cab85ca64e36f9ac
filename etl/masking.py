"""Masking of personal data in free text: phone, ID-card, bank-card, QQ and passport numbers,
plates, e-mail addresses, and person names where the text shows them as names. Pure functions.

Patterns run on a probe: a copy of the text, of the same length, in which full-width characters
are ASCII and runs of Chinese numerals are digits, so one pattern covers 138…, １３８… and 一三八….
What a pattern finds is starred in the text itself, character for character: separators stay
where they were, and the rest of the text is untouched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

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
_COMPOUND_SURNAMES = (
    "欧阳|司马|上官|诸葛|东方|皇甫|尉迟|公孙|慕容|长孙|宇文|司徒|夏侯|轩辕|令狐|澹台|南宫|西门"
    "|独孤|端木|钟离|呼延|申屠|闻人"
)
_SURNAME = rf"(?:{_COMPOUND_SURNAMES}|[{_SURNAMES}])"
# Words after which a person is named ("联系人王五要求…", "报警人欧阳娜娜", "我叫张伟").
_PERSON_LABELS = (
    "姓名|联系人|报警人|当事人|投诉人|举报人|申请人|求助人|来电人|反映人|留言人|受害人|被害人"
    "|证人|嫌疑人|经办人|户主|车主|驾驶人|驾驶员|业主|我叫|本人|我是"
)
# Words after which a name may follow, but just as often an adjective or a verb ("民警严格要求"):
# the name must end where the Chinese does ("民警潘某某、").
_ROLE_LABELS = "民警|辅警|负责人"
# Titles after a person's name or surname (谷斌海同志, 张先生) …
_TITLES = "同志|先生|女士|小姐|警官|师傅|阿姨|大爷|大妈|大姐"
# … and offices after a surname alone (胡书记, 王所长): after more than a surname they are as often
# an office's own name (纪委书记, 林业局长, 施工队长, 双江口镇长兴村).
_OFFICES = "老板|书记|局长|所长|主任|经理|队长|科长|处长|院长|校长|村长|镇长|县长|市长|部长"
# What follows a name after a person label: a verb of saying or asking, a particle, a title.
_AFTER_NAME = (
    "要求|反映|反应|称|说|讲|表示|投诉|举报|来电|报警|求助|于|在|因|被|和|与|及|等|向|对|到|家|住"
    f"|现|系|是|为|今年|电话|手机|身份证|联系|男|女|{_TITLES}|{_OFFICES}"
)
# Words that begin with a surname but name no one, where a label is followed by them.
_NOT_NAMES = frozenset(
    [
        "陈述",
        "高兴",
        "高度",
        "高中",
        "高速",
        "王者",
        "黄金",
        "白天",
        "白色",
        "周围",
        "周边",
        "周末",
        "方面",
        "方便",
        "方式",
        "方向",
        "马上",
        "程序",
        "曾经",
        "余下",
        "任何",
        "任务",
        "许多",
        "何时",
        "何地",
        "金额",
        "钱款",
        "毛病",
        "严重",
        "严格",
        "郑重",
        "温度",
        "康复",
        "施工",
        "包括",
        "包庇",
        "舒服",
        "季度",
        "孙子",
        "江边",
        "石头",
        "林地",
        "齐全",
        "费用",
        "雷同",
        "龙头",
        "苏醒",
        "谢谢",
        "焦急",
        "乔迁",
        "杜绝",
        "许可",
        "许久",
        "牛奶",
        "夏天",
        "李子",
        "游行",
        "纪委",
        # 曾 after 本人 is the adverb (本人曾多次反映), whatever follows it.
        "曾多",
        "曾于",
        "曾在",
        "曾向",
        "曾被",
        "曾找",
        "曾到",
        "曾去",
        "曾打",
        "曾来",
        "曾与",
        "曾和",
        "曾给",
        "曾因",
        "王者",
    ]
)
# After "label：" any two to four Chinese characters go, but not a pronoun ("负责人：我是…").
_NOT_A_NAME = "我你您他她它本其该此这那各每某"

# Separators people put inside a number: spaces, dots and hyphens (full-width ones are ASCII in
# the probe). At most two in a row, so "138 - 1234 - 5678" is one number and a list is not.
_SEP = r"(?: ?[.\-]? ?)"
_NOT_AFTER_NUMBER = r"(?!\d)(?![.\-]\d)"
_NOT_BEFORE_NUMBER = r"(?<![0-9A-Za-z])(?<![0-9][.\-])"

# Resident ID, 18 characters (checked by its check digit) or the old 15 digits (checked by its
# province and birth date); spaces or hyphens anywhere: keep the region (6) and the last 4 / 3.
_ID_18 = re.compile(rf"{_NOT_BEFORE_NUMBER}\d(?:[ \-]?\d){{16}}[ \-]?[\dXx]{_NOT_AFTER_NUMBER}")
_ID_15 = re.compile(rf"{_NOT_BEFORE_NUMBER}\d(?:[ \-]?\d){{14}}{_NOT_AFTER_NUMBER}")
# Bank card: 16-19 digits, together or in groups of four with one kind of separator (not two
# landlines side by side, 0731-84521234 0731-84521235); keep the first and last 4 digits.
_BANK_CARD = re.compile(
    r"(?<!\d)[1-9]\d{3}(?:\d{12,15}|([ -])\d{4}(?:\1\d{4}){2}(?:\1\d{1,3})?)(?!\d)"
)
# Mobile, optionally +86, written 13812345678, 138 1234 5678, 138.1234.5678, (138)1234-5678,
# 1 3 8 1 2 3 4 5 6 7 8: keep the prefix and the first 3 and last 4 digits. Dots and hyphens may
# join it to other numbers (4.137-1234-5678=337.5, 13912345678.7.15): its first three digits are
# written together, which no list of amounts or dates does.
_MOBILE = re.compile(
    rf"(?<!\d)((?:\+?86[ \-]?)?[(（]?1 ?[3-9] ?\d[)）]?)((?:{_SEP}\d){{4}})((?:{_SEP}\d){{4}})(?!\d)"
)
# Landline with its area code, (0731)84521234 / 0731-8452 1234: keep the area code and last 2.
_LANDLINE = re.compile(r"(?<!\d)([(（]?0\d{2,3}[)）]?[ \-]?)(\d{3,4}[ \-]?\d{4})(?!\d)")
# A local number named as one: 电话：84521234 (7 digits or more: 电话12345 is the hotline).
_NAMED_NUMBER = re.compile(
    r"((?:电话|手机|座机|联系方式|号码|(?i:tel))(?:号码|号)?[:：\s]*)(\d(?:[ \-]?\d){6,11})(?!\d)"
)
# A QQ number, 5 to 11 digits, always named: QQ号 12345678, 扣扣：10001.
_QQ = re.compile(r"((?:(?i:qq)|扣扣)(?:号码|号)?[:：\s]*)(\d(?:[ \-]?\d){4,10})(?!\d)")
_PASSPORT = re.compile(r"(护照(?:号码|号)?[:：\s]*)([A-Za-z]{1,2}\d{7,8})(?![0-9A-Za-z])")
_PLATE = re.compile(
    rf"([{_PROVINCES}] ?[A-Za-z])([·•.\s-]?)((?=[A-Za-z]*\d)[A-Za-z0-9]{{5,6}})(?![A-Za-z0-9])"
)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9])[A-Za-z0-9._%+-]*(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})"
)
_NAME_END = rf"(?=[^{_HAN}]|$|{_AFTER_NAME})"
_NAME_AFTER_PERSON_LABEL = re.compile(
    rf"(?:{_PERSON_LABELS})(?:为|是|叫)?\s*[:：]?\s*({_SURNAME}(?!{_TITLES})[{_HAN}]{{1,2}})"
    rf"{_NAME_END}"
)
_NAME_AFTER_ROLE_LABEL = re.compile(
    rf"(?:{_ROLE_LABELS})(?:为|是)?\s*[:：]?\s*({_SURNAME}[{_HAN}]{{1,2}})(?![{_HAN}])"
)
_NAME_AFTER_COLON = re.compile(
    rf"(?:{_PERSON_LABELS}|{_ROLE_LABELS})\s*[:：]\s*"
    rf"((?![{_NOT_A_NAME}])(?:[{_HAN}]{{2,4}}(?![{_HAN}])|[{_HAN}]{{2,3}}))(?![:：])"
)
# 谷斌海同志, 张先生, 胡书记, 胡华衡书记: a name, or a surname alone, before a title (not 先生们,
# 女士们); before an office, a surname alone or with two more characters (纪委书记 is no one).
_NAME_BEFORE_TITLE = re.compile(
    rf"({_SURNAME})(?:([{_HAN}]{{0,2}}?)(?=(?:{_TITLES})(?!们))|([{_HAN}]{{2}})?(?=(?:{_OFFICES})(?!们)))"
)

_NUMERALS = "〇零一二三四五六七八九幺"
# Seven numerals or more (spaces or hyphens between) are a number written out: 一三八一二三四五六七八.
_NUMERAL_RUN = re.compile(rf"[{_NUMERALS}](?:[ \-]?[{_NUMERALS}]){{6,}}")
_NUMERAL_DIGITS = str.maketrans(_NUMERALS, "001234567891")
_HYPHENS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"
# Full-width digits, letters and the signs inside numbers and addresses (＋．＠) become ASCII in the
# probe; other full-width punctuation (，：（）) is common in every text, so patterns take it as is.
_FULL_WIDTH = "".join(
    map(chr, [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)])
)
_PROBE = str.maketrans(
    {0x3000: " ", 0xFF0B: "+", 0xFF0E: ".", 0xFF20: "@"}
    | {ord(c): ord(c) - 0xFEE0 for c in _FULL_WIDTH}
    | dict.fromkeys(map(ord, _HYPHENS), "-")
)
_NEEDS_PROBE = re.compile(f"[\u3000\uff0b\uff0e\uff20{_FULL_WIDTH}{_HYPHENS}]")
# A run of digits with separators between them. Only runs of 10 digits or more can hold an ID,
# card, mobile or landline number (a landline is 0 + 2 digits + 7 at least): those patterns run
# in a window around each such run alone, as dates and amounts are everywhere.
_LONG_RUN = re.compile(r"\d(?:[ .\-()（）]{0,3}\d){9,}")
_WINDOW_BEFORE = 5  # room for "+86 (" in front of the run's first digit
# Texts without one of these words hold no name, nor a named number (电话, QQ, 护照): plain
# substring tests, much cheaper than the patterns they spare.
_NAME_HINT = re.compile(f"{_PERSON_LABELS}|{_ROLE_LABELS}|{_TITLES}|{_OFFICES}")
_NAMED_NUMBER_HINT = re.compile("电话|手机|座机|联系方式|号码|(?i:tel|qq)|扣扣|护照")
_NAMED_NUMBER_WORDS = (
    "电话",
    "手机",
    "座机",
    "联系方式",
    "号码",
    "tel",
    "TEL",
    "Tel",
    "qq",
    "QQ",
    "Qq",
    "扣扣",
    "护照",
)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_HAS_DIGIT = re.compile(r"\d")
_IS_HAN = re.compile(f"[{_HAN}]")
_PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)

# One finding: the span of the datum itself (for tokens) and the positions starred on screen.
Finding = tuple[int, int, list[int]]


def _alnum_positions(probe: str, start: int, end: int) -> list[int]:
    return [i for i in range(start, end) if probe[i].isalnum()]


def _keep_ends(probe: str, start: int, end: int, head: int, tail: int) -> list[int]:
    """Positions of the digits and letters in [start, end) but the first `head`, last `tail`."""
    positions = _alnum_positions(probe, start, end)
    return positions[head : len(positions) - tail]


def _plausible_birth(yymmdd: str) -> bool:
    month, day = int(yymmdd[2:4]), int(yymmdd[4:6])
    return 1 <= month <= 12 and 1 <= day <= 31


def _id_18(probe: str, m: re.Match[str]) -> Finding | None:
    chars = [c for c in m[0] if c.isalnum()]
    digits = "".join(chars[:17])
    check = "10X98765432"[sum(int(d) * w for d, w in zip(digits, _ID_WEIGHTS)) % 11]
    if digits[:2] not in _PROVINCE_CODES or chars[17].upper() != check:
        return None
    return m.start(), m.end(), _keep_ends(probe, m.start(), m.end(), 6, 4)


def _id_15(probe: str, m: re.Match[str]) -> Finding | None:
    digits = "".join(c for c in m[0] if c.isdigit())
    if digits[:2] not in _PROVINCE_CODES or not _plausible_birth(digits[6:12]):
        return None
    return m.start(), m.end(), _keep_ends(probe, m.start(), m.end(), 6, 3)


def _keep(head: int, tail: int) -> Callable[[str, re.Match[str]], Finding]:
    def find(probe: str, m: re.Match[str]) -> Finding:
        return m.start(), m.end(), _keep_ends(probe, m.start(), m.end(), head, tail)

    return find


def _group(number: int, head: int, tail: int) -> Callable[[str, re.Match[str]], Finding]:
    """Group `number` is the datum; its first `head` and last `tail` characters stay."""

    def find(probe: str, m: re.Match[str]) -> Finding:
        start, end = m.span(number)
        return start, end, _keep_ends(probe, start, end, head, tail)

    return find


def _plate(probe: str, m: re.Match[str]) -> Finding:
    return m.start(), m.end(), _keep_ends(probe, *m.span(3), 0, 2)


def _mobile(probe: str, m: re.Match[str]) -> Finding:
    return m.start(), m.end(), _alnum_positions(probe, *m.span(2))


def _email(probe: str, m: re.Match[str]) -> Finding:
    return m.start(), m.end(), list(range(m.end(1), m.start(2)))


def _person(probe: str, m: re.Match[str]) -> Finding | None:
    name = m[1]
    if name in _NOT_NAMES or name[:2] in _NOT_NAMES:
        return None
    start, end = m.span(1)
    return start, end, list(range(start + 1, end))


def _titled(probe: str, m: re.Match[str]) -> Finding | None:
    """A given name before a title is starred, the surname kept (谷**同志); a surname alone
    before a title is the only trace of the person, so it is starred (*先生)."""
    start, end = m.span()
    if probe[start:end] in _NOT_NAMES or probe[start : start + 2] in _NOT_NAMES:
        return None
    if end - m.end(1):
        return start, end, list(range(m.end(1), end))
    return start, end, list(range(start, end))


# In this order: a span one rule takes, later rules do not look inside.
_LONG_NUMBER_RULES = (
    (_ID_18, _id_18),
    (_ID_15, _id_15),
    (_BANK_CARD, _keep(4, 4)),
    (_MOBILE, _mobile),
    (_LANDLINE, _group(2, 0, 2)),
)
_NAMED_NUMBER_RULES = (
    (_NAMED_NUMBER, _group(2, 0, 2)),
    (_QQ, _group(2, 0, 2)),
    (_PASSPORT, _group(2, 1, 2)),
)
_NAME_RULES = (
    (_NAME_AFTER_PERSON_LABEL, _person),
    (_NAME_AFTER_ROLE_LABEL, _person),
    (_NAME_AFTER_COLON, _person),
    (_NAME_BEFORE_TITLE, _titled),
)
Rule = tuple[re.Pattern[str], Callable[[str, re.Match[str]], Finding | None]]


def _probe(text: str) -> str:
    if _NEEDS_PROBE.search(text):
        text = text.translate(_PROBE)
    if _NUMERAL_RUN.search(text):
        text = _NUMERAL_RUN.sub(lambda m: m[0].translate(_NUMERAL_DIGITS), text)
    return text


def _long_runs(probe: str) -> list[tuple[int, int]]:
    """(pos, endpos) windows around the runs of 10 digits or more, with room for a prefix in
    front and an ID's final X behind."""
    return [(max(0, m.start() - _WINDOW_BEFORE), m.end() + 2) for m in _LONG_RUN.finditer(probe)]


def _rules(probe: str) -> Iterator[tuple[Rule, list[tuple[int, int]]]]:
    """The rules that can find something in probe, in order, each with the windows of probe
    ((pos, endpos) ranges) it searches."""
    whole = [(0, len(probe))]
    if _HAS_DIGIT.search(probe):
        windows = _long_runs(probe)
        if windows:
            for rule in _LONG_NUMBER_RULES:
                yield rule, windows
        if _NAMED_NUMBER_HINT.search(probe):
            for rule in _NAMED_NUMBER_RULES:
                yield rule, whole
        yield (_PLATE, _plate), whole
    if "@" in probe:
        yield (_EMAIL, _email), whole
    if _NAME_HINT.search(probe):
        for rule in _NAME_RULES:
            yield rule, whole


def findings(text: str) -> Iterator[Finding]:
    """Every personal datum in text: its span and the positions to star. A span, once found, is
    taken: later rules do not look inside it."""
    probe = _probe(text)
    for (pattern, judge), windows in _rules(probe):
        found = [
            f
            for pos, endpos in windows
            for m in pattern.finditer(probe, pos, endpos)
            if (f := judge(probe, m))
        ]
        for start, end, hidden in found:
            probe = probe[:start] + STAR * (end - start) + probe[end:]
            yield start, end, hidden


def mask_text(text: object) -> object:
    """text with personal data starred; anything that is not a string is returned unchanged."""
    if not isinstance(text, str):
        return text
    hidden = [i for _, _, positions in findings(text) for i in positions]
    if not hidden:
        return text
    chars = list(text)
    for i in hidden:
        chars[i] = STAR
    return "".join(chars)


def redact(text: str, found: list[Finding] | None = None) -> str:
    """text with every personal datum (those `found`, else all) blanked out whole, a space each,
    for segmenting: no part of a name or number is left to become a word."""
    spans = [(start, end) for start, end, _ in (findings(text) if found is None else found)]
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def names(text: str, found: list[Finding]) -> set[str]:
    """The names among what was `found` in text, as written (刘德华, 欧阳娜娜): Chinese, two
    characters or more (a surname alone is no word)."""
    return {
        text[start:end] for start, end, _ in found if end - start > 1 and _IS_HAN.match(text[start])
    }


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
