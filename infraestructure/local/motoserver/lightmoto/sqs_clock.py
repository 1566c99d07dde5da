"""SQS reads its clock with time.time.

moto's SQS asks unix_time_millis() for the time many times per request, and
a SendMessage counts the queue's messages (its attributes include the
counts), each reading the clock through datetime: a send costs what the
queue holds, and with a backlog SNS's fan-out slows to a crawl (fan-out to
4 queues: 48 -> 132 publishes a second with this correction). Here "now"
is time.time() (the same instant, in milliseconds), and the attribute
names moto converts on every call are converted once.
"""

import functools
import time

import moto.sqs.models as sqs_models


def apply():
    slow_millis = sqs_models.unix_time_millis
    slow_camel = sqs_models.camelcase_to_underscores

    def unix_time_millis(dt=None):
        return time.time() * 1000.0 if dt is None else slow_millis(dt)

    sqs_models.unix_time_millis = unix_time_millis
    sqs_models.camelcase_to_underscores = functools.lru_cache(maxsize=None)(slow_camel)

    def undo():
        sqs_models.unix_time_millis = slow_millis
        sqs_models.camelcase_to_underscores = slow_camel

    return undo
