"""pktlab's Jupyter server extension: Click text parsed for the `.click`
file preview of the JupyterLab extension.

    POST {base_url}pktlab/parse  {"text": ..., "filename": ...}
      -> {"graph": <graph view JSON>}  or  {"error": "FILE:LINE:COL: ..."}

Enabled by jupyter-config/jupyter_server_config.d/pktlab.json (installed
with the package, and by `make setup` for a checkout).
"""

from __future__ import annotations

import json

import tornado.web
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join

from .graphview import view_json


def parse_for_preview(text: str, filename: str = "<config>") -> dict:
    """The preview's answer for one text: the graph, or the errors."""
    from ..lang import ConfigError, parse

    try:
        from ..engine.classes import element_classes

        classes = set(element_classes())
    except ImportError:  # the native engine is not built: parse without classes
        classes = None
    try:
        graph = parse(text, filename, classes=classes)
    except ConfigError as e:
        return {"error": str(e)}
    return {"graph": view_json(graph)}


class ParseHandler(APIHandler):
    @tornado.web.authenticated
    def post(self):
        body = self.get_json_body() or {}
        text = str(body.get("text", ""))
        filename = str(body.get("filename") or "<config>").rsplit("/", 1)[-1]
        self.finish(json.dumps(parse_for_preview(text, filename)))


def _jupyter_server_extension_points():
    return [{"module": "pktlab.notebook.labserver"}]


def _load_jupyter_server_extension(server_app):
    web_app = server_app.web_app
    route = url_path_join(web_app.settings["base_url"], "pktlab", "parse")
    web_app.add_handlers(".*$", [(route, ParseHandler)])
    server_app.log.info("pktlab: Click preview endpoint at %s", route)
