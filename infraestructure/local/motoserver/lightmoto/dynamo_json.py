"""DynamoDB data-plane answers written as plain JSON.

moto writes every DynamoDB answer through a serializer that walks the
botocore model of the operation, member by member: about 20 ms for a Query
page of 10 items, most of what a read costs. For the data-plane operations
the answer is the result as JSON (the DynamoDB JSON protocol), so this
writes that directly: binary values base64, times as epoch seconds, no null
members. What the SDK reads back is the same (motoserver_test.go reads
every attribute type back through every read).
"""

import base64
import datetime
import json
import uuid

from moto.core.utils import unix_time
from moto.dynamodb.responses import DynamoResult

DATA_PLANE = {
    "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem",
    "BatchWriteItem", "TransactGetItems", "TransactWriteItems",
}


def plain(o):
    if isinstance(o, dict):
        return {k: plain(v) for k, v in o.items() if v is not None}
    if isinstance(o, list):
        return [plain(v) for v in o]
    if isinstance(o, bytes):
        return base64.b64encode(o).decode()
    if isinstance(o, datetime.datetime):
        return unix_time(o)
    return o


def apply():
    model_execute = DynamoResult.execute_result

    def execute_result(self, context):
        if context.operation_model.name not in DATA_PLANE or isinstance(self.result, Exception):
            return model_execute(self, context)
        headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-requestid": uuid.uuid4().hex}
        return 200, headers, json.dumps(plain(self.result), separators=(",", ":"))

    DynamoResult.execute_result = execute_result

    def undo():
        DynamoResult.execute_result = model_execute

    return undo
