# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run the simulator on its own: ``python -m vcenter_simulator --seed seed.json``.

It prints one JSON line (url, port, ca_file, upload_url) once it is ready, then serves
until interrupted. Controls live outside ``/api``, under ``/_simulator/``
(GET requests, GET violations, POST seed), and are served by the same process.
"""

import argparse
import json
import signal
import sys
import threading

from .server import VCenterSimulator
from .spec import API_VERSIONS


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m vcenter_simulator", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback by default)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one")
    parser.add_argument("--api-version", choices=API_VERSIONS, default=API_VERSIONS[0])
    parser.add_argument("--seed", help="JSON file with users, libraries, library_items, update_sessions and "
                                       "download_sessions")
    parser.add_argument("--cert-dir", help="where to write simulator-ca.pem (a temporary directory by default)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every API call")
    parser.add_argument("--login-latency", type=float, default=0.0, help="seconds added to each login on top")
    parser.add_argument("--upload-port", default="same",
                        help="'same' (the API's port), 'separate' (a second port) or a port number for uploads")
    parser.add_argument("--trusted-root", action="append", default=[], metavar="PEMFILE",
                        help="a PEM file of certificates that signed content may chain to (else the preview of "
                             "signed content raises UNTRUSTED_CERTIFICATE); repeatable")
    args = parser.parse_args(argv)
    trusted_roots = []
    for path in args.trusted_root:
        with open(path) as handle:
            trusted_roots.append(handle.read())

    simulator = VCenterSimulator(host=args.host, port=args.port, api_version=args.api_version,
                                 cert_dir=args.cert_dir, latency=args.latency, login_latency=args.login_latency,
                                 upload_port=int(args.upload_port) if args.upload_port.isdigit() else args.upload_port,
                                 trusted_roots=trusted_roots)
    if args.seed:
        with open(args.seed) as handle:
            simulator.state.seed(json.load(handle))
    simulator.start()
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    print(json.dumps({"url": simulator.url, "port": simulator.port, "ca_file": simulator.ca_file,
                      "upload_url": simulator.upload_url}), flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        simulator.stop()
        for violation in simulator.violations:
            print("spec violation: %s" % violation, file=sys.stderr)
    return 1 if simulator.violations else 0


if __name__ == "__main__":
    sys.exit(main())
