# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""``content_library_item``'s ``src_item``: an item to copy, on another vCenter or on the same one. Its argument
spec (documented by ``doc_fragments/source_item.py``) and the checks made before anything is sent."""

from ansible_collections.vsphere.content.plugins.module_utils.errors import InvalidOptionError
from ansible_collections.vsphere.content.plugins.module_utils.item_options import (
    MUTUALLY_EXCLUSIVE,
    check_item_options,
    item_argument_spec,
)

# The connection options a source on another vCenter takes, and their defaults there. No environment variable
# fills them: VMWARE_HOST and the rest name the target.
CONNECTION_DEFAULTS = dict(hostname=None, username=None, password=None, session_token=None, port=443,
                           validate_certs=True, ca_path=None, proxy_host=None, proxy_port=None, proxy_protocol="http")


class SourceLocation:
    """Where the item to copy is: a library and a name, or an id. It must exist."""

    state = "present"  # the item must exist (item_lookup)

    def __init__(self, library_id=None, library_name=None, library_item_id=None, name=None):
        self.library_id = library_id
        self.library_name = library_name
        self.library_item_id = library_item_id
        self.name = name


def source_item_argument_spec():
    options = item_argument_spec()
    options.update(
        hostname=dict(type="str"),
        username=dict(type="str"),
        password=dict(type="str", no_log=True),
        session_token=dict(type="str", no_log=True),
        port=dict(type="int"),
        validate_certs=dict(type="bool"),
        ca_path=dict(type="path"),
        proxy_host=dict(type="str"),
        proxy_port=dict(type="int"),
        proxy_protocol=dict(type="str", choices=["http", "https"]),
    )
    return dict(src_item=dict(type="dict", options=options, mutually_exclusive=MUTUALLY_EXCLUSIVE))


def source_item(options):
    """(its SourceLocation, the connection options of its vCenter, or None for the target's own connection)."""
    try:
        check_item_options(options)
    except InvalidOptionError as exc:
        raise InvalidOptionError("src_item: %s" % exc.msg)
    location = SourceLocation(options["library_id"], options["library_name"], options["library_item_id"],
                              options["name"])
    given = [name for name in CONNECTION_DEFAULTS if options[name] is not None]
    if options["hostname"] is None:
        if given:
            raise InvalidOptionError("src_item's %s need%s its hostname: without one, the source is the target's "
                                     "own vCenter and connection" % (", ".join(given), "s" if len(given) == 1 else ""))
        return location, None
    connection = dict((name, default if options[name] is None else options[name])
                      for name, default in CONNECTION_DEFAULTS.items())
    if not connection["session_token"] and not (connection["username"] and connection["password"] is not None):
        raise InvalidOptionError("src_item needs username and password, or session_token, for %s"
                                 % connection["hostname"])
    return location, connection
