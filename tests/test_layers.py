"""The package's layering: import-linter's contracts hold, and private names stay in their module.

Cross-cutting (every module of sim/ at once), so it stays at the tests/ top level rather than
in one layer's folder.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIM = ROOT / "sim"


def test_import_linter_contracts_hold():
    """`lint-imports` (contracts in pyproject.toml: layers point one way, no cycles) exits 0."""
    script = Path(sys.executable).parent / "lint-imports"  # installed beside this Python by the dev extra
    assert script.exists(), f"{script} not found: install the dev extra (pip install -e '.[dev]')"
    done = subprocess.run([str(script), "--no-cache", "--no-logo"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"lint-imports exited {done.returncode}:\n{done.stdout}\n{done.stderr}"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_from(node: ast.ImportFrom, importer: str, is_package: bool) -> str:
    """The absolute module an ``ImportFrom`` names (relative imports resolved)."""
    if node.level == 0:
        return node.module or ""
    base = importer.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def private_imports(path: Path, root: Path = ROOT) -> list[str]:
    """`from sim.X import _name` lines of ``path`` (under ``root``) whose X is another module (dunders allowed)."""
    importer = module_name(path, root)
    is_package = path.name == "__init__.py"
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.ImportFrom):
            continue
        source = imported_from(node, importer, is_package)
        if not (source == "sim" or source.startswith("sim.")) or source == importer:
            continue
        for alias in node.names:
            name = alias.name
            if name.startswith("_") and not (name.startswith("__") and name.endswith("__")):
                out.append(f"{path.relative_to(root).as_posix()}:{node.lineno}: from {source} import {name}")
    return out


def test_private_names_do_not_cross_modules():
    """No module of sim/ imports a private name (_name) from another sim module, at any level
    (function-level imports included); tests may, sim may not."""
    modules = sorted(SIM.rglob("*.py"))
    assert len(modules) > 40  # the whole package was walked
    offenders = [line for path in modules for line in private_imports(path)]
    assert not offenders, "private names imported across modules:\n" + "\n".join(offenders)


def test_the_private_import_check_sees_relative_and_function_level_imports(tmp_path):
    """The check flags `from .other import _x` inside a function and `from sim.a import _y`, but not
    `from sim.a import y`, `__version__`, or a module importing its own private name."""
    pkg = tmp_path / "sim" / "layer"
    pkg.mkdir(parents=True)
    (pkg / "mod.py").write_text(
        "from __future__ import annotations\n"
        "from sim.a import y, __version__\n"
        "from sim.layer.mod import _own\n"
        "def f():\n"
        "    from .other import _x\n"
        "    from sim.a import _y as z\n",
        encoding="utf-8")
    assert private_imports(pkg / "mod.py", tmp_path) == [
        "sim/layer/mod.py:5: from sim.layer.other import _x",
        "sim/layer/mod.py:6: from sim.a import _y",
    ]


def test_sim_plots_is_reached_from_the_package_without_importing_matplotlib_first():
    """`import sim; sim.plots` works as the README writes it, and `import sim` alone does not
    import matplotlib (the CLI and KPI-only runs stay light)."""
    code = ("import sys, sim; assert 'matplotlib' not in sys.modules, 'matplotlib imported by import sim'; "
            "assert callable(sim.plots.queue_through_day); print('ok')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
