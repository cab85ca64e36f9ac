"""Chinese text of the unit alias proposals (pages/ui/upload_alias.py, the alias section of
pages/admin.py) and of the advice on rows of another unit's tree (pages/ui/upload_advice.py)."""

# The audit row's detail: the alias and the unit it names (who and when are the row's own columns).
ALIAS_AUDIT = "「{alias}」→ {unit}（{unit_id}）"
