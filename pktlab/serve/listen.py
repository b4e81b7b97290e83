"""Where the server listens: TCP addresses (loopback unless told otherwise)
and UNIX sockets created with the permissions asked for.

    parse_tcp("7777") == ("127.0.0.1", 7777, False)      # "HOST:PORT", "[V6]:PORT", "41900+"
    tcp_socket(host, port, plus)                           # bound, listening, non-blocking
    unix_socket(path, 0o660, "pktlab")                     # mode 0600 from bind on, then MODE
"""

from __future__ import annotations

import grp
import ipaddress
import os
import socket
import stat


def parse_tcp(spec: str) -> tuple[str, int, bool]:
    """"PORT", "HOST:PORT", "[V6]:PORT"; a trailing '+' (Click's "41900+")
    means that port or one of the next ten. Host defaults to 127.0.0.1."""
    s = str(spec).strip()
    plus = s.endswith("+")
    s = s.rstrip("+")
    host, port = "127.0.0.1", s
    if s.startswith("["):
        host, _, port = s[1:].partition("]")
        port = port.lstrip(":")
    elif s.count(":") == 1:
        host, port = s.split(":")
    try:
        n = int(port)
    except ValueError:
        raise ValueError(f"'{spec}': expected PORT or HOST:PORT") from None
    if not 0 <= n < 65536:
        raise ValueError(f"'{spec}': port out of range")
    return host or "0.0.0.0", n, plus


def is_loopback(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return False
    return bool(infos) and all(ipaddress.ip_address(i[4][0]).is_loopback for i in infos)


def tcp_socket(host: str, port: int, plus: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    tries = 11 if plus else 1
    for k in range(tries):
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port + k))
        except OSError as e:
            sock.close()
            if k == tries - 1 or port + k >= 65534:
                raise OSError(e.errno, f"cannot listen on {host}:{port + k}: {e.strerror}") \
                    from None
            continue
        sock.listen(128)
        sock.setblocking(False)
        return sock
    raise AssertionError("unreachable")


def unix_socket(path: str, mode: int, group: str | int | None) -> socket.socket:
    if os.path.lexists(path):
        if not stat.S_ISSOCK(os.lstat(path).st_mode):
            raise OSError(f"{path}: exists and is not a socket")
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(path)
            raise OSError(f"{path}: a server already listens there")
        except (ConnectionRefusedError, FileNotFoundError):
            os.unlink(path)                              # a stale socket
        finally:
            probe.close()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)
    try:
        sock.bind(path)
    finally:
        os.umask(old)
    if group is not None:
        gid = group if isinstance(group, int) else grp.getgrnam(group).gr_gid
        os.chown(path, -1, gid)
    os.chmod(path, mode)
    sock.listen(128)
    sock.setblocking(False)
    return sock


__all__ = ["is_loopback", "parse_tcp", "tcp_socket", "unix_socket"]
