# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures of the simulator's own tests."""

import pytest

from raw_api import RawApi


@pytest.fixture
def raw_api(simulator):
    with RawApi(simulator) as client:
        yield client
