"""Where the tests find the published-regulation corpus (texts made from regional JDIH PDFs).

The corpus is not part of this repository (tests/perda/corpus/README.md says why, what each file is and how
to make it). It is looked for in the folder named by the environment variable ``PAMONG_REGULATION_CORPUS``,
else in ``shared/regulations/`` next to the repository's root (``<repo root>/../shared/regulations/``).
A test that needs a file which is not there is skipped, with the file, the folder and how to provide it.
"""
import os
from pathlib import Path

import pytest

ENV = "PAMONG_REGULATION_CORPUS"
REPO_ROOT = Path(__file__).resolve().parents[3]
README = "tests/perda/corpus/README.md"


def corpus_dir() -> Path:
    """The folder the corpus is read from: $PAMONG_REGULATION_CORPUS, else <repo root>/../shared/regulations/."""
    configured = os.environ.get(ENV, "").strip()
    return Path(configured).expanduser() if configured else REPO_ROOT.parent / "shared" / "regulations"


def missing_reason(name: str) -> str | None:
    """None when the corpus file ``name`` (relative to the corpus folder) is there, else why the test skips."""
    folder = corpus_dir()
    if (folder / name).is_file():
        return None
    where = f"${ENV}={folder}" if os.environ.get(ENV, "").strip() else f"{folder} (${ENV} is not set)"
    return (f"corpus file {name} not found in {where}; provide it there or point ${ENV} at a folder "
            f"that has it, as described in {README} (\"Providing the corpus\")")


def corpus_path(name: str) -> Path:
    """The path of the corpus file ``name`` (e.g. "surabaya_perda_3_2018_parkir.txt",
    "amendments/bali_pergub_1_2021_konsolidasi.txt"); skips the calling test when it is absent."""
    reason = missing_reason(name)
    if reason:
        pytest.skip(reason)
    return corpus_dir() / name


def corpus_text(name: str) -> str:
    """The text of the corpus file ``name``, byte for byte as UTF-8; skips the calling test when it is absent."""
    return corpus_path(name).read_text(encoding="utf-8")
