"""Reading a year's inputs: the files (CSV in UTF-8 or GB18030, or one workbook), the scheme
(``scheme.yaml``), the checks of SPEC §6 with every problem located, the lineage
between years, the words of messages, text from the files made inert for the terminal and
HTML (``inert``), and atomic, safe writing that never overwrites an input (``output``).

The lowest stage: it imports nothing else of wfscore.
"""
