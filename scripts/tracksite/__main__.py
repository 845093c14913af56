"""`python -m tracksite`: the command line, for an environment whose scripts folder is not on the
PATH (an editor's task runs the course's `.venv/bin/python -m tracksite`)."""

import sys

from tracksite.commands.cli import main

sys.exit(main())
