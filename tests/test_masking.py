"""Masking of personal data: each kind on its own, ordinary text left alone, whole frames, and the
real message-board texts with numbers planted where their publisher had starred them out."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from auth.masking import is_personal, mask_frame, mask_text

# Any mobile number, also written 3-4-4 with spaces or hyphens (as the real texts do).
MOBILE = re.compile(r"(?<!\d)1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("报警人电话13812345678。", "报警人电话138****5678。"),
        ("手机：+86 138-1234-5678", "手机：+86 138****5678"),
        ("电话：１３８１２３４５６７８", "电话：138****5678"),
        ("联系电话：189 7318 7780本人", "联系电话：189****7780本人"),
        ("身份证号430102199001011234。", "身份证号430102********1234。"),
        ("身份证43010219900101123X号", "身份证430102********123X号"),
        ("卡号6222021234567890", "卡号6222********7890"),
        ("卡号6222 0212 3456 7890 123", "卡号6222 **** **** ***0 123"),
        ("座机0731-84521234", "座机0731-******34"),
        ("（0731）84521234", "（0731）******34"),
        ("联系电话：8227670", "联系电话：*****70"),
        ("车牌湘A·12345被刮", "车牌湘A·***45被刮"),
        ("湘AD12345停在路边", "湘A****45停在路边"),
        ("邮箱zhangsan@qq.com", "邮箱z***@qq.com"),
        ("姓名：何艳银，于2011年", "姓名：何**，于2011年"),
        ("联系人:谈俊(东成大厦", "联系人:谈*(东成大厦"),
        ("姓名：欧阳倩广）", "姓名：欧***）"),
        ("当事人刘毅俊（男）", "当事人刘**（男）"),
        ("民警潘程鹏、辅警张伟", "民警潘**、辅警张*"),
        ("负责人为吴平海，", "负责人为吴**，"),
        ("证实谷斌海同志在任期间", "证实谷**同志在任期间"),
    ],
)
def test_personal_data_is_starred(text, masked):
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "拨打12345热线、110报警",
        "2019-08-01 10:00 受理，2019年3月办结",
        "王先生反映噪音扰民",  # a surname alone is how names are already published
        "有些领导同志不遵法",
        "民警到场后当事人已经与对方和解。",
        "民警和群众，",
        "负责人：我是A9市的居民",
        "留言编号A00031618",
        "罚款200元，扣3分",
    ],
)
def test_ordinary_text_is_left_alone(text):
    assert mask_text(text) == text


def test_values_that_are_not_text_pass_through():
    assert [mask_text(v) for v in (None, 13812345678, 1.5)] == [None, 13812345678, 1.5]


def test_mask_frame_masks_text_columns_but_never_identifiers():
    df = pd.DataFrame(
        {
            "case_id": ["13812345678", "C2"],
            "unit_id": ["P11", None],
            "content": ["电话13812345678", None],
            "title": pd.array(["姓名：何艳银。", "无"], dtype="string"),
            "score": [5, 4],
        }
    )
    out = mask_frame(df)
    assert out["case_id"].tolist() == ["13812345678", "C2"]
    assert out["content"].tolist()[0] == "电话138****5678"
    assert out["content"].isna().tolist() == [False, True]
    assert out["title"].tolist() == ["姓名：何**。", "无"]
    assert out["score"].tolist() == [5, 4]
    assert df["content"].iloc[0] == "电话13812345678"  # the input is not changed


def test_cloud_words_that_are_personal_are_recognised():
    assert [is_personal(w) for w in ("13812345678", "湘A12345", "噪音扰民", "12345热线")] == [
        True,
        True,
        False,
        False,
    ]


def planted(texts: list[str]) -> tuple[list[str], int, int]:
    """The texts with a mobile number in every free-standing 17-star run (where the publisher
    blanked a number; runs touching letters or digits were plates and codes) and a landline for
    every 0000-00000000, in varied spellings; the counts planted."""
    mobiles, landlines = iter(range(10**6)), iter(range(10**6))
    styles = ("{a}{b}{c}", "{a} {b} {c}", "{a}-{b}-{c}", "+86 {a}{b}{c}")

    def mobile(_: re.Match) -> str:
        n = next(mobiles)
        digits = f"13{3 + n % 7}{n:08d}"
        return styles[n % 4].format(a=digits[:3], b=digits[3:7], c=digits[7:])

    def landline(_: re.Match) -> str:
        return f"0731-8{next(landlines):07d}"

    out = [
        re.sub(
            r"(?<![0-9A-Za-z*])\*{17}(?![0-9A-Za-z*])",
            mobile,
            re.sub(r"(?<!\d)0000-00000000(?!\d)", landline, t),
        )
        for t in texts
    ]
    return out, next(mobiles), next(landlines)


def test_no_phone_number_survives_in_the_real_message_board_texts(realdata):
    texts = []
    for name in ("群众留言_2019.xlsx", "群众留言_含答复.xlsx"):
        frame = pd.read_excel(realdata / name, dtype=str)
        for column in ("留言主题", "留言详情", "答复意见"):
            if column in frame:
                texts += frame[column].dropna().tolist()
    texts, n_mobiles, n_landlines = planted(texts)
    # Free-standing 17-star runs: 308 + 95 details, 67 replies; zeroed landlines: 88 + 85
    # details, 524 replies.
    assert (n_mobiles, n_landlines) == (470, 697)
    # One real mobile number is left in the data, written 189 7318 7780.
    assert sum(len(MOBILE.findall(t)) for t in texts) == 470 + 1
    masked = [mask_text(t) for t in texts]
    assert [m for t in masked for m in MOBILE.findall(t)] == []
    assert [m for t in masked for m in re.findall(r"0731-8\d{7}", t)] == []
