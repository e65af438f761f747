"""Build the documentation site: ``python -m quadtheory.docs [--out DIR]``.

Needs the docs extra (``pip install -e '.[docs]'``) and a clone of the repository (the site
is built from README.md, docs/, notebooks/ and proofs/). ``import quadtheory`` does not
import this module. See docs/teaching.md.
"""

from ._src.teaching.site import build as build
from ._src.teaching.site import main as main

if __name__ == "__main__":
    raise SystemExit(main())
