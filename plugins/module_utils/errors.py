# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""Exceptions raised by the client and the domain logic.

Every exception renders itself as the keyword arguments of ``fail_json``, so
modules never have to format errors themselves.
"""


class VSphereContentError(Exception):
    """Base class: a message safe to show to users, plus structured details."""

    def __init__(self, msg, **details):
        super().__init__(msg)
        self.msg = msg
        self.details = details

    def to_fail_json(self):
        payload = dict(self.details)
        payload["msg"] = self.msg
        return payload


class TaskCanceled(VSphereContentError):
    """The module process got SIGTERM (how AWX cancels a job) or SIGINT: it fails as any error does, so the
    workflows clean up what the run opened. Code that turns errors into warnings lets this one through."""


class InvalidOptionError(VSphereContentError):
    """An option is unusable; raised before any request is sent."""


class TransportError(VSphereContentError):
    """The server could not be reached, or TLS verification failed."""


class SourceError(TransportError):
    """What an upload reads from failed: another vCenter's download broke, or sent bytes other than it reports.
    ``retryable`` in its details says whether another attempt may help."""


class AuthenticationError(VSphereContentError):
    """Login was refused."""


class ApiError(VSphereContentError):
    """The API answered with an HTTP error status."""

    def __init__(self, msg, status, error_type=None, messages=None):
        super().__init__(
            msg, status=status, error_type=error_type, messages=messages or []
        )
        self.status = status
        self.error_type = error_type

    @property
    def is_not_found(self):
        return self.status == 404


class UpdateSessionError(VSphereContentError):
    """An update session cannot be brought to the requested state."""
