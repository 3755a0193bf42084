"""A/B/C/D pyramid classification by cumulative share (Pareto cut-offs)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

PYRAMID_CLASSES = ("A", "B", "C", "D")


def classify_by_cumulative_share(
    values: Mapping[Hashable, float | None], cutoffs: Sequence[float] = (0.5, 0.8, 0.95)
) -> dict[Hashable, str]:
    """Rank customers by value; those making up the first ``cutoffs[0]`` of the total are A, …

    A customer is placed by the cumulative share *before* it is added, so the largest customer
    is always A even if it alone exceeds the first cut-off. Missing values count as 0 (D).
    """
    if (
        len(cutoffs) != 3
        or list(cutoffs) != sorted(cutoffs)
        or not 0 < cutoffs[0] <= cutoffs[2] <= 1
    ):
        raise ValueError("cutoffs must be three increasing shares in (0, 1]")
    ranked = sorted(values.items(), key=lambda item: (-(item[1] or 0.0), str(item[0])))
    total = sum(max(v or 0.0, 0.0) for _, v in ranked)
    result: dict[Hashable, str] = {}
    running = 0.0
    for key, value in ranked:
        amount = max(value or 0.0, 0.0)
        share_before = running / total if total else 1.0
        if amount <= 0:
            result[key] = "D"
        elif share_before < cutoffs[0]:
            result[key] = "A"
        elif share_before < cutoffs[1]:
            result[key] = "B"
        elif share_before < cutoffs[2]:
            result[key] = "C"
        else:
            result[key] = "D"
        running += amount
    return result
