"""The one way to build the serial twin of a parallel kernel: :func:`serial_twin`."""

from __future__ import annotations

import types

from numba import njit

__all__ = ["serial_twin"]


def serial_twin(kernel, name: str):
    """A serial (``parallel=False``) compilation of the ``prange`` kernel ``kernel``.

    A parallel region costs a thread wake-up (milliseconds on a busy machine); for a handful of
    blocks one thread is faster, and since every kernel cuts its work into fixed blocks with
    their own seeds, the twin returns exactly what the parallel kernel returns. ``kernel`` is
    the parallel dispatcher (or its plain Python function); the function is copied under
    ``name`` (its qualified name too), so numba's on-disk cache keeps the two compilations
    apart instead of sharing one index entry.

    Examples
    --------
    >>> from numba import njit, prange
    >>> def _total(x):
    ...     s = 0.0
    ...     for i in prange(x.shape[0]):
    ...         s += x[i]
    ...     return s
    >>> total = njit(parallel=True)(_total)
    >>> # numba caches by source file: run this from a module, not an interactive session
    >>> total_serial = serial_twin(total, "total_serial")  # doctest: +SKIP
    >>> total_serial.__name__, total_serial.py_func.__qualname__  # doctest: +SKIP
    ('total_serial', 'total_serial')
    """
    f = getattr(kernel, "py_func", kernel)
    g = types.FunctionType(f.__code__, f.__globals__, name, f.__defaults__, f.__closure__)
    g.__qualname__ = name
    g.__module__ = f.__module__
    g.__doc__ = f"Serial twin of :func:`{f.__name__}` (same blocks, same result).\n\n" + \
        (f.__doc__ or "")
    return njit(cache=True, nogil=True)(g)
