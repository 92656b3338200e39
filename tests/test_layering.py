"""The packages depend one way (docs/architecture.md): the domain never imports the HTTP surface, and models import
neither the services that write them nor the selectors that read them (that was an import circle)."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at any level (a function-level import is a dependency too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
    return found


def modules(folder: str):
    return sorted(path for path in (ROOT / folder).rglob("*.py") if "migrations" not in path.parts)


@pytest.mark.parametrize("path", modules("corpus"), ids=lambda path: str(path.relative_to(ROOT)))
def test_the_domain_does_not_import_the_api(path):
    assert not {name for name in imports(path) if name == "api" or name.startswith("api.")}


@pytest.mark.parametrize("path", modules("corpus/models"), ids=lambda path: str(path.relative_to(ROOT)))
def test_models_import_neither_services_nor_selectors(path):
    layers = ("corpus.services", "corpus.selectors")
    assert not {name for name in imports(path) if name.startswith(layers)}


def test_the_architecture_page_names_only_what_exists():
    """Every file and test docs/architecture.md names is there, so the page cannot silently go stale."""
    text = (ROOT / "docs" / "architecture.md").read_text()
    paths = set(re.findall(r"`((?:api|corpus|config|tests)/[\w/]+\.py)", text))
    assert paths, "the page names no files"
    assert sorted(path for path in paths if not (ROOT / path).is_file()) == []
    for path, test in re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", text):
        assert f"def {test}(" in (ROOT / path).read_text(), f"{path}::{test}"
