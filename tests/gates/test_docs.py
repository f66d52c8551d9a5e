# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""antsibull-docs: the plugin documentation lints clean, and docs/plugins/ is what it generates today."""

import dev
from conftest import copy_env, run
from helpers import MODULES


def test_lint_collection_docs(collection_copy):
    run([dev.venv_bin("antsibull-docs"), "lint-collection-docs", "--plugin-docs", "--validate-collection-refs", "all",
         collection_copy], cwd=collection_copy, env=copy_env(collection_copy))


def test_generated_plugin_docs_are_current(tmp_path):
    fresh = tmp_path / "plugins"
    dev.generate_plugin_docs(fresh)
    generated, committed = files(fresh), files(dev.PLUGIN_DOCS)
    stale = sorted(name for name in generated.keys() | committed.keys() if generated.get(name) != committed.get(name))
    assert stale == [], "docs/plugins/ is stale: run python3 tests/dev.py docs"
    # Every module has its page, so the comparison above covers each of them.
    assert sorted(name for name in generated if name.endswith("_module.rst")) == sorted("%s_module.rst" % m for m in MODULES)


def files(root):
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()}
