# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures of the tests that drive the simulator through VMware's generated bindings (sdk_support.py)."""

import pytest
from com.vmware.content import library_client
from com.vmware.content.library.item import downloadsession_client
from com.vmware.content.library.item.updatesession_client import File
from com.vmware.content.library.item_client import DownloadSession, UpdateSession

from sdk_support import Sdk, mend_runtime


@pytest.fixture(autouse=True)
def runtime_wire_fixes(monkeypatch):
    mend_runtime(monkeypatch)


@pytest.fixture
def sdk(simulator):
    client = Sdk(simulator)
    client.login()
    return client


@pytest.fixture
def sessions(sdk):
    return sdk.service(UpdateSession)


@pytest.fixture
def files(sdk):
    return sdk.service(File)


@pytest.fixture
def downloads(sdk):
    return sdk.service(DownloadSession)


@pytest.fixture
def download_files(sdk):
    return sdk.service(downloadsession_client.File)


@pytest.fixture
def items(sdk):
    return sdk.service(library_client.Item)
