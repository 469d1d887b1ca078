"""nbval's kernels: on Unix sockets of their own, and each in an empty folder of its own.

- Sockets: they never use TCP ports, so no other process can take them first (see oilroutes.kernels).
- Folder: a kernel starts in a fresh empty folder, not beside the notebook in the repository. A chapter
  then runs as a copy handed out on its own would (a teacher's key, a reader's download): a cell that
  read a file by a path relative to ``chapters/`` fails here.

``tests/conftest.py`` imports this module; a pytest run in a subprocess loads it
with ``-p kernel_sockets`` (``tests/`` on ``PYTHONPATH``).
"""

import tempfile

import nbval.kernel
import nbval.plugin

from oilroutes.kernels import SocketKernelManager

nbval.kernel.KernelManager = SocketKernelManager


class KernelInAnEmptyFolder(nbval.kernel.RunningKernel):
    """nbval's kernel, started in a new empty folder whatever folder nbval names; the folder goes with it."""

    def __init__(self, kernel_name, cwd=None, startup_timeout=60):
        self.folder = tempfile.TemporaryDirectory(prefix="nbval-kernel-")
        super().__init__(kernel_name, cwd=self.folder.name, startup_timeout=startup_timeout)

    def stop(self):
        try:
            super().stop()
        finally:
            self.folder.cleanup()


nbval.plugin.RunningKernel = KernelInAnEmptyFolder
