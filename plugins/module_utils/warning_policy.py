# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""The warning-policy options, paired with ``doc_fragments/warning_policy.py``."""


def warning_policy_argument_spec():
    """warning_behavior, purge_warning_behavior, ignore_preview_warnings and preview_timeout."""
    return dict(
        warning_behavior=dict(
            type="list",
            elements="dict",
            options=dict(
                # No choices: normalize_requested matches the type regardless of case.
                type=dict(type="str", required=True),
                ignored=dict(type="bool", default=True),
            ),
        ),
        purge_warning_behavior=dict(type="bool", default=False),
        ignore_preview_warnings=dict(type="bool", default=False),
        preview_timeout=dict(type="float", default=300.0),
    )
