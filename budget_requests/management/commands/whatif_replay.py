"""``python manage.py whatif_replay --synthetic-year YEAR --seed N [--json]``

Generates the documented synthetic year for all kelurahan (``budget_requests.finance.whatif.synthetic_year``,
in memory: no request rows are written), replays it under the current matrix, every saved scenario and the
fully central baseline (named ``current``, the scenario's own name, ``fully_central``), and prints the comparison (a table, or with ``--json`` a list of
``{"scenario", "requests", "decided_locally_share", "median_decision_working_days",
"p90_decision_working_days", "amount_without_central_review"}``). Step times are the rules' response times
(the documented fallback), so the output depends only on the matrices and the seed.
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
        results = whatif.compare(requests, year=year, scenarios=Scenario.objects.order_by("pk"), measured=None,
                                 current_name="current", central_name="fully_central")
        if as_json:
            self.stdout.write(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=2))
            return
        _rules, source = whatif.current_rules(year)
        self.stdout.write(f"Synthetic year {year}, seed {seed}: {len(requests)} requests; current matrix: {source}")
        header = f"{'scenario':32} {'requests':>8} {'local share':>11} {'median wd':>9} {'p90 wd':>7} {'Rp without central':>20} {'flags':>6}"
        self.stdout.write(header)
        for r in results:
            self.stdout.write(
                f"{r.scenario[:32]:32} {r.requests:>8} {r.decided_locally_share:>11.1%} {r.median_days or 0:>9.2f} "
                f"{r.p90_days or 0:>7.2f} {r.amount_without_central_review:>20,} {r.red_flags:>6}")
