"""Argument types for the `pktlab` command line: each rejects a bad value
when the command line is read, saying which option and why, before anything
runs (argparse prints `pktlab run: error: argument --threads: ...`)."""

from __future__ import annotations

import argparse
import os

__all__ = ["count", "seconds", "period", "new_file"]


def _number(text: str, kind, what: str):
    try:
        return kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what}, got '{text}'") from None


def count(text: str) -> int:
    """A whole number of at least 1 (threads, repeats)."""
    v = _number(text, int, "a whole number")
    if v < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {v}")
    return v


def seconds(text: str) -> float:
    """A duration: 0 or more seconds."""
    v = _number(text, float, "a number of seconds")
    if not v >= 0 or v == float("inf"):
        raise argparse.ArgumentTypeError(f"must be 0 or more seconds, got {text}")
    return v


def period(text: str) -> float:
    """A period: more than 0 seconds."""
    v = _number(text, float, "a number of seconds")
    if not v > 0 or v == float("inf"):
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, got {text}")
    return v


def new_file(text: str) -> str:
    """A file to write at the end: its folder must exist and be writable now,
    not after a long run."""
    folder = os.path.dirname(os.path.abspath(text)) or "."
    if not os.path.isdir(folder):
        raise argparse.ArgumentTypeError(f"cannot write '{text}': no folder '{folder}'")
    if os.path.isdir(text):
        raise argparse.ArgumentTypeError(f"cannot write '{text}': it is a folder")
    if not os.access(folder, os.W_OK):
        raise argparse.ArgumentTypeError(f"cannot write '{text}': folder '{folder}' is not "
                                         "writable")
    return text
