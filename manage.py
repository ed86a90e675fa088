#!/usr/bin/env python
from gpvoice.cli import main

if __name__ == "__main__":
    main()
