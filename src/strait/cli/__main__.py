"""``python -m strait.cli``: the ``strait`` command line."""

from strait.cli import main

if __name__ == "__main__":
    main()
