"""Work functions that misbehave on purpose, for the isolation tests (importable by workers)."""

import os
import signal
import time


def echo(item):
    return item


def fail_then_echo(item):
    if item == "boom":
        raise ValueError("boom")
    return item


def sleep_then_echo(item):
    if item == "hang":
        time.sleep(600)
    return item


def kill_self_then_echo(item):
    if item == "crash":
        os.kill(os.getpid(), signal.SIGKILL)
    return item


def allocate_then_echo(item):
    if item == "hog":
        return len(bytearray(8 * 2**30))  # far over any cap the tests set
    return item
