"""The walls between the pipeline's parts hold: the import contracts in pyproject.toml ([tool.importlinter])."""

from __future__ import annotations

import shutil
import subprocess

from conftest import BIN, REPO, need


def test_import_contracts_are_kept():
    lint = BIN / "lint-imports"
    found = str(lint) if lint.exists() else shutil.which("lint-imports")
    need(found is not None, "lint-imports (import-linter, in the test extras) is not installed")
    proc = subprocess.run([found, "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"import contracts broken:\n{proc.stdout}\n{proc.stderr}"
