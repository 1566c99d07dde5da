"""An in-process moto_server for the tests of each correction.

Each test runs a scenario on plain moto and shows what it gets wrong, then
applies its correction, runs it again and shows it right, then undoes the
correction, so the tests do not depend on each other's order.
"""

import logging
import unittest
import uuid

import boto3
from moto.moto_server.threaded_moto_server import ThreadedMotoServer


logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request


class MotoTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = ThreadedMotoServer("127.0.0.1", 0, verbose=False)
        cls.server.start()
        host, port = cls.server.get_host_and_port()
        cls.endpoint = "http://%s:%d" % (host, port)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def client(self, service):
        return boto3.client(service, endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id="test", aws_secret_access_key="test")

    def table(self, stream=False):
        """A table keyed pk/sk, as every Lightpress table; returns its name."""
        name = "t-" + uuid.uuid4().hex[:12]
        spec = dict(TableName=name, BillingMode="PAY_PER_REQUEST",
                    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                          {"AttributeName": "sk", "AttributeType": "S"}],
                    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
        if stream:
            spec["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
        self.client("dynamodb").create_table(**spec)
        return name

    def corrected(self, patch):
        """Applies patch's correction for the rest of this test."""
        self.addCleanup(patch.apply())


def item(pk, sk, **attrs):
    out = {"pk": {"S": pk}, "sk": {"S": sk}}
    out.update(attrs)
    return out
