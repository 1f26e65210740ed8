"""Idempotency-Key over real sockets, with a real redis-server. Run by scripts/idempotency.

A stub GraphQL upstream counts every mutation it receives (and can be told to be slow, to
hang past the gateway's upstream deadline, or to answer the quota's GraphQL error). Two
gateways share one Redis; a third keeps its records in memory with small bounds."""
import concurrent.futures as futures
import http.client
import http.server
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import uuid

from checks import expect, failures, free_port, serve

BINARY = sys.argv[1]
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJlcnAtYmF0Y2gifQ.c2lnbmF0dXJl"
OTHER_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvdGhlciJ9.c2lnbmF0dXJl"
BODY = {"organizationName": "Fjord Freight AS", "riskGroupId": "6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a01", "vatNumber": "NO123456789MVA"}


class Stub(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), StubHandler)
        self.mutations = []
        self.names = []  # the organizationName of every createInvitation that arrived
        self.delay = 0.0
        self.quota = False
        self.lock = threading.Lock()


class StubHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        query = body["query"]
        if query.lstrip().startswith("mutation"):
            with self.server.lock:
                self.server.mutations.append(body.get("operationName"))
                self.server.names.append(json.dumps(body.get("variables", {})))
            time.sleep(self.server.delay)
        invitation = {"id": str(uuid.uuid4()), "organizationName": "Fjord Freight AS", "status": "DRAFT"}
        if "startInvitationFlow" in query:
            answer = ({"data": None, "errors": [{"message": "No more invitations left this week", "extensions": {"code": "QUOTA_EXCEEDED"}}]}
                      if self.server.quota else
                      {"data": {"startInvitationFlow": {"organizationInvitation": invitation,
                                                        "invitationsLeft": {"invitationsLeftThisMonth": 9, "invitationsLeftThisWeek": 4}}}})
        elif "createOrganizationInvitation" in query:
            answer = {"data": {"createOrganizationInvitation": {"organizationInvitation": invitation}}}
        else:
            answer = {"data": {"__typename": "Query"}}
        data = json.dumps(answer).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the gateway gave up waiting


def port_below_ephemeral():
    """A free port outside the range the kernel picks source ports from: a client that keeps
    connecting to a closed port there can never connect to itself."""
    for port in range(21000 + os.getpid() % 5000, 32000):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise SystemExit("no free port below the ephemeral range")


