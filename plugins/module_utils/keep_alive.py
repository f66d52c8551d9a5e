# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""Keeping a session alive while a transfer runs: an update session during an upload or a pull, a download session
during a download. When to call is ``file_plans.KeepAliveSchedule``'s decision; this sends the calls."""

from ansible_collections.vsphere.content.plugins.module_utils.errors import TaskCanceled, VSphereContentError
from ansible_collections.vsphere.content.plugins.module_utils.file_plans import KeepAliveSchedule


class KeepAlive:
    """Calls ``send(progress)`` at least every ``interval`` seconds while a transfer runs (``progress`` None when no
    new progress may be reported: vCenter takes only more than it has).

    It keeps both the session and the API session from expiring during transfers that last hours, and shows the
    progress in the vSphere Client. A failed keep-alive is a warning, appended to ``warnings`` once, naming
    ``label``: the transfer itself decides the outcome.
    """

    def __init__(self, send, label, interval, clock, warnings, reported_progress=0):
        self.send = send
        self.label = label
        self.clock = clock
        self.warnings = warnings
        self.schedule = KeepAliveSchedule(interval, clock(), reported_progress)

    def maybe(self, percent=None):
        now = self.clock()
        if not self.schedule.due(now):
            return
        progress = self.schedule.progress_to_report(percent) if percent is not None else None
        try:
            self.send(progress)
        except TaskCanceled:
            raise
        except VSphereContentError as exc:
            warning = "keep-alive of %s failed: %s" % (self.label, exc.msg)
            if warning not in self.warnings:
                self.warnings.append(warning)
            progress = None
        self.schedule.called(now, progress)
