"""The classifiers in the warehouse: train from labelled rows, predict at load, fill the contract.

Called by the loader on its own connection, inside its transaction (`after_load` once per import,
after the upsert and before the derived tables are refreshed; `after_undo` from an undo), so a
refused load or a crash leaves models, predictions and categories as they were. An upload's load
fits no model: it leaves that to the job it starts (intel.jobs), which fits with `fit` on a
snapshot and writes with `record`. Models are files
in models/ beside the warehouse, named by their sha256; the `models` table says which exist, and
the newest row of a target is its model. What a record's category is follows from three facts,
in this order: the export's value (导入), a person's label (人工), the newest prediction at or above
its threshold (模型); `refresh_categories` writes exactly that, so an undo only has to delete the
predictions and models of the import and refresh. A record is its source and its key
(source_system beside record_id; a label's record_source): two systems' case 6 are two records.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import Counter
from pathlib import Path

import duckdb
import numpy as np

import queries
from intel import route
from intel.features import record_text

log = logging.getLogger(__name__)

# intel.classify (scikit-learn, a second to import) is imported where a model is trained or used,
# so loads of other kinds, and loads with nothing to learn, do not pay for it.

TARGET_LABELS = {
    "category": "诉求类别",
    "handling_unit": "承办单位",
    "suggestion_category": "建议类别",
}
# The targets whose labelled rows a load of each kind can change.
TARGETS_OF_KIND = {
    "complaints": ("category", "handling_unit"),
    "survey_responses": ("suggestion_category",),
    "labels": tuple(TARGET_LABELS),
    "routing_rules": ("category", "handling_unit"),
}
# Targets with a contract column: table, key expression, the column set from exports.
CONTRACT = {
    "category": ("complaints", "case_id"),
    "suggestion_category": (
        "survey_responses",
        "survey_id || '|' || response_id || '|' || question",
    ),
}
TABLES = {table for table, _ in CONTRACT.values()}
# A load (or an upload's background job) trains a model only when the fit is small enough
# (labels × training rows; 16 categories on 20,000 rows take about half a minute on 2 cores).
# Larger ones, such as routing to a province's 1,500 stations, wait for `python -m etl train`.
LOAD_TRAINING_BUDGET = 20_000 * 20
DEFAULTS = {"classify_precision": 0.95, "classify_retrain_share": 0.1, "classify_min_rows": 30}


def model_folder(db_path: Path) -> Path:
    """Where model artefacts live: models/ beside the warehouse file."""
    return Path(db_path).resolve().parent / "models"


def settings(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """The classifier settings (target precision, retrain share, fewest rows), as numbers."""
    stored = queries.run(con, "settings").set_index("key")["value"].to_dict()
    return {key: float(stored.get(key, default)) for key, default in DEFAULTS.items()}


def precision_key(precision: float) -> str:
    """The thresholds key of a target precision (0.95 -> '0.95')."""
    return f"{precision:.2f}"


def labelled(con: duckdb.DuckDBPyConnection, target: str) -> tuple[list[str], list[str], list[str]]:
    """(record ids, texts, labels) a model of `target` learns from."""
    rows = queries.run(con, "intel_labelled_rows", target=target)
    texts = [record_text(t, c) for t, c in zip(rows["title"], rows["content"])]
    return rows["record_id"].tolist(), texts, rows["label"].astype(str).tolist()


def current_model(con: duckdb.DuckDBPyConnection, target: str) -> dict | None:
    """The newest model row of `target` (None: never trained)."""
    found = con.execute(
        "select model_id, artefact_sha256, training_rows, label_counts, thresholds from models"
        " where target = $target order by trained_at desc, model_id limit 1",
        {"target": target},
    ).fetchone()
    if found is None:
        return None
    model_id, sha, rows, counts, thresholds = found
    return {
        "model_id": model_id,
        "sha": sha,
        "training_rows": rows,
        "labelled_rows": sum(json.loads(counts).values()),
        "thresholds": json.loads(thresholds),
    }


def train(
    con: duckdb.DuckDBPyConnection, db_path: Path, target: str, import_id: int | None = None
) -> dict:
    """Train `target` on its labelled rows and record the model; return its `models` row.

    Raises classify.NotEnoughLabels when there is too little to learn from.
    """
    return record(con, db_path, fit(con, target), import_id)


def fit(con: duckdb.DuckDBPyConnection, target: str):
    """A model of `target` fitted on its labelled rows (any connection, a read-only one too:
    intel.jobs fits without holding the writer lock). Raises classify.NotEnoughLabels."""
    from intel import classify

    ids, texts, labels = labelled(con, target)
    return classify.fit(target, ids, texts, labels)


def record(con: duckdb.DuckDBPyConnection, db_path: Path, model, import_id: int | None) -> dict:
    """Save a fitted model's artefact and add its `models` row (on a write connection)."""
    from intel import classify

    sha, _ = classify.save(model, model_folder(db_path))
    row = {
        "model_id": model.model_id,
        "target": model.target,
        "sha": sha,
        "trained_at": dt.datetime.now(),
        "rows": model.training_rows,
        "counts": json.dumps(model.label_counts, ensure_ascii=False),
        "thresholds": json.dumps(model.thresholds),
        "import_id": import_id,
    }
    con.execute(
        "insert into models values ($model_id, $target, $sha, $trained_at, $rows, $counts,"
        " $thresholds, $import_id)",
        row,
    )
    return row


