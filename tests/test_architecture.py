"""The layout rules from docs/architecture.md, checked."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "changemaker"
CAPABILITIES = [
    "budgeting",
    "consultations",
    "support",
    "insight",
    "evidence",
    "culture",
    "listening",
]
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


# The capability contract (docs/architecture.md, "The capability contract") --------------------

CORE = SRC / "core"
#: Capabilities with a web app (a Django app: apps.py). evidence and culture join when theirs
#: arrives; their engine and CLI follow the engine rules above already.
WEB_APPS = [c for c in CAPABILITIES if (SRC / c / "apps.py").is_file()]
#: Each file (or package of the same name) every web app has, and what it is for.
CONTRACT = {
    "apps.py": "registers the capability with core.registry from ready()",
    "rules.py": "its permissions (roles or rules predicates)",
    "models.py": "its tables",
    "selectors.py": "reads, scoped to what the person may see",
    "actions.py": "writes only, each an @action",
    "adapter.py": "database <-> engine: inputs, run, store",
    "api.py": "its open data: a ninja Router of reads, or None (core.api mounts it)",
    "jobs.py": "its background jobs",
    "forms.py": "its forms",
    "views": "views/ split by audience: public.py, resident.py, staff.py",
    "urls": "urls/ split the same way",
    "demo.py": "Exampleton's content, idempotent",
    "cli.py": "its `changemaker` subcommand",
    "engine": "the pure engine",
    "tests": "its tests",
}
AUDIENCE_MODULE = r"(public|resident|staff)(_[a-z0-9_]+)?|shared|__init__"
WRITES = {
    "save",
    "create",
    "update",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 80


def _sources(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "migrations" not in p.parts)


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph() -> dict[str, set[str]]:
    """Module -> the changemaker modules it imports (anywhere in the file, lazily too)."""
    paths = {_module(p): p for p in _sources(SRC)}

    def known(name: str) -> str:
        while name and name not in paths:
            name = name.rpartition(".")[0]
        return name

    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                    base = f"{base}.{node.module}" if node.module else base
                names = [
                    f"{base}.{a.name}" if f"{base}.{a.name}" in paths else base for a in node.names
                ]
            found |= {known(n) for n in names if n.startswith("changemaker")}
        graph[module] = found - {module, ""}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_anywhere() -> None:
    assert _cycles(_graph()) == [], "import cycles (split the shared part into its own module)"


def _capability_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_core_imports_no_capability() -> None:
    offenders = [
        f"{m} imports {n}"
        for m, names in _graph().items()
        if _capability_of(m) == "core"
        for n in names
        if _capability_of(n) in CAPABILITIES
    ]
    assert offenders == [], "core must not know any capability:\n" + "\n".join(offenders)


def test_core_names_no_capability() -> None:
    """Not even by URL name, permission or throttle: capabilities register those themselves."""
    pattern = re.compile("[\"'](" + "|".join(CAPABILITIES) + ")[.:]")
    offenders = [
        f"{path.relative_to(SRC)}:{number}: {line.strip()}"
        for path in _sources(CORE)
        if "tests" not in path.parts  # core's tests may check what the capabilities registered
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert offenders == [], "\n".join(offenders)


def test_no_capability_imports_another() -> None:
    offenders = [
        f"{m} imports {n}"
        for m, names in _graph().items()
        if _capability_of(m) in CAPABILITIES
        for n in names
        if _capability_of(n) in CAPABILITIES and _capability_of(n) != _capability_of(m)
    ]
    assert offenders == [], "shared code goes to core:\n" + "\n".join(offenders)


@pytest.mark.parametrize("part", ["core", "engine", *CAPABILITIES])
def test_files_and_functions_are_short(part: str) -> None:
    long = []
    for path in _sources(SRC / part):
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MAX_FILE_LINES:
            long.append(f"{path.relative_to(SRC)}: {lines} lines (split it by concern)")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                if size > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name}: {size} lines")
    assert long == [], (
        f"at most {MAX_FILE_LINES} lines a file, {MAX_FUNCTION_LINES} a function:\n"
        + "\n".join(long)
    )


def _has(app: Path, name: str) -> bool:
    return (app / name).exists() or (app / name.removesuffix(".py")).is_dir()


@pytest.mark.parametrize("capability", WEB_APPS)
def test_every_web_app_has_the_contract_files(capability: str) -> None:
    app = SRC / capability
    missing = [f"{name} ({why})" for name, why in CONTRACT.items() if not _has(app, name)]
    assert missing == [], f"{capability} lacks:\n" + "\n".join(missing)
    for folder in ("views", "urls"):
        strays = [
            p.name for p in (app / folder).glob("*.py") if not re.fullmatch(AUDIENCE_MODULE, p.stem)
        ]
        assert strays == [], f"{capability}/{folder}/ is split by audience: {strays}"


def _action_modules(root: Path) -> list[Path]:
    return [
        p
        for p in _sources(root)
        if "tests" not in p.parts and (p.name == "actions.py" or p.parent.name == "actions")
    ]


def _is_action(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name == "action":
            return True
    return False


@pytest.mark.parametrize("part", ["core", *WEB_APPS])
def test_every_public_function_of_an_actions_module_is_an_action(part: str) -> None:
    offenders = [
        f"{path.relative_to(SRC)}:{node.lineno} {node.name}"
        for path in _action_modules(SRC / part)
        for node in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and not node.name.startswith("_")
        and not _is_action(node)
    ]
    assert offenders == [], (
        "actions.py holds writes only, each decorated @action (core.audit.action): one "
        "transaction and an audit event. Reads go to selectors.py:\n" + "\n".join(offenders)
    )


def _read_only_modules(root: Path) -> list[Path]:
    return [
        p
        for p in _sources(root)
        if "tests" not in p.parts
        and (
            p.stem.startswith(("selectors", "views"))
            or p.name == "context_processors.py"
            or "views" in p.relative_to(root).parts
            or "templatetags" in p.parts
        )
    ]


@pytest.mark.parametrize("part", ["core", *WEB_APPS])
def test_views_and_selectors_do_not_write(part: str) -> None:
    offenders = [
        f"{path.relative_to(SRC)}:{node.lineno} .{node.func.attr}()"
        for path in _read_only_modules(SRC / part)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in WRITES
        and not _is_session_or_dict(node.func.value)
        and not any(k.arg == "commit" for k in node.keywords)  # form.save(commit=False)
    ]
    assert offenders == [], "views and selectors call actions to write:\n" + "\n".join(offenders)


def _is_session_or_dict(value: ast.expr) -> bool:
    """request.session and plain dicts/sets update too; they are not the database."""
    text = ast.unparse(value)
    return text.endswith(("session", "context", "params", "headers")) or text in {"data", "seen"}


def test_the_write_finder_sees_a_write() -> None:
    tree = ast.parse("def view(request):\n    Thing.objects.create(a=1)\n    obj.save()\n")
    calls = [
        n.func.attr
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in WRITES
    ]
    assert calls == ["create", "save"]


@pytest.mark.django_db
def test_every_staff_view_carries_a_permission() -> None:
    """Views in views/staff*.py are for council staff: each is @council_permission(...)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def patterns(resolver: URLResolver) -> list[URLPattern]:
        found: list[URLPattern] = []
        for entry in resolver.url_patterns:
            found += patterns(entry) if isinstance(entry, URLResolver) else [entry]
        return found

    staff = [
        p
        for p in patterns(get_resolver())
        if re.search(r"\.views\.staff(_\w+)?$", getattr(p.callback, "__module__", ""))
    ]
    unprotected = [
        f"{p.callback.__module__}.{p.callback.__name__}"
        for p in staff
        if not hasattr(p.callback, "permission")
    ]
    assert unprotected == [], "staff views without @council_permission:\n" + "\n".join(unprotected)
