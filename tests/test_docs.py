"""README.md stays short, quotes what the suite says, and every link in it and in docs/ resolves."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from conformance.reports import render_catalog
from conformance.scenarios import CASES
from tests.mutants.catalog import MUTANTS
from tests.mutants.test_kill_matrix import SUBSET
from tests.reference import is_the_references_verdict

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def test_readme_is_read_in_five_minutes() -> None:
    assert len((ROOT / "README.md").read_text().splitlines()) <= 150


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_link_resolves(page: Path) -> None:
    for target in LINK.findall(page.read_text()):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        assert (page.parent / target).exists(), f"{page.relative_to(ROOT)} links to {target}, which does not exist"


def test_the_readme_quotes_the_references_verdict_line() -> None:
    """The verdict README's first command ends with, as the suite writes it (the tests check it is the reference's)."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("every time, and what it covered:\n\n```\n", 1)[1].split("\n```", 1)[0]
    assert is_the_references_verdict("langgraph-conformance: " + " ".join(block.splitlines())), block


def test_the_readme_counts_each_lanes_tests_as_the_code_does() -> None:
    rows = re.findall(r"^\| `(\w+)` \| [^|]+ \| (\d+) \|", (ROOT / "README.md").read_text(), re.MULTILINE)
    assert {lane: int(n) for lane, n in rows} == dict(Counter(case.lane for case in CASES))


def test_the_kill_matrix_sizes_the_docs_quote_are_the_catalogs() -> None:
    text = " ".join((ROOT / "docs" / "measuring.md").read_text().split())
    assert f"({len(SUBSET)} of the {len(MUTANTS)} mutants" in text and f"runs all {len(MUTANTS)}" in text


def test_the_requirements_page_is_what_the_catalogue_makes() -> None:
    assert (ROOT / "docs" / "requirements.md").read_text() == render_catalog(), \
        "docs/requirements.md is stale: langgraph-conformance requirements --markdown > docs/requirements.md"
