"""The package's layout is its architecture: stages in folders, imports flowing one way.

docs/architecture.md describes the stages. Each module may import from its own
stage and from the stages before it, never from a later one, so a change to
the command line cannot break the model and the model never needs the
documents.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "samverkan"

# Each stage, with the stages it may import from. The root modules (errors,
# fsutil, version) are the ground every stage stands on.
STAGES: dict[str, set[str]] = {
    "": set(),
    "model": {""},
    "documents": {"", "model"},
    "drafting": {"", "model"},
    "compare": {"", "model", "documents"},
    "publish": {"", "model", "documents"},
    "cli": {"", "model", "documents", "drafting", "compare", "publish"},
}
MAX_LINES = 500


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def stage_of(dotted: str) -> str:
    """"samverkan.documents.render" → "documents"; "samverkan.errors" → ""."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in STAGES else ""


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, root: Path = PACKAGE) -> list[tuple[int, str]]:
    """Every samverkan module ``path`` imports (at any depth in the file), with its line."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("samverkan")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if not target.startswith("samverkan"):
                continue
            if node.module is None or target.count(".") == 0:  # `from . import x`: x is a module
                found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, target))
    return found


def test_every_folder_is_a_known_stage() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert folders == set(STAGES) - {""}


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_flow_one_way(path: Path) -> None:
    if path == PACKAGE / "__init__.py":
        return  # the door of the library: re-exports from every stage, lazily
    own = path.relative_to(PACKAGE).parts[0] if path.parent != PACKAGE else ""
    allowed = STAGES[own] | {own}
    wrong = [
        f"{path.relative_to(PACKAGE.parent)}:{line} importerar {target} (steget {stage_of(target) or 'roten'})"
        for line, target in imported(path)
        if stage_of(target) not in allowed and target != "samverkan"
    ]
    root_import = [f"{path.name}:{line}" for line, target in imported(path) if target == "samverkan"]
    assert not wrong, "import bakåt i flödet:\n" + "\n".join(wrong)
    assert not root_import, f"importerar paketets dörr (samverkan/__init__.py): {root_import}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_can_be_read_in_one_sitting(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE.parent)} har {lines} rader – dela upp den (högst {MAX_LINES})"


def test_the_check_itself_sees_a_backward_import(tmp_path: Path) -> None:
    """The checker resolves relative imports: a model module reaching into documents is caught."""
    fake = tmp_path / "samverkan" / "model" / "loader.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("from ..documents.render import render_files\nfrom . import checks\nfrom .. import fsutil\n")
    targets = [target for _, target in imported(fake, tmp_path / "samverkan")]
    assert targets == ["samverkan.documents.render", "samverkan.model.checks", "samverkan.fsutil"]
    assert [stage_of(t) for t in targets] == ["documents", "model", ""]
    assert "documents" not in STAGES["model"]


@pytest.mark.parametrize("old", sorted(__import__("samverkan").MOVED_MODULES))
def test_module_names_from_before_the_layout_still_import(old: str) -> None:
    """Scripts written against the flat layout (the conformance suite's source map) keep working."""
    import importlib

    import samverkan

    moved = importlib.import_module(f"samverkan.{old}")
    assert moved is importlib.import_module(f"samverkan.{samverkan.MOVED_MODULES[old]}")


def test_the_stage_packages_name_their_main_function() -> None:
    from samverkan.compare import compare
    from samverkan.loader import load
    from samverkan.publish import publish

    assert callable(compare) and callable(load) and callable(publish)
