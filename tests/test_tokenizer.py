"""Tokenizer: whole domain words, nothing personal, deterministic, distinct texts segmented once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from etl import masking
from etl.tokenizer import Tokenizer, read_user_dict

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return Tokenizer()


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Tokenizer:
    """Plain jieba with the same dictionary, its cache in a directory of its own."""
    return Tokenizer(engine="jieba", cache_dir=tmp_path_factory.mktemp("jieba_cache"))


def test_user_dict_words_stay_whole(tokenizer):
    # 电动车/被盗/派出所/出警; 后 is a single character and 很快 a stop word (callback boilerplate).
    expected = ["电动车", "被盗", "派出所", "出警"]
    assert tokenizer.tokenize("电动车被盗后派出所出警很快") == expected
    # 时 is a single character; 受损 and 不足 are jieba's words, the other four ours.
    assert tokenizer.tokenize("接处警时辅警执法权威受损，经费装备保障不足") == [
        "接处警", "辅警", "执法权威", "受损", "经费装备保障", "不足",
    ]  # fmt: skip


def test_hotline_numbers_in_the_dictionary_are_kept(tokenizer):
    # 12345热线 and 110报警 are dictionary words despite their digits; 12345 alone is whitelisted.
    assert tokenizer.tokenize("拨打12345热线，12345回复很慢，又打110报警") == [
        "拨打", "12345热线", "12345", "回复", "很慢", "110报警",
    ]  # fmt: skip


def test_stopwords_digits_single_characters_and_punctuation_are_dropped(tokenizer):
    # 您好 请问 我们 反映 问题 现在 已经 没有 are stop words; 的 天 了 年 人 管 single characters;
    # 3 and 2024 digits; ，！。 punctuation. Only 噪音扰民 is left.
    text = "您好，请问我们反映的噪音扰民问题现在已经3天了！2024年没有人管。"
    assert tokenizer.tokenize(text) == ["噪音扰民"]


def test_full_width_text_and_export_padding_are_normalised(tokenizer):
    # ＡＰＰ becomes APP (the dictionary's spelling); the \n\t\t\t padding of real exports goes.
    assert tokenizer.tokenize("\n\t\t\t\tＡＰＰ办证难\n\t\t\t") == ["APP", "办证难"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我的电话13812345678，电动车被盗", ["电话", "电动车", "被盗"]),  # 我 的: single characters
        ("身份证430102199003071234，电动车被盗", ["身份证", "电动车", "被盗"]),
        ("身份证43010219900307123X，电动车被盗", ["身份证", "电动车", "被盗"]),
        ("车牌湘A12345，电动车被盗", ["车牌", "电动车", "被盗"]),
        ("车牌湘AD12345，电动车被盗", ["车牌", "电动车", "被盗"]),
        ("银行卡6222021234567890123，电动车被盗", ["银行卡", "电动车", "被盗"]),
        ("电话１３８１２３４５６７８，电动车被盗", ["电话", "电动车", "被盗"]),
        # 110 is a whole word only where it stands alone, never carved out of a phone number.
        ("手机13811012345，电动车被盗", ["手机", "电动车", "被盗"]),
        # 20190012345 has 5+ digits; 号 and 已 are single characters.
        ("工单号20190012345已办结", ["工单", "办结"]),
    ],
)
def test_personal_numbers_and_plates_never_become_tokens(tokenizer, text, expected):
    assert tokenizer.tokenize(text) == expected


def test_dictionary_words_cannot_bring_personal_data_back(tmp_path):
    user_dict = tmp_path / "user_dict.txt"
    user_dict.write_text(
        "湘A12345 100 n\n报警人13812345678 100 n\n身份证430102199003071234 100 n\n"
        "王女士 100 nr\n联系人王五 100 n\n12345热线 100 n\n电动车 100 n\n",
        encoding="utf-8",
    )
    tokenizer = Tokenizer(user_dict)
    # The plate, the phone and the ID number and 王 before 女士 are blanked out before the cut, so
    # the dictionary words holding them never come out whole (报警 and 身份证 are left of theirs).
    # 王五 before 拨打 is not read as a name in the text, but 联系人王五 on its own is: dropped.
    # 12345热线 keeps its five digits.
    text = "湘A12345电动车，报警人13812345678，身份证430102199003071234，王女士和联系人王五拨打12345热线"
    assert tokenizer.tokenize(text) == [
        "电动车", "报警", "身份证", "女士", "拨打", "12345热线",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The names of issue 11: 李四, 刘德华 (a word of jieba's dictionary) and 王 of 王女士.
        ("联系人：李四，姓名:刘德华，王女士反映噪音扰民", ["联系人", "姓名", "女士", "噪音扰民"]),
        ("报警人欧阳娜娜称电动车被盗", ["报警", "电动车", "被盗"]),  # 人, 称: single characters
        ("我叫李娜，本人周杰伦要求出警", ["出警"]),  # 我 叫: singles; 本人 要求: stop words
        ("胡书记督办，张先生反映", ["书记", "督办", "先生"]),
        ("电话一三八一二三四五六七八，QQ号123456789", ["电话", "QQ号"]),
    ],
)
def test_names_and_numbers_that_masking_finds_never_become_tokens(tokenizer, text, expected):
    assert tokenizer.tokenize(text) == expected


def test_same_input_gives_same_output(tokenizer, reference):
    text = "小区晚上噪音扰民，派出所民警出警后调解，但没有解决，希望加强巡逻"
    first = tokenizer.tokenize(text)
    assert tokenizer.tokenize(text) == first
    assert Tokenizer().tokenize(text) == first
    assert reference.tokenize(text) == first


def test_count_tokens_segments_each_distinct_text_once(tokenizer, monkeypatch):
    texts = [
        "噪音扰民 噪音扰民 派出所",
        "\n\t\t\t噪音扰民  噪音扰民 派出所\n\t\t",  # the same text in export padding
        "户籍窗口办证难",
        "噪音扰民 噪音扰民 派出所",
        None,
    ]
    calls = []
    segment = tokenizer._cut
    monkeypatch.setattr(tokenizer, "_cut", lambda text: calls.append(text) or segment(text))
    counts = tokenizer.count_tokens(texts)
    # Three distinct texts after normalising: the 噪音扰民 one, 户籍窗口办证难 and the empty one.
    assert len(calls) == 3
    assert counts == [
        {"噪音扰民": 2, "派出所": 1},
        {"噪音扰民": 2, "派出所": 1},
        {"户籍窗口": 1, "办证难": 1},
        {"噪音扰民": 2, "派出所": 1},
        {},
    ]
    counts[0]["派出所"] = 99
    assert counts[1]["派出所"] == 1  # duplicates get their own dicts


def test_jieba_cache_is_written_to_the_given_directory(reference):
    reference.tokenize("派出所")
    assert (reference.cache_dir / "jieba.cache").is_file()


def test_rjieba_gives_the_words_of_jieba_on_real_messages(tokenizer, reference, realdata):
    messages = pd.read_excel(realdata / "群众留言_2019.xlsx", dtype=str, nrows=300)
    texts = [*messages["留言主题"].fillna(""), *messages["留言详情"].fillna("")]
    assert tokenizer.count_tokens(texts) == reference.count_tokens(texts)


def test_user_dict_reader_accepts_bom_and_crlf_and_names_a_bad_line(tmp_path):
    good = tmp_path / "good.txt"
    good.write_bytes("\ufeff噪音扰民 2000 n\r\n110 2000\r\n".encode())
    assert read_user_dict(good) == [("噪音扰民", 2000, "n"), ("110", 2000, None)]
    bad = tmp_path / "bad.txt"
    bad.write_text("噪音扰民 2000 n\n违章 停车 500 n\n", encoding="utf-8")
    with pytest.raises(ValueError, match="第 2 行"):
        read_user_dict(bad)


def test_no_name_or_number_masking_finds_in_the_real_message_boards_is_a_word(tmp_path, realdata):
    """Both real boards loaded as a clerk would (profile message_board, one handling unit): no
    stored word is, or equals, a name or number that masking finds in their texts.

    Names are dropped across one load and from the words of earlier loads; a name found in an
    earlier load is not remembered (nothing personal is kept to remember it by), so the board with
    the one 本人杨俊 goes last: loaded first, the other board's 镇长杨俊办公室 would keep 杨俊.
    """
    import duckdb

    from etl.load import load_files, load_manifest

    shutil.copy(ROOT / "data" / "sample" / "units.csv", tmp_path / "units.csv")
    (tmp_path / "manifest.json").write_text(
        '[{"file": "units.csv", "kind": "units"}]', encoding="utf-8"
    )
    warehouse = tmp_path / "board.duckdb"
    load_manifest(warehouse, tmp_path / "manifest.json")
    for name in ("群众留言_含答复.xlsx", "群众留言_2019.xlsx"):
        load_files(warehouse, [realdata / name], "complaints", profile="message_board",
                   fixed={"handling_unit_id": "P11"})  # fmt: skip
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("select title, content from complaints").fetchall()
        words = {w for (w,) in con.execute("select distinct token from text_tokens").fetchall()}
    texts = [text for row in rows for text in row if text]
    found = {text[start:end] for text in texts for start, end, _ in masking.findings(text)}
    names = {datum for datum in found if len(datum) > 1 and "\u4e00" <= datum[0] <= "\u9fff"}
    # 4,326 + 2,816 messages; what masking finds there: surnames before 先生/书记 …, the zeroed
    # numbers the publisher left (00000000), and names after labels (胡华衡, 彭乔松, 杨俊 …).
    assert (len(rows), len(names) > 100) == (4326 + 2816, True)
    assert sorted(words & found) == []
    assert [w for w in words if masking.is_personal(w)] == []
