"""The report's worst replies gathered a batch at a time: only the rows that can rank are sorted."""

from __future__ import annotations

import numpy as np
import pandas as pd

from qa.report_data import worst_candidates, worst_order


def test_sorting_the_candidates_alone_gives_the_same_worst_replies() -> None:
    """Independent truth: the whole batch sorted (``worst_order``); many ties on pass and score, so that the
    later keys (score before critical failures, precedent risk, reply id) decide."""
    rng = np.random.default_rng(5)
    for trial in range(60):
        m = int(rng.integers(0, 60))
        frame = pd.DataFrame({
            "passed": rng.random(m) < rng.random(),
            "auto_fail": rng.random(m) < 0.2,
            "score": rng.integers(60, 64, m).astype(float),
            "score_without_critical": rng.integers(60, 62, m).astype(float),
            "precedent_risk": rng.choice([0.0, 0.25, 0.5], m),
            "reply_id": rng.integers(0, 30, m).astype(str),
        }, index=rng.permutation(m) + 100)
        if trial % 2:
            frame = frame.drop(columns="passed")
        for n in (1, 5, 20):
            want = worst_order(frame).head(n)
            got = worst_order(worst_candidates(frame, n)).head(n)
            pd.testing.assert_frame_equal(got, want)
