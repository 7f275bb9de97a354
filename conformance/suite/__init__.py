"""The conformance suite itself, shipped in the package: ``pytest --pyargs conformance.suite``."""
