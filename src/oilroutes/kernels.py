"""Kernels that talk over Unix sockets of their own, never over TCP ports.

jupyter_client picks a kernel's five TCP ports by binding to port 0 and letting
go, and the kernel binds them a moment later. Meanwhile other kernels, a book
server or a browser may open ports on the same host, so now and then a port is
taken first and the kernel dies before it answers ("Kernel died before replying
to kernel_info"). IPC sockets in a private directory cannot collide, and nothing
is sent over the network, encrypted or not.

The build runs its chapters with :func:`on_sockets` (see :mod:`oilroutes.build`);
the tests give nbval's kernels :class:`SocketKernelManager` (``tests/kernel_sockets.py``).
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

from jupyter_client import AsyncKernelManager, KernelManager

_DIR: list[Path] = []


def socket_dir() -> Path:
    """This process's private directory of kernel sockets, removed when it exits.

    Made before a process forks workers, it is theirs too (a forked worker never runs ``atexit``)."""
    if not _DIR:
        made = Path(tempfile.mkdtemp(prefix="oilroutes-kernels-"))
        atexit.register(shutil.rmtree, made, ignore_errors=True)
        _DIR.append(made)
    return _DIR[0]


def _sockets(kwargs: dict) -> dict:
    kwargs.setdefault("transport", "ipc")
    kwargs.setdefault("ip", str(socket_dir() / uuid.uuid4().hex[:12]))  # files <ip>-1 ... <ip>-5
    return kwargs


class SocketKernelManager(KernelManager):
    """A kernel manager (blocking, as nbval uses) whose kernel listens on Unix sockets of its own."""

    def __init__(self, **kwargs):
        super().__init__(**_sockets(kwargs))


class AsyncSocketKernelManager(AsyncKernelManager):
    """The same for nbclient, which runs notebooks for jupyter-cache and myst-nb."""

    def __init__(self, **kwargs):
        super().__init__(**_sockets(kwargs))


# How nbclient ends a kernel once its notebook has run. Every output has arrived by then (nbclient waits
# for each cell's reply and for the kernel to go idle), so nothing is lost by stopping the process at once,
# as nbval also does. The default ("graceful") asks the kernel to exit and polls until it has: about 0.4 s
# a chapter, and now and then the kernel does not exit until it is sent SIGTERM 2.5 s later.
SHUTDOWN = "immediate"


@contextmanager
def on_sockets():
    """Within this block, the notebooks jupyter-cache executes run on kernels on Unix sockets, each
    stopped as soon as its notebook has run (:data:`SHUTDOWN`)."""
    from jupyter_cache.executors import utils
    from nbclient import execute

    socket_dir()
    saved = utils.executenb
    utils.executenb = functools.partial(
        execute, kernel_manager_class=AsyncSocketKernelManager, shutdown_kernel=SHUTDOWN
    )
    try:
        yield
    finally:
        utils.executenb = saved
