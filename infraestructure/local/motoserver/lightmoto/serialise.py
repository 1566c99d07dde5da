"""DynamoDB and DynamoDB Streams requests, one at a time.

moto serves requests on threads, and nothing in its DynamoDB backend is
locked: two requests run their Python at once. Its TransactWriteItems
restores a copy of the tables it touched when a condition fails, so a write
that succeeded meanwhile is undone (transactions.py writes in place, but
still needs no one else to write between its checks and its writes). Every
DynamoDB and DynamoDB Streams request runs behind one lock here, as a
table's items are consistent in DynamoDB.
"""

import threading

from moto.dynamodb.responses import DynamoHandler
from moto.dynamodbstreams.responses import DynamoDBStreamsHandler

lock = threading.RLock()


def apply():
    originals = {cls: cls.call_action for cls in (DynamoHandler, DynamoDBStreamsHandler)}
    for cls, original in originals.items():

        def call_action(self, *a, _original=original, **kw):
            with lock:
                return _original(self, *a, **kw)

        cls.call_action = call_action

    def undo():
        for cls, original in originals.items():
            cls.call_action = original

    return undo
