from moto.dynamodb.models.table import Table

from lightmoto import query
from lightmoto.tests.harness import MotoTest, item


class QueryTest(MotoTest):
    def query_a(self, table):
        """Partition A's keys, and how many items moto looked at for them."""
        looked, original = [0], Table.all_items

        def spy(self):
            items = original(self)
            looked[0] += len(items)
            return items

        Table.all_items = spy
        try:
            out = self.client("dynamodb").query(TableName=table, KeyConditionExpression="pk = :p",
                                                ExpressionAttributeValues={":p": {"S": "A"}})
        finally:
            Table.all_items = original
        return [i["sk"]["S"] for i in out["Items"]], out["ScannedCount"], looked[0]

    def test_plain_moto_reads_the_whole_table_for_a_query_and_the_correction_the_partition(self):
        db = self.client("dynamodb")
        table = self.table()
        for sk in ("3", "1", "2"):
            db.put_item(TableName=table, Item=item("A", sk))
        for i in range(200):
            db.put_item(TableName=table, Item=item("B", "%03d" % i))
        keys, scanned, looked = self.query_a(table)
        self.assertEqual((keys, scanned), (["1", "2", "3"], 3))
        self.assertEqual(looked, 203, "plain moto looks at every item of the table")
        self.corrected(query)
        self.assertEqual(self.query_a(table), (["1", "2", "3"], 3, 3), "the same answer, from the partition alone")
