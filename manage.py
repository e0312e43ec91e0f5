#!/usr/bin/env python
"""Django's manage.py; the installed console script `fanarchive` does the same."""

from fanarchive.core.cli import main

if __name__ == "__main__":
    main()
