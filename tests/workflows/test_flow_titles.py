"""Every node of every flow in ``PAMONG_FLOWS`` carries an Indonesian title marked for translation, and the pages
and notifications show that title, never the node's name (``approve_lurah``, ``Pembahasan 1``)."""
from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import override

# English words a flow title must not use (the same kind of words the browser journeys refuse).
ENGLISH = {"start", "end", "submit", "review", "approve", "reject", "task", "process", "route", "after", "timeout",
           "escalate", "revise", "verify", "pay", "paid", "cancelled", "rejected", "forwarded", "spend"}
IDENTIFIER = re.compile(r"^[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+$|_")


def _flows():
    return [import_string(path) for path in settings.PAMONG_FLOWS]


def _nodes():
    for flow_class in _flows():
        for node in flow_class.instance.nodes():
            yield pytest.param(flow_class, node, id=f"{flow_class.__name__}.{node.name}")


def test_the_walk_covers_both_production_flows():
    names = {f.__name__ for f in _flows()}
    assert {"RepairFlow", "FormationFlow"} <= names
    assert sum(1 for _ in _nodes()) > 30


@pytest.mark.parametrize("flow_class, node", list(_nodes()))
def test_every_node_has_an_indonesian_title_marked_for_translation(flow_class, node):
    title = node.task_title
    assert isinstance(title, Promise), f"{node.name}: title is not marked with gettext_lazy"
    with override("id"):
        text = str(title)
    assert text.strip(), node.name
    # viewflow's fallback is the node's name title-cased ("Pembahasan 1", "Up Spend"): an explicit title differs.
    assert text != node.name.replace("_", " ").title(), f"{node.name}: title falls back to the node's name"
    assert not IDENTIFIER.search(text), f"{node.name}: {text!r} looks like code"
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)}
    assert not words & ENGLISH, f"{node.name}: English in {text!r}"


@pytest.mark.parametrize("flow_class", _flows(), ids=lambda f: f.__name__)
def test_every_flow_has_a_translated_process_title(flow_class):
    assert isinstance(flow_class.process_title, Promise)
    with override("id"):
        assert str(flow_class.process_title) and not IDENTIFIER.search(str(flow_class.process_title))
