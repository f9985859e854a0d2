"""The Streamlit dashboard (``streamlit run app.py`` or ``hallsim ui``).

It only calls the library: :mod:`sim.ui.runs` (the cached library calls behind the
buttons), :mod:`sim.ui.editor` (scenario fields as plain values and back through
:func:`sim.with_overrides`), :mod:`sim.ui.scorecards` (scorecards and tables in words),
:mod:`sim.ui.text` (the dashboard's strings in English and Chinese), :mod:`sim.ui.state`
(session state and caching), :mod:`sim.ui.figures` (figures of :mod:`sim.plots` as PNG),
and the pages in ``sim/ui/pages/``; :mod:`sim.ui.app_main` routes between them.
"""
