"""``python -m hsvalidate``: the same as the ``hsvalidate`` command (useful where Scripts/ is not on PATH)."""

from hsvalidate.cli import main

if __name__ == "__main__":
    main()
