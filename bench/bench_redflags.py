"""Red flags: precision and recall of the split-purchase detector over the labelled cases of the tests
(``tests/budget_requests/redflag_cases.py``: realistic split / not-split histories, some deliberately hard).
No database; the figures depend only on the detector and the cases."""
from __future__ import annotations


def run() -> list[dict]:
    from tests.budget_requests.redflag_cases import scores

    s = scores()
    counts = f"{s['cases']} labelled cases ({s['split']} split): {s['tp']} caught, {s['fp']} false, {s['fn']} missed"
    return [
        {"name": "redflag_precision", "value": s["precision"], "unit": f"share of flags that are splits; {counts}"},
        {"name": "redflag_recall", "value": s["recall"], "unit": f"share of splits flagged; {counts}"},
    ]