class Redis:
    def __init__(self, tls=None, port=None):
        """`tls`: a directory with ca.pem, server.pem and server.key (`certificates`)."""
        self.port = port or free_port()
        self.tls = tls
        self.process = None
        self.start()

    def start(self):
        ports = ["--port", str(self.port)]
        if self.tls:
            ports = ["--port", "0", "--tls-port", str(self.port), "--tls-cert-file", f"{self.tls}/server.pem",
                     "--tls-key-file", f"{self.tls}/server.key", "--tls-ca-cert-file", f"{self.tls}/ca.pem", "--tls-auth-clients", "no"]
        self.process = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"] + ports,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as probe:
                    if self.tls:
                        probe = ssl.create_default_context(cafile=f"{self.tls}/ca.pem").wrap_socket(probe, server_hostname="127.0.0.1")
                    probe.sendall(b"PING\r\n")
                    if probe.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def command(self, *words):
        """One command over plain RESP, its reply's first line (enough for FLUSHDB and DBSIZE)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as connection:
            connection.sendall(b"".join([f"*{len(words)}\r\n".encode()] + [f"${len(w)}\r\n{w}\r\n".encode() for w in words]))
            return connection.recv(256).split(b"\r\n")[0].decode()


class Gateway:
    def __init__(self, name, stub, arguments=()):
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix=f"restgate-{name}-", suffix=".log", delete=False)
        url = f"http://127.0.0.1:{stub.server_address[1]}/graphql"
        self.process = subprocess.Popen(
            [BINARY, "--host", "127.0.0.1", "--port", str(self.port), "--threads", "2", "--upstream", f"unioo={url}",
             "--upstream", f"elements={url}", "--upstream-timeout", "1", "--log-level", "warning"] + list(arguments),
            stderr=self.log)
        for _ in range(100):
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"{name} did not start: {open(self.log.name).read()}")

    def request(self, method, path, body=None, key=None, token=TOKEN, raw_body=None, headers=()):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        data = raw_body if raw_body is not None else (None if body is None else json.dumps(body).encode())
        fields = [("Authorization", f"Bearer {token}")] + list(headers)
        if data is not None:
            fields.append(("Content-Type", "application/json"))
        if key is not None:
            fields.append(("Idempotency-Key", key))
        connection.putrequest(method, path)
        for name, value in fields:
            connection.putheader(name, value)
        if data is not None:
            connection.putheader("Content-Length", str(len(data)))
        connection.endheaders(data)
        response = connection.getresponse()
        payload = response.read()
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, (json.loads(payload) if payload else None)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def rules(gateway, other, stub):
    """Every rule of the issue, across two replicas sharing Redis."""
    key = str(uuid.uuid4())
    status, headers, first = gateway.request("POST", "/invitations", BODY, key=key)
    expect(status == 201 and "idempotent-replayed" not in headers, f"first request: {status}")
    reordered = json.dumps(dict(reversed(list(BODY.items()))), indent=4).encode()
    status, headers, again = other.request("POST", "/invitations", raw_body=reordered, key=f'"{key}"')
    expect(status == 201 and headers.get("idempotent-replayed") == "true", f"retry on the other replica replays: {status} {headers}")
    expect(again == first and headers.get("location", "").endswith(first["id"]), "the same invitation, the same Location")
    expect(stub.mutations.count("createInvitation") == 1, f"one mutation upstream, saw {stub.mutations}")
    status, _, problem = gateway.request("POST", "/invitations", dict(BODY, vatNumber="NO999"), key=key)
    expect(status == 422 and problem["code"] == "IDEMPOTENCY_KEY_REUSED", f"another body: {status} {problem}")
    status, headers, _ = gateway.request("POST", "/invitations", BODY, key=key, token=OTHER_TOKEN)
    expect(status == 201 and "idempotent-replayed" not in headers, "another client's same key is its own")
    for bad in ["", "x" * 256, "caf\u00e9", '"unterminated']:
        status, _, problem = gateway.request("POST", "/invitations", BODY, key=bad.encode("utf-8").decode("latin-1"))
        expect(status == 400 and problem["code"] == "INVALID_REQUEST" and problem["errors"][0].get("field") == "Idempotency-Key",
               f"bad key {bad[:10]!r}: {status} {problem}")
    status, _, problem = gateway.request("POST", "/invitations", BODY, headers=[("Idempotency-Key", "a"), ("Idempotency-Key", "b")])
    expect(status == 400, f"two keys: {status}")
    # Refused before the upstream: not stored, the fixed request goes through with the same key.
    fix_key, before = str(uuid.uuid4()), len(stub.mutations)
    status, _, _ = gateway.request("POST", "/invitations", {"organizationName": 5}, key=fix_key)
    expect(status == 400, f"an invalid body is a 400: {status}")
    status, headers, _ = gateway.request("POST", "/invitations", BODY, key=fix_key)
    expect(status == 201 and "idempotent-replayed" not in headers and len(stub.mutations) == before + 1, "fixed and retried")
    # A decided GraphQL error (the quota's 429) is stored and replayed.
    stub.quota = True
    quota_key = str(uuid.uuid4())
    invitation = first["id"]
    status, _, problem = gateway.request("POST", f"/invitations/{invitation}/send", key=quota_key)
    sent = stub.mutations.count("sendInvitation")
    status2, headers, problem2 = other.request("POST", f"/invitations/{invitation}/send", key=quota_key)
    expect(status == 429 and status2 == 429 and headers.get("idempotent-replayed") == "true", f"quota: {status} {status2}")
    expect(stub.mutations.count("sendInvitation") == sent, "the replayed 429 did not reach the upstream")
    stub.quota = False
    # The upstream hangs past the deadline: the outcome is unknown, and a retry never sends.
    stub.delay = 2.5
    hang_key = str(uuid.uuid4())
    status, _, _ = gateway.request("POST", f"/invitations/{invitation}/send", key=hang_key)
    expect(status == 504, f"the hung send is a 504: {status}")
    stub.delay = 0
    sends = stub.mutations.count("sendInvitation")
    status, _, problem = other.request("POST", f"/invitations/{invitation}/send", key=hang_key)
    expect(status == 409 and problem["code"] == "IDEMPOTENCY_OUTCOME_UNKNOWN", f"retry after the timeout: {status} {problem}")
    expect(stub.mutations.count("sendInvitation") == sends, "no second send after an unknown outcome")
    # GET ignores the header.
    status, _, _ = gateway.request("GET", f"/risk-groups", key="anything")
    expect(status != 400, "GET ignores Idempotency-Key")
    print("idempotency rules: done", flush=True)


def concurrent(gateway, other, stub):
    stub.delay = 0.3
    key, before = str(uuid.uuid4()), len(stub.mutations)
    with futures.ThreadPoolExecutor(50) as pool:
        results = list(pool.map(lambda i: (gateway if i % 2 else other).request("POST", "/invitations", BODY, key=key), range(50)))
    stub.delay = 0
    statuses = sorted(status for status, _, _ in results)
    expect(len(stub.mutations) - before == 1, f"50 concurrent requests with one key: {len(stub.mutations) - before} upstream calls")
    expect(statuses.count(201) >= 1 and all(s in (201, 409) for s in statuses), f"the others get 409 or the replay: {set(statuses)}")
    in_use = [p for s, h, p in results if s == 409]
    expect(all(p["code"] == "IDEMPOTENCY_KEY_IN_USE" for p in in_use), "409s are IDEMPOTENCY_KEY_IN_USE")
    status, headers, _ = gateway.request("POST", "/invitations", BODY, key=key)
    expect(status == 201 and headers.get("idempotent-replayed") == "true", "and afterwards it replays")
    print(f"concurrency: 1 upstream call, {statuses.count(409)} 409s, {statuses.count(201)} 201s", flush=True)


def lost_reservation(gateway, redis, stub):
    """The answer overwrites only a reservation that is still there (`SET XX`): a key that Redis
    lost while its request ran is not brought back by the answer."""
    expect(redis.command("FLUSHDB") == "+OK", "FLUSHDB before")
    stub.delay = 0.6  # inside the gateways' 1 s upstream deadline, so the answer is a 201
    key, results = str(uuid.uuid4()), []
    worker = threading.Thread(target=lambda: results.append(gateway.request("POST", "/invitations", BODY, key=key)))
    worker.start()
    time.sleep(0.25)
    expect(redis.command("DBSIZE") == ":1", "the running request holds one key")
    expect(redis.command("FLUSHDB") == "+OK", "FLUSHDB while it runs")
    worker.join(timeout=10)
    stub.delay = 0
    expect(results and results[0][0] == 201, f"the request itself is answered: {results[:1]}")
    expect(redis.command("DBSIZE") == ":0", f"the lost reservation was not recreated by the answer: {redis.command('DBSIZE')}")
    print("lost reservation: not recreated", flush=True)


def redis_outage(gateway, redis, stub):
    """Redis stopped and started under a keyed and an unkeyed load: a keyed request either runs
    with its key reserved or gets 503 and never reaches the upstream; no unkeyed request fails;
    the gateway recovers on its own."""
    stop, outcomes, lock = threading.Event(), [], threading.Lock()

    def load(keyed):
        while not stop.is_set():
            name = f"outage-{uuid.uuid4()}"
            status, headers, problem = gateway.request(
                "POST", "/invitations", dict(BODY, organizationName=name), key=str(uuid.uuid4()) if keyed else None)
            with lock:
                outcomes.append((keyed, name, status, (problem or {}).get("code") if status >= 400 else None))

    workers = [threading.Thread(target=load, args=(index % 2 == 0,)) for index in range(6)]
    for worker in workers:
        worker.start()
    time.sleep(0.5)
    redis.stop()
    time.sleep(1.0)
    ready = gateway.request("GET", "/readyz")[2]
    expect(ready.get("store") == {"kind": "redis", "available": False}, f"/readyz shows the store down: {ready}")
    redis.start()
    deadline = time.time() + 10
    while time.time() < deadline:
        with lock:
            recent = [status for keyed, _, status, _ in outcomes[-12:] if keyed]
        if recent and all(status == 201 for status in recent):
            break
        time.sleep(0.2)
    time.sleep(0.5)
    stop.set()
    for worker in workers:
        worker.join(timeout=30)
    keyed = [o for o in outcomes if o[0]]
    unkeyed = [o for o in outcomes if not o[0]]
    refused = [o for o in keyed if o[2] == 503]
    arrived = "\n".join(stub.names)
    expect(refused and all(code == "STORE_UNAVAILABLE" for _, _, _, code in refused), f"keyed requests got 503 while Redis was down: {len(refused)}")
    expect(not [name for _, name, _, _ in refused if name in arrived], "a keyed request refused for the store reached the upstream")
    expect(all(status == 201 for _, _, status, _ in keyed if status != 503), f"keyed: {sorted(set(o[2] for o in keyed))}")
    expect(unkeyed and all(status == 201 for _, _, status, _ in unkeyed),
           f"unkeyed requests never fail: {sorted(set(o[2] for o in unkeyed))} of {len(unkeyed)}")
    expect(keyed[-1][2] == 201, "the gateway recovers on its own once Redis is back")
    print(f"Redis outage under load: {len(keyed)} keyed ({len(refused)} refused with 503, none of them upstream), "
          f"{len(unkeyed)} unkeyed, all 201", flush=True)


def readiness_follows_redis(stub):
    """/readyz shows Redis as it is with no request to tell: down from the start, then back once
    it runs, from the gateway's own pings alone."""
    redis = Redis(port=port_below_ephemeral())
    redis.stop()
    gateway = Gateway("readiness", stub, ["--redis-url", f"redis://127.0.0.1:{redis.port}/0", "--readiness-interval", "0.5"])
    try:
        # Ready (the upstream probes answered), and long enough for pings to have failed.
        started, ready = time.time(), {}
        while time.time() < started + 10:
            status, _, ready = gateway.request("GET", "/readyz")
            if status == 200 and time.time() >= started + 1.5:
                break
            time.sleep(0.2)
        expect(ready.get("store") == {"kind": "redis", "available": False}, f"Redis down from the start: {ready}")
        redis.start()
        deadline, ready = time.time() + 10, None
        while time.time() < deadline:
            ready = gateway.request("GET", "/readyz")[2]
            if ready.get("store", {}).get("available"):
                break
            time.sleep(0.2)
        expect(ready.get("store") == {"kind": "redis", "available": True}, f"Redis back, with no keyed request: {ready}")
    finally:
        gateway.stop()
        redis.stop()
    print("readiness follows Redis: done", flush=True)


