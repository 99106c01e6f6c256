"""Analysis of scored years: what-if scenarios, the robustness analysis (Monte Carlo
and Sobol' indices), and years side by side.

May import :mod:`wfscore.inputs` and :mod:`wfscore.engine`.
"""