def after_load(
    con: duckdb.DuckDBPyConnection,
    db_path: Path,
    import_id: int,
    kind: str,
    *,
    background: bool = False,
) -> list[str]:
    """What a load of `kind` changes in the classifiers: mark exported categories 导入, retrain a
    target whose labelled rows changed enough, predict the records left without a value, and
    write the categories that follow. With `background` (the upload page) no model is fitted
    here: the targets that want one are returned, for the job the load starts (intel.jobs), and
    the records that have no model meanwhile wait."""
    targets = TARGETS_OF_KIND.get(kind)
    if not targets:
        return []
    _mark_exported(con, import_id)
    config = settings(con)
    _touch(con, import_id)
    deferred = []
    for target in targets:
        if background:
            retrained = False
            if wants_training(con, target, config):
                deferred.append(target)
        else:
            retrained = _retrain_if_changed(con, db_path, target, import_id, config)
        # A new model, or new rules, propose again for every record without a value; otherwise
        # only this load's records get a proposal.
        everything = retrained or kind == "routing_rules"
        predict(con, db_path, target, import_id, [] if everything else [import_id], config)
    refresh_categories(con, touched_only=True)
    return deferred


def after_undo(con: duckdb.DuckDBPyConnection, db_path: Path, import_id: int) -> None:
    """An undone import takes its models and predictions with it; categories follow the rest."""
    con.execute("delete from predictions where import_id = $id", {"id": import_id})
    con.execute("delete from models where import_id = $id", {"id": import_id})
    refresh_categories(con)


def predict(
    con: duckdb.DuckDBPyConnection,
    db_path: Path,
    target: str,
    import_id: int | None,
    import_ids: list[int],
    config: dict[str, float] | None = None,
) -> int:
    """Propose `target` for the records without a value written by `import_ids` (empty: all):
    a matching routing rule's value (confidence 1, model_id rule:<id>), else the model's. Keep
    every proposal in `predictions`. Returns how many were made."""
    found = current_model(con, target)
    if found is not None and not (model_folder(db_path) / f"{found['sha']}.joblib").is_file():
        # A warehouse copied or restored without its models folder: the records wait, the load
        # goes on (a missing artefact must not refuse a clerk's file).
        log.warning(
            "模型文件 %s.joblib 不在 %s，%s 暂不推断；运行 python -m etl train 重新训练。",
            found["sha"],
            model_folder(db_path),
            target,
        )
        found = None
    rules = _rules(con, target)
    if found is None and rules.empty:
        return 0
    config = config or settings(con)
    rows = queries.run(con, "intel_unlabelled_rows", target=target, import_ids=import_ids)
    if rows.empty:
        return 0
    texts = [record_text(t, c) for t, c in zip(rows["title"], rows["content"])]
    made = rows[["source_system", "record_id"]].assign(
        value=None, confidence=np.nan, threshold=np.nan, model_id=None
    )
    if found is not None:
        from intel import classify

        model = classify.load(model_folder(db_path), found["sha"])
        values, confidence = model.predict(texts)
        made["value"], made["confidence"] = values.astype(str), np.round(confidence, 6)
        made["threshold"] = found["thresholds"].get(precision_key(config["classify_precision"]))
        made["model_id"] = found["model_id"]
    if not rules.empty:
        field = "handling_unit_id" if target == "handling_unit" else "set_category"
        matched = route.Matcher(route.rules_from(rules)).match_all(
            texts, rows["channel"].tolist(), rows["category"].tolist()
        )
        for index, rule in enumerate(matched):
            if rule is not None and getattr(rule, field):
                made.loc[index, ["value", "confidence", "threshold", "model_id"]] = (
                    getattr(rule, field),
                    1.0,
                    0.0,
                    f"rule:{rule.rule_id}",
                )
    made = made[made["value"].notna()].assign(
        target=target, made_at=dt.datetime.now(), import_id=import_id
    )
    con.register("_made", made)
    try:
        con.execute(
            "insert into predictions by name select source_system, record_id, target, value,"
            " confidence, threshold::double as threshold, model_id, made_at,"
            " import_id::bigint as import_id from _made"
        )
        _create_touched(con)
        con.execute("insert into _intel_touched select source_system, record_id from _made")
    finally:
        con.unregister("_made")
    return len(made)


