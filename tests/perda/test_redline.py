import copy

from perda.redline import compare, redline_html, word_diff

from .test_numbering_checks import good_snapshot, node


def test_word_diff_marks_words():
    html = word_diff("Pemerintah Daerah wajib menyediakan data.", "Pemerintah Daerah dapat menyediakan data terbuka.")
    assert "<del>wajib</del><ins>dapat</ins>" in html
    assert "data<ins> terbuka</ins>." in html


def test_inserted_deleted_moved_changed():
    a = good_snapshot()
    b = copy.deepcopy(a)
    # change: Pasal 2's text; insert a Pasal in BAB I; delete Pasal 4 (pidana) content; move Bagian order.
    b["body"][1]["children"][0]["children"][0]["text"] = "Isi baru."
    b["body"][0]["children"].insert(0, node("pasal", "pnew", text="Pasal sisipan."))
    del b["body"][2]["children"][0]
    b["body"][2]["children"].append(node("pasal", "p4b", text="Pengganti."))
    b["body"][1]["children"].reverse()
    changes = {c.uid: c for c in compare(a, b)}
    assert changes["pnew"].inserted and changes["pnew"].label_b == "Pasal 1"
    assert changes["p4"].deleted
    assert changes["p2"].changed_fields == ["text"] and "Isi<ins> baru</ins>." in changes["p2"].marks["text"]
    assert [u for u in ("g1", "g2") if u in changes and changes[u].moved] in (["g1"], ["g2"])
    assert "p1" not in changes  # renumbered only (Pasal 1 → 2) is not a change of its own
    html = redline_html(a, b, label_a="v1", label_b="v2")
    assert "Pasal 2 (semula Pasal 1)" not in html  # p1 unchanged → not listed
    assert "disisipkan" in html and "dihapus" in html and "dipindahkan" in html and "diubah" in html


def test_reference_renumbering_shows_as_changed_words():
    a = good_snapshot()
    a["body"][2]["children"][0]["text"] = "Sebagaimana dimaksud dalam [[ref:p3]]."
    b = copy.deepcopy(a)
    b["body"][0]["children"].append(node("pasal", "pins", text="Baru."))
    changes = {c.uid: c for c in compare(a, b)}
    assert "Pasal <del>3</del><ins>4</ins>." in changes["p4"].marks["text"]


def test_konsiderans_changes():
    a = good_snapshot()
    b = copy.deepcopy(a)
    b["konsiderans"][0]["text"] = "bahwa satu diubah;"
    b["konsiderans"].append({"uid": "k3", "text": "bahwa tiga;"})
    changes = {c.uid: c for c in compare(a, b)}
    assert changes["k1"].changed_fields == ["text"] and changes["k3"].inserted


def test_document_view_marks_changes_in_place():
    from perda.redline import redline_document_html

    a = good_snapshot()
    b = copy.deepcopy(a)
    b["body"][1]["children"][0]["children"][0]["text"] = "Isi baru."
    b["body"][0]["children"].insert(0, node("pasal", "pnew", text="Pasal sisipan."))
    removed = b["body"][2]["children"].pop(0)
    b["body"][2]["children"].append(node("pasal", "p4b", text="Pengganti."))
    html = redline_document_html(a, b)
    assert html.index('data-uid="pnew"') < html.index('data-uid="p1"')
    assert "<ins>Pasal sisipan.</ins>" in html and "Isi<ins> baru</ins>." in html
    # The deleted Pasal appears struck through where it stood (before its replacement), numbered as in A.
    assert html.index(f'data-uid="{removed["uid"]}"') < html.index('data-uid="p4b"')
    assert "rl-deleted" in html and "<del>Isi.</del>" in html
