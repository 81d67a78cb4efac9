"""Amendment benchmarks:

- ``consolidate_100_pasal_5_amendments_ms``: the text in force of a 100-Pasal regulation amended five times
  (each amendment: a Pasal replaced, a Pasal inserted, an ayat-level change, a Pasal deleted), against the
  baseline of only converting the same body to the snapshot shape and back (what any consolidated page
  does anyway);
- ``pasal_i_100_pasal_ms``: writing Pasal I of an amendment draft of a 100-Pasal regulation with 12 changes,
  against the baseline of the redline ``compare`` of the same two texts (the same uid-by-uid walk).
"""
from __future__ import annotations

import copy
import statistics
import time

RUNS = 9


def _median_ms(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _entry(name, value, unit, baseline_name=None, baseline_value=None):
    ratio = round(value / baseline_value, 3) if baseline_value else None
    return {"name": name, "value": round(value, 3), "unit": unit, "baseline_name": baseline_name,
            "baseline_value": round(baseline_value, 3) if baseline_value is not None else None, "ratio": ratio}


def _base_snapshot(pasal: int) -> dict:
    from perda.samples import sample_body

    return {"body": sample_body(pasal, with_reference=False)}


def _amendment(k: int) -> dict:
    from perda.amendments.parse import parse_instructions

    n = 10 + k * 15
    lines = ["Beberapa ketentuan … diubah sebagai berikut:",
             f"1. Ketentuan Pasal {n} diubah sehingga berbunyi sebagai berikut:", f"Pasal {n}",
             f"(1) Ketentuan ayat satu perubahan ke-{k}.", f"(2) Ketentuan ayat dua perubahan ke-{k}.",
             f"2. Di antara Pasal {n + 1} dan Pasal {n + 2} disisipkan 1 (satu) pasal, yakni Pasal {n + 1}A yang "
             "berbunyi sebagai berikut:", f"Pasal {n + 1}A", f"Pasal sisipan perubahan ke-{k}.",
             f"3. Pasal {n + 3} dihapus.",
             f"4. Ketentuan Pasal {n + 4} diubah sehingga berbunyi sebagai berikut:", f"Pasal {n + 4}",
             f"Teks baru perubahan ke-{k}."]
    return {"label": f"Peraturan Daerah Nomor {k} Tahun 2027", "date": f"2027-0{k + 1}-01",
            "instructions": parse_instructions(lines)}


def bench_consolidate() -> list[dict]:
    from perda.amendments.consolidate import consolidate
    from perda.amendments.tree import from_snapshot_body, to_snapshot_body

    base = from_snapshot_body(_base_snapshot(100)["body"])
    amendments = [_amendment(k) for k in range(5)]
    assert len(consolidate(base, amendments)["applied"]) == 5
    ours = _median_ms(lambda: to_snapshot_body(consolidate(base, amendments)["body"]))
    baseline = _median_ms(lambda: to_snapshot_body(from_snapshot_body(to_snapshot_body(copy.deepcopy(base)))))
    return [_entry("consolidate_100_pasal_5_amendments_ms", ours, "ms (median of 9, pure)",
                   "snapshot_shape_roundtrip_100_pasal_ms", baseline)]


def bench_pasal_i() -> list[dict]:
    from perda.amendments.draft import pasal_i
    from perda.numbering import iter_nodes
    from perda.redline import compare

    base = _base_snapshot(100)
    draft = copy.deepcopy(base)
    pasals = [n for n, _p in iter_nodes(draft["body"]) if n["kind"] == "pasal"]
    for i, p in enumerate(pasals[5:95:8]):
        if i % 3 == 0:
            p["text"] = (p.get("text") or "") + " (diubah)"
        elif i % 3 == 1 and p.get("children"):
            p["children"][0]["text"] += " (diubah)"
        else:
            p["children"] = (p.get("children") or []) + [{"uid": f"new-{i}", "kind": "ayat", "heading": "",
                                                          "text": "Ayat tambahan.", "penjelasan": "", "role": "",
                                                          "children": []}]
    assert pasal_i(base, draft)
    ours = _median_ms(lambda: pasal_i(base, draft))
    baseline = _median_ms(lambda: compare(base, draft))
    return [_entry("pasal_i_100_pasal_ms", ours, "ms (median of 9, 12 changes)", "redline_compare_100_pasal_ms",
                   baseline)]


def run() -> list[dict]:
    return bench_consolidate() + bench_pasal_i()