def _rules(con: duckdb.DuckDBPyConnection, target: str):
    """The routing rules that propose `target` (none for survey suggestions)."""
    rules = queries.run(con, "intel_routing_rules")
    if target == "suggestion_category":
        return rules.iloc[0:0]
    field = "handling_unit_id" if target == "handling_unit" else "set_category"
    return rules[rules[field].notna()]


def refresh_categories(con: duckdb.DuckDBPyConnection, *, touched_only: bool = False) -> None:
    """Write each category that is not the export's: a person's label, else the newest prediction
    at or above its threshold (the threshold travels with the prediction, as it was when made;
    模型, with its confidence), else nothing. Rows that change are marked for the derived tables,
    and their words take the new category. `touched_only`: only the records this load wrote or
    predicted (_intel_touched), not the whole table."""
    _create_touched(con)
    only = (
        "and (t.source_system, t.{key}) in (select * from _intel_touched)" if touched_only else ""
    )
    for target, (table, key) in CONTRACT.items():
        con.execute(
            f"""
            create or replace temp table _category_now as
            with newest as (
                select source_system, record_id, value, confidence, threshold
                from predictions where target = $target
                qualify row_number() over (
                    partition by source_system, record_id order by made_at desc, model_id) = 1
            )
            select t.source_system, t.{key} as record_id,
                coalesce(l.value, case when n.confidence >= n.threshold then n.value end)
                    as category,
                case when l.value is not null then '人工'
                     when n.confidence >= n.threshold then '模型' end as category_source,
                case when l.value is null and n.confidence >= n.threshold
                     then n.confidence end as category_confidence
            from {table} as t
            left join labels as l on l.target = $target
                and l.record_source = t.source_system and l.record_id = t.{key}
            left join newest as n on n.source_system = t.source_system and n.record_id = t.{key}
            where t.category_source is distinct from '导入'
                and (t.category_source is not null or l.value is not null
                     or n.record_id is not null)
                {only.format(key=key)}
            """,
            {"target": target},
        )
        con.execute(
            f"""
            create or replace temp table _category_changed as
            select c.* from _category_now as c join {table} as t
                on t.source_system = c.source_system and t.{key} = c.record_id
            where c.category is distinct from t.category
                or c.category_source is distinct from t.category_source
                or c.category_confidence is distinct from t.category_confidence
            """
        )
        con.execute(
            f"""
            update {table} as t set category = c.category, category_source = c.category_source,
                category_confidence = c.category_confidence
            from _category_changed as c
            where t.source_system = c.source_system and t.{key} = c.record_id
            """
        )
        source = "complaint" if table == "complaints" else "survey_suggestion"
        con.execute(
            """
            update text_tokens as w set category = c.category
            from _category_changed as c
            where w.source = $source and w.source_system = c.source_system
                and w.record_id = c.record_id
            """,
            {"source": source},
        )
        # Their words' daily counts by category (token_days) are recounted by derived.refresh:
        # after `etl train` or a person's label no import of these records marks their days.
        con.execute("create temp table if not exists _touched_word_days (day date)")
        con.execute(
            """
            insert into _touched_word_days
            select distinct w.day from text_tokens as w
            join _category_changed as c on w.source = $source and w.record_id = c.record_id
            """,
            {"source": source},
        )
        if table == "complaints":
            con.execute("create temp table if not exists _touched_cases (case_id varchar)")
            con.execute("insert into _touched_cases select record_id from _category_changed")
        con.execute("drop table _category_now")
        con.execute("drop table _category_changed")
    con.execute("drop table _intel_touched")


