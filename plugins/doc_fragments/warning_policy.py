# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Documents the options of ``module_utils/warning_policy.py:warning_policy_argument_spec``."""


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  warning_behavior:
    description:
      - The certificate warning types to set on the update session, and whether completing the session ignores each.
      - Warnings that the session preview raises and that are not ignored make the session fail when it is
        completed. By default no warning is ignored.
      - Listing a type twice is allowed only when both entries agree.
    type: list
    elements: dict
    suboptions:
      type:
        description:
          - The certificate warning type, one of V(SELF_SIGNED_CERTIFICATE), V(EXPIRED_CERTIFICATE),
            V(NOT_YET_VALID_CERTIFICATE) and V(UNTRUSTED_CERTIFICATE).
          - Matched regardless of case, so V(self_signed_certificate) is V(SELF_SIGNED_CERTIFICATE).
        type: str
        required: true
      ignored:
        description:
          - Whether completing the session ignores this warning.
        type: bool
        default: true
  purge_warning_behavior:
    description:
      - If V(true), warning types that O(warning_behavior) does not list (and, with O(ignore_preview_warnings),
        the preview did not raise) are removed from the session.
      - If V(false), they are kept exactly as the session has them.
    type: bool
    default: false
  ignore_preview_warnings:
    description:
      - If V(true), wait until vCenter's preview of the session is C(AVAILABLE) or C(NOT_APPLICABLE), then
        ignore every warning type the preview raised, in addition to the entries of O(warning_behavior),
        which win on conflict.
      - A preview that raised no warnings leaves nothing to ignore.
      - Use it only for content whose origin you trust by other means.
    type: bool
    default: false
  preview_timeout:
    description:
      - How many seconds to wait for the preview (for O(ignore_preview_warnings), or before completing an upload
        of OVF content), polling with backoff.
      - Reaching it fails the task with a message naming the preview's last state.
    type: float
    default: 300
"""
