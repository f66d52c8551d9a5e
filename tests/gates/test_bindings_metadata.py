# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The committed REST metadata of VMware's bindings (tests/vcenter_simulator/specs/bindings/) is what the
vmware-vcenter wheels of 8.0.3, 9.0 and 9.1 say: the extractor, run again on the wheels from PyPI, writes
the same files."""

import dev
from conftest import run


def test_the_bindings_metadata_matches_the_wheels():
    run([dev.venv_bin("python"), "-m", "vcenter_simulator.extract_bindings", "--check"], cwd=dev.TESTS)
