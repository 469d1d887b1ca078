"""nbval's kernels talk over Unix sockets of their own, never over TCP ports (see oilroutes.kernels).

``tests/conftest.py`` imports this module; a pytest run in a subprocess loads it
with ``-p kernel_sockets`` (``tests/`` on ``PYTHONPATH``).
"""

import nbval.kernel

from oilroutes.kernels import SocketKernelManager

nbval.kernel.KernelManager = SocketKernelManager
