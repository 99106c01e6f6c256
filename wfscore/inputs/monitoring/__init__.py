"""The office's own monitoring through the year (the notice's 日常监测): a year's
``monitoring/`` folder and the figures drawn from it.

- :mod:`~wfscore.inputs.monitoring.records`: the folder's files (``probes.csv`` and one
  file per imported system), appended to safely and read back with every fault named;
- :mod:`~wfscore.inputs.monitoring.probe`: checking each department's website once
  (``wfscore monitor probe``);
- :mod:`~wfscore.inputs.monitoring.exports`: reading a platform's export into the
  folder (``wfscore monitor import``);
- :mod:`~wfscore.inputs.monitoring.figures`: the year's measures per department
  (availability, gov_cn, online_rate, logins) with the probes or rows each rests on,
  which loading puts in as the values of the indicators of ``source: monitoring``.

Reading the monitoring is a step of reading the inputs, so this package sits among them.
"""
