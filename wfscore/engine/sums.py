"""Step 7 of SPEC §5: category, section and total scores are sums, nothing more.

Indicators are laid out in scheme order, so each category's indicators (and each
section's categories) are a contiguous run of columns; a group's sum is the sum of
that run. This is plain adding, with no matrix library in between, and is fastest
on column-major (Fortran-ordered) arrays, which is how the pipeline keeps them.
"""

from __future__ import annotations

import numpy as np


def group_sums(x: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Sums of the column runs ``bounds[g]:bounds[g+1]`` along the last axis."""
    out = np.empty(x.shape[:-1] + (len(bounds) - 1,), order="F" if x.flags.f_contiguous else "C")
    for g in range(len(bounds) - 1):
        out[..., g] = x[..., bounds[g] : bounds[g + 1]].sum(axis=-1)
    return out
