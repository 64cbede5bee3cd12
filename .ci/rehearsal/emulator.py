#!/usr/bin/env python3
"""The AWS emulator of the deploy rehearsal: moto in server mode on 127.0.0.1, in this process.

Usage: emulator.py PORT

moto runs in this process (not `moto_server`) so that the few calls moto does not implement can be
answered by the stubs of stubs.py, registered on moto's own response classes: they see the caller's
account exactly as moto does (its access key, an assumed role's included). Every stub is listed,
with the reason, in .ci/rehearsal/README.md. The process serves until it is killed.
"""
import signal
import sys
import threading

from moto.server import ThreadedMotoServer

import stubs


def main(port):
    stubs.register()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    print(f"emulator: moto on 127.0.0.1:{port}", flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    done.wait()
    server.stop()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(int(sys.argv[1]))
