"""``python -m toolkit`` is the same as the ``tifa`` command."""

import sys

from toolkit.cli.main import main

sys.exit(main())
