"""Command line: python -m briefing --week 2026-W48 --out 周报.docx|.pdf, and
python -m briefing alerts [--json] (run with -h for each)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from briefing import make
from briefing import period as periods


def _add_period(parser: argparse.ArgumentParser) -> None:
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--week", help="ISO 周，如 2026-W48（默认：上一个完整的周）")
    when.add_argument("--month", help="月份，如 2026-11")
    when.add_argument("--from", dest="start", type=date.fromisoformat, help="开始日期 2026-11-01")
    parser.add_argument(
        "--to", dest="end", type=date.fromisoformat, help="结束日期（与 --from 连用）"
    )
    parser.add_argument("--unit", help="单位编码或名称：只写这个单位及其下属单位（默认：全局）")
    parser.add_argument("--db", type=Path, help="数据库文件（默认 $MINYI_DB）")


def _period(args: argparse.Namespace) -> periods.Period:
    if args.week:
        return periods.parse_week(args.week)
    if args.month:
        return periods.parse_month(args.month)
    if args.start or args.end:
        if not (args.start and args.end):
            raise ValueError("--from 与 --to 需要一起给出")
        return periods.days(args.start, args.end)
    return periods.last_full_week(date.today())


def cmd_make(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m briefing", description="生成领导周报/月报（Word 或 PDF，按 --out 的扩展名）"
    )
    _add_period(parser)
    parser.add_argument("--out", type=Path, required=True, help="输出文件：….docx 或 ….pdf")
    args = parser.parse_args(argv)
    if args.out.suffix.lower() not in make.FORMATS:
        print(f"无法生成：--out 的扩展名须为 .docx 或 .pdf，得到 {args.out.name}", file=sys.stderr)
        return 2
    try:
        period = _period(args)
        written = make.write_file(args.out, period, db_path=args.db, unit=args.unit)
    except (ValueError, make.BriefingError) as exc:
        print(f"无法生成：{exc}", file=sys.stderr)
        return 2
    print(f"已生成 {written}（{period.label}）")
    return 0


def cmd_alerts(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m briefing alerts", description="列出预警（供定时任务或消息网关读取）"
    )
    _add_period(parser)
    parser.add_argument("--json", action="store_true", help="输出 JSON 列表")
    args = parser.parse_args(argv)
    try:
        period = _period(args)
        found = make.alerts(period, db_path=args.db, unit=args.unit)
    except (ValueError, make.BriefingError) as exc:
        print(f"无法检查预警：{exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([a.as_dict() for a in found], ensure_ascii=False, indent=2))
    elif not found:
        print(f"{period.label}：没有触发预警。")
    for alert in [] if args.json else found:
        print(f"{alert.where}：{alert.what}（自{alert.since}起）")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["alerts"]:
        return cmd_alerts(argv[1:])
    return cmd_make(argv)


if __name__ == "__main__":
    sys.exit(main())
