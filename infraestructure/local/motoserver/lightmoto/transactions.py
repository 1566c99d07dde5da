"""TransactWriteItems that checks first, then writes in place.

moto's TransactWriteItems deep-copies every table it touches (items and
stream records) before it starts, and puts the copies back when a condition
fails. So a transaction costs what the tables hold (about 2 a second at
2,000 items), and a rollback replaces the table object with its copy: a
stream reader holding the old table's shard gets the record of the write
that was rolled back and none of the writes after it, and (without
serialise.py) a write that succeeded meanwhile is undone.

Behind serialise.py's lock this version checks every condition against the
state before the transaction, and only then writes, keeping a copy of just
the items it writes in case a write fails half way; the table object and
its stream shard stay in place, so stream readers see every write.
"""

import copy

from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType


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
            cond, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
        ).expr(current):
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
                self.update_item(
                    op["TableName"], key, update_expression=op["UpdateExpression"],
                    expression_attribute_names=names, expression_attribute_values=values,
                )
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


def apply():
    original = DynamoDBBackend.transact_write_items
    DynamoDBBackend.transact_write_items = transact_write_items

    def undo():
        DynamoDBBackend.transact_write_items = original

    return undo
