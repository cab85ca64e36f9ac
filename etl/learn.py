"""python -m etl train|evaluate|simulate|jobs: the classifiers of intel/ on the warehouse's
labelled rows, and the work a load leaves to the background (intel.jobs).

`train` writes (models, predictions, inferred categories) through the loader's one write path,
etl.store, so a dashboard reading meanwhile sees the old warehouse or the new one; `evaluate`
only reads.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

TARGET_CHOICES = ("category", "handling_unit", "suggestion_category")


def train(db_path: Path, targets: tuple[str, ...] = TARGET_CHOICES) -> list[dict]:
    """Train each target that has enough labels, predict every record left without a value and
    write the categories that follow. Returns the new models' rows (targets skipped are absent)."""
    from etl import derived, store
    from intel import classify, classify_store

    trained = []
    with store.write(db_path) as con:
        for target in targets:
            try:
                trained.append(classify_store.train(con, db_path, target))
            except classify.NotEnoughLabels:
                continue
            classify_store.predict(con, db_path, target, None, [])
        classify_store.refresh_categories(con, touched_only=True)
        derived.refresh(con, [])
    return trained


def cmd_train(args: argparse.Namespace) -> int:
    from etl.__main__ import _db

    targets = (args.target,) if args.target else TARGET_CHOICES
    trained = train(_db(args.db), targets)
    for row in trained:
        counts = json.loads(row["counts"])
        print(
            f"{row['target']}: 模型 {row['model_id']}（{row['sha'][:12]}…），训练 {row['rows']} 条，"
            f"{len(counts)} 类，阈值 {row['thresholds']}"
        )
    missing = [t for t in targets if t not in {r["target"] for r in trained}]
    for target in missing:
        print(f"{target}: 带标签记录不足，未训练", file=sys.stderr)
    return 0 if trained else 2


def cmd_evaluate(args: argparse.Namespace) -> int:
    from etl.__main__ import _db
    from intel import classify, classify_store
    from queries import db

    with db.read(_db(args.db)) as con:
        _, texts, labels = classify_store.labelled(con, args.target)
    try:
        report = classify.evaluate(texts, labels, folds=args.folds)
    except classify.NotEnoughLabels as exc:
        print(f"无法评估：{exc}", file=sys.stderr)
        return 2
    if args.json:
        keys = ("n", "macro_f1", "accuracy", "per_class", "at_precision")
        print(json.dumps({k: report[k] for k in keys}, ensure_ascii=False, indent=2))
        return 0
    print(f"{args.target}: n = {report['n']}，{report['folds']} 折分层交叉验证")
    print(f"macro-F1 {report['macro_f1']:.3f}，准确率 {report['accuracy']:.3f}")
    for precision, reached in report["at_precision"].items():
        got = reached["precision"]
        print(
            f"目标精确率 {precision}：自动分派 {reached['coverage']:.1%}，"
            f"实际精确率 {'—' if got is None else f'{got:.1%}'}"
        )
    print("各类 F1：")
    for label, f1 in sorted(report["per_class"].items(), key=lambda item: -item[1]):
        print(f"  {label:<16} {f1:.3f}")
    if report["skipped_labels"]:
        rare = "、".join(f"{k}（{v}）" for k, v in report["skipped_labels"].items())
        print(f"样本不足 {classify.MIN_PER_CLASS} 条、未参与的类别：{rare}")
    return 0


def cmd_jobs(args: argparse.Namespace) -> int:
    """`jobs` (what the upload page's load starts) and `simulate` (replays alone)."""
    import logging

    from etl.__main__ import _db
    from intel import jobs

    # Its log (<warehouse>.jobs.log when a load starts it) says what each step took.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    done = jobs.run(_db(args.db), args.months, train=args.func is cmd_jobs)
    if done is None:
        print("另一个后台任务正在运行，本次退出（它会处理最新的变化）。", file=sys.stderr)
        return 0
    for target in done["trained"]:
        print(f"{target}: 已训练新模型")
    months = "、".join(str(m)[:7] for m in done["replayed"]) or "无（均已是最新）"
    print(f"路由模拟已预先计算的月份：{months}")
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    return cmd_jobs(args)


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register `train`, `evaluate`, `simulate` and `jobs` on the etl command line."""
    train_cmd = sub.add_parser("train", help="用带标签的记录训练分类模型")
    train_cmd.add_argument("--db")
    train_cmd.add_argument("--target", choices=TARGET_CHOICES, help="默认：全部")
    train_cmd.set_defaults(func=cmd_train)

    evaluate = sub.add_parser(
        "evaluate", help="分层交叉验证：macro-F1、准确率、各精确率下的自动分派比例"
    )
    evaluate.add_argument("--db")
    evaluate.add_argument("--target", choices=TARGET_CHOICES, required=True)
    evaluate.add_argument("--folds", type=int, default=5)
    evaluate.add_argument("--json", action="store_true")
    evaluate.set_defaults(func=cmd_evaluate)

    simulate = sub.add_parser(
        "simulate", help="预先计算路由模拟最近几个月的回放（输入有变化的月份），页面直接读取"
    )
    simulate.add_argument("--db")
    simulate.add_argument(
        "--months", type=int, default=3, help="最近几个月（默认 3，同上传后的后台任务）"
    )
    simulate.set_defaults(func=cmd_simulate)

    jobs = sub.add_parser(
        "jobs", help="上传页面导入后的后台任务：训练需要重新训练的模型，再预先计算路由模拟"
    )
    jobs.add_argument("--db")
    jobs.add_argument("--months", type=int, default=3, help="路由模拟最近几个月（默认 3）")
    jobs.set_defaults(func=cmd_jobs)