def certificates():
    """A throwaway CA and a server certificate for 127.0.0.1, made by the openssl tool."""
    directory = tempfile.mkdtemp(prefix="restgate-redis-tls-")
    run = lambda *arguments: subprocess.run(["openssl", *arguments], cwd=directory, check=True, capture_output=True)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Restgate test CA")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost")
    with open(f"{directory}/san.cnf", "w") as handle:
        handle.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem",
        "-days", "2", "-extfile", "san.cnf")
    return directory


def redis_over_tls(stub):
    """rediss:// to a TLS-only redis-server: verified against --upstream-ca-file, refused (and so
    503, never unprotected) against a CA that did not sign it."""
    tls = certificates()
    redis = Redis(tls=tls)
    url = f"rediss://127.0.0.1:{redis.port}/0"
    trusted = Gateway("tls", stub, ["--redis-url", url, "--upstream-ca-file", f"{tls}/ca.pem"])
    untrusted = Gateway("tls-untrusted", stub, ["--redis-url", url])
    try:
        key = str(uuid.uuid4())
        status, headers, _ = trusted.request("POST", "/invitations", BODY, key=key)
        expect(status == 201 and "idempotent-replayed" not in headers, f"rediss://, first request: {status}")
        status, headers, _ = trusted.request("POST", "/invitations", BODY, key=key)
        expect(status == 201 and headers.get("idempotent-replayed") == "true", f"rediss://, the retry replays: {status} {headers}")
        status, _, problem = untrusted.request("POST", "/invitations", BODY, key=str(uuid.uuid4()))
        expect(status == 503 and problem["code"] == "STORE_UNAVAILABLE", f"rediss:// to an untrusted certificate: {status} {problem}")
    finally:
        trusted.stop()
        untrusted.stop()
        redis.stop()
        subprocess.run(["rm", "-rf", tls])
    print("Redis over TLS: done", flush=True)


