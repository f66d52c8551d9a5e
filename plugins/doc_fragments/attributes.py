# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ``attributes`` every module documents, written once.

``vsphere.content.attributes`` is the action group (``meta/runtime.yml``); the named
fragments add check mode and diff mode. A module adds its own ``details`` under
``attributes``: ansible-core merges them into the fragment's entry of the same name.
"""


class ModuleDocFragment:
    DOCUMENTATION = r"""
attributes:
  action_group:
    description: Use C(group/vsphere.content.vsphere) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - vsphere.content.vsphere
"""

    CHECK_MODE_FULL = r"""
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying target.
    support: full
"""

    DIFF_MODE_FULL = r"""
attributes:
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: full
"""

    DIFF_MODE_NONE = r"""
attributes:
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: none
"""
