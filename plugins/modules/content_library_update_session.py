#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
module: content_library_update_session
short_description: Manage a Content Library update session, its ignored warnings and its lifecycle
version_added: 1.0.0
description:
  - Manages a vSphere Content Library update session, the transaction vCenter opens when content is
    uploaded to a library item.
  - Sets the session's C(warning_behavior), that is, for each certificate warning type that the session
    preview may raise, whether completing the session ignores it. Warnings that are raised and not ignored
    make the session fail when it is completed.
  - Can ignore exactly the warnings that vCenter's preview raised (O(ignore_preview_warnings)), waiting for
    the preview first.
  - Finds the session by its id, or by its library item (O(library_item_id)), creating one when the item
    has none.
  - Completes, cancels, fails or deletes the session (O(state)), and can wait for the completion's outcome.
  - Idempotent. The session is read first and a request is sent only when something must change;
    warning_behavior is compared by warning type regardless of order, and is read again after a change to
    confirm that vCenter applied it.
  - Requires vCenter Server 7.0 Update 2 or later (the C(/api) endpoints).
author:
  - vsphere.content contributors (@vsphere-content)
options:
  update_session_id:
    description:
      - The identifier of the update session, for example RV(update_session.id) of an earlier task.
      - Exactly one of O(update_session_id) and O(library_item_id) is required.
    type: str
  library_item_id:
    description:
      - The library item whose B(ACTIVE) update session to manage, when its id is not known.
      - With O(state=present) and no ACTIVE session on the item, a session is created. The create request
        carries a C(client_token) derived from the task's inputs, so a create that is retried cannot make a
        second session.
      - More than one ACTIVE session on the item fails the task, naming them.
      - With other states and no ACTIVE session on the item, the task changes nothing.
    type: str
  state:
    description:
      - V(present) makes sure the session exists (creating it only with O(library_item_id)) and applies
        O(warning_behavior), O(ignore_preview_warnings) and O(keep_alive). With O(update_session_id), one of
        O(warning_behavior), O(purge_warning_behavior), O(ignore_preview_warnings) and O(keep_alive) is required,
        so that the task has something to do.
      - O(warning_behavior), O(purge_warning_behavior) and O(ignore_preview_warnings) apply only with V(present)
        and V(completed).
      - V(completed) first applies O(warning_behavior) and O(ignore_preview_warnings) to an ACTIVE session, then
        asks vCenter to validate the session's files and, when files are missing or invalid, fails naming each
        one and its reason without completing the session. Otherwise it completes the session and, with O(wait),
        waits until it leaves the ACTIVE state. A session that ends in the C(ERROR) state fails the task with its
        error message. A session that is C(DONE) already is left alone; a C(CANCELED) or C(ERROR) session fails
        the task, because it cannot be completed.
      - V(canceled) cancels an ACTIVE session. A C(CANCELED) session is left alone; a C(DONE) or C(ERROR) session
        fails the task.
      - V(failed) fails an ACTIVE session with O(client_error_message). A session in the C(ERROR) state is left
        alone; a C(DONE) or C(CANCELED) session fails the task.
      - V(absent) deletes the session, cancelling it first when it is ACTIVE, because vCenter refuses to delete
        an ACTIVE session. An unknown session changes nothing.
    type: str
    choices: [present, completed, canceled, failed, absent]
    default: present
  keep_alive:
    description:
      - If V(true), extend the session's expiry time, so that vCenter does not delete an idle session while
        content is still being prepared.
      - This reports a change on every run, because every run moves the expiry time.
      - It is skipped for a session the task has just created, whose expiry time is fresh.
      - Only with O(state=present).
    type: bool
    default: false
  client_error_message:
    description:
      - The message that O(state=failed) records as the reason the client failed the session.
      - Required with O(state=failed), and only used with it.
    type: str
  wait:
    description:
      - With O(state=completed), whether to wait until the completed session leaves the ACTIVE state.
      - vCenter may finish a completion in the background, when it pulls the content itself.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds O(wait) waits, polling with backoff; reaching it fails the task.
    type: float
    default: 600
