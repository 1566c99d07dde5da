"""moto_server as Lightpress runs it: moto pinned, with five corrections.

`python3 -m lightmoto -H HOST -p PORT` (what motoserver.go runs) checks that
the installed moto is the version these corrections were written against,
applies every one of them, and serves moto_server. Each correction is a
module of its own that says which moto behaviour it corrects, and has a
test in tests/ showing plain moto gets it wrong and the correction does
not. Nothing here falls back: a correction that no longer fits moto (an
import that breaks, a signature that moved) stops the server with its
traceback, rather than serving a moto whose transactions are not isolated.
"""

import importlib.metadata

MOTO_VERSION = "5.2.1"
INSTALL = "pip install 'moto[server]==%s'" % MOTO_VERSION

# In the order they are applied.
PATCHES = ["serialise", "transactions", "query", "sqs_clock", "dynamo_json"]


def check_moto_version():
    """Stops with how to install the pinned moto when another is installed."""
    try:
        have = importlib.metadata.version("moto")
    except importlib.metadata.PackageNotFoundError:
        raise SystemExit("lightmoto: moto is not installed for this python3. Install it with: %s" % INSTALL)
    if have != MOTO_VERSION:
        raise SystemExit(
            "lightmoto: moto %s is installed, but Lightpress's corrections of moto are written against %s. "
            "Install it with: %s" % (have, MOTO_VERSION, INSTALL)
        )


def apply_all():
    """Applies every correction; returns a function that undoes them."""
    undos = []
    for name in PATCHES:
        module = importlib.import_module("lightmoto." + name)
        undos.append(module.apply())

    def undo():
        for u in reversed(undos):
            u()

    return undo
