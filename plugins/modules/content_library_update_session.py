#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: content_library_update_session
short_description: Set which certificate warnings a Content Library update session ignores
version_added: 1.0.0
description:
  - Sets the C(warning_behavior) of a vSphere Content Library update session, that is, for each
    certificate warning type that the session preview may raise, whether completing the session ignores it.
  - An update session is the transaction vCenter opens when content is uploaded to a library item.
    Warnings that are raised and not ignored make the session fail when it is completed.
  - Idempotent. The session is read first; a change is sent only when the resulting list differs,
    compared by warning type regardless of order. The session is read again after the change to
    confirm that vCenter applied it.
  - Requires vCenter Server 7.0 Update 2 or later (the C(/api) endpoints).
author:
  - vsphere.content contributors (@vsphere-content)
options:
  update_session_id:
    description:
      - The identifier of the update session to change, for example the value returned when the
        session was created.
    type: str
    required: true
  warning_behavior:
    description:
      - The warning types to set and whether each is ignored.
      - Listing a type twice is allowed only when both entries agree.
    type: list
    elements: dict
    required: true
    suboptions:
      type:
        description:
          - The certificate warning type.
        type: str
        required: true
        choices: [SELF_SIGNED_CERTIFICATE, EXPIRED_CERTIFICATE, NOT_YET_VALID_CERTIFICATE, UNTRUSTED_CERTIFICATE]
      ignored:
        description:
          - Whether completing the session ignores this warning.
        type: bool
        default: true
  purge_warning_behavior:
    description:
      - If V(true), warning types that O(warning_behavior) does not list are removed from the session.
      - If V(false), they are kept exactly as the session has them.
    type: bool
    default: false
extends_documentation_fragment:
  - vsphere.content.connection
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: full
  action_group:
    description: Use C(group/vsphere.content.vsphere) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - vsphere.content.vsphere
notes:
  - Only sessions in the C(ACTIVE) state can be changed. A session in another state fails the task when a
    change is needed, also in check mode; when nothing needs to change the task reports no change.
"""

EXAMPLES = r"""
- name: Ignore self-signed and untrusted certificates in an update session
  vsphere.content.content_library_update_session:
    hostname: vcenter.example.com
    username: administrator@vsphere.local
    password: "{{ vcenter_password }}"
    update_session_id: "{{ update_session_id }}"
    warning_behavior:
      - type: SELF_SIGNED_CERTIFICATE
      - type: UNTRUSTED_CERTIFICATE

- name: Set exactly one entry, removing every other type from the session
  vsphere.content.content_library_update_session:
    hostname: vcenter.example.com
    username: administrator@vsphere.local
    password: "{{ vcenter_password }}"
    update_session_id: "{{ update_session_id }}"
    warning_behavior:
      - type: EXPIRED_CERTIFICATE
        ignored: false
    purge_warning_behavior: true

- name: Use a session id that another task created
  block:
    - name: Create an update session for a library item
      ansible.builtin.uri:
        url: "https://vcenter.example.com/api/content/library/item/update-session"
        method: POST
        headers:
          vmware-api-session-id: "{{ api_session_token }}"
        body_format: json
        body:
          library_item_id: "{{ library_item_id }}"
        status_code: 201
      register: created_session

    - name: Ignore self-signed certificates in that session
      vsphere.content.content_library_update_session:
        hostname: vcenter.example.com
        username: administrator@vsphere.local
        password: "{{ vcenter_password }}"
        update_session_id: "{{ created_session.json }}"
        warning_behavior:
          - type: SELF_SIGNED_CERTIFICATE

- name: Share the connection options through the action group
  module_defaults:
    group/vsphere.content.vsphere:
      hostname: vcenter.example.com
      username: administrator@vsphere.local
      password: "{{ vcenter_password }}"
  block:
    - name: Ignore expired certificates
      vsphere.content.content_library_update_session:
        update_session_id: "{{ update_session_id }}"
        warning_behavior:
          - type: EXPIRED_CERTIFICATE
"""

RETURN = r"""
update_session:
  description:
    - The update session as read after the change, or as predicted in check mode.
    - The fields are those of the API's C(UpdateSessionModel), with O(update_session_id) added as RV(update_session.id).
  returned: success
  type: dict
  contains:
    id:
      description: The identifier of the update session.
      type: str
      returned: always
      sample: 5ad1b3b2-1c0e-4b49-9a0c-2f1d1f0c2a17
    library_item_id:
      description: The library item the session uploads content to.
      type: str
      returned: always
      sample: 0d3c7a2b-94f8-4e3f-9b1a-0f9a0b5d7e61
    library_item_content_version:
      description: The content version of the library item when the session was created.
      type: str
      returned: always
      sample: "3"
    state:
      description: The state of the session.
      type: str
      returned: always
      sample: ACTIVE
    client_progress:
      description: The upload progress the client reported, from 0 to 100.
      type: int
      returned: always
      sample: 0
    expiration_time:
      description: The time after which the session may expire.
      type: str
      returned: always
      sample: "2026-11-26T12:30:00.000Z"
    warning_behavior:
      description: Which warning types completing the session ignores.
      type: list
      elements: dict
      returned: when set on the session
      sample: [{"type": "SELF_SIGNED_CERTIFICATE", "ignored": true}]
    preview_info:
      description: The preview of the content being uploaded, with the warnings it raised.
      type: dict
      returned: when the session is ACTIVE and vCenter has a preview
      sample: {"state": "AVAILABLE", "warnings": [{"type": "SELF_SIGNED_CERTIFICATE", "ignored": true,
               "message": {"id": "com.vmware.content.SelfSigned", "default_message": "Self-signed.", "args": []}}]}
    error_message:
      description: Details of the error, when the session is in the C(ERROR) state.
      type: dict
      returned: when the session is in the ERROR state
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.vsphere.content.plugins.module_utils.connection import (
    connect,
    connection_argument_spec,
    fail_on_error,
)
from ansible_collections.vsphere.content.plugins.module_utils.update_sessions import ensure_warning_behavior
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client import check_identifier
from ansible_collections.vsphere.content.plugins.module_utils.warning_behavior import (
    WARNING_TYPES,
    normalize_requested,
)


def argument_spec():
    spec = connection_argument_spec()
    spec.update(
        update_session_id=dict(type="str", required=True),
        warning_behavior=dict(
            type="list",
            elements="dict",
            required=True,
            options=dict(
                type=dict(type="str", required=True, choices=list(WARNING_TYPES)),
                ignored=dict(type="bool", default=True),
            ),
        ),
        purge_warning_behavior=dict(type="bool", default=False),
    )
    return spec


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    session_id = module.params["update_session_id"]
    with fail_on_error(module):
        # Validated before connecting: bad options send no request at all.
        check_identifier(session_id, "update_session_id")
        requested = normalize_requested(module.params["warning_behavior"])
        with connect(module) as client:
            plan, session = ensure_warning_behavior(
                client,
                session_id,
                requested,
                purge=module.params["purge_warning_behavior"],
                check_mode=module.check_mode,
            )
    result = dict(changed=plan.changed, update_session=session)
    if module._diff:
        result["diff"] = plan.diff(session_id)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