extends_documentation_fragment:
  - vsphere.content.connection
  - vsphere.content.warning_policy
  - vsphere.content.attributes
  - vsphere.content.attributes.CHECK_MODE_FULL
  - vsphere.content.attributes.DIFF_MODE_FULL
attributes:
  check_mode:
    details: A session that does not exist yet has no preview, so only O(warning_behavior) is predicted for it.
notes:
  - Only sessions in the C(ACTIVE) state can be changed. A session in another state fails the task when a
    change is needed, also in check mode; when nothing needs to change the task reports no change.
  - In check mode with O(state=completed), the predicted state is C(ERROR) and a warning is shown when the preview
    raised warnings that the session would not ignore.
  - The diff shows the session's C(state) and C(warning_behavior) before and after.
seealso:
  - module: vsphere.content.content_library_update_session_file
  - module: vsphere.content.content_library_update_session_info
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

- name: Upload to a library item from start to finish
  module_defaults:
    group/vsphere.content.vsphere:
      hostname: vcenter.example.com
      username: administrator@vsphere.local
      password: "{{ vcenter_password }}"
  block:
    - name: Open an update session on the item (or find its ACTIVE one)
      vsphere.content.content_library_update_session:
        library_item_id: "{{ library_item_id }}"
      register: upload

    - name: Upload the files, the manifest and certificate before the descriptor
      vsphere.content.content_library_update_session_file:
        update_session_id: "{{ upload.update_session.id }}"
        name: "{{ item | basename }}"
        src: "{{ item }}"
      loop: [photon.mf, photon.cert, photon.ovf, photon-disk1.vmdk]

    - name: Ignore exactly the certificate warnings the preview raised, except expired certificates
      vsphere.content.content_library_update_session:
        update_session_id: "{{ upload.update_session.id }}"
        ignore_preview_warnings: true
        preview_timeout: 120
        warning_behavior:
          - type: EXPIRED_CERTIFICATE
            ignored: false

    - name: Complete the session and wait for the library item to be updated
      vsphere.content.content_library_update_session:
        update_session_id: "{{ upload.update_session.id }}"
        state: completed
        wait_timeout: 900

- name: Keep a long-running upload's session from expiring
  vsphere.content.content_library_update_session:
    update_session_id: "{{ update_session_id }}"
    keep_alive: true

- name: Record a client-side failure in the session
  vsphere.content.content_library_update_session:
    update_session_id: "{{ update_session_id }}"
    state: failed
    client_error_message: "The OVF could not be downloaded from the build server."

- name: Cancel the item's ACTIVE session, if it has one
  vsphere.content.content_library_update_session:
    library_item_id: "{{ library_item_id }}"
    state: canceled

- name: Delete a session
  vsphere.content.content_library_update_session:
    update_session_id: "{{ update_session_id }}"
    state: absent
"""

RETURN = r"""
update_session:
  description:
    - The update session after the task, as read from vCenter, or as predicted in check mode.
    - The fields are those of the API's C(UpdateSessionModel), with the session's identifier added as
      RV(update_session.id), so the result can be registered and passed to the next task.
  returned: when the task ends with a session, that is, not with O(state=absent), and not when O(library_item_id)
    has no ACTIVE session to act on
  type: dict
  contains:
    id:
      description:
        - The identifier of the update session.
        - In check mode, V(null) for a session that would be created.
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
      returned: always, except in check mode for a session that would be created
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
      returned: always, except in check mode for a session that would be created
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
      returned: when the session is ACTIVE
      sample: {"state": "AVAILABLE", "warnings": [{"type": "SELF_SIGNED_CERTIFICATE", "ignored": true,
               "message": {"id": "com.vmware.content.SelfSigned", "default_message": "Self-signed.", "args": []}}]}
    error_message:
      description: Details of the error, when the session is in the C(ERROR) state.
      type: dict
      returned: when the session is in the ERROR state
