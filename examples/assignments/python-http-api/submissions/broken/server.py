"""Does not start: the handler class is named wrongly where the server is made."""
import json
import os
from http.server import BaseHTTPRequestHandler, HTTPServer


class TodoHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"status": "ok"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8000"))
    HTTPServer(("127.0.0.1", port), TodoHandlr).serve_forever()
