# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Python baseline of the upload benchmark: what a hand-written script does for one PUSH, or a few.

    python raw_put.py [--algorithm sha256] FILE URL CA_FILE [FILE URL ...]

For each FILE in turn: its digest (SHA-256 by default) in 1 MiB chunks, then one
``requests.put(URL, data=open(FILE, 'rb'), verify=CA_FILE)`` (requests sends it with a Content-Length,
streamed). Prints one JSON line: each file's digest and status, and the seconds all hashing and all
PUTs took; exits non-zero when a PUT is not answered 2xx.
"""

import argparse
import hashlib
import json
import sys
import time

import requests


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--algorithm", default="sha256", help="hashlib's name of the digest to compute")
    parser.add_argument("file")
    parser.add_argument("url")
    parser.add_argument("ca_file")
    parser.add_argument("more", nargs="*", help="further FILE URL pairs, uploaded in turn with the same CA_FILE")
    args = parser.parse_args(argv)
    if len(args.more) % 2:
        parser.error("further files come as FILE URL pairs")
    pairs = [(args.file, args.url)] + list(zip(args.more[::2], args.more[1::2]))
    found = {"algorithm": args.algorithm, "digests": [], "statuses": [], "hash_seconds": 0.0, "put_seconds": 0.0}
    for path, url in pairs:
        started = time.perf_counter()
        digest = hashlib.new(args.algorithm)
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        hashed = time.perf_counter()
        with open(path, "rb") as handle:
            response = requests.put(url, data=handle, verify=args.ca_file, timeout=600)
        found["digests"].append(digest.hexdigest())
        found["statuses"].append(response.status_code)
        found["hash_seconds"] += hashed - started
        found["put_seconds"] += time.perf_counter() - hashed
        if not response.ok:
            break
    print(json.dumps(found))
    return 0 if all(200 <= status < 300 for status in found["statuses"]) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
