"""``manage.py rebuild_finance_summaries``: recompute the finance dashboard's summary tables from scratch."""
from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _, gettext_lazy as _l

from budget_requests.services.summaries import finance_summaries_rebuild


class Command(BaseCommand):
    help = _l("Hitung ulang tabel ringkasan dasbor keuangan dari permohonan, keputusan akhir dan buku besar "
            "(setelah memuat data di luar layanan atau setelah kalender hari kerja berubah).")

    def handle(self, *args, **options):
        started = time.perf_counter()
        result = finance_summaries_rebuild()
        self.stdout.write(self.style.SUCCESS(
            _("%(requests)s permohonan → %(cells)s sel ringkasan permohonan dan %(envelopes)s sel pagu per bulan "
              "dalam %(seconds).1f detik.") % {"requests": result.requests, "cells": result.request_cells,
                                                "envelopes": result.envelope_cells,
                                                "seconds": time.perf_counter() - started}))
