# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``--dist loadgroup`` keeps an xdist group in one process, as the ansible-core legs rely on (each builds its
virtualenv or root once, and runs its ansible-test commands one at a time). pytest 9.2 silently breaks it
(pytest-xdist#1386): this runs a small suite, grouped as the legs are, with the pytest and pytest-xdist of .venv."""

import re
import subprocess

import dev

SUITE = '''
import os
import pytest

@pytest.fixture(scope="session", params=[pytest.param(leg, marks=pytest.mark.xdist_group(leg)) for leg in "ab"])
def leg(request):
    return request.param

@pytest.mark.parametrize("step", range(4))
def test_step(leg, step):
    print("RAN", leg, os.environ["PYTEST_XDIST_WORKER"])
'''


def test_each_group_runs_in_one_process(tmp_path):
    (tmp_path / "test_grouped.py").write_text(SUITE)
    process = subprocess.run(
        [str(dev.venv_bin("python")), "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-v", "-p", "no:cacheprovider",
         "-rA", str(tmp_path)], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert process.returncode == 0, process.stdout + process.stderr
    ran = re.findall(r"^RAN (\w) (gw\d)$", process.stdout, re.MULTILINE)
    assert len(ran) == 8, process.stdout
    workers = {leg: {worker for ran_leg, worker in ran if ran_leg == leg} for leg in "ab"}
    assert all(len(used) == 1 for used in workers.values()), workers
