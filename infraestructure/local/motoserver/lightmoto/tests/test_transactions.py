import copy

from botocore.exceptions import ClientError

from lightmoto import serialise, transactions
from lightmoto.tests.harness import MotoTest, item


class TransactionsTest(MotoTest):
    def stream_after_failed_transaction(self):
        """What a stream reader sees of a put made after a failed transaction."""
        db, streams = self.client("dynamodb"), self.client("dynamodbstreams")
        table = self.table(stream=True)
        db.put_item(TableName=table, Item=item("before", "s"))
        arn = db.describe_table(TableName=table)["Table"]["LatestStreamArn"]
        shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        out = streams.get_records(ShardIterator=it)
        with self.assertRaises(ClientError):
            db.transact_write_items(TransactItems=[
                {"Put": {"TableName": table, "Item": item("rolled-back", "s")}},
                {"ConditionCheck": {"TableName": table, "Key": item("before", "s"),
                                    "ConditionExpression": "attribute_not_exists(pk)"}},
            ])
        db.put_item(TableName=table, Item=item("after", "s"))
        out = streams.get_records(ShardIterator=out["NextShardIterator"])
        return [r["dynamodb"]["Keys"]["pk"]["S"] for r in out["Records"]]

    def tables_copied(self):
        """What a successful transaction deep-copies, by type."""
        db = self.client("dynamodb")
        table = self.table()
        for i in range(20):
            db.put_item(TableName=table, Item=item("p%d" % i, "s"))
        copied, original = [], copy.deepcopy

        def spy(x, *a, **kw):
            copied.append(type(x).__name__)
            return original(x, *a, **kw)

        copy.deepcopy = spy
        try:
            db.transact_write_items(TransactItems=[{"Put": {"TableName": table, "Item": item("new", "s")}}])
        finally:
            copy.deepcopy = original
        return copied

    def test_plain_moto_rolls_back_by_replacing_the_table_and_the_correction_in_place(self):
        self.assertEqual(self.stream_after_failed_transaction(), ["rolled-back"],
                         "plain moto's rollback replaces the table: the stream reader gets the write that was "
                         "rolled back, and not the one after it")
        self.assertIn("Table", self.tables_copied(), "plain moto copies the whole table for every transaction")
        self.corrected(serialise)
        self.corrected(transactions)
        self.assertEqual(self.stream_after_failed_transaction(), ["after"])
        self.assertNotIn("Table", self.tables_copied(), "the correction copies only the items it writes")
