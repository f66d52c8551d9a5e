#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
module: api_session
short_description: Log in to the vSphere Automation API once, and log out again
version_added: 1.0.0
description:
  - With O(state=present), logs in to vCenter and returns the API session token as RV(session_token), so that
    the tasks of a play can share one API session through the O(session_token) option, instead of each logging
    in and out. On a real vCenter a login costs hundreds of milliseconds.
  - With O(state=absent), logs the session of O(session_token) out.
  - The whole result is marked C(no_log) by the module's action plugin, so the token is never displayed, at any
    verbosity; it is still available to C(register).
author:
  - vsphere.content contributors (@vsphere-content)
options:
  state:
    description:
      - V(present) logs in and returns a new session token.
      - V(absent) logs O(session_token) out. A token that is already logged out, or has expired, changes nothing.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - vsphere.content.connection
  - vsphere.content.attributes
  - vsphere.content.attributes.CHECK_MODE_FULL
  - vsphere.content.attributes.DIFF_MODE_NONE
attributes:
  check_mode:
    details:
      - With O(state=present) it logs in also in check mode, because a login changes nothing on vCenter and the
        later tasks need the token to predict their own changes.
      - With O(state=absent) it only checks whether the session is still logged in.
notes:
  - Log the session out when the play is done, in C(post_tasks) or an C(always) block, so it does not stay logged
    in until vCenter expires it.
  - With O(state=present) the module ignores O(session_token), so that a C(module_defaults) block that passes the
    token to every task of the group does not get in its way.
seealso:
  - module: vsphere.content.content_library_update_session
"""

EXAMPLES = r"""
- name: Update many sessions with one login
  hosts: localhost
  gather_facts: false
  pre_tasks:
    - name: Log in once
      vsphere.content.api_session:
        hostname: vcenter.example.com
        username: administrator@vsphere.local
        password: "{{ vcenter_password }}"
      register: vcenter_api
  tasks:
    - name: Every task of the group reuses the token
      module_defaults:
        group/vsphere.content.vsphere:
          hostname: vcenter.example.com
          session_token: "{{ vcenter_api.session_token }}"
      block:
        - name: Ignore self-signed certificates in each session
          vsphere.content.content_library_update_session:
            update_session_id: "{{ item }}"
            warning_behavior:
              - type: SELF_SIGNED_CERTIFICATE
          loop: "{{ update_session_ids }}"
      always:
        - name: Log out
          vsphere.content.api_session:
            state: absent
            session_token: "{{ vcenter_api.session_token }}"
"""

RETURN = r"""
session_token:
  description:
    - The API session token, for the O(session_token) option of the following tasks.
    - The result is marked C(no_log), so it is never displayed.
  returned: when O(state=present)
  type: str
  sample: 8e1a7d0c2b5f4e3a9c6d1b0a7f2e5d4c
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.vsphere.content.plugins.module_utils.connection import (
    connect,
    connection_argument_spec,
    fail_on_error,
)


def argument_spec():
    spec = connection_argument_spec()
    spec.update(state=dict(type="str", default="present", choices=["present", "absent"]))
    return spec


def main():
    module = AnsibleModule(
        argument_spec=argument_spec(),
        required_if=[("state", "absent", ["session_token"])],
        supports_check_mode=True,
    )
    with fail_on_error(module):
        if module.params["state"] == "present":
            # Always a new session, whatever token module_defaults may pass in.
            with connect(module, session_token=None) as client:
                result = dict(changed=False, session_token=client.detach())
        else:
            with connect(module) as client:
                result = dict(changed=client.end_session(check_mode=module.check_mode))
    # The action plugin of the same name hides the whole result from display.
    module.exit_json(**result)


if __name__ == "__main__":
    main()
