import importlib.metadata
import unittest
from unittest import mock

import lightmoto


class VersionTest(unittest.TestCase):
    def test_another_moto_stops_with_how_to_install_the_pinned_one(self):
        with mock.patch.object(importlib.metadata, "version", return_value="5.1.0"):
            with self.assertRaises(SystemExit) as e:
                lightmoto.check_moto_version()
        self.assertIn("moto 5.1.0 is installed", str(e.exception))
        self.assertIn("pip install 'moto[server]==%s'" % lightmoto.MOTO_VERSION, str(e.exception))

    def test_no_moto_stops_with_how_to_install_it(self):
        with mock.patch.object(importlib.metadata, "version", side_effect=importlib.metadata.PackageNotFoundError):
            with self.assertRaises(SystemExit) as e:
                lightmoto.check_moto_version()
        self.assertIn("moto is not installed", str(e.exception))

    def test_the_installed_moto_is_the_pinned_one(self):
        lightmoto.check_moto_version()
