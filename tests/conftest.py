"""The suite's fixtures, one plugin module per concern (tests/fixtures/); the room
drivers they build are in tests/drivers.py."""

pytest_plugins = [
    "tests.fixtures.application",
    "tests.fixtures.servers",
    "tests.fixtures.browser",
    "tests.fixtures.rooms",
]
