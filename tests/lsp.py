"""A small Language Server Protocol client for yaml-language-server over stdio.

The tests open agreement files in the same language server VS Code's YAML
extension runs (installed into .tools/ by scripts/setup.sh) and read back
what an editor would show: diagnostics, completion items, hover texts.
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SERVER = ROOT / ".tools" / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"

SETTINGS = {"yaml": {"validate": True, "hover": True, "completion": True, "yamlVersion": "1.2", "schemas": {}}}

WAIT = 60.0
"""Seconds to wait for an answer before the test fails (the server answers in well under one)."""


class LanguageServer:
    """yaml-language-server as a child process, spoken to in JSON-RPC."""

    def __init__(self) -> None:
        if not SERVER.is_file():
            raise RuntimeError(f"{SERVER} saknas – kör scripts/setup.sh")
        self.process = subprocess.Popen(
            ["node", str(SERVER), "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.next_id = 0
        self.answers: dict[int, queue.Queue[Any]] = {}
        self.diagnostics: queue.Queue[dict[str, Any]] = queue.Queue()
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {
            "processId": None,
            "rootUri": ROOT.as_uri(),
            "capabilities": {
                "workspace": {"configuration": True},
                "textDocument": {
                    "publishDiagnostics": {},
                    "hover": {"contentFormat": ["plaintext"]},
                    "completion": {"completionItem": {"documentationFormat": ["plaintext"]}},
                },
            },
        })
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": SETTINGS})

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        with self.lock:
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while (line := stream.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not line:
                return
            message = json.loads(stream.read(length))
            if "id" in message and "method" in message:  # a request from the server
                result: Any = None
                if message["method"] == "workspace/configuration":
                    result = [SETTINGS.get(item.get("section", ""), SETTINGS["yaml"]) for item in message["params"]["items"]]
                self._send({"id": message["id"], "result": result})
            elif "id" in message:
                self.answers.setdefault(message["id"], queue.Queue()).put(message)
            elif message.get("method") == "textDocument/publishDiagnostics":
                self.diagnostics.put(message["params"])

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        number = self.next_id
        self.answers.setdefault(number, queue.Queue())
        self._send({"id": number, "method": method, "params": params})
        answer = self.answers[number].get(timeout=WAIT)
        assert "error" not in answer, answer
        return answer.get("result")

    def open(self, path: Path, text: str) -> list[dict[str, Any]]:
        """Open ``text`` as the document ``path``; the diagnostics the editor shows for it."""
        uri = path.resolve().as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        while True:
            params = self.diagnostics.get(timeout=WAIT)
            if params["uri"] == uri:
                return list(params["diagnostics"])

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()
            self.process.wait()


__all__ = ["LanguageServer", "SERVER"]
