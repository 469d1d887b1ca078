"""Serve the built book on 127.0.0.1 (``make serve PORT=8001``), saying clearly when the port is taken."""

from __future__ import annotations

import argparse
import errno
import functools
import http.server
import sys

from .paths import repo_root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--directory", default=str(repo_root() / "_build" / "html"))
    args = parser.parse_args(argv)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=args.directory)
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(
                f"Port {args.port} is already in use (is the book already being served?). "
                f"Choose another: make serve PORT={args.port + 1}",
                file=sys.stderr,
            )
        else:
            print(f"Cannot serve on 127.0.0.1:{args.port}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"Serving the book on http://127.0.0.1:{args.port}/ (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
