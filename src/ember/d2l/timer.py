"""A stopwatch that remembers every lap."""

import time


class Timer:
    """Record running times: ``start()``, ``stop()`` (returns the lap), then read the totals."""

    def __init__(self):
        self.times = []
        self.start()

    def start(self):
        self.started = time.perf_counter()

    def stop(self):
        self.times.append(time.perf_counter() - self.started)
        return self.times[-1]

    def avg(self):
        if len(self.times) == 0:  # (times may be a tensor of laps, as in the book)
            raise ValueError("Timer.avg: no lap yet; call stop() to end one")
        return sum(self.times) / len(self.times)

    def sum(self):
        return sum(self.times)

    def cumsum(self):
        totals, running = [], 0.0
        for lap in self.times:
            # not +=: once a lap is a tensor, += would change the totals already listed
            running = running + lap
            totals.append(running)
        return totals
