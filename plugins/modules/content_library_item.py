#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
module: content_library_item
short_description: Put a Content Library item's content in place in one task, idempotent by checksum
version_added: 1.0.0
description:
  - Makes a vSphere Content Library item hold exactly the content of an OVF template, an OVA, an ISO image or any
    other file, or of another library item (O(src_item), on another vCenter or the same one), creating the item
    when it does not exist.
  - Idempotent by content, not by name. The item's files are read and compared by checksum with the local files,
    each hashed once with the algorithm vCenter reports for that file. When every file is there with the same
    checksum, nothing is opened and the task reports C(ok).
  - Otherwise one update session brings exactly the files that differ, removes the files the new content no longer
    names, answers the preview's certificate warnings by the warning policy, and is completed. After completion the
    item's files are read back and must carry the checksums that were uploaded.
  - By default no certificate warning is ignored. A preview warning that the warning policy (O(warning_behavior),
    O(ignore_preview_warnings)) does not ignore fails the task before the session is completed, naming each warning
    and the option that would accept it.
  - Nothing is left behind on failure. If anything fails once the session is open (an upload, the preview, a warning
    that is not ignored, the completion), the session is canceled and deleted, and an item this task created is
    deleted; the message says what failed and what was left.
  - Uses the same calls as M(vsphere.content.content_library_update_session) and
    M(vsphere.content.content_library_update_session_file), which remain the way to drive each step yourself.
  - Requires vCenter Server 7.0 Update 2 or later (the C(/api) endpoints).
author:
  - vsphere.content contributors (@vsphere-content)
