"""``python manage.py whatif_replay --synthetic-year YEAR --seed N [--json]``

Generates the documented synthetic year for all kelurahan (``budget_requests.finance.whatif.synthetic_year``,
in memory: no request rows are written) with its own synthetic history of step durations and central capacity
(``budget_requests.finance.timing.synthetic_history``), replays it under the current matrix, every saved
scenario and the fully central shape (named ``current``, the scenario's own name, ``fully_central``), and prints
the comparison (a table, or with ``--json`` a list of ``ReplayResult.as_json()``: decision times with their
5–95 % interval, the central backlog, ``"durations": "synthetic"``). Rules' response times are not read, so
the output depends only on the matrices' limits and levels, and the seed.
"""
from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from budget_requests.finance import whatif
from budget_requests.finance.models import Scenario


class Command(BaseCommand):
    help = "Replay a synthetic year of repair requests under the current matrix, saved scenarios and a fully central baseline."

    def add_arguments(self, parser):
        parser.add_argument("--synthetic-year", type=int, required=True, dest="year")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, year: int, seed: int, as_json: bool, **options):
        if not 2000 <= year <= 2100:
            raise CommandError("--synthetic-year must be between 2000 and 2100")
        requests = whatif.synthetic_year(year, seed)
        results = whatif.compare(requests, year=year, scenarios=Scenario.objects.order_by("pk"),
                                 history=whatif.synthetic_history(seed), current_name="current",
                                 central_name="fully_central", seed=seed)
        if as_json:
            self.stdout.write(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=2))
            return
        _rules, source = whatif.current_rules(year)
        self.stdout.write(f"SYNTHETIC year {year}, seed {seed}: {len(requests)} requests; current matrix: {source}; "
                          f"synthetic step durations, central capacity {results[0].timing.capacity}/working day; "
                          f"{results[0].timing.runs} runs, intervals 5-95 %")
        header = (f"{'scenario':24} {'requests':>8} {'local':>6} {'median wd [interval]':>22} {'p90 wd [interval]':>22} "
                  f"{'backlog':>7} {'Rp without central':>20} {'flags':>6}")
        self.stdout.write(header)

        def fmt(value, interval):
            return f"{value:.2f} [{interval[0]:.2f}-{interval[1]:.2f}]" if value is not None else "-"

        for r in results:
            t = r.timing
            self.stdout.write(
                f"{r.scenario[:24]:24} {r.requests:>8} {r.decided_locally_share:>6.1%} {fmt(t.median, t.median_interval):>22} "
                f"{fmt(t.p90, t.p90_interval):>22} {t.backlog_max or 0:>7} {r.amount_without_central_review:>20,} "
                f"{r.red_flags:>6}")
