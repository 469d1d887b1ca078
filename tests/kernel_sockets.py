"""nbval's kernels talk over Unix sockets of their own, never over TCP ports.

jupyter_client picks a kernel's five TCP ports by binding to port 0 and letting go,
and the kernel binds them a moment later; meanwhile the browser tests, the local
book server and other kernels are opening ports on the same host, so now and
then a port is taken first and the kernel dies before it answers ("Kernel died
before replying to kernel_info"). IPC sockets under a private directory cannot
collide. ``tests/conftest.py`` imports this module; a pytest run in a subprocess
loads it with ``-p kernel_sockets`` (``tests/`` on ``PYTHONPATH``).
"""

import atexit
import shutil
import tempfile
import uuid
from pathlib import Path

import nbval.kernel
from jupyter_client.manager import KernelManager

SOCKETS = Path(tempfile.mkdtemp(prefix="nbval-kernels-"))
atexit.register(shutil.rmtree, SOCKETS, ignore_errors=True)


def ipc_kernel_manager(**kwargs):
    """A KernelManager whose sockets are files ``SOCKETS/<random>-1`` … ``-5``, unique to the kernel."""
    return KernelManager(transport="ipc", ip=str(SOCKETS / uuid.uuid4().hex[:12]), **kwargs)


nbval.kernel.KernelManager = ipc_kernel_manager
