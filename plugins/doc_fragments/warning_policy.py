# -*- coding: utf-8 -*-
# Copyright: vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Documents the options of ``module_utils/warning_policy.py:warning_policy_argument_spec``."""


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  warning_behavior:
    description:
      - The certificate warning types the update session ignores, and whether each is ignored, as
        M(vsphere.content.content_library_update_session) sets them.
      - By default no warning is ignored, so a preview warning (for example the certificate of a signed OVF
        template that is self-signed or not trusted) fails the task before the session is completed, naming each
        warning and this option.
      - Listing a type twice is allowed only when both entries agree.
    type: list
    elements: dict
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
      - If V(true), warning types that O(warning_behavior) does not list (and, with O(ignore_preview_warnings),
        the preview did not raise) are removed from the session.
    type: bool
    default: false
  ignore_preview_warnings:
    description:
      - If V(true), wait until vCenter's preview of the session is C(AVAILABLE) or C(NOT_APPLICABLE), then
        ignore every warning type the preview raised, in addition to the entries of O(warning_behavior),
        which win on conflict.
      - Use it only for content whose origin you trust by other means.
    type: bool
    default: false
  preview_timeout:
    description:
      - How many seconds to wait for the preview, polling with backoff.
      - Reaching it fails the task with a message naming the preview's last state.
    type: float
    default: 300
"""
