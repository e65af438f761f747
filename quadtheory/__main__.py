"""``python -m quadtheory``: the same as the ``quadtheory`` console script; ``main(argv)``
runs the command line in-process and returns its exit status."""

from ._src.cli.main import main as main

if __name__ == "__main__":
    raise SystemExit(main())
