# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures that run real ansible-playbook against the simulator, recording every task result."""

from pathlib import Path

import pytest

from helpers import run_playbook

HERE = Path(__file__).resolve().parent


@pytest.fixture
def playbook(trusted_simulator, tmp_path):
    """Run a playbook (a name in playbooks/, or a list of plays) against the simulator.

    Connection options come from VMWARE_* unless the playbook sets them.
    """

    def run(playbook, extra_vars=None, args=(), env=None, unset=()):
        path = HERE / "playbooks" / playbook if isinstance(playbook, str) else playbook
        return run_playbook(trusted_simulator, path, tmp_path, extra_vars, args, env, unset)

    return run
