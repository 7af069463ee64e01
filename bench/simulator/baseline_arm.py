"""The 2021 way, as fairly as we can model it: a hotline of volunteers, then a free lawyer.

Each report waits, first come first served, for one of `volunteers` people, who spends
volunteer_min taking details and phoning round, then sends the first free lawyer of the same city:
the least loaded, and among equals whoever has been free the longest (FIFO). No map, no areas: the
hotline does not know where lawyers are. If nobody in the city has room, the case waits (FIFO) and
goes to the next lawyer who frees up, at once (the coordinator watches the chat; no second call).
"""

from collections import deque

from bench.simulator.engine import WAITING, Case, Lawyer, Sim


class BaselineSim(Sim):
    name = "baseline"

    def __init__(self, world) -> None:
        super().__init__(world)
        self.hotline: deque[tuple[Case, bool]] = deque()  # (case, is the first report)
        self.free_volunteers = self.p.volunteers
        self.waiting: dict[int, deque[Case]] = {city: deque() for city in self.by_city}

    def sos(self, case: Case) -> None:
        # Extra reports about the same person cost a volunteer the same time, and help nobody.
        for n in range(self.p.reports_per_detainee):
            self.hotline.append((case, n == 0))
        self._next_report()

    def _next_report(self) -> None:
        while self.free_volunteers and self.hotline:
            case, first = self.hotline.popleft()
            if self.expired(case):
                continue
            self.free_volunteers -= 1
            self.at(self.now + self.p.volunteer_min, self._called_round, case, first)

    def _called_round(self, case: Case, first: bool) -> None:
        self.free_volunteers += 1
        if first and not self.expired(case):
            lawyer = self.first_free(case.d.city)
            if lawyer:
                self.assign(case, lawyer)
            else:
                self.waiting[case.d.city].append(case)
        self._next_report()

    def first_free(self, city: int) -> Lawyer | None:
        free = [lw for lw in self.by_city[city] if lw.load < lw.capacity]
        return min(free, key=lambda lw: (lw.load, lw.free_since, lw.id), default=None)

    def freed(self, lawyer: Lawyer) -> None:
        queue = self.waiting[lawyer.city]
        while queue:
            if self.expired(queue[0]) or queue[0].status != WAITING:
                queue.popleft()
                continue
            chosen = self.first_free(lawyer.city)
            if chosen is None:
                return
            self.assign(queue.popleft(), chosen)
