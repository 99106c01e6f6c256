"""The scoring engine: the steps of SPEC §5 as array functions (values, weights,
indicator scores, rules, sums, ranking), the pipeline that chains them, the batched
engine that scores many drawn schemes at once, the :class:`Result` and ``explain``.

May import :mod:`wfscore.inputs` only.
"""
