import moto.sqs.models as sqs_models

from lightmoto import sqs_clock
from lightmoto.tests.harness import MotoTest


class SQSClockTest(MotoTest):
    def test_plain_moto_reads_the_slow_clock_per_queued_message_and_the_correction_never(self):
        sqs = self.client("sqs")
        url = sqs.create_queue(QueueName="clock")["QueueUrl"]
        for i in range(50):
            sqs.send_message(QueueUrl=url, MessageBody="m%d" % i)
        reads, original = [0], sqs_models.unix_time_millis

        def slow_clock(dt=None):
            if dt is None:
                reads[0] += 1
            return original(dt)

        sqs_models.unix_time_millis = slow_clock
        self.addCleanup(setattr, sqs_models, "unix_time_millis", original)
        sqs.send_message(QueueUrl=url, MessageBody="one more")
        self.assertGreaterEqual(reads[0], 50, "plain moto reads the datetime clock for every queued message")
        reads[0] = 0
        self.corrected(sqs_clock)  # wraps slow_clock: only a given datetime goes through it
        sqs.send_message(QueueUrl=url, MessageBody="and one more")
        self.assertEqual(reads[0], 0)
        self.assertEqual(len(sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]), 10)
