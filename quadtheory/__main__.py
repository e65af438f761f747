"""``python -m quadtheory``: the same as the ``quadtheory`` console script."""

from ._cli import main

raise SystemExit(main())