msg:
  description: Why nothing was done, when O(library_item_id) has no ACTIVE session for a state other than V(present).
  type: str
  returned: sometimes
  sample: library item 0d3c7a2b-94f8-4e3f-9b1a-0f9a0b5d7e61 has no ACTIVE update session
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.vsphere.content.plugins.module_utils.connection import (
    check_identifiers,
    connection_argument_spec,
    exit_with_outcome,
    run_workflow,
)
from ansible_collections.vsphere.content.plugins.module_utils.errors import InvalidOptionError
from ansible_collections.vsphere.content.plugins.module_utils.update_sessions import (
    SessionRequest,
    reconcile_update_session,
)
from ansible_collections.vsphere.content.plugins.module_utils.warning_behavior import normalize_requested
from ansible_collections.vsphere.content.plugins.module_utils.warning_policy import warning_policy_argument_spec

STATES = ("present", "completed", "canceled", "failed", "absent")


def argument_spec():
    spec = connection_argument_spec()
    spec.update(warning_policy_argument_spec())
    spec.update(
        update_session_id=dict(type="str"),
        library_item_id=dict(type="str"),
        state=dict(type="str", default="present", choices=list(STATES)),
        keep_alive=dict(type="bool", default=False),
        client_error_message=dict(type="str"),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="float", default=600.0),
    )
    return spec


def session_request(params):
    """Check the options that depend on each other and build the request; nothing is sent yet."""
    check_identifiers(params, "update_session_id", "library_item_id")
    for name in ("preview_timeout", "wait_timeout"):
        if not params[name] >= 0:
            raise InvalidOptionError("%s must be a number of seconds, 0 or more" % name)
    request = SessionRequest(
        update_session_id=params["update_session_id"],
        library_item_id=params["library_item_id"],
        state=params["state"],
        warning_behavior=None if params["warning_behavior"] is None else normalize_requested(params["warning_behavior"]),
        purge_warning_behavior=params["purge_warning_behavior"],
        ignore_preview_warnings=params["ignore_preview_warnings"],
        preview_timeout=params["preview_timeout"],
        keep_alive=params["keep_alive"],
        client_error_message=params["client_error_message"],
        wait=params["wait"],
        wait_timeout=params["wait_timeout"],
        token_scope=dict(hostname=params["hostname"], port=params["port"], username=params["username"]),
    )
    state = request.state
    if request.changes_warning_behavior and state not in ("present", "completed"):
        raise InvalidOptionError(
            "warning_behavior, purge_warning_behavior and ignore_preview_warnings apply only with "
            "state=present or state=completed, not state=%s" % state
        )
    if request.keep_alive and state != "present":
        raise InvalidOptionError("keep_alive applies only with state=present, not state=%s" % state)
    if request.client_error_message is not None and state != "failed":
        raise InvalidOptionError("client_error_message applies only with state=failed, not state=%s" % state)
    if state == "present" and request.update_session_id is not None \
            and not (request.changes_warning_behavior or request.keep_alive):
        raise InvalidOptionError(
            "with update_session_id and state=present, give warning_behavior, purge_warning_behavior, "
            "ignore_preview_warnings or keep_alive: there is nothing else to do"
        )
    return request


def main():
    module = AnsibleModule(
        argument_spec=argument_spec(),
        mutually_exclusive=[("update_session_id", "library_item_id")],
        required_one_of=[("update_session_id", "library_item_id")],
        required_if=[("state", "failed", ["client_error_message"])],
        supports_check_mode=True,
    )
    _request, outcome = run_workflow(module, session_request, reconcile_update_session)
    result = {}
    if outcome.session is not None:
        result["update_session"] = outcome.session
    if outcome.msg:
        result["msg"] = outcome.msg
    exit_with_outcome(module, outcome, **result)


if __name__ == "__main__":
    main()
