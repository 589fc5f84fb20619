"""`python -m analysis …`: see analysis.cli."""
import os
import sys

# pyarrow's own allocator (mimalloc) keeps the pages it frees; the C library's malloc gives large blocks
# back at once. Chosen before pyarrow loads, for this command and the dask workers it starts
# (pipeline.release_arrow_memory switches later, in processes that loaded pyarrow first).
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

from .cli import main  # noqa: E402  (after the allocator is chosen)

sys.exit(main())
