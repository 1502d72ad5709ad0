"""A small to-do API on the standard library's http.server."""
import json
import os
from http.server import BaseHTTPRequestHandler, HTTPServer

todos = {}
next_id = 1


class TodoHandler(BaseHTTPRequestHandler):
    def send_json(self, status, document):
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def todo_id(self):
        parts = self.path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "todos" and parts[1].isdigit():
            return int(parts[1])
        return None

    def do_GET(self):
        if self.path == "/health":
            self.send_json(200, {"status": "ok"})
        elif self.path == "/todos":
            items = [todos[key] for key in sorted(todos)]
            self.send_json(200, {"todos": items, "count": len(items)})
        elif self.todo_id() is not None:
            todo = todos.get(self.todo_id())
            if todo is None:
                self.send_json(404, {"error": "no such to-do"})
            else:
                self.send_json(200, todo)
        else:
            self.send_json(404, {"error": "not found"})

    def do_POST(self):
        global next_id
        if self.path != "/todos":
            self.send_json(404, {"error": "not found"})
            return
        length = int(self.headers.get("Content-Length", "0"))
        try:
            document = json.loads(self.rfile.read(length))
        except ValueError:
            self.send_json(400, {"error": "the body must be JSON"})
            return
        if not isinstance(document, dict) or not isinstance(document.get("title"), str) or not document["title"]:
            self.send_json(400, {"error": "a to-do needs a title"})
            return
        todo = {"id": next_id, "title": document["title"], "done": False}
        todos[next_id] = todo
        next_id += 1
        self.send_json(201, todo)

    def do_DELETE(self):
        todo_id = self.todo_id()
        if todo_id is None or todo_id not in todos:
            self.send_json(404, {"error": "no such to-do"})
            return
        del todos[todo_id]
        self.send_json(200, {"deleted": todo_id})


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8000"))
    HTTPServer(("127.0.0.1", port), TodoHandler).serve_forever()
