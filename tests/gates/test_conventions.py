# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Conventions users of the collection rely on, checked on the checkout's files."""

import ast

import pytest
import yaml

import dev
from helpers import MODULES

# Users read this to know that a module_utils file is no public API (docs/behaviour.md, "What is public").
PRIVATE_NOTICE = "# This module_utils file is private to vsphere.content; its API may change without notice."


def module_utils_files():
    """Every module_utils file that must carry the notice.

    Empty files are left out: ansible-core 2.16's empty-init sanity test wants __init__.py empty.
    """
    return sorted(path for path in (dev.ROOT / "plugins" / "module_utils").rglob("*.py")
                  if path.read_text().strip())


def leading_comments(text):
    """The comment lines a file starts with: the licence header, and the notice after it."""
    lines = text.splitlines()
    count = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    return lines[:count]


def test_module_utils_files_say_they_are_private():
    files = module_utils_files()
    assert len(files) > 10, "the module_utils files were not found"
    missing = [str(path.relative_to(dev.ROOT)) for path in files
               if PRIVATE_NOTICE not in leading_comments(path.read_text())]
    assert missing == [], "these module_utils files lack the line %r at the top" % PRIVATE_NOTICE


def documentation(module):
    tree = ast.parse((dev.ROOT / "plugins" / "modules" / ("%s.py" % module)).read_text())
    (text,) = [node.value.value for node in tree.body
               if isinstance(node, ast.Assign) and [target.id for target in node.targets] == ["DOCUMENTATION"]]
    return yaml.safe_load(text)


@pytest.mark.parametrize("module", MODULES)
def test_modules_take_their_attributes_from_the_shared_fragment(module):
    """Only a module's own details stand in its DOCUMENTATION; descriptions and support levels are shared."""
    doc = documentation(module)
    fragments = doc["extends_documentation_fragment"]
    assert "vsphere.content.attributes" in fragments
    assert [name for name in fragments if name.startswith("vsphere.content.attributes.CHECK_MODE_")]
    assert [name for name in fragments if name.startswith("vsphere.content.attributes.DIFF_MODE_")]
    assert all(set(entry) == {"details"} for entry in doc.get("attributes", {}).values())
