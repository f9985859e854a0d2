"""Calibration: build a hall's scenario from its queue-ticket log (排队叫号系统) and show how
well the model reproduces that log.

- :mod:`sim.calibration.tickets` — the tidy ticket table every log becomes (documented
  columns), and the same table from a simulated run;
- :mod:`sim.calibration.logs` — readers of Chinese queue-system exports, Qmatic-style
  transactions and any vendor through a column mapping (CSV or XLSX, UTF-8 / BOM / GBK /
  GB18030), with bad rows counted by kind;
- :mod:`sim.calibration.synthetic` — the other direction: a simulated run written as a log;
- :mod:`sim.calibration.fit` — demand, service times, patience, elderly share fitted from
  the tickets, and the scenario that ``extends:`` the hall file;
- :mod:`sim.calibration.validate` — observed beside simulated, with a verdict per figure;
- :mod:`sim.calibration.figures` — the figures of a calibration report;
- :mod:`sim.calibration.notes` — the fit's notes, each an English sentence that can be
  said again in Chinese (texts ``caln.*`` in :mod:`sim.results.labels`).
"""