options:
  library_id:
    description:
      - The identifier of the library that holds the item.
      - Exactly one of O(library_id) and O(library_name) is required, unless O(library_item_id) is given.
    type: str
  library_name:
    description:
      - The name of the library that holds the item, found with vCenter's C(find), which compares names
        case-insensitively.
      - Several libraries of that name fail the task, naming their ids.
    type: str
  library_item_id:
    description:
      - The identifier of an existing library item. It must exist, except with O(state=absent).
      - With O(library_id) or O(library_name), the item must be in that library.
    type: str
  name:
    description:
      - The name of the item within the library. The item is created when the library has no item of that name;
        several items of that name fail the task, naming them.
      - Exactly one of O(name) and O(library_item_id) is required.
    type: str
  type:
    description:
      - The item's type. V(ovf) is an OVF template, V(iso) an ISO image, V(file) a generic item.
      - When left out it is inferred from O(src) or O(url). C(.ovf) and C(.ova) give V(ovf), C(.iso) gives V(iso),
        anything else gives V(file). With O(src_item) it is the source item's, and a O(type) that differs fails
        the task.
      - An existing item of another type fails the task.
    type: str
    choices: [ovf, iso, file]
  description:
    description:
      - The item's description, set on creation and updated when it differs.
    type: str
  src:
    description:
      - The content, as a path on the host that runs the module.
      - An C(.ovf) descriptor brings itself plus every file its C(References) name (disks, C(.nvram), C(.iso),
        anything), found beside it, plus the C(.mf) manifest and C(.cert) certificate of the same base name when
        present. Files come from the C(References), never from file extensions. The manifest and certificate are
        added before the descriptor, as vCenter requires.
      - An C(.ova) brings the same files, streamed out of the archive into their uploads; nothing is extracted to disk.
      - Any other file brings itself.
      - A manifest and certificate are not stored in the item, so they are never compared; when anything else is
        sent, they are sent again with the descriptor, so that vCenter verifies the signature over the new content.
      - A package with a manifest is checked against it before any session is opened, in check mode too. A file
        whose digest (SHA1, SHA256 or SHA512, as the manifest names them) differs, a file the manifest names that
        the package lacks, or a package file it does not name fails the task, naming the file (and both digests).
      - Exactly one of O(src), O(url) and O(src_item) is required with O(state=present).
    type: path
  url:
    description:
      - An C(http), C(https) or C(ds) URL of an C(.ovf), C(.ova) or C(.iso) that vCenter downloads itself
        (vCenter's C(PULL)); for an C(.ovf), vCenter fetches the files it references too.
      - The module cannot compare remote content without downloading it, so without O(checksum) the content is
        pulled on every run. The item's other files are removed.
    type: str
  url_thumbprint:
    description:
      - The SSL thumbprint of the certificate of the server in O(url). When given, vCenter accepts only that
        certificate. Only with an C(https) O(url).
      - The thumbprint is the SHA-1 (40 hexadecimal digits) or, for vCenter 9.1 and later, the SHA-256 (64) of the
        certificate, in either case, with or without colons, spaces or dashes between the digits. It is sent as
        colon-separated upper-case pairs. vCenter before 9.1 takes only SHA-1; 9.1 prefers SHA-256 and takes SHA-1
        only where it is enabled.
    type: str
  checksum:
    description:
      - With O(url) of a single file (not an OVF template), its expected checksum as C(ALGORITHM:hex), for example
        C(SHA1:2fd4e1c6...). The algorithm is one of C(SHA1), C(MD5), C(SHA256) and C(SHA512).
      - When the item already holds a file of that name with that checksum, nothing is pulled. vCenter reports
        C(SHA1) checksums for library items, so give the SHA-1 for the task to be idempotent.
      - vCenter verifies what it downloads against it.
    type: str
  state:
    description:
      - V(present) makes the item hold the content of O(src) or O(url).
      - V(absent) deletes the item; an item that does not exist changes nothing.
    type: str
    choices: [present, absent]
    default: present
  wait_timeout:
    description:
      - How many seconds to wait for each upload to be verified, for vCenter to pull O(url), and for the completion,
        polling with backoff; reaching it fails the task (and cleans up).
    type: float
    default: 600
extends_documentation_fragment:
  - vsphere.content.connection
  - vsphere.content.source_item
  - vsphere.content.warning_policy
  - vsphere.content.attributes
  - vsphere.content.attributes.CHECK_MODE_FULL
  - vsphere.content.attributes.DIFF_MODE_FULL
attributes:
  check_mode:
    details: In check mode the local files are hashed and compared (with O(src_item), the checksums both vCenters
      report are), but nothing is created, opened or uploaded, on either vCenter.
  diff_mode:
    details: The diff shows the item's name, description and files, each with its checksum.
notes:
  - The item is created with a C(client_token) derived from the task's inputs, so a create that is retried after a
    lost answer makes no second item.
  - An item that already has an C(ACTIVE) update session (another upload running, or an interrupted one that
    vCenter has not yet expired) fails the task naming the session, rather than mixing two uploads.
  - A file the item reports without a checksum counts as different, and is uploaded again.
seealso:
  - module: vsphere.content.content_library_update_session
  - module: vsphere.content.content_library_update_session_file
  - module: vsphere.content.content_library_update_session_info
"""

EXAMPLES = r"""
- name: Upload a signed OVF template, accepting its self-signed certificate
  vsphere.content.content_library_item:
    hostname: vcenter.example.com
    username: administrator@vsphere.local
    password: "{{ vcenter_password }}"
    library_name: templates
    name: photon-5
    src: /srv/templates/photon-5/photon.ovf
    warning_behavior:
      - type: SELF_SIGNED_CERTIFICATE

- name: Upload an OVA, streamed member by member
  vsphere.content.content_library_item:
    library_name: templates
    name: appliance
    src: /srv/templates/appliance.ova

- name: Let vCenter download an ISO, pulled only when its SHA-1 differs
  vsphere.content.content_library_item:
    library_name: isos
    name: ubuntu-24.04
    url: https://images.example.com/ubuntu-24.04.iso
    checksum: "SHA1:{{ ubuntu_iso_sha1 }}"

- name: Keep a template the same as on the primary vCenter, streamed from one vCenter to the other
  vsphere.content.content_library_item:
    hostname: vcenter-b.example.com
    library_name: templates
    name: photon-5
    src_item:
      hostname: vcenter-a.example.com
      username: "{{ primary_user }}"
      password: "{{ primary_password }}"
      library_name: templates
      name: photon-5

- name: Remove an item
  vsphere.content.content_library_item:
    library_name: templates
    name: photon-4
    state: absent
"""

RETURN = r"""
library_item:
  description:
    - The item after the task, as vCenter reports it (the API's C(ItemModel)) with its C(id) and C(files), or as
      predicted in check mode (with a C(null) id for an item that would be created).
    - With O(state=absent), the item that was deleted, or in check mode would be.
  returned: with O(state=present); with O(state=absent) when the item existed
  type: dict
  contains:
    id:
      description: The item's identifier.
      type: str
      sample: 5c3f3f39-3f0a-4f3b-9a8e-0b7d1c2e3f4a
    name:
      description: The item's name.
      type: str
      sample: photon-5
    type:
      description: The item's type adapter, C(ovf) or C(iso); absent or other for a generic item.
      type: str
      sample: ovf
    content_version:
      description: The version of the item's content, which vCenter increments with each completed update.
      type: str
      sample: "2"
    files:
      description: The item's stored files, each with C(name), C(size), C(version) and, when vCenter reports one,
        C(checksum_info).
      type: list
      elements: dict
      sample: [{"name": "photon.ovf", "size": 7241, "version": "1", "cached": true,
                "checksum_info": {"algorithm": "SHA1", "checksum": "8d7e4f0b7d0a1c6f9b2e3a4c5d6e7f8091a2b3c4"}}]
uploaded:
  description:
    - The names of the files sent (or, in check mode, that would be sent), in the order they were added.
    - Empty when vCenter copied O(src_item) on its own (the item was new, and the source on the same vCenter).
  returned: with O(state=present)
  type: list
  elements: str
  sample: [photon.mf, photon.cert, photon.ovf, photon-disk1.vmdk]
changes:
  description: Which of the item's files were (or would be) added, replaced and removed.
  returned: with O(state=present)
  type: dict
  sample: {"added": [], "replaced": ["photon-disk1.vmdk"], "removed": []}
source_item:
  description: The item O(src_item) named, as its vCenter reports it.
  returned: with O(src_item)
  type: dict
  contains:
    id:
      description: The source item's identifier.
      type: str
    name:
      description: The source item's name.
      type: str
    content_version:
      description: The version of the source item's content that was compared (and copied).
      type: str
    host:
      description: The vCenter that holds the source item, as O(src_item.hostname) (or, without it, O(hostname))
        names it.
      type: str
  sample: {"id": "9a1d6a1e-27a4-4d46-a3a5-2b9d1c7e3c10", "name": "photon-5", "content_version": "3",
           "host": "vcenter-a.example.com"}
update_session_id:
  description: The update session the task opened, when it opened one.
  returned: when a session was opened
  type: str
"""

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.vsphere.content.plugins.module_utils.checksums import ALGORITHMS, normalize_checksum
from ansible_collections.vsphere.content.plugins.module_utils.connection import (
    connection_argument_spec,
    exit_with_outcome,
    run_workflow,
    second_connection,
)
from ansible_collections.vsphere.content.plugins.module_utils.errors import InvalidOptionError
from ansible_collections.vsphere.content.plugins.module_utils.item_options import (
    MUTUALLY_EXCLUSIVE,
    check_item_options,
    item_argument_spec,
)
from ansible_collections.vsphere.content.plugins.module_utils.item_content import ItemRequest, reconcile_library_item
from ansible_collections.vsphere.content.plugins.module_utils.item_plans import (
    ITEM_TYPES,
    WantedFile,
    infer_type,
    source_name,
)
from ansible_collections.vsphere.content.plugins.module_utils.local_content import package_files
from ansible_collections.vsphere.content.plugins.module_utils.pull_sources import check_source_url
from ansible_collections.vsphere.content.plugins.module_utils.source_item_options import (
    source_item,
    source_item_argument_spec,
)
from ansible_collections.vsphere.content.plugins.module_utils.warning_behavior import normalize_requested
from ansible_collections.vsphere.content.plugins.module_utils.warning_policy import warning_policy_argument_spec

CONTENT_OPTIONS = ("src", "url", "src_item", "url_thumbprint", "checksum", "type", "description", "warning_behavior")


def argument_spec():
    spec = connection_argument_spec()
    spec.update(item_argument_spec())
    spec.update(warning_policy_argument_spec())
    spec.update(source_item_argument_spec())
    spec.update(
        type=dict(type="str", choices=list(ITEM_TYPES)),
        description=dict(type="str"),
        src=dict(type="path"),
        url=dict(type="str"),
        url_thumbprint=dict(type="str"),
        checksum=dict(type="str"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        wait_timeout=dict(type="float", default=600.0),
    )
    return spec


def item_request(params):
    """Check the options that depend on each other, read the local package, build the request; nothing is sent yet."""
    check_item_options(params)
    for name in ("preview_timeout", "wait_timeout"):
        if not params[name] >= 0:
            raise InvalidOptionError("%s must be a number of seconds, 0 or more" % name)
    request = ItemRequest(
        library_id=params["library_id"], library_name=params["library_name"],
        library_item_id=params["library_item_id"], name=params["name"], description=params["description"],
        url=params["url"], state=params["state"],
        warning_behavior=None if params["warning_behavior"] is None else normalize_requested(params["warning_behavior"]),
        purge_warning_behavior=params["purge_warning_behavior"],
        ignore_preview_warnings=params["ignore_preview_warnings"], preview_timeout=params["preview_timeout"],
        wait_timeout=params["wait_timeout"], retries=params["retries"], retry_backoff=params["retry_backoff"],
        token_scope=dict(hostname=params["hostname"], port=params["port"], username=params["username"]),
    )
    if request.state == "absent":
        given = [name for name in CONTENT_OPTIONS if params[name] is not None]
        if given:
            raise InvalidOptionError("%s cannot be used with state=absent" % ", ".join(given))
        return request
    if [params[name] is None for name in ("src", "url", "src_item")].count(False) != 1:
        raise InvalidOptionError("state=present needs exactly one of src, url and src_item")
    if params["src_item"] is not None:
        _only_with_url(params)
        request.source, request.source_connection = source_item(params["src_item"])
        source_scope = request.source_connection or params
        request.source_token_scope = dict((name, source_scope[name]) for name in ("hostname", "port", "username"))
        request.item_type = params["type"]  # the source's; checked once it is found
        return request
    location = params["src"] or params["url"]
    request.item_type = _item_type(params["type"], location)
    if params["src"] is not None:
        _only_with_url(params)
        if not os.path.isfile(params["src"]) or not os.access(params["src"], os.R_OK):
            raise InvalidOptionError("src %s is not a readable file on the host that runs the module" % params["src"])
        request.files = package_files(params["src"])
    else:
        request.url_thumbprint = check_source_url(params["url"], params["url_thumbprint"])
        request.wanted = [WantedFile(source_name(params["url"]), _url_checksum(params["checksum"], request.item_type),
                                     url=params["url"])]
    return request


def _only_with_url(params):
    url_only = [name for name in ("url_thumbprint", "checksum") if params[name] is not None]
    if url_only:
        raise InvalidOptionError("%s appl%s only with url" % (" and ".join(url_only), "ies" if len(url_only) == 1 else "y"))


def _item_type(given, location):
    inferred = infer_type(location)
    if given is None:
        return inferred
    if (given == "ovf") != (inferred == "ovf"):
        raise InvalidOptionError("type=%s does not fit %s: an OVF template comes from an .ovf or .ova, and only it"
                                 % (given, source_name(location)))
    return given


def _url_checksum(checksum, item_type):
    if checksum is None:
        return {}
    if item_type == "ovf":
        raise InvalidOptionError("checksum applies only to a url of a single file, not to an OVF template")
    algorithm, separator, digest = checksum.partition(":")
    algorithm = algorithm.strip().upper().replace("-", "")
    if not separator or algorithm not in ALGORITHMS:
        raise InvalidOptionError("checksum must be ALGORITHM:hex with an algorithm of %s, not %r"
                                 % (", ".join(sorted(ALGORITHMS)), checksum))
    return {algorithm: normalize_checksum(digest, algorithm)}


def reconcile(module):
    """The workflow for the request: a copy of src_item (with a second connection when it is on another vCenter),
    else the upload or pull."""
    def run(client, request, check_mode):
        if request.source is None:
            return reconcile_library_item(client, request, check_mode)
        # Imported here: a task without src_item does not compile the copy's workflow.
        from ansible_collections.vsphere.content.plugins.module_utils.item_copy import copy_library_item

        with second_connection(module, client, request.source_connection) as source_client:
            return copy_library_item(client, source_client, request, check_mode)

    return run


def main():
    module = AnsibleModule(
        argument_spec=argument_spec(),
        mutually_exclusive=[("src", "url", "src_item")] + MUTUALLY_EXCLUSIVE,
        supports_check_mode=True,
    )
    request, outcome = run_workflow(module, item_request, reconcile(module))
    result = {}
    if request.state == "present":
        result.update(library_item=outcome.item, uploaded=outcome.uploaded, changes=outcome.changes)
    elif outcome.item:
        result.update(library_item=outcome.item)
    if outcome.source_item:
        result["source_item"] = outcome.source_item
    if outcome.update_session_id:
        result["update_session_id"] = outcome.update_session_id
    exit_with_outcome(module, outcome, **result)


if __name__ == "__main__":
    main()
