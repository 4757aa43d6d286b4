"""Refuse network traffic in this process: connecting, sending and name lookups on
internet sockets fail and are recorded. Local sockets (AF_UNIX pipes, urllib3's
import-time bind to ::1) still work: they are not the network.

Used in-process by tests/test_cli.py, and in child processes through a
``sitecustomize`` that calls ``install`` (so spawned workers are covered too).
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

INTERNET = (socket.AF_INET, socket.AF_INET6)


def blocked_socket_api(record: Callable[[str], None]) -> dict[str, Any]:
    """Replacements for ``socket.socket``, ``create_connection`` and ``getaddrinfo``."""

    def refuse(what: str) -> None:
        record(what)
        raise OSError(f"network blocked by the test: {what}")

    class Socket(socket.socket):
        def connect(self, address: Any) -> None:
            if self.family in INTERNET:
                refuse(f"connect {address!r}")
            super().connect(address)

        def connect_ex(self, address: Any) -> int:
            if self.family in INTERNET:
                refuse(f"connect_ex {address!r}")
            return super().connect_ex(address)

        def sendto(self, *args: Any) -> int:
            if self.family in INTERNET:
                refuse(f"sendto {args[-1]!r}")
            return super().sendto(*args)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        refuse(f"create_connection {address!r}")
        raise AssertionError  # unreachable

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> list:
        refuse(f"getaddrinfo {host!r}")
        raise AssertionError  # unreachable

    return {"socket": Socket, "create_connection": create_connection,
            "getaddrinfo": getaddrinfo}


def install(log_path: str) -> None:
    """Block the network for the rest of this process, appending attempts to a file."""

    def record(what: str) -> None:
        with open(log_path, "a", encoding="utf-8") as f:
            f.write(what + "\n")

    for name, value in blocked_socket_api(record).items():
        setattr(socket, name, value)
