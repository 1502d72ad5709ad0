"""A to-do API that is not finished: no validation, no DELETE, plain-text lists."""
import json
import os
from http.server import BaseHTTPRequestHandler, HTTPServer

todos = []


class TodoHandler(BaseHTTPRequestHandler):
    def reply(self, status, document, content_type="application/json"):
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/health":
            self.reply(200, {"status": "ok"})
        elif self.path == "/todos":
            # TODO: the content type
            self.reply(200, {"todos": todos, "count": len(todos)}, "text/plain")
        elif self.path.startswith("/todos/"):
            wanted = int(self.path.split("/")[2])
            found = [todo for todo in todos if todo["id"] == wanted]
            self.reply(200, found[0] if found else {})
        else:
            self.reply(404, {"error": "not found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        document = json.loads(self.rfile.read(length))
        todo = {"id": len(todos) + 1, "title": document.get("title"), "done": False}
        todos.append(todo)
        self.reply(201, todo)


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8000"))
    HTTPServer(("127.0.0.1", port), TodoHandler).serve_forever()
