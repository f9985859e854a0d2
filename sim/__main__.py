"""``python -m sim`` runs the hallsim command line."""

from .cli import main

main()
