"""A page's headers do not depend on which pages ran before it in the same server: no labels
module changes a label that pages/ui/labels.py already defines."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# In a fresh interpreter: the test session itself has imported every labels module already.
PROBE = """
import importlib, json, pkgutil
import pages.ui
from pages.ui import labels
shared = dict(labels.COLUMNS)
for module in pkgutil.iter_modules(pages.ui.__path__):
    if module.name.startswith("labels_"):
        importlib.import_module("pages.ui." + module.name)
print(json.dumps({k: [shared[k], v] for k, v in labels.COLUMNS.items()
                  if k in shared and shared[k] != v}, ensure_ascii=False))
"""


def test_no_labels_module_redefines_a_shared_column_label():
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == {}
