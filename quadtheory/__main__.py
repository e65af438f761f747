"""``python -m quadtheory``: the same as the ``quadtheory`` console script."""

from ._src.cli.main import main

raise SystemExit(main())
