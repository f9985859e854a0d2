"""The Streamlit dashboard (``streamlit run app.py`` or ``hallsim ui``).

It only calls the library: :mod:`sim.ui.runs` (the cached library calls behind the
buttons), :mod:`sim.ui.editor` (scenario fields as plain values and back through
:func:`sim.with_overrides`), :mod:`sim.ui.scorecards` (scorecards and tables in words),
:mod:`sim.ui.text` (the dashboard's strings in English and Chinese), :mod:`sim.ui.state`
(session state, caching and the URL), :mod:`sim.ui.figures` (the cached frames behind the
charts), :mod:`sim.ui.charts` (interactive Vega-Lite charts of :mod:`sim.plots`' data),
:mod:`sim.ui.glance` (verdict headlines, advice and wrapping verdict tables), and the pages in ``sim/ui/pages/``; :mod:`sim.ui.app_main` routes between them.
"""
