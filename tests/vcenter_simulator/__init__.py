"""An embedded vCenter simulator: the demo's target and the tests' real HTTPS peer."""

from .server import Fault, SimulatorState, VCenterSimulator  # noqa: F401
from .spec import API_VERSIONS, ApiSpec  # noqa: F401
