"""Shared test configuration: the ciro-fuzz pytest plugin (registered as an entry point) gives the
devnet fixtures; this file only marks tests by folder."""

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        path = str(item.fspath)
        if "/tests/devnet/" in path:
            item.add_marker(pytest.mark.devnet)
        if "/tests/quality/" in path:
            item.add_marker(pytest.mark.quality)
