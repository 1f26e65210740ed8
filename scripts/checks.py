"""What the Python test scripts share: failures collected rather than raised (so one run lists
every broken rule), free loopback ports, and servers run on a thread of their own."""
import socket
import threading

failures = []


def expect(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message, flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(server):
    """Runs an http.server server on a daemon thread and returns it."""
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
