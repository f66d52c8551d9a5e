#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
module: content_library_update_session_file
short_description: Upload a file into a Content Library update session, have vCenter pull one, or remove one
version_added: 1.0.0
description:
  - Puts one file into a vSphere Content Library update session, the transaction vCenter opens when content is
    uploaded to a library item. The file reaches the library item when the session is completed.
  - With O(src), the module uploads a local file (vCenter's C(PUSH) source type). The file is streamed, never read
    into memory whole, and vCenter verifies its size and checksum as it receives them.
  - With O(url), vCenter fetches the file itself (C(PULL)), and the module waits until it has.
  - With O(state=absent), the file is removed from the session, and so from the library item when the session
    is completed.
  - Idempotent by content. A file of that name that is already C(READY) in the session with the same checksum
    (for O(url), from the same URL and with the same O(checksum)) is left alone, and nothing is sent. The library
    item's own unchanged copy of an C(.ovf), C(.mf) or C(.cert) does not count, because adding those is what makes
    vCenter preview and verify the package.
  - After an upload the file is read back from vCenter; it must be C(READY) with the size and checksum that were
    sent, or the task fails naming both.
  - Requires vCenter Server 7.0 Update 2 or later (the C(/api) endpoints).
author:
  - vsphere.content contributors (@vsphere-content)
options:
  update_session_id:
    description:
      - The identifier of the update session, for example RV(vsphere.content.content_library_update_session#module:update_session.id)
        of an earlier task.
      - The session must be C(ACTIVE) for the task to change anything.
    type: str
    required: true
  name:
    description:
      - The name of the file in the session, and in the library item once the session is completed.
      - For an OVF template, the names the C(.ovf) descriptor's C(References) give.
    type: str
    required: true
  state:
    description:
      - V(present) makes sure the session holds the content of O(src) or O(url) under O(name).
      - V(absent) removes the file from the session. A file that is not in the session changes nothing.
    type: str
    choices: [present, absent]
    default: present
  src:
    description:
      - A local file to upload, on the host that runs the module.
      - It is uploaded with an HTTP C(PUT) of exactly its size to the upload address vCenter gives, after vCenter
        was told its size and checksum.
      - A broken upload (connection reset, an HTTP 5xx) is started again from the first byte, after adding the file
        again, up to O(retries) times. A size or checksum that does not match is never retried.
      - Exactly one of O(src) and O(url) is required with O(state=present); neither is allowed with O(state=absent).
    type: path
  url:
    description:
      - An C(http), C(https) or C(ds) URL that vCenter downloads the file from (vCenter's C(PULL) source type).
      - For an OVF template, the URL of the C(.ovf) or C(.ova); vCenter fetches the files it references itself.
    type: str
  url_thumbprint:
    description:
      - The SSL thumbprint of the certificate of the server in O(url), sent as C(ssl_certificate_thumbprint). When
        it is given, vCenter accepts only that certificate and checks nothing else.
      - When it is left out, vCenter validates the source's certificate itself. The module never guesses a
        thumbprint by connecting to the source (no trust on first use).
      - The thumbprint is the SHA-1 (40 hexadecimal digits) or, for vCenter 9.1 and later, the SHA-256 (64) of the
        certificate, in either case, with or without colons, spaces or dashes between the digits. It is sent as
        colon-separated upper-case pairs. vCenter before 9.1 takes only SHA-1; 9.1 prefers SHA-256 and takes SHA-1
        only where it is enabled.
      - Only with an C(https) O(url).
    type: str
  checksum_algorithm:
    description:
      - The algorithm of the checksum sent to vCenter and compared with the session's file.
    type: str
    choices: [SHA1, MD5, SHA256, SHA512]
    default: SHA256
  checksum:
    description:
      - The expected checksum of the content, in hexadecimal, computed with O(checksum_algorithm).
      - With O(src) it is computed from the file when it is not given. When it is given, the file is not read to
        compute it, and vCenter rejects an upload that does not match it.
      - With O(url), vCenter verifies what it downloaded against it.
    type: str
  wait:
    description:
      - With O(url), whether to wait until vCenter has downloaded the file and it is C(READY). A file that ends in
        C(ERROR) fails the task with vCenter's error message.
      - With O(src), the upload is always waited for.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait for a pulled file to become C(READY), or for an uploaded file to be verified,
        polling with backoff; reaching it fails the task.
    type: float
    default: 600
  keep_alive_interval:
    description:
      - While a file uploads or is pulled, the module calls the session's C(keep-alive) at least this often, in
        seconds, reporting the percentage sent as C(client_progress).
      - That keeps the update session and the API session from expiring during uploads that last hours, and shows
        the progress in the vSphere Client.
    type: float
    default: 30
extends_documentation_fragment:
  - vsphere.content.connection
  - vsphere.content.attributes
  - vsphere.content.attributes.CHECK_MODE_FULL
  - vsphere.content.attributes.DIFF_MODE_FULL
attributes:
  check_mode:
    details: In check mode the local file is hashed and compared, but nothing is added, uploaded or removed.
notes:
  - O(request_timeout) is an idle timeout for an upload, not a deadline for the whole file. The task fails when no
    byte moves for that long.
  - The session token is only sent to the vCenter named by O(hostname) and O(port). When vCenter gives an upload
    address on another host or port, the file is uploaded there with the same certificate rules, but without it.
  - A failed upload leaves the session C(ACTIVE), so that a later task can add the file again. To abandon the
    upload, set the session's state to C(failed) or C(canceled) with M(vsphere.content.content_library_update_session),
    for example in a C(rescue) block.
  - For an OVF template, add the C(.mf) and C(.cert) before the C(.ovf); vCenter refuses them afterwards.
  - The diff shows the file's name, size and checksum before and after.
seealso:
  - module: vsphere.content.content_library_update_session
  - module: vsphere.content.content_library_update_session_info
"""

EXAMPLES = r"""
- name: Upload a signed OVF template into an update session (manifest and certificate first)
  vsphere.content.content_library_update_session_file:
    hostname: vcenter.example.com
    username: administrator@vsphere.local
    password: "{{ vcenter_password }}"
    update_session_id: "{{ upload.update_session.id }}"
    name: "{{ item | basename }}"
    src: "{{ item }}"
  loop:
    - /srv/templates/photon.mf
    - /srv/templates/photon.cert
    - /srv/templates/photon.ovf
    - /srv/templates/photon-disk1.vmdk

- name: Let vCenter download an ISO, verifying its SHA-256
  vsphere.content.content_library_update_session_file:
    update_session_id: "{{ upload.update_session.id }}"
    name: ubuntu.iso
    url: https://images.example.com/ubuntu-24.04.iso
    checksum: "{{ iso_sha256 }}"
    wait_timeout: 3600

- name: Drop a file from the item when the session completes
  vsphere.content.content_library_update_session_file:
    update_session_id: "{{ upload.update_session.id }}"
    name: old-notes.txt
    state: absent
"""

RETURN = r"""
file:
  description:
    - The file in the session after the task, as vCenter reports it (the API's C(File.Info)), or as predicted in
      check mode.
    - The C(upload_endpoint) of a C(PUSH) file is left out, because its address lets anyone who has it send
      content into the session.
  returned: with O(state=present)
  type: dict
  contains:
    name:
      description: The name of the file.
      type: str
      returned: always
      sample: photon-disk1.vmdk
    source_type:
      description: How the content arrives, C(PUSH) or C(PULL); C(NONE) for a file of the item the session does not change.
      type: str
      returned: always
      sample: PUSH
    status:
      description: The transfer status, C(WAITING_FOR_TRANSFER), C(TRANSFERRING), C(VALIDATING), C(READY) or C(ERROR).
      type: str
      returned: always
      sample: READY
    size:
      description: The size vCenter received, in bytes.
      type: int
      returned: when the file is READY
      sample: 1048576
    bytes_transferred:
      description: How many bytes vCenter has received.
      type: int
      returned: always
      sample: 1048576
    checksum_info:
      description: The checksum of what vCenter received, with its C(algorithm) and C(checksum).
      type: dict
      returned: when vCenter reports one
      sample: {"algorithm": "SHA256", "checksum": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
    source_endpoint:
      description: Where a C(PULL) file is downloaded from.
      type: dict
      returned: for PULL files
      sample: {"uri": "https://images.example.com/ubuntu-24.04.iso"}
    error_message:
      description: Why the file is in the C(ERROR) state.
      type: dict
      returned: when the file is in the ERROR state
bytes_uploaded:
  description: How many bytes this task uploaded; V(0) when nothing was sent.
  returned: with O(src)
  type: int
  sample: 1048576
seconds:
  description: How long the upload took, in seconds; V(0) when nothing was sent.
  returned: with O(src)
  type: float
  sample: 2.4
attempts:
  description: How many times the file was added and its upload started; V(0) when nothing was sent.
  returned: with O(src)
  type: int
  sample: 1
"""

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.vsphere.content.plugins.module_utils.checksums import ALGORITHMS, normalize_checksum
from ansible_collections.vsphere.content.plugins.module_utils.connection import (
    check_identifiers,
    connection_argument_spec,
    exit_with_outcome,
    run_workflow,
)
from ansible_collections.vsphere.content.plugins.module_utils.errors import InvalidOptionError
from ansible_collections.vsphere.content.plugins.module_utils.file_transfer import (
    FileRequest,
    reconcile_session_file,
)
from ansible_collections.vsphere.content.plugins.module_utils.pull_sources import check_source_url

# The API refuses a longer silence between keep-alives with the default five-minute expiry.
MAX_KEEP_ALIVE_INTERVAL = 60.0


def argument_spec():
    spec = connection_argument_spec()
    spec.update(
        update_session_id=dict(type="str", required=True),
        name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        src=dict(type="path"),
        url=dict(type="str"),
        url_thumbprint=dict(type="str"),
        checksum_algorithm=dict(type="str", default="SHA256", choices=sorted(ALGORITHMS)),
        checksum=dict(type="str"),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="float", default=600.0),
        keep_alive_interval=dict(type="float", default=30.0),
    )
    return spec


def file_request(params):
    """Check the options that depend on each other and build the request; nothing is sent yet."""
    check_identifiers(params, "update_session_id", "name")
    state, src, url = params["state"], params["src"], params["url"]
    if state == "present" and (src is None) == (url is None):
        raise InvalidOptionError("state=present needs exactly one of src and url")
    if state == "absent":
        given = [name for name in ("src", "url", "url_thumbprint", "checksum") if params[name] is not None]
        if given:
            raise InvalidOptionError("%s cannot be used with state=absent" % ", ".join(given))
    if src is not None and not os.path.isfile(src):
        raise InvalidOptionError("src %s is not a file on the host that runs the module" % src)
    if src is not None and not os.access(src, os.R_OK):
        raise InvalidOptionError("src %s cannot be read" % src)
    url_thumbprint = None
    if url is not None:
        url_thumbprint = check_source_url(url, params["url_thumbprint"])
    elif params["url_thumbprint"] is not None:
        raise InvalidOptionError("url_thumbprint applies only with url")
    if not params["wait_timeout"] >= 0:
        raise InvalidOptionError("wait_timeout must be a number of seconds, 0 or more")
    if not 0 < params["keep_alive_interval"] <= MAX_KEEP_ALIVE_INTERVAL:
        raise InvalidOptionError("keep_alive_interval must be more than 0 and at most %g seconds" % MAX_KEEP_ALIVE_INTERVAL)
    checksum = params["checksum"]
    if checksum is not None:
        checksum = normalize_checksum(checksum, params["checksum_algorithm"])
    return FileRequest(
        update_session_id=params["update_session_id"],
        name=params["name"],
        state=state,
        src=src,
        url=url,
        url_thumbprint=url_thumbprint,
        checksum_algorithm=params["checksum_algorithm"],
        checksum=checksum,
        wait=params["wait"],
        wait_timeout=params["wait_timeout"],
        keep_alive_interval=params["keep_alive_interval"],
        retries=params["retries"],
        retry_backoff=params["retry_backoff"],
    )


def main():
    module = AnsibleModule(
        argument_spec=argument_spec(),
        mutually_exclusive=[("src", "url")],
        supports_check_mode=True,
    )
    request, outcome = run_workflow(module, file_request, reconcile_session_file)
    result = {}
    if request.state == "present":
        result["file"] = outcome.file
    if request.src is not None:
        result.update(bytes_uploaded=outcome.bytes_uploaded, seconds=round(outcome.seconds, 3), attempts=outcome.attempts)
    exit_with_outcome(module, outcome, **result)


if __name__ == "__main__":
    main()
