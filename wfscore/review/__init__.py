"""Review of a year's adjustments: the items the desk reviews and what a decision
would do, cell edits, the versioned and logged decisions, and their record read back.

May import :mod:`wfscore.inputs`, :mod:`wfscore.engine` and :mod:`wfscore.analysis`.
"""
