# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""REUSE, as community collections keep it: every file says its copyright and licence, in an SPDX header or,
where it cannot carry one, in REUSE.toml; each licence named has its text in LICENSES/."""

import subprocess

import dev
from conftest import run


def reuse_lint(copy):
    return subprocess.run([str(dev.venv_bin("reuse")), "lint"], cwd=copy, capture_output=True, text=True,
                          check=False, timeout=300)


def test_reuse_lint_passes(collection_copy):
    process = run([dev.venv_bin("reuse"), "lint"], cwd=collection_copy)
    assert "Congratulations! Your project is compliant" in process.stdout, process.stdout


def test_a_file_without_licence_information_fails_it(collection_copy):
    (collection_copy / "plugins" / "module_utils" / "unlabelled.py").write_text('"""No header."""\n')
    process = reuse_lint(collection_copy)
    assert process.returncode == 1, process.stdout + process.stderr
    assert "plugins/module_utils/unlabelled.py" in process.stdout, process.stdout
