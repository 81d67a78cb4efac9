"""Run one function in N threads that start at the same instant, each on its own database connection."""
import threading
from typing import Callable


def run_parallel(fn: Callable[[int], object], n: int, *, timeout: float = 120) -> list[str]:
    """Call ``fn(i)`` for i in 0..n-1 at once; return the repr of every exception raised (empty when none)."""
    from django.db import connections

    barrier = threading.Barrier(n)
    errors: list[str] = []

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            fn(i)
        except Exception as exc:  # noqa: BLE001 - reported to the caller
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    return errors
