"""Graphviz's `dot` program, run on DOT text with a timeout, and the size limit that keeps it quick.

Layout time grows with the nodes Graphviz places, and it places one hidden node at every rank an
edge passes through (a long edge from an input used all along a chain passes through many). The
layout size counts both, from the graph's shape alone, so a picture that would take too long is
refused before `dot` starts (DOT text too: it is for Graphviz to lay out); on the reference machine
a size of 5,000 lays out in about two seconds (`benchmarks/render.py`).
"""

import subprocess

from service.problems import Problem, invalid, pointer

MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png", "dot": "text/vnd.graphviz"}


def check_layout_size(arguments, settings, location):
    """`arguments[i]` lists the indices of node i's arguments, every node after its arguments;
    `location` is the part of the request that made the graph."""
    ranks = []
    crossed = 0
    for node_arguments in arguments:
        rank = max((ranks[a] + 1 for a in node_arguments), default=0)
        crossed += sum(rank - ranks[a] for a in node_arguments)
        ranks.append(rank)
    size = len(arguments) + crossed
    if size > settings.max_layout_size:
        message = (f"the picture's layout size (its {len(arguments):,} nodes plus the {crossed:,} ranks its edges "
                   f"cross) is {size:,}, over this service's limit MAX_LAYOUT_SIZE={settings.max_layout_size:,}")
        raise invalid([{"location": pointer(location), "message": message}], message)


def lay_out(source, picture_format, settings):
    """The picture `dot` draws from DOT text, as bytes; a problem when it cannot."""
    command = [settings.graphviz_dot, f"-T{picture_format}"]
    try:
        finished = subprocess.run(command, input=source.encode(), capture_output=True,
                                  timeout=settings.render_timeout_seconds)
    except (FileNotFoundError, PermissionError):
        raise Problem(503, "Service Unavailable",
                      f"Graphviz is not installed on this server (no program {settings.graphviz_dot!r}, the setting "
                      f'GRAPHVIZ_DOT), so it cannot draw pictures; "format": "dot" still answers the DOT text') from None
    except subprocess.TimeoutExpired:
        message = (f"Graphviz did not finish laying out this graph within this service's limit "
                   f"RENDER_TIMEOUT_SECONDS={settings.render_timeout_seconds}")
        raise invalid([{"location": "", "message": message}], message) from None
    if finished.returncode != 0:
        reason = finished.stderr.decode(errors="replace").strip().splitlines()[-1:] or [f"exit {finished.returncode}"]
        message = f'Graphviz could not lay out this graph ({reason[0]}); "format": "dot" still answers the DOT text'
        raise invalid([{"location": "", "message": message}], message)
    return finished.stdout
