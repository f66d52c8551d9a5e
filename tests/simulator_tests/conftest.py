"""Fixtures of the simulator's own tests."""

import pytest

from raw_api import RawApi


@pytest.fixture
def raw_api(simulator):
    with RawApi(simulator) as client:
        yield client
