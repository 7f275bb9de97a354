"""pytest's option errors in the suite's words: ``run --wait-timeout abc`` says what the option takes, in one
line, instead of pytest's usage line and its ini file (the exit code stays the usage error, 4)."""

from __future__ import annotations

import re
from collections.abc import Generator

import pytest

__all__ = ["UsageWords", "in_our_words"]

_TAKES = {"float": "a number", "int": "a whole number"}
_INVALID = re.compile(r"argument (?P<option>[^:]+): invalid (?P<kind>\w+) value: (?P<value>.+)")
_UNKNOWN = re.compile(r"unrecognized arguments: (?P<args>.+)")
_ERROR = re.compile(r"^.*?: error: (?P<message>.+?)(?: \(.*\))?$", re.MULTILINE)


def in_our_words(message: str) -> str:
    """One line for pytest's usage error ``message`` (its usage line, its error, the ini file it read)."""
    found = _ERROR.search(message)
    error = found["message"] if found else message.strip().splitlines()[-1]
    if invalid := _INVALID.fullmatch(error):
        option = invalid["option"].split("/")[-1]
        error = f"{option} takes {_TAKES.get(invalid['kind'], invalid['kind'])}, got {invalid['value']}"
    elif unknown := _UNKNOWN.fullmatch(error):
        error = f"unknown option {unknown['args']}"
    else:
        error = error.removeprefix("argument ")
    return f"langgraph-conformance run: {error} (langgraph-conformance run --help lists the options)"


class UsageWords:
    """A plugin given to ``pytest.main``: it sees the command line parsed before any other plugin loads."""

    @pytest.hookimpl(wrapper=True)
    def pytest_cmdline_parse(self) -> Generator[None, pytest.Config, pytest.Config]:
        try:
            return (yield)
        except pytest.UsageError as exc:
            raise pytest.UsageError(in_our_words(str(exc.args[0]) if exc.args else "")) from None
