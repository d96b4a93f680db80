"""The layout rules from docs/architecture.md, checked."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "changemaker"
CAPABILITIES = ["budgeting", "consultations", "support", "insight", "evidence", "culture"]
FORBIDDEN = ("django", "rules", "axes", "django_otp", "changemaker.core", "changemaker.settings")
#: The one part of core an engine may import: pure code every engine shares (input problems).
SHARED = "changemaker.engine"


def _impure(name: str) -> bool:
    if name == SHARED or name.startswith(SHARED + "."):
        return False
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN) or (
        name.startswith("changemaker.") and ".engine" not in name
    )


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("capability", CAPABILITIES)
def test_every_capability_has_a_pure_engine(capability: str) -> None:
    engine = SRC / capability / "engine"
    assert (engine / "__init__.py").is_file(), f"{engine} must be a package"
    offenders = [
        f"{path.relative_to(SRC)}:{line} imports {name}"
        for path in engine.rglob("*.py")
        if "tests" not in path.parts
        for line, name in _imports(path)
        if _impure(name)
    ]
    assert offenders == [], "engine/ must not import Django or the web layer:\n" + "\n".join(
        offenders
    )


def test_the_shared_engine_code_in_core_is_pure() -> None:
    shared = SRC / "engine"
    offenders = [
        f"{path.relative_to(SRC)}:{line} imports {name}"
        for path in shared.rglob("*.py")
        for line, name in _imports(path)
        if name.startswith(("django", "changemaker.")) and not name.startswith(SHARED)
    ]
    assert offenders == [], "engine/ is shared by the engines: pure Python only\n" + "\n".join(
        offenders
    )


def test_engine_only_cli_does_not_import_django() -> None:
    code = (
        "import sys\n"
        "from changemaker import cli\n"
        "try:\n"
        "    cli.cli.main(['--help'], standalone_mode=False)\n"
        "    for name in ('pb', 'opinions', 'support', 'insight', 'evidence', 'culture'):\n"
        "        cli.cli.main([name, '--help'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print('DJANGO' if bad else 'CLEAN', bad[:3])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    verdict = out.strip().splitlines()[-1]
    assert verdict.startswith("CLEAN"), verdict
