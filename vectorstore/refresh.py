"""`python -m vectorstore.refresh`: the refresh's command line (`vectorstore.refresh_command`).

The command lives in its own module so that importing it never hides the `refresh()`
function that `vectorstore` exports under the same name.
"""

from __future__ import annotations

import sys

from vectorstore.refresh_command import main

if __name__ == "__main__":
    sys.exit(main())
