"""``python -m crawler.cli``: the same as the ``sonocat`` command."""

from crawler.cli import main

main()
