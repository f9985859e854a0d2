"""The hallsim dashboard: ``streamlit run app.py`` (the same as ``hallsim ui``)."""

from sim.ui.app_main import main

main()
