"""`python -m scorecard`: the same as the `scorecard` command."""

import sys

from scorecard.cli import main

sys.exit(main())
