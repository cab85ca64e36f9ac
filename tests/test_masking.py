"""Masking of personal data: each kind on its own, ordinary text left alone, whole frames, and the
real message-board texts with numbers planted where their publisher had starred them out."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from etl.masking import STAR, is_personal, mask_frame, mask_text, redact

# Any mobile number, also written 3-4-4 with spaces or hyphens (as the real texts do).
MOBILE = re.compile(r"(?<!\d)1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")


# Each shape as people write it, and what is shown instead. Separators stay where they were; the
# IDs are real-shaped (their check digit is right).
MASKED = [
    # Mobile numbers.
    ("报警人电话13812345678。", "报警人电话138****5678。"),
    ("手机：+86 138-1234-5678", "手机：+86 138-****-5678"),
    ("+8613812345678", "+86138****5678"),
    ("电话：１３８１２３４５６７８", "电话：１３８****５６７８"),
    ("联系电话：189 7318 7780本人", "联系电话：189 **** 7780本人"),
    ("手机138.1234.5678", "手机138.****.5678"),
    ("电话 1 3 8 1 2 3 4 5 6 7 8 找我", "电话 1 3 8 * * * * 5 6 7 8 找我"),
    ("电话一三八一二三四五六七八", "电话一三八****五六七八"),
    ("拨打幺三八一二三四五六七八", "拨打幺三八****五六七八"),
    ("打(138)1234-5678联系", "打(138)****-5678联系"),
    ("打（138）1234-5678联系", "打（138）****-5678联系"),
    ("手机138－1234－5678", "手机138－****－5678"),
    ("号码138—1234—5678", "号码138—****—5678"),
    ("手机 138 - 1234 - 5678", "手机 138 - **** - 5678"),
    ("我的电话是15912345678和13698765432", "我的电话是159****5678和136****5432"),
    # Resident IDs: 18 characters with a right check digit, the old 15 digits, spaced.
    ("身份证号430102199001011238。", "身份证号430102********1238。"),
    ("身份证11010519491231002X号", "身份证110105********002X号"),
    ("身份证11010519491231002x", "身份证110105********002x"),
    ("身份证 430102 19900307 1234", "身份证 430102 ******** 1234"),
    ("4301 0219 9003 0712 34", "4301 02** **** **12 34"),
    ("身份证号４３０１０２１９９００１０１１２３８", "身份证号４３０１０２********１２３８"),
    ("老身份证430102900101123", "老身份证430102******123"),
    # Bank cards; an 18-digit number whose check digit is wrong is a card, not an ID.
    ("卡号6222021234567890", "卡号6222********7890"),
    ("卡号6222 0212 3456 7890 123", "卡号6222 **** **** ***0 123"),
    ("账号622202123456789012", "账号6222**********9012"),
    # Landlines and numbers named as numbers; QQ; passports.
    ("座机0731-84521234", "座机0731-******34"),
    ("（0731）84521234", "（0731）******34"),
    ("座机0731-8452 1234", "座机0731-**** **34"),
    ("电话：0731-84521234 0731-84521235", "电话：0731-******34 0731-******35"),
    ("联系电话：8227670", "联系电话：*****70"),
    ("QQ号：123456789", "QQ号：*******89"),
    ("qq 10001", "qq ***01"),
    ("扣扣：987654321", "扣扣：*******21"),
    ("ＱＱ：１２３４５６７８", "ＱＱ：******７８"),
    ("护照号E12345678", "护照号E******78"),
    ("护照号码：EA1234567", "护照号码：E******67"),
    # Plates, with a space, a dot or a hyphen, in full width.
    ("车牌湘A·12345被刮", "车牌湘A·***45被刮"),
    ("湘AD12345停在路边", "湘A****45停在路边"),
    ("京 A12345", "京 A***45"),
    ("京Ａ12345", "京Ａ***45"),
    ("京ａ１２３４５", "京ａ***４５"),
    ("粤B-D1234", "粤B-***34"),
    # E-mail addresses.
    ("邮箱zhangsan@qq.com", "邮箱z*******@qq.com"),
    ("邮箱ｚｈａｎｇ＠ｑｑ．ｃｏｍ", "邮箱ｚ****＠ｑｑ．ｃｏｍ"),
    # Names after a label, with or without a colon, and with more text after them.
    ("姓名：何艳银，于2011年", "姓名：何**，于2011年"),
    ("联系人:谈俊(东成大厦", "联系人:谈*(东成大厦"),
    ("联系人：李四", "联系人：李*"),
    ("姓名:刘德华", "姓名:刘**"),
    ("姓名 赵六", "姓名 赵*"),
    ("姓名：欧阳倩广）", "姓名：欧***）"),
    ("举报人：钱七，男", "举报人：钱*，男"),
    ("举报人：姓名：申波中，身", "举报人：姓名：申**，身"),
    ("当事人刘毅俊（男）", "当事人刘**（男）"),
    ("联系人王五要求尽快处理", "联系人王*要求尽快处理"),
    ("联系人赵六电话13812345678", "联系人赵*电话138****5678"),
    ("报警人欧阳娜娜称", "报警人欧***称"),
    ("投诉人司马相如在", "投诉人司***在"),
    ("报警人称其被打，当事人陈某某在场", "报警人称其被打，当事人陈**在场"),
    ("民警潘程鹏、辅警张伟", "民警潘**、辅警张*"),
    ("负责人为吴平海，", "负责人为吴**，"),
    # Names people give themselves.
    ("我叫张伟，住在", "我叫张*，住在"),
    ("本人李娜反映", "本人李*反映"),
    # Names and surnames before a title: the surname alone is the only trace, so it goes too.
    ("证实谷斌海同志在任期间", "证实谷**同志在任期间"),
    ("诸葛亮先生", "诸葛*先生"),
    ("张先生反映噪音", "*先生反映噪音"),
    ("联系王女士", "联系*女士"),
    ("联系人王女士", "联系人*女士"),
    ("李阿姨家门口", "*阿姨家门口"),
    ("胡书记亲自督办", "*书记亲自督办"),
    ("找白沙所王所长", "找白沙所*所长"),
    ("向胡华衡书记反映", "向胡**书记反映"),
]

# Shapes that look like the above but hold no personal datum.
LEFT_ALONE = [
    "拨打12345热线、110报警",
    "热线电话12345",
    "第110次出警",
    "编号12345678",
    "2019-08-01 10:00 受理，2019年3月办结",
    "2019.10.12 14:30",
    "2019年10月12日13时至15时",
    "时间：2019年12月31日23时59分",
    "罚款200元，扣3分",
    "金额1,234,567.89元",
    "共计13.5-14.2-16.8-17.0万元",
    "价格18.5元，数量12个",
    "身高175体重70",
    "版本号2.3.1",
    "留言编号A00031618",
    "工单号201912011234567",  # 15 digits, but no province 20 and no month 12-34
    "一二三四五六",
    "第一二三中队",
    "A市A1区",
    "京A区人民政府",
    "车牌号码不清楚",
    "有些领导同志不遵法",
    "各位先生们、女士们",
    "派出所所长、市委书记、居委会主任和项目经理",
    "新党委书记和纪委书记上任",  # 纪 is a surname, but 纪委 an office
    "双江口镇长兴村",
    "A市林业局长林执罚决定",
    "施工队长期半夜施工",
    "一定要业主游行才行",
    "让我找施工队老板",
    "我相信纪委同志一定能够",
    "本人曾多次与该公司联系",
    "民警到场后当事人已经与对方和解。",
    "民警和群众，",
    "民警严格要求自己",
    "民警高效处置",
    "负责人：我是A9市的居民",
    "联系人要求回电",
    "当事人陈述称",
    "本人曾经多次反映",
    "本人家住A市",
    "我是本地居民",
    "我买了李子",
    "我喜欢玩王者荣耀",
]


@pytest.mark.parametrize(("text", "masked"), MASKED)
def test_personal_data_is_starred(text, masked):
    assert mask_text(text) == masked


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_ordinary_text_is_left_alone(text):
    assert mask_text(text) == text


def test_the_table_covers_sixty_shapes_and_more():
    assert (len(MASKED), len(LEFT_ALONE)) == (71, 44)


@pytest.mark.parametrize(("text", "masked"), MASKED)
def test_redact_blanks_out_every_datum_whole(text, masked):
    """For segmenting, nothing of a datum is left: where a star is shown, the whole name or number
    is blank, so not even a surname can become a word."""
    redacted = redact(text)
    assert len(redacted) == len(text)
    kept = [c for c, m in zip(text, masked) if c == m]
    assert STAR not in redacted
    assert all(r == " " for r, c, m in zip(redacted, text, masked) if c != m)
    assert all(r in (c, " ") for r, c in zip(redacted, text)) and kept


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
    words = ("13812345678", "湘A12345", "王女士", "张先生", "噪音扰民", "12345热线", "先生们")
    assert [is_personal(w) for w in words] == [True, True, True, True, False, False, False]


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
