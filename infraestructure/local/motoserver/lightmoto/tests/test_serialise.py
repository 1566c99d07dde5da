import threading
import time

from moto.dynamodb.models import DynamoDBBackend

from lightmoto import serialise
from lightmoto.tests.harness import MotoTest, item


class SerialiseTest(MotoTest):
    def most_at_once(self, table):
        """How many GetItems moto's backend ran at once, of two sent together."""
        running, most, guard = [0], [0], threading.Lock()
        original = DynamoDBBackend.get_item

        def slow_get_item(backend, *a, **kw):
            with guard:
                running[0] += 1
                most[0] = max(most[0], running[0])
            time.sleep(0.3)
            with guard:
                running[0] -= 1
            return original(backend, *a, **kw)

        DynamoDBBackend.get_item = slow_get_item
        try:
            db = self.client("dynamodb")
            threads = [threading.Thread(target=db.get_item, kwargs=dict(TableName=table, Key=item("a", "b")))
                       for _ in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            DynamoDBBackend.get_item = original
        return most[0]

    def test_plain_moto_runs_dynamodb_requests_at_once_and_the_correction_one_at_a_time(self):
        table = self.table()
        self.assertEqual(self.most_at_once(table), 2, "plain moto runs two DynamoDB requests at once")
        self.corrected(serialise)
        self.assertEqual(self.most_at_once(table), 1, "behind the lock, one at a time")
