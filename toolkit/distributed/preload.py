"""What a Dask worker imports as it starts: ``dask worker --preload toolkit.distributed.preload``.

A worker that imports the task module (numpy, pandas, scipy, the segmenter:
about 1.5 s of CPU) when it starts does not pay for it inside the first task
of a run. :func:`~toolkit.distributed.dask_client` preloads it on the local
workers it starts; on a cluster of your own, pass ``--preload
toolkit.distributed.preload`` to ``dask worker`` (or set
``DASK_DISTRIBUTED__WORKER__PRELOAD='["toolkit.distributed.preload"]'``).
"""

from __future__ import annotations

import toolkit.distributed._worker  # noqa: F401  (imported for its dependencies)

__all__: list[str] = []
