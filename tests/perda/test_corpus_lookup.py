"""The lookup of the published-regulation corpus (tests/perda/corpus/README.md, "Providing the corpus")."""
from pathlib import Path

import pytest

from tests.perda import corpus


def test_the_folder_named_by_the_environment_is_read(tmp_path, monkeypatch):
    (tmp_path / "amendments").mkdir()
    (tmp_path / "amendments" / "x_konsolidasi.txt").write_text("Pasal 1\n\f", encoding="utf-8")
    monkeypatch.setenv(corpus.ENV, str(tmp_path))
    assert corpus.corpus_dir() == tmp_path
    assert corpus.corpus_text("amendments/x_konsolidasi.txt") == "Pasal 1\n\f"


def test_without_the_environment_the_shared_folder_next_to_the_repository_is_read(monkeypatch):
    monkeypatch.delenv(corpus.ENV, raising=False)
    assert corpus.corpus_dir() == Path(__file__).resolve().parents[2].parent / "shared" / "regulations"


def test_a_missing_file_skips_naming_the_file_the_folder_and_how_to_provide_it(tmp_path, monkeypatch):
    monkeypatch.setenv(corpus.ENV, str(tmp_path))
    with pytest.raises(pytest.skip.Exception) as skipped:
        corpus.corpus_text("surabaya_perda_3_2018_parkir.txt")
    reason = str(skipped.value)
    assert "surabaya_perda_3_2018_parkir.txt" in reason and str(tmp_path) in reason
    assert "PAMONG_REGULATION_CORPUS" in reason and "tests/perda/corpus/README.md" in reason
    # Unset: the default folder is named, and that the variable is not set.
    monkeypatch.delenv(corpus.ENV)
    monkeypatch.setattr(corpus, "REPO_ROOT", tmp_path / "repo")
    reason = corpus.missing_reason("surabaya_perda_3_2018_parkir.txt")
    assert str(tmp_path / "shared" / "regulations") in reason and "is not set" in reason
