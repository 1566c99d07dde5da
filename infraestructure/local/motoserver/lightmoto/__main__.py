"""python3 -m lightmoto [moto_server flags]: the pinned, corrected moto_server."""

import sys

import lightmoto

lightmoto.check_moto_version()
lightmoto.apply_all()

from moto.server import main  # noqa: E402  (after the corrections)

main(sys.argv[1:])
