"""``python -m sim`` runs the hallsim command line."""

from sim.cli.main import main

main()
