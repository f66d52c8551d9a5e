"""The Python baseline of the upload benchmark: what a hand-written script does for one PUSH.

    python raw_put.py FILE URL CA_FILE

SHA-256 of FILE in 1 MiB chunks, then one ``requests.put(URL, data=open(FILE, 'rb'), verify=CA_FILE)``
(requests sends it with a Content-Length, streamed). Prints one JSON line: the digest, the status and
the seconds each step took; exits non-zero when the PUT is not answered 2xx.
"""

import hashlib
import json
import sys
import time

import requests


def main(path, url, ca_file):
    started = time.perf_counter()
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    hashed = time.perf_counter()
    with open(path, "rb") as handle:
        response = requests.put(url, data=handle, verify=ca_file, timeout=600)
    done = time.perf_counter()
    print(json.dumps({"sha256": digest.hexdigest(), "status": response.status_code,
                      "hash_seconds": hashed - started, "put_seconds": done - hashed}))
    return 0 if response.ok else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
