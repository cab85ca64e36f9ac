"""Command line: python -m etl load|inspect|rebuild|migrate|train|evaluate … (run with -h for each).

Every command that writes (load, rebuild, and the upload page's loads through the same functions)
applies pending migrations inside its own write; `migrate` does only that. The demo is
`python -m demo`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from etl import learn
from etl.sources import KINDS


def _db(value: str | None) -> Path:
    from queries import db

    return Path(value) if value else db.db_path()


def _parse_set(pairs: list[str], option: str = "--set") -> dict[str, str]:
    fixed = {}
    for pair in pairs:
        column, sep, value = pair.partition("=")
        if not sep or not column.strip():
            form = "HEADER=COLUMN" if option == "--map" else "COLUMN=VALUE"
            raise SystemExit(f"{option} 需要 {form} 的形式，得到 {pair!r}")
        fixed[column.strip()] = value.strip()
    return fixed


def _parse_map(pairs: list[str]) -> dict[str, str | None]:
    """--map HEADER=COLUMN (COLUMN empty: ignore the header), as the upload page's mapping does."""
    mapping: dict[str, str | None] = {}
    for pair in pairs:
        header, sep, column = pair.rpartition("=")
        if not sep or not header.strip():
            raise SystemExit(
                f"--map 需要 表头=字段 的形式（字段留空表示不导入该列），得到 {pair!r}"
            )
        mapping[header.strip()] = column.strip() or None
    return mapping


def cmd_load(args: argparse.Namespace) -> int:
    from etl.load import FileRefused, load_files

    try:
        results = load_files(
            _db(args.db),
            [Path(f) for f in args.files],
            args.kind,
            sheet=args.sheet,
            header_row=args.header_row,
            encoding=args.encoding,
            profile=args.profile,
            fixed=_parse_set(args.set),
            mapping=_parse_map(args.map) or None,
            user=args.user,
            scope_unit_id=args.scope,
            source=args.source,
        )
    except FileRefused as exc:
        print(f"拒绝导入：{exc}", file=sys.stderr)
        return 2
    if args.json:
        summaries = [r.summary() for r in results]
        print(
            json.dumps(
                summaries[0] if len(summaries) == 1 else summaries,
                ensure_ascii=False,
                indent=2,
                default=str,
            )
        )
        return 0
    for r in results:
        for warning in r.warnings:
            print(f"注意（{r.file_name}）：{warning}", file=sys.stderr)
    print(f"{'文件':<28} {'读取':>8} {'新增':>8} {'更新':>8} {'未变':>8} {'拒绝':>8}")
    for r in results:
        print(
            f"{r.file_name:<28} {r.rows_read:>8} {r.rows_inserted:>8} {r.rows_updated:>8} "
            f"{r.rows_unchanged:>8} {r.rows_rejected:>8}"
        )
        for error in r.errors[:10]:
            print(f"  第 {error['row']} 行 {error['error']}")
        if len(r.errors) > 10:
            print(f"  … 另有 {len(r.errors) - 10} 条，见 import_errors（import_id={r.import_id}）")
    return 0


def cmd_inspect(args: argparse.Namespace) -> int:
    from etl import readers
    from etl.inspect import inspect

    try:
        report = inspect(
            Path(args.file), sheet=args.sheet, encoding=args.encoding, header_row=args.header_row
        )
    except readers.ExportError as exc:
        print(f"无法识别：{exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"文件：{report['file']}（{report['format']}）")
    where = f"编码 {report['encoding']}" if report["encoding"] else f"工作表 {report['sheet']}"
    print(f"{where}，表头在第 {report['header_row']} 行")
    kind = report["kind"] or "无法判断"
    extra = f"，导入配置 {report['profile']}" if report["profile"] else ""
    print(f"数据类型：{kind}（置信度 {report['confidence']:.0%}{extra}）")
    questions = set(report["question_headers"])
    for header, column in report["mapping"].items():
        target = "题目（每题一行：question/answer/score）" if header in questions else column
        if header in report["wide"]:
            target = _wide_role(report["wide"][header])
        print(f"  {header} → {target or '（不导入）'}")
    if report["missing"]:
        print(f"仍缺少必需字段：{', '.join(report['missing'])}（可用 --set COLUMN=VALUE 指定）")
    return 0


def _wide_role(role: dict) -> str:
    """What the melt of a wide file makes of one of its columns (etl/mapping.py wide_columns)."""
    if "level" in role:
        return f"第 {role['level']} 级类别（宽表展开：每条上下级一行 category/parent/level）"
    if "side" in role:
        return f"category（来源 {role['side']}，每个类别一行）"
    return f"{role['column']}（宽表展开：每个类别一行）"


def cmd_rebuild(args: argparse.Namespace) -> int:
    from etl.load import FileRefused, rebuild

    try:
        results = rebuild(_db(args.db))
    except FileRefused as exc:
        print(f"无法重建：{exc}", file=sys.stderr)
        return 2
    print(f"已从归档重建 {len(results)} 次导入，共 {sum(r.rows_read for r in results)} 行。")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from etl.store import migrate_file

    path = _db(args.db)
    applied = migrate_file(path)
    print(
        f"数据库 {path} 已升级：{', '.join(applied)}"
        if applied
        else f"数据库 {path} 已是最新结构。"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description="民意数据导入")
    sub = parser.add_subparsers(dest="command", required=True)

    load = sub.add_parser("load", help="导入一个或多个导出文件")
    load.add_argument("files", nargs="+")
    load.add_argument("--kind", required=True, choices=list(KINDS))
    load.add_argument("--db")
    load.add_argument("--sheet")
    load.add_argument("--header-row", type=int, help="表头所在行（从 1 起）；默认自动识别")
    load.add_argument("--encoding", help="CSV 编码；默认自动识别 (utf-8 / gb18030)")
    load.add_argument("--profile", help="已保存的列映射名称（etl/profiles/）")
    load.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="COLUMN=VALUE",
        help="为文件缺少的字段指定统一取值，如 --set channel=网上留言",
    )
    load.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="HEADER=COLUMN",
        help="把文件的某个表头对应到字段（与上传页面的列映射相同），如 --map 留言主题=title；"
        "HEADER= 表示不导入该列",
    )
    load.add_argument(
        "--source",
        metavar="SYSTEM",
        help="文件来自哪个系统（如 12345热线、政务留言板）：记录按 来源+编号 区分；"
        "默认取导入配置的名称，否则为 未注明",
    )
    load.add_argument("--user")
    load.add_argument(
        "--scope", metavar="UNIT_ID", help="只导入该单位及其下级单位的记录（内勤账号的上传即如此）"
    )
    load.add_argument("--json", action="store_true")
    load.set_defaults(func=cmd_load)

    inspect = sub.add_parser("inspect", help="识别文件：编码、表头、数据类型和列映射")
    inspect.add_argument("file")
    inspect.add_argument("--sheet")
    inspect.add_argument("--encoding")
    inspect.add_argument("--header-row", type=int)
    inspect.add_argument("--json", action="store_true")
    inspect.set_defaults(func=cmd_inspect)

    rebuild = sub.add_parser("rebuild", help="从归档文件重建数据库")
    rebuild.add_argument("--db")
    rebuild.set_defaults(func=cmd_rebuild)

    migrate = sub.add_parser(
        "migrate", help="升级数据库结构（应用尚未执行的迁移）；页面从不自行升级"
    )
    migrate.add_argument("--db")
    migrate.set_defaults(func=cmd_migrate)
    learn.add_commands(sub)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
