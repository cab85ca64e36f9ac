"""Hand-made complaint exports for the classifier tests: three categories a reader tells apart at
a glance, each handled by one unit, written as the bureau's exports are (see data/sample/)."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

HEADER = [
    "工单编号",
    "受理时间",
    "来源渠道",
    "诉求类型",
    "标题",
    "诉求内容",
    "受理单位",
    "承办单位",
    "办理状态",
    "问题类别",
    "分派方式",
]
PLACES = ["幸福小区", "江南花园", "滨河路", "人民路", "春晖苑", "东湖新村"]
# category -> (handling unit, title, content templates over {place} and {thing})
STORIES = {
    "噪音扰民": (
        "东风派出所",
        "{place}夜间噪音扰民",
        "{place}楼下的{thing}半夜噪音很大，吵得老人孩子睡不着，希望派出所管一管",
        ["烧烤店", "KTV", "广场舞音响", "装修电钻", "酒吧"],
    ),
    "电信诈骗": (
        "南湖派出所",
        "被冒充{thing}的电话诈骗",
        "住在{place}，接到冒充{thing}的电话，按对方要求转账后被骗，请求立案追回损失",
        ["客服", "公检法", "快递员", "领导", "银行"],
    ),
    "出入境办证": (
        "出入境窗口",
        "{thing}办理进度慢",
        "在{place}附近的窗口办理{thing}，等了很久还没拿到证件，想问一下进度",
        ["护照", "港澳通行证", "台湾通行证", "签注", "出国证件"],
    ),
}


def rows(prefix: str, per_category: int, *, labelled: bool, day: int = 1) -> list[list[str]]:
    """`per_category` cases of each story, ids prefix01…; with or without 问题类别 and 承办单位."""
    out, number = [], 0
    for category, (unit, title, content, things) in STORIES.items():
        combos = itertools.cycle(itertools.product(PLACES, things))
        for _ in range(per_category):
            number += 1
            place, thing = next(combos)
            values = {"place": place, "thing": thing}
            out.append(
                [
                    f"{prefix}{number:02d}",
                    f"2024-05-{day:02d} {8 + number % 10:02d}:00:00",
                    "12345",
                    "投诉",
                    title.format(**values),
                    content.format(**values),
                    "市局",
                    unit if labelled else "",
                    "受理",
                    category if labelled else "",
                    "人工" if labelled else "",
                ]
            )
    return out


def write(path: Path, data: list[list[str]]) -> Path:
    """A complaints export (UTF-8 with BOM, as the bureau's system writes it)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(data)
    return path
