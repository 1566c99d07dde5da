from moto.dynamodb.responses import DynamoResult

from lightmoto import dynamo_json
from lightmoto.tests.harness import MotoTest, item


class DynamoJSONTest(MotoTest):
    def read(self, table):
        """The item as the SDK reads it, and how many answers went through moto's model serializer."""
        count, original = [0], DynamoResult.execute_result

        def spy(self, context):
            count[0] += 1
            return original(self, context)

        DynamoResult.execute_result = spy
        try:
            got = self.client("dynamodb").get_item(TableName=table, Key=item("all", "types"))["Item"]
        finally:
            DynamoResult.execute_result = original
        return got, count[0]

    def test_plain_moto_writes_reads_through_its_model_serializer_and_the_correction_as_json(self):
        table = self.table()
        full = item("all", "types", n={"N": "-12.5"}, b={"B": b"\x00\x01\xff"}, bool={"BOOL": True}, null={"NULL": True},
                    ss={"SS": ["a", "é"]}, ns={"NS": ["1", "2"]}, bs={"BS": [b"\x01", b"\x02\x03"]},
                    l={"L": [{"S": "x"}, {"N": "3"}]}, m={"M": {"k": {"S": 'v\n"quoted"'}}})
        self.client("dynamodb").put_item(TableName=table, Item=full)
        plain, through_model = self.read(table)
        self.assertEqual(through_model, 1, "plain moto writes a GetItem answer through its model serializer")
        self.corrected(dynamo_json)
        corrected, _ = self.read(table)
        self.assertEqual(corrected, plain, "the SDK reads the same item")
        # The spy above sat under the correction: the model serializer never ran.
        spied = []
        original = DynamoResult.execute_result
        DynamoResult.execute_result = lambda self, context: spied.append(1) or original(self, context)
        self.addCleanup(setattr, DynamoResult, "execute_result", original)
        self.addCleanup(dynamo_json.apply())  # over the spy, as the server runs it
        self.client("dynamodb").get_item(TableName=table, Key=item("all", "types"))
        self.assertEqual(spied, [], "a data-plane answer does not go through the model serializer")
