# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The benchmark's floor: a module that loads what every module of this collection must load, and does nothing.

A task of ours can cost no less than this: AnsibleModule, and ``requests``, the HTTP library the collection is
built on. What a module of ours costs above it is our own code (docs/performance.md, "Our own cost").
"""

from ansible.module_utils.basic import AnsibleModule

import requests


def main():
    AnsibleModule(argument_spec={}, supports_check_mode=True).exit_json(changed=False, requests=requests.__version__)


if __name__ == "__main__":
    main()
