"""The online collection system (信息化情况采集系统): a Django site the office serves, where
departments fill in and submit their self-check table, and the office watches, questions,
reopens, locks and exports (README, "Portal").

An optional part (``pip install 'wfscore[portal]'``): nothing else in the package imports
it or Django; the command line reaches it only inside the ``wfscore portal`` commands.

May import every stage below the command line (it reads the year as ``wfscore collect``
does and writes it with collect's own functions); only the command line is above it.

- :mod:`.settings` builds Django's settings from a site folder (``WFSCORE_PORTAL_SITE``);
- :mod:`.year` is the year the site collects: its scheme, its departments, the checks;
- :mod:`.models`, :mod:`.audit`, :mod:`.views`, :mod:`.api`: the records and the pages;
- :mod:`.site` runs the commands (init, serve, export, status, backup).
"""
