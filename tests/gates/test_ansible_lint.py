# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Plain ``ansible-lint`` in a fresh clone passes the production profile: galaxy.yml, meta/, changelogs/,
every playbook, with nothing set but what .ansible-lint says."""

import subprocess

import dev


def test_plain_ansible_lint_in_a_fresh_clone_passes_the_production_profile(tmp_path):
    # A fresh clone: the files git would hold (with this change's), in a repository of their own, since
    # ansible-lint lists files through git; no .venv, no .ansible, no collections path.
    clone = dev.copy_checkout(tmp_path / "vsphere-content")
    subprocess.run(["git", "init", "-q", str(clone)], check=True)
    subprocess.run(["git", "add", "-A"], cwd=clone, check=True)

    # dev.lint() is also `python3 tests/dev.py lint`: plain ansible-lint, in the directory given.
    process = dev.lint(clone, capture_output=True, text=True, timeout=1800)

    output = process.stdout + process.stderr
    assert process.returncode == 0, output
    assert "Profile 'production' was required, and it passed" in output
    assert (clone / ".ansible" / "collections" / "ansible_collections" / "vsphere" / "content").exists(), \
        "ansible-lint installed the collection it runs in"
