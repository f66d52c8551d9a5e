# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""An embedded vCenter simulator: the demo's target and the tests' real HTTPS peer."""

from .server import Fault, SimulatorState, VCenterSimulator  # noqa: F401
from .spec import API_VERSIONS, ApiSpec  # noqa: F401