def resolve_label_sources(con: duckdb.DuckDBPyConnection) -> None:
    """_typed of a labels file, before its rows are written: a row without 标注记录来源 names the
    record of the one source that holds its id; a row whose id several sources hold, or that
    names no stored record, is refused (_errors), as a person's word must fall on one record."""
    con.execute(
        f"""
        create or replace temp table _label_holders as
        select t._rid, coalesce(list(distinct h.source_system order by h.source_system)
            filter (where h.source_system is not null), []) as sources
        from _typed as t
        left join (
            select false as suggestion, case_id as record_id, source_system from complaints
            union all
            select true, {CONTRACT["suggestion_category"][1]}, source_system
            from survey_responses
        ) as h on h.suggestion = (t.target = 'suggestion_category')
            and h.record_id = t.record_id
            and (t.record_source is null or h.source_system = t.record_source)
        where t._rid not in (select _rid from _errors)
        group by t._rid
        """
    )
    con.execute(
        """
        update _typed as t set record_source = h.sources[1]
        from _label_holders as h where h._rid = t._rid and len(h.sources) = 1
        """
    )
    con.execute(
        """
        insert into _errors (_rid, row_number, column_name, value, error)
        select t._rid, t._row, '标注记录来源', t.record_source, case
            when len(h.sources) > 1 then '编号 ' || t.record_id || ' 在多个来源中（'
                || array_to_string(h.sources, '、') || '），请在「标注记录来源」列指明来源'
            when t.record_source is not null then '来源「' || t.record_source
                || '」中没有编号为 ' || t.record_id || ' 的记录'
            else '没有编号为 ' || t.record_id || ' 的记录' end
        from _typed as t join _label_holders as h using (_rid)
        where len(h.sources) <> 1
        """
    )
    con.execute("drop table _label_holders")


def _create_touched(con: duckdb.DuckDBPyConnection) -> None:
    """_intel_touched: the records (source_system, record_id) a load wrote or a model proposed for."""
    con.execute(
        "create temp table if not exists _intel_touched (source_system varchar, record_id varchar)"
    )


def _touch(con: duckdb.DuckDBPyConnection, import_id: int) -> None:
    """The records an import wrote (its labels' records too) are looked at again."""
    _create_touched(con)
    for table, source, key in [
        *((table, "source_system", key) for table, key in CONTRACT.values()),
        ("labels", "record_source", "record_id"),
    ]:
        con.execute(
            f"insert into _intel_touched select {source}, {key} from {table} where import_id = $id",
            {"id": import_id},
        )


def _mark_exported(con: duckdb.DuckDBPyConnection, import_id: int) -> None:
    """A category this import wrote came from the export: 导入."""
    for table, _ in CONTRACT.values():
        con.execute(
            f"update {table} set category_source = '导入', category_confidence = null"
            " where import_id = $id and category is not null and category_source is null",
            {"id": import_id},
        )


def wants_training(
    con: duckdb.DuckDBPyConnection, target: str, config: dict[str, float] | None = None
) -> bool:
    """Whether `target` should be trained again: its labelled rows grew or shrank by the retrain
    share, or it has enough rows, no model yet and some record waits for a proposal (a warehouse
    whose every record is labelled, like the demo's, needs no model until `etl train` asks for
    one); and the fit stays within LOAD_TRAINING_BUDGET. Reads only."""
    config = config or settings(con)
    rows = queries.run(con, "intel_labelled_rows", target=target)
    count = len(rows)
    found = current_model(con, target)
    if found is None:
        if count < config["classify_min_rows"]:
            return False
        waiting = queries.run(con, "intel_unlabelled_rows", target=target, import_ids=[])
        if waiting.empty:
            return False
    elif abs(count - found["labelled_rows"]) < max(
        1.0, config["classify_retrain_share"] * found["labelled_rows"]
    ):
        return False
    return _training_size(rows["label"].tolist()) <= LOAD_TRAINING_BUDGET


def _retrain_if_changed(
    con: duckdb.DuckDBPyConnection,
    db_path: Path,
    target: str,
    import_id: int,
    config: dict[str, float],
) -> bool:
    """Train `target` inside the load when wants_training says so. Returns whether it did."""
    if not wants_training(con, target, config):
        return False
    from intel import classify

    try:
        train(con, db_path, target, import_id)
    except (classify.NotEnoughLabels, ValueError):
        # A model that cannot be fitted on these labels must not refuse the file being loaded:
        # the records keep waiting, `etl train` says why.
        return False
    return True


def _training_size(labels: list[str]) -> int:
    """Labels learnt × rows trained on, the cost of a fit (see classify.learnable)."""
    from intel import classify

    counts = sorted(Counter(labels).values(), reverse=True)[: classify.MAX_LABELS]
    learnt = [n for n in counts if n >= classify.MIN_PER_CLASS]
    return len(learnt) * min(sum(learnt), classify.MAX_TRAINING_ROWS)
