"""Real-data regression guard: the assistant against AO3's own wrangling decisions.

The figures are computed, never timed; bench/wrangling_assistant.py prints them in full.
"""

from __future__ import annotations

import pytest

from fanarchive.tags.assistant.evaluation import DUMP_TAGS, METATAGS, evaluate_synonyms

needs_data = pytest.mark.skipif(
    not DUMP_TAGS.exists(), reason=f"the shared AO3 sample is not at {DUMP_TAGS}"
)


@needs_data
def test_first_synonym_suggestion_is_ao3s_choice():
    report = evaluate_synonyms(DUMP_TAGS)
    # The sample holds 682 synonyms, 73 of them with their canonical in the sample.
    assert report["synonyms"] == 682
    assert report["evaluable"] == 73
    assert report["precision"] >= 0.8, report["misses"]
    assert report["recall"] >= 0.8, report["misses"]
    # Where AO3's answer is not in the vocabulary, the assistant mostly abstains.
    assert report["not_evaluable_with_suggestion"] / report["not_evaluable"] <= 0.15


@pytest.mark.skipif(not METATAGS.exists(), reason=f"no metatag pairs at {METATAGS}")
def test_metatag_evaluation_runs_on_a_small_sample():
    from fanarchive.tags.assistant.evaluation import evaluate_metatags

    report = evaluate_metatags(METATAGS, sample=200)
    assert report["sampled"] == 200
    assert report["correct"] <= report["suggested"] <= 200
    # No numeric goal in the issue; guard against the rules silently breaking.
    assert report["precision"] >= 0.5