def memory_store(stub):
    gateway = Gateway("memory", stub, ["--idempotency-max-entries", "3", "--idempotency-ttl", "1"])
    try:
        keys = [str(uuid.uuid4()) for _ in range(4)]
        for key in keys:
            gateway.request("POST", "/invitations", BODY, key=key)
        _, headers, _ = gateway.request("POST", "/invitations", BODY, key=keys[3])
        expect(headers.get("idempotent-replayed") == "true", "the newest key replays")
        _, headers, _ = gateway.request("POST", "/invitations", BODY, key=keys[0])
        expect("idempotent-replayed" not in headers, "the least recently used key was evicted")
        time.sleep(1.5)
        _, headers, _ = gateway.request("POST", "/invitations", BODY, key=keys[3])
        expect("idempotent-replayed" not in headers, "an expired key runs again")
    finally:
        gateway.stop()
    print("memory store: done", flush=True)


def required_mode(stub):
    with open(os.path.join(os.path.dirname(__file__), "..", "config", "routes.yaml")) as handle:
        text = handle.read()
    marker = "  - id: createInvitation\n"
    head, tail = text.split(marker, 1)
    tail = tail.replace("idempotency: optional", "idempotency: required", 1)
    routes = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
    routes.write(head + marker + tail)
    routes.close()
    gateway = Gateway("required", stub, ["--routes", routes.name])
    try:
        status, _, problem = gateway.request("POST", "/invitations", BODY)
        expect(status == 400 and problem["code"] == "IDEMPOTENCY_KEY_REQUIRED", f"required and no key: {status} {problem}")
        status, _, _ = gateway.request("POST", "/invitations", BODY, key="k-1")
        expect(status == 201, f"required and a key: {status}")
    finally:
        gateway.stop()
    print("required mode: done", flush=True)


stub = serve(Stub())
redis = Redis()
url = f"redis://127.0.0.1:{redis.port}/0"
a, b = Gateway("a", stub, ["--redis-url", url]), Gateway("b", stub, ["--redis-url", url])
try:
    rules(a, b, stub)
    concurrent(a, b, stub)
    lost_reservation(a, redis, stub)
    redis_outage(a, redis, stub)
finally:
    a.stop()
    b.stop()
    redis.stop()
readiness_follows_redis(stub)
redis_over_tls(stub)
memory_store(stub)
required_mode(stub)
if failures:
    print(f"idempotency: {len(failures)} failed", flush=True)
    sys.exit(1)
print("idempotency: all passed", flush=True)
