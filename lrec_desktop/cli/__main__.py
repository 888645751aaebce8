"""``python -m lrec_desktop.cli``: the command line."""

import sys

from lrec_desktop.cli.runner import main

sys.exit(main())
