"""The exported surface: every name a module's ``__all__`` promises exists, and the version is the package's."""

from __future__ import annotations

import importlib
import pkgutil
from importlib.metadata import version

import pytest

import conformance

# Every module of the package but the shipped test module and ``python -m conformance``.
MODULES = ["conformance"] + sorted(
    m.name for m in pkgutil.walk_packages(conformance.__path__, "conformance.")
    if not m.name.startswith("conformance.suite.test_") and m.name != "conformance.__main__"
)


@pytest.mark.parametrize("name", MODULES)
def test_all_names_exist(name: str) -> None:
    module = importlib.import_module(name)
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert missing == []


def test_version_is_the_distributions() -> None:
    assert conformance.__version__ == version("langgraph-conformance")
