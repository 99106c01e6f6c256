"""Publishing: the annual report (papermill, nbconvert), its tables, charts, words,
fonts and templates, every year's report and the trends report.

May import every stage before it: inputs, engine, analysis, review.
"""
