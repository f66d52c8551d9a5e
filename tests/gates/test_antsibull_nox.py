# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""antsibull-nox's offline checks, as community collections run them: extra-checks (every module in the
action group and declaring it, no unwanted files, no trailing whitespace) and docs-check (antsibull-docs
lint with every collection reference validated). Configured in antsibull-nox.toml; run in a fresh copy, where
nox makes its session virtualenvs from PyPI."""

import dev
from conftest import run


def test_antsibull_nox_extra_checks_and_docs_check_pass(tmp_path):
    copy = dev.copy_checkout(tmp_path / "vsphere-content")
    process = run([dev.venv_bin("nox"), "--no-color", "-e", "extra-checks", "docs-check"], cwd=copy, timeout=1200)
    output = process.stdout + process.stderr
    assert "Session extra-checks was successful" in output and "Session docs-check was successful" in output, output
