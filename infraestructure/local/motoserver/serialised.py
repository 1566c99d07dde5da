# moto_server with DynamoDB serialised and a transaction that costs what it
# writes, not what the table holds. See serialised in motoserver.go.
import sys, threading, copy
from moto.dynamodb.responses import DynamoHandler
from moto.dynamodbstreams.responses import DynamoDBStreamsHandler
lock = threading.RLock()
def guard(cls):
    original = cls.call_action
    def call_action(self, *a, **kw):
        with lock:
            return original(self, *a, **kw)
    cls.call_action = call_action
guard(DynamoHandler)
guard(DynamoDBStreamsHandler)
# moto's TransactWriteItems deep-copies every table it touches (items and
# stream records included) before each transaction, to restore on failure:
# its cost grows with the table until a busy local stack manages a few
# transactions a second. Under the lock above a transaction can instead
# check every condition first, and only then write, keeping a copy of just
# the items it changes in case a write fails half way.
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (ConditionalCheckFailed, MockValidationException,
    MultipleTransactionsException, TooManyTransactionsException,
    TransactionCanceledException, TransactWriteSingleOpException)

def _key(table, op_type, op):
    if op_type != "Put":
        return op["Key"]
    attrs = op["Item"]
    key = {table.hash_key_attr: attrs[table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = attrs[table.range_key_attr]
    return key

def transact_write_items(self, transact_items):
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    ops, seen = [], set()
    for entry in transact_items:
        if len(entry) != 1:
            raise TransactWriteSingleOpException
        op_type, op = next(iter(entry.items()))
        if op_type not in ("ConditionCheck", "Put", "Delete", "Update"):
            raise MockValidationException("Unsupported transaction operation")
        table = self.get_table(op["TableName"])
        key = _key(table, op_type, op)
        ident = (op["TableName"], str(sorted(key.items())))
        if ident in seen:
            raise MultipleTransactionsException()
        seen.add(ident)
        ops.append((op_type, op, table, key))
    # Every condition is checked against the state before the transaction.
    reasons, failed = [], False
    for op_type, op, table, key in ops:
        current = self.get_item(op["TableName"], key)
        cond = op.get("ConditionExpression")
        if cond is not None and not get_filter_expression(
                cond, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")).expr(current):
            old = None
            if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current is not None:
                old = current.to_json()["Attributes"]
            reasons.append(("ConditionalCheckFailed", ConditionalCheckFailed().message, old))
            failed = True
        else:
            reasons.append((None, None, None))
    if failed:
        raise TransactionCanceledException(reasons)
    # Then the writes, with an undo journal of the items they touch.
    journal, shards = [], {}
    for op_type, op, table, key in ops:
        if op_type == "ConditionCheck":
            continue
        h = DynamoType(key[table.hash_key_attr])
        r = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        journal.append((table, h, r, copy.deepcopy(table.get_item(h, r))))
        if table.stream_shard is not None and id(table) not in shards:
            shards[id(table)] = (table.stream_shard, len(table.stream_shard.items))
    done = 0
    try:
        for i, (op_type, op, table, key) in enumerate(ops):
            done = i
            names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
            if op_type == "Put":
                self.put_item(op["TableName"], op["Item"], expression_attribute_names=names, expression_attribute_values=values)
            elif op_type == "Delete":
                self.delete_item(op["TableName"], key, expression_attribute_names=names, expression_attribute_values=values)
            elif op_type == "Update":
                self.update_item(op["TableName"], key, update_expression=op["UpdateExpression"],
                                 expression_attribute_names=names, expression_attribute_values=values)
    except Exception as e:
        for table, h, r, old in reversed(journal):
            if r is not None:
                if old is None:
                    table.items[h].pop(r, None)
                    if not table.items[h]:
                        del table.items[h]
                else:
                    table.items[h][r] = old
            elif old is None:
                table.items.pop(h, None)
            else:
                table.items[h] = old
        for shard, n in shards.values():
            del shard.items[n:]
        if isinstance(e, MockValidationException):
            raise
        failures = [(None, None, None)] * len(ops)
        failures[done] = (type(e).__name__, str(e), None)
        raise TransactionCanceledException(failures)

DynamoDBBackend.transact_write_items = transact_write_items

# moto's Query on a table (not an index) sorts every item of the table and
# then keeps the partition's: its cost grows with the table, not with what
# it reads. Give it just the partition. The items, order, ScannedCount and
# pages it returns are the same.
import inspect
from moto.dynamodb.models.table import Table
table_query, table_all_items = Table.query, Table.all_items
query_signature = inspect.signature(table_query)
def query(self, *a, **kw):
    args = query_signature.bind(self, *a, **kw).arguments
    if args.get("index_name") or args.get("hash_key") is None:
        return table_query(self, *a, **kw)
    self._partition = args["hash_key"]
    try:
        return table_query(self, *a, **kw)
    finally:
        del self._partition
def all_items(self):
    h = self.__dict__.get("_partition")
    if h is None:
        return table_all_items(self)
    part = self.items.get(h)
    if part is None:
        return []
    if self.range_key_attr:
        return list(part.values())  # Query sorts what it is given
    return [part]
Table.query, Table.all_items = query, all_items

# moto's SQS reads every message's visibility, through a slow datetime
# clock, on every SendMessage (its queue attributes include the counts), so
# a send costs what the queue holds: with a backlog the fan-out from SNS
# slows to a crawl. The same clock read with time.time, and the attribute
# names converted once, keep it the same work at a few times less.
import functools, time
import moto.sqs.models as sqs_models
slow_millis = sqs_models.unix_time_millis
def unix_time_millis(dt=None):
    return time.time() * 1000.0 if dt is None else slow_millis(dt)
sqs_models.unix_time_millis = unix_time_millis
sqs_models.camelcase_to_underscores = functools.lru_cache(maxsize=None)(sqs_models.camelcase_to_underscores)

# moto writes every DynamoDB answer through a serializer that walks the
# botocore model of the operation, member by member: ~20 ms for a Query page
# of 10 items, most of what a read costs. For the data-plane operations the
# answer is the result as JSON (the DynamoDB JSON protocol), so write that
# directly: binary values base64, times as epoch seconds, no null members.
import base64, datetime, json, uuid
from moto.dynamodb.responses import DynamoResult
from moto.core.utils import unix_time
DATA_PLANE = {"GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem",
              "BatchWriteItem", "TransactGetItems", "TransactWriteItems"}
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
model_execute = DynamoResult.execute_result
def execute_result(self, context):
    if context.operation_model.name not in DATA_PLANE or isinstance(self.result, Exception):
        return model_execute(self, context)
    headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-requestid": uuid.uuid4().hex}
    return 200, headers, json.dumps(plain(self.result), separators=(",", ":"))
DynamoResult.execute_result = execute_result
from moto.server import main
main(sys.argv[1:])
