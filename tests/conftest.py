"""The suite's fixtures, one plugin module per concern (tests/fixtures/); the room
drivers they build are in tests/drivers.py."""

pytest_plugins = [
    "tests.fixtures.application",
    "tests.fixtures.servers",
    "tests.fixtures.browser",
    "tests.fixtures.rooms",
]

import pytest  # noqa: E402

# What starts processes of its own: a browser, a real server. `make test` runs the
# in-process tests first on both cores (pytest-xdist), then these two at a time, then
# the measures of how fast a room answers (`timed`) one at a time, so that no timing
# competes with another test.
_ALONE_FIXTURES = frozenset({"browser", "live_server", "server", "site"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        marked = item.get_closest_marker("browser") or item.get_closest_marker("server")
        timed = "hostile" in item.path.parts or "responsiveness" in item.path.name
        if timed:
            item.add_marker(pytest.mark.timed)
        if marked or timed or _ALONE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.alone)
