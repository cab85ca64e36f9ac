"""Command line: python -m demo [--db PATH] [--seed N] builds the demo warehouse and accounts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demo", description="生成演示数据并导入")
    parser.add_argument("--db", help="数据库路径；默认 $MINYI_DB 或 data/minyi.duckdb")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    from demo.bureau import build_demo
    from queries import db

    try:
        path = build_demo(Path(args.db) if args.db else db.db_path(), seed=args.seed)
    except FileExistsError as exc:
        print(f"未生成：{exc}", file=sys.stderr)
        return 2
    print(f"演示数据库已生成：{path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
