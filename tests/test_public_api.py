"""The exported surface: every name a module's ``__all__`` promises exists, and the version is the package's."""

from __future__ import annotations

import importlib
from importlib.metadata import version

import pytest

import conformance

MODULES = [
    "conformance", "conformance.requirements", "conformance.scenarios", "conformance.reports",
    "conformance.scenarios._model", "conformance._gate", "conformance._runner", "conformance._target",
    "conformance._http", "conformance._embedded", "conformance._results", "conformance.plugin",
]  # fmt: skip


@pytest.mark.parametrize("name", MODULES)
def test_all_names_exist(name: str) -> None:
    module = importlib.import_module(name)
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert missing == []


def test_version_is_the_distributions() -> None:
    assert conformance.__version__ == version("langgraph-conformance")
