# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""The options that find a library item, shared by ``content_library_item`` and ``content_library_item_download``:
their argument spec, which of them exclude each other, and the checks made before anything is sent."""

from ansible_collections.vsphere.content.plugins.module_utils.connection import check_identifiers
from ansible_collections.vsphere.content.plugins.module_utils.errors import InvalidOptionError

MUTUALLY_EXCLUSIVE = [("library_id", "library_name"), ("library_item_id", "name")]


def item_argument_spec():
    return dict(
        library_id=dict(type="str"),
        library_name=dict(type="str"),
        library_item_id=dict(type="str"),
        name=dict(type="str"),
    )


def check_item_options(params):
    """The item is named by its id, or by its name in a library given by id or name."""
    check_identifiers(params, "library_id", "library_item_id")
    if params["library_item_id"] is None and (params["name"] is None or not params["name"].strip()):
        raise InvalidOptionError("name is required (with library_id or library_name) unless library_item_id is given")
    if params["library_item_id"] is None and params["library_id"] is None and params["library_name"] is None:
        raise InvalidOptionError("library_id or library_name is required to find the item by name")
