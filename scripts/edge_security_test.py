"""Edge security over real sockets: token verification, claims as variables, rate limits and
the circuit breaker. Run by scripts/edge-security.

Keys are made by `openssl genpkey` and tokens signed by PyJWT (forged ones by hand). A stub
GraphQL upstream records every operation but the readiness probe, with its variables and
Authorization header, and can be told to answer HTTP 500, to close the connection, to answer
a GraphQL error, or to be slow.

- Tokens: every algorithm (RS/PS 256-512, ES256, ES384, EdDSA, HS256-512) is accepted from a
  JWKS file and from PEM keys; each kind of bad token is a 401 problem with the RFC 6750
  challenge naming why, never reaches the upstream and never appears in the log; leeway.
- JWKS over TLS: key rotation picked up on an unknown kid without a restart, at most once a
  minute; a JWKS server down at start (not ready, 503, then ready once it is up), behind an
  untrusted certificate (never loaded), and down later (known keys still verify; the failure
  shows in /readyz and /metrics); max-age below 300 s is not obeyed.
- Claims as variables: a route's variable from a verified claim reaches the upstream, and the
  same route file without verification is refused at start.
- Rate limits: --rate-limit's "default" policy with its RateLimit headers and Retry-After,
  named policies of a route file (shared budgets, per sub, per claim, burst, window forms),
  two replicas behind nginx sharing one redis-server, and the store killed (fail open, or
  503 with --rate-limit-fail-closed) and back.
- Circuit breaker: opened by upstream 5xx and transport failures, refused without calling the
  upstream, half-open probe, closed again; GraphQL errors do not count."""
import base64
import hashlib
import hmac
import http.client
import http.server
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

from checks import expect, failures, free_port, serve

BINARY = sys.argv[1]
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
WORK = tempfile.mkdtemp(prefix="restgate-edge-")
os.chmod(WORK, 0o755)  # nginx workers run unprivileged and buffer into it
BODY = {"organizationName": "Fjord Freight AS", "riskGroupId": "6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a01", "vatNumber": "NO123456789MVA"}
INVITATION = "3f2b8c1e-5d4a-4e6f-9b7c-1a2d3e4f5a6b"
ISSUER = "https://issuer.example/"
AUDIENCES = ["restgate", "erp-api"]
HMAC_SECRET = "a-shared-secret-of-sixty-four-bytes-as-rfc-7518-asks-for-hs512!!"  # RFC 7518 3.2: no shorter than the hash
VERIFY = ["--jwt-issuer", f"unioo={ISSUER}"] + [option for audience in AUDIENCES for option in ("--jwt-audience", f"unioo={audience}")]
RUNNING = []  # everything started, stopped in reverse order at the end
ISSUED = set()  # every token sent, none of which may appear in a log
LOGS = []


# --- the upstream ---------------------------------------------------------------------------

class Stub(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), StubHandler)
        self.operations = []  # {"name", "variables", "authorization", "path"}, the probe excluded
        self.mode = "ok"  # ok, 500, close, quota
        self.delay = 0.0
        self.lock = threading.Lock()

    def url(self, path="/graphql"):
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def count(self):
        with self.lock:
            return len(self.operations)

    def last(self):
        with self.lock:
            return self.operations[-1] if self.operations else {}


def connection(field):
    return {field: {"totalCount": 0, "nodes": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}}


class StubHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        query = body.get("query", "")
        if query.replace(" ", "") != "{__typename}":  # the readiness probe is not an operation
            with self.server.lock:
                self.server.operations.append({"name": body.get("operationName"), "variables": body.get("variables") or {},
                                               "authorization": self.headers.get("Authorization"), "path": self.path})
            time.sleep(self.server.delay)
            if self.server.mode == "close":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if self.server.mode == "500":
                return self.answer(500, b'{"error":"internal"}')
        invitation = {"id": INVITATION, "organizationName": "Fjord Freight AS", "status": "DRAFT"}
        if "startInvitationFlow" in query:
            answer = ({"data": None, "errors": [{"message": "No more invitations left this week", "extensions": {"code": "QUOTA_EXCEEDED"}}]}
                      if self.server.mode == "quota" else
                      {"data": {"startInvitationFlow": {"organizationInvitation": invitation,
                                                        "invitationsLeft": {"invitationsLeftThisMonth": 9, "invitationsLeftThisWeek": 4}}}})
        elif "createOrganizationInvitation" in query:
            answer = {"data": {"createOrganizationInvitation": {"organizationInvitation": invitation}}}
        elif "organizationInvitations" in query:
            answer = {"data": {"organizationInvitations": {"totalCount": 1, "nodes": [invitation],
                                                           "pageInfo": {"hasNextPage": False, "endCursor": None}}}}
        elif "authenticate" in query:
            answer = {"data": {"authenticate": {"authenticationPayload": {"jwt": "stub.token.value"}}}}
        elif "riskGroups" in query or "branchOffices" in query or "organizations" in query:
            answer = {"data": connection(next(f for f in ("riskGroups", "branchOffices", "organizations") if f in query))}
        else:
            answer = {"data": {"__typename": "Query"}}
        self.answer(200, json.dumps(answer).encode())

    def answer(self, status, data):
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the gateway gave up waiting


# --- keys and tokens ------------------------------------------------------------------------

KEY_KINDS = {
    "rsa": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
    "rsa-pinned": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],  # its JWK says alg RS256
    "rsa-stranger": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],  # in no key set
    "p256": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
    "p384": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
    "ed25519": ["-algorithm", "ED25519"],
}


class Keys:
    """Key pairs made by `openssl genpkey`; PyJWT signs with the private halves."""

    def __init__(self):
        self.private, self.public_pem = {}, {}
        for name, options in KEY_KINDS.items():
            private = f"{WORK}/{name}.key"
            subprocess.run(["openssl", "genpkey", *options, "-out", private], check=True, capture_output=True)
            subprocess.run(["openssl", "pkey", "-in", private, "-pubout", "-out", f"{WORK}/{name}.pub.pem"], check=True, capture_output=True)
            with open(private, "rb") as handle:
                self.private[name] = serialization.load_pem_private_key(handle.read(), password=None)
            self.public_pem[name] = f"{WORK}/{name}.pub.pem"

    def jwk(self, name, kid, alg=None):
        public = self.private[name].public_key()
        if isinstance(public, rsa.RSAPublicKey):
            key = RSAAlgorithm.to_jwk(public, as_dict=True)
        elif isinstance(public, ec.EllipticCurvePublicKey):
            key = ECAlgorithm.to_jwk(public, as_dict=True)
        else:
            key = OKPAlgorithm.to_jwk(public, as_dict=True)
        key.update({"kid": kid, "use": "sig"})
        if alg:
            key["alg"] = alg
        return key

    def pem_bytes(self, name):
        with open(self.public_pem[name], "rb") as handle:
            return handle.read()


def claims(**changes):
    """A payload the verifying gateways accept; a change to None drops the claim."""
    now = int(time.time())
    payload = {"sub": "erp-batch", "iss": ISSUER, "aud": AUDIENCES[0], "iat": now, "exp": now + 300, "jti": str(uuid.uuid4())}
    payload.update(changes)
    return {name: value for name, value in payload.items() if value is not None}


def signed(key, algorithm, kid=None, **changes):
    token = jwt.encode(claims(**changes), key, algorithm=algorithm, headers={"kid": kid} if kid else None)
    ISSUED.add(token)
    return token


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forged(header, payload, sign=lambda signing_input: b""):
    """A token put together by hand, for what PyJWT refuses to make."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    token = f"{signing_input}.{b64(sign(signing_input.encode()))}"
    ISSUED.add(token)
    return token


def opaque(sub):
    """A JWT-shaped token nobody verifies here: rate limits key it by its SHA-256."""
    return forged({"alg": "HS256"}, {"sub": sub, "n": str(uuid.uuid4())}, lambda _: os.urandom(32))


def certificates():
    """A throwaway CA and a server certificate for 127.0.0.1 and localhost, made by openssl."""
    directory = tempfile.mkdtemp(prefix="tls-", dir=WORK)
    run = lambda *arguments: subprocess.run(["openssl", *arguments], cwd=directory, check=True, capture_output=True)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Restgate test CA")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost")
    with open(f"{directory}/san.cnf", "w") as handle:
        handle.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem",
        "-days", "2", "-extfile", "san.cnf")
    return directory


# --- the JWKS server, Redis, nginx, gateways --------------------------------------------------

class JwksServer:
    """Serves `document` over TLS at /jwks.json (max-age an hour unless told), counting fetches; `stop`
    closes the listening socket, so the port refuses connections until `start`."""

    def __init__(self, tls, document, port=None, start=True, max_age=3600):
        self.tls, self.document, self.port, self.fetches, self.server = tls, document, port or free_port(), 0, None
        self.max_age = max_age
        RUNNING.append(self)
        if start:
            self.start()

    def url(self):
        return f"https://127.0.0.1:{self.port}/jwks.json"

    def start(self):
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):  # HTTP/1.0: one request a connection
            def log_message(self, *args):
                pass

            def do_GET(self):
                owner.fetches += 1
                data = json.dumps(owner.document).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Cache-Control", f"max-age={owner.max_age}")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(f"{self.tls}/server.pem", f"{self.tls}/server.key")
        server.socket = context.wrap_socket(server.socket, server_side=True)
        self.server = serve(server)

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


class Redis:
    def __init__(self):
        self.port, self.process = free_port(), None
        RUNNING.append(self)
        self.start()

    def start(self):
        self.process = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as probe:
                    probe.sendall(b"PING\r\n")
                    if probe.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Nginx:
    """docker/nginx/restgate.conf as shipped, its two servers replaced by `ports`."""

    def __init__(self, ports):
        self.port, prefix = free_port(), tempfile.mkdtemp(prefix="nginx-", dir=WORK)
        os.chmod(prefix, 0o755)
        with open(os.path.join(ROOT, "docker", "nginx", "restgate.conf")) as handle:
            site = handle.read()
        site = (site.replace("restgate-1:8080", f"127.0.0.1:{ports[0]}").replace("restgate-2:8080", f"127.0.0.1:{ports[1]}")
                .replace("listen 80;", f"listen 127.0.0.1:{self.port};"))
        with open(f"{prefix}/restgate.conf", "w") as handle:
            handle.write(site)
        with open(f"{prefix}/nginx.conf", "w") as handle:
            handle.write(f"""worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/restgate.conf;
}}
""")
        self.process = subprocess.Popen(["nginx", "-p", prefix, "-c", f"{prefix}/nginx.conf", "-g", "daemon off;"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        RUNNING.append(self)
        for _ in range(100):
            try:
                if call(self.port, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"nginx did not start: {open(f'{prefix}/error.log').read()}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def call(port, method, path, body=None, token=None, headers=()):
    """One request on its own connection: status, lower-cased headers, and the JSON body (or
    the raw bytes when it is not JSON)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        data = None if body is None else json.dumps(body).encode()
        connection.putrequest(method, path)
        if token is not None:
            connection.putheader("Authorization", f"Bearer {token}")
        for name, value in headers:
            connection.putheader(name, value)
        if data is not None:
            connection.putheader("Content-Type", "application/json")
            connection.putheader("Content-Length", str(len(data)))
        connection.endheaders(data)
        response = connection.getresponse()
        payload = response.read()
        fields = {name.lower(): value for name, value in response.getheaders()}
    finally:
        connection.close()
    try:
        payload = json.loads(payload) if payload else None
    except ValueError:
        pass
    return response.status, fields, payload


class Gateway:
    def __init__(self, name, stub, arguments=(), ready=True, upstream_path="/graphql", log_level="warning"):
        self.name, self.port = name, free_port()
        self.log = f"{WORK}/{name}.log"
        LOGS.append(self.log)
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [BINARY, "--host", "127.0.0.1", "--port", str(self.port), "--threads", "1", "--upstream", f"unioo={stub.url(upstream_path)}",
                 "--upstream", f"elements={stub.url(upstream_path)}", "--log-level", log_level, "--log-format", "json"] + list(arguments),
                stderr=log)
        RUNNING.append(self)
        self.wait("/readyz" if ready else "/healthz")

    def wait(self, path, seconds=10):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gateway {self.name} exited {self.process.returncode}: {self.log_text()[-2000:]}")
            try:
                if self.request("GET", path)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gateway {self.name}: {path} not 200 within {seconds} s: {self.log_text()[-2000:]}")

    def request(self, method, path, body=None, token=None, headers=()):
        return call(self.port, method, path, body, token, headers)

    def metric(self, name, **labels):
        """The sum of the samples of `name` whose labels include `labels`, or None."""
        status, _, text = self.request("GET", "/metrics")
        text = text.decode() if isinstance(text, bytes) else str(text)
        total = None
        for line in text.splitlines():
            match = re.match(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)", line)
            if not match or match.group(1) != name:
                continue
            found = dict(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', match.group(2) or ""))
            if all(found.get(key) == value for key, value in labels.items()):
                total = (total or 0) + float(match.group(3))
        return total

    def log_text(self):
        with open(self.log, errors="replace") as handle:
            return handle.read()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def stop(*things):
    for thing in things:
        thing.stop()
        if thing in RUNNING:
            RUNNING.remove(thing)


def is_problem(response, status, code):
    got, headers, body = response
    return (got == status and headers.get("content-type", "").startswith("application/problem+json")
            and isinstance(body, dict) and body.get("code") == code)


def summary(response):
    status, headers, body = response
    return f"{status} {body if isinstance(body, dict) else (body or b'')[:200]!r}"


# --- tokens -----------------------------------------------------------------------------------

# RFC 6750 3: error_description is printable ASCII without '"' and '\\' (so never escaped).
CHALLENGE = re.compile(r'Bearer realm="restgate", error="invalid_token", error_description="([\x20\x21\x23-\x5b\x5d-\x7e]*)"')


def refused(gateway, stub, label, token, phrase):
    """A 401 problem whose challenge and detail say `phrase` (None: any reason), and no upstream call."""
    before = stub.count()
    response = gateway.request("POST", "/invitations", BODY, token=token)
    status, headers, body = response
    expect(is_problem(response, 401, "UNAUTHENTICATED"), f"{label}: want a 401 UNAUTHENTICATED problem, got {summary(response)}")
    challenge = CHALLENGE.fullmatch(headers.get("www-authenticate", ""))
    expect(challenge is not None, f"{label}: WWW-Authenticate {headers.get('www-authenticate')!r}")
    if phrase and challenge:
        expect(phrase in challenge.group(1).lower(), f"{label}: error_description {challenge.group(1)!r} lacks {phrase!r}")
    if phrase:
        detail = body.get("detail", "") if isinstance(body, dict) else ""
        expect(phrase in detail.lower(), f"{label}: detail {detail!r} lacks {phrase!r}")
    expect(stub.count() == before, f"{label}: the upstream saw {stub.count() - before} operations for a refused token")


def accepted(gateway, stub, label, token):
    before = stub.count()
    response = gateway.request("POST", "/invitations", BODY, token=token)
    expect(response[0] == 201, f"{label}: want 201, got {summary(response)}")
    expect(stub.count() == before + 1, f"{label}: the upstream saw {stub.count() - before} operations")
    if stub.count() == before + 1:
        expect(stub.last()["authorization"] == f"Bearer {token}", f"{label}: Authorization not forwarded: {stub.last()['authorization']!r}")


def token_set(keys):
    return {"keys": [keys.jwk("rsa", "rsa-1"), keys.jwk("rsa-pinned", "rsa-rs256", alg="RS256"), keys.jwk("p256", "ec-256"),
                     keys.jwk("p384", "ec-384"), keys.jwk("ed25519", "ed-1")]}


def tokens(stub, keys):
    """A JWKS file (RSA, P-256, P-384, Ed25519) and an HMAC secret: every algorithm, every refusal."""
    jwks = f"{WORK}/jwks.json"
    with open(jwks, "w") as handle:
        json.dump(token_set(keys), handle)
    secret = f"{WORK}/hmac-secret"
    with open(secret, "w") as handle:
        handle.write(HMAC_SECRET + "\n")  # the trailing newline is not part of the secret
    gateway = Gateway("tokens", stub, ["--jwt-jwks", f"unioo=file:{jwks}", "--jwt-hmac-secret-file", f"unioo={secret}"] + VERIFY,
                      log_level="debug")
    try:
        rsa_key, now = keys.private["rsa"], int(time.time())
        for algorithm in ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]:
            accepted(gateway, stub, algorithm, signed(rsa_key, algorithm, "rsa-1"))
        accepted(gateway, stub, "ES256", signed(keys.private["p256"], "ES256", "ec-256"))
        accepted(gateway, stub, "ES384", signed(keys.private["p384"], "ES384", "ec-384"))
        accepted(gateway, stub, "EdDSA", signed(keys.private["ed25519"], "EdDSA", "ed-1"))
        for algorithm in ["HS256", "HS384", "HS512"]:
            accepted(gateway, stub, algorithm, signed(HMAC_SECRET.encode(), algorithm))
        accepted(gateway, stub, "RS256 on a JWK with alg RS256", signed(keys.private["rsa-pinned"], "RS256", "rsa-rs256"))
        accepted(gateway, stub, "the second audience", signed(rsa_key, "RS256", "rsa-1", aud=AUDIENCES[1]))
        accepted(gateway, stub, "aud as a list", signed(rsa_key, "RS256", "rsa-1", aud=["someone-else", AUDIENCES[1]]))
        accepted(gateway, stub, "exp 10 s ago, within the leeway", signed(rsa_key, "RS256", "rsa-1", exp=now - 10))
        accepted(gateway, stub, "nbf in 10 s, within the leeway", signed(rsa_key, "RS256", "rsa-1", nbf=now + 10))

        refused(gateway, stub, "exp 120 s ago", signed(rsa_key, "RS256", "rsa-1", exp=now - 120), "expired")
        refused(gateway, stub, "nbf in 120 s", signed(rsa_key, "RS256", "rsa-1", nbf=now + 120), "not yet valid")
        refused(gateway, stub, "another issuer", signed(rsa_key, "RS256", "rsa-1", iss="https://evil.example/"), "issuer")
        refused(gateway, stub, "another audience", signed(rsa_key, "RS256", "rsa-1", aud="someone-else"), "audience")
        refused(gateway, stub, "a list of other audiences", signed(rsa_key, "RS256", "rsa-1", aud=["a", "b"]), "audience")
        refused(gateway, stub, "an unknown kid", signed(rsa_key, "RS256", "nobody"), "unknown key")
        refused(gateway, stub, "no exp", signed(rsa_key, "RS256", "rsa-1", exp=None), "no exp")
        good = signed(rsa_key, "RS256", "rsa-1")
        header, _, signature = good.split(".")
        tampered = f"{header}.{b64(json.dumps(claims(sub='admin')).encode())}.{signature}"
        ISSUED.add(tampered)
        refused(gateway, stub, "a tampered payload", tampered, "signature")
        refused(gateway, stub, "signed by a key of no set, under a known kid", signed(keys.private["rsa-stranger"], "RS256", "rsa-1"), "signature")
        refused(gateway, stub, "ES256 signed by another P-256 key", signed(ec.generate_private_key(ec.SECP256R1()), "ES256", "ec-256"), "signature")
        refused(gateway, stub, "HS256 with another secret", signed(b"another-secret-that-is-long-enough-for-hs256!!", "HS256"), "signature")
        refused(gateway, stub, "HS256 with the secret's trailing newline", signed((HMAC_SECRET + "\n").encode(), "HS256"), "signature")
        refused(gateway, stub, "alg none", forged({"alg": "none", "typ": "JWT"}, claims()), "algorithm not allowed")
        refused(gateway, stub, "alg none under a known kid", forged({"alg": "none", "kid": "rsa-1"}, claims()), "algorithm not allowed")
        refused(gateway, stub, "alg none with a signature", forged({"alg": "none"}, claims(), lambda _: os.urandom(32)), "algorithm not allowed")
        refused(gateway, stub, "ES256 under the kid of the P-384 key", signed(keys.private["p256"], "ES256", "ec-384"), None)
        refused(gateway, stub, "RS256 under the kid of an EC key", signed(rsa_key, "RS256", "ec-256"), "algorithm not allowed")
        refused(gateway, stub, "PS256 under a JWK whose alg is RS256", signed(keys.private["rsa-pinned"], "PS256", "rsa-rs256"),
                "algorithm not allowed")
        pem = keys.pem_bytes("rsa")
        refused(gateway, stub, "HS256 keyed with the RSA key's PEM, under its kid",
                forged({"alg": "HS256", "kid": "rsa-1"}, claims(), lambda data: hmac.new(pem, data, hashlib.sha256).digest()),
                "algorithm not allowed")
        refused(gateway, stub, "not a JWT", "not-a-jwt", None)
        before = stub.count()
        response = gateway.request("POST", "/invitations", BODY)
        expect(is_problem(response, 401, "UNAUTHENTICATED") and stub.count() == before, f"no token: {summary(response)}")
    finally:
        stop(gateway)
    print("tokens: 17 algorithm and claim cases accepted, 21 refusals checked", flush=True)


def short_secret(stub, keys):
    """A 48-byte secret, enough for HS256 and HS384 but short of HS512 (RFC 7518 3.2): the
    gateway either verifies HS256 with it or refuses the file at start with an exit status and
    a message; it never crashes."""
    secret = f"{WORK}/short-secret"
    with open(secret, "w") as handle:
        handle.write("x" * 48)
    arguments = ["--jwt-key", f"unioo={keys.public_pem['rsa']}", "--jwt-hmac-secret-file", f"unioo={secret}"] + VERIFY
    try:
        gateway = Gateway("short-secret", stub, arguments)
    except RuntimeError as error:
        message = str(error)
        expect(re.search(r"exited [1-9]", message) and "crashed" not in message and "Assertion failed" not in message,
               f"a 48-byte HMAC secret: {message[:400]!r}")
        expect("secret" in message.lower(), f"a 48-byte HMAC secret is refused without saying why: {message[:400]!r}")
        return
    try:
        accepted(gateway, stub, "HS256 with a 48-byte secret", signed(b"x" * 48, "HS256"))
    finally:
        stop(gateway)


def pem_keys(stub, keys):
    """PEM public keys (repeatable --jwt-key), no HMAC secret, a leeway of 5 s."""
    gateway = Gateway("pem", stub, ["--jwt-key", f"unioo={keys.public_pem['rsa']}", "--jwt-key", f"unioo={keys.public_pem['p384']}",
                                    "--jwt-key", f"unioo={keys.public_pem['ed25519']}", "--jwt-leeway", "5"] + VERIFY)
    try:
        now = int(time.time())
        accepted(gateway, stub, "PEM: RS256", signed(keys.private["rsa"], "RS256"))
        accepted(gateway, stub, "PEM: PS512", signed(keys.private["rsa"], "PS512"))
        accepted(gateway, stub, "PEM: ES384", signed(keys.private["p384"], "ES384"))
        accepted(gateway, stub, "PEM: EdDSA", signed(keys.private["ed25519"], "EdDSA"))
        refused(gateway, stub, "PEM: leeway 5, exp 10 s ago", signed(keys.private["rsa"], "RS256", exp=now - 10), "expired")
        refused(gateway, stub, "PEM: leeway 5, nbf in 10 s", signed(keys.private["rsa"], "RS256", nbf=now + 10), "not yet valid")
        refused(gateway, stub, "PEM: signed by another RSA key", signed(keys.private["rsa-stranger"], "RS256"), "signature")
        refused(gateway, stub, "PEM: ES256 with no P-256 key loaded", signed(keys.private["p256"], "ES256"), None)
        refused(gateway, stub, "PEM: HS256 without a secret", signed(HMAC_SECRET.encode(), "HS256"), "algorithm not allowed")
        pem = keys.pem_bytes("rsa")
        refused(gateway, stub, "PEM: HS256 keyed with the RSA public key's PEM",
                forged({"alg": "HS256", "typ": "JWT"}, claims(), lambda data: hmac.new(pem, data, hashlib.sha256).digest()),
                "algorithm not allowed")
        refused(gateway, stub, "PEM: alg none", forged({"alg": "none"}, claims()), "algorithm not allowed")
    finally:
        stop(gateway)
    print("PEM keys: done", flush=True)


# --- claims as variables ----------------------------------------------------------------------

def route_file(name, edit):
    with open(os.path.join(ROOT, "config", "routes.yaml")) as handle:
        text = handle.read()
    path = f"{WORK}/{name}.yaml"
    with open(path, "w") as handle:
        handle.write(edit(text))
    return path


def route_block(text, route, old, new):
    """`text` with `old` replaced by `new` once, inside the block of route `route` only."""
    marker = f"  - id: {route}\n"
    head, tail = text.split(marker, 1)
    block, rest = (tail.split("\n  - id: ", 1) + [""])[:2]
    assert old in block, f"{old!r} not in route {route}"
    return head + marker + block.replace(old, new, 1) + ("\n  - id: " + rest if rest else "")


def claim_routes():
    """createInvitation's externalId comes from the erp.customer claim (so the body's example loses it)."""
    def edit(text):
        text = route_block(text, "createInvitation", "input: { from: body }",
                           "input: { from: body, merge: { externalId: { from: claim, name: erp.customer } } }")
        return route_block(text, "createInvitation", "      externalId: ERP-1001\n", "")
    return route_file("claims", edit)


def claims_as_variables(stub, keys):
    routes = claim_routes()
    jwks = f"{WORK}/claims-jwks.json"
    with open(jwks, "w") as handle:
        json.dump(token_set(keys), handle)
    gateway = Gateway("claims", stub, ["--routes", routes, "--jwt-key", f"unioo={jwks}"] + VERIFY)
    try:
        token = signed(keys.private["p256"], "ES256", "ec-256", erp={"customer": "C-4711", "region": "north"})
        response = gateway.request("POST", "/invitations", BODY, token=token)
        variables = stub.last().get("variables", {}).get("input", {})
        expect(response[0] == 201, f"claims: the create answered {summary(response)}")
        expect(variables.get("externalId") == "C-4711" and variables.get("organizationName") == BODY["organizationName"],
               f"claims: the upstream got input {variables}")
    finally:
        stop(gateway)
    try:
        result = subprocess.run([BINARY, "--host", "127.0.0.1", "--port", str(free_port()), "--threads", "1", "--upstream",
                                 f"unioo={stub.url()}", "--upstream", f"elements={stub.url()}", "--routes", routes],
                                capture_output=True, text=True, timeout=15)
        message = result.stdout + result.stderr
        expect(result.returncode != 0, f"claims without verification: exit status {result.returncode}")
        expect(("createInvitation" in message or "POST /invitations" in message) and "claim" in message,
               f"claims without verification: the message names neither the route nor 'claim': {message[-600:]!r}")
    except subprocess.TimeoutExpired:
        expect(False, "claims without verification: the gateway started and kept running instead of refusing the route file")
    print("claims as variables: done", flush=True)


# --- JWKS over TLS ----------------------------------------------------------------------------

def readiness(gateway):
    status, _, body = gateway.request("GET", "/readyz")
    return status, body if isinstance(body, dict) else {}


def jwks_rotation(stub, keys, tls):
    server = JwksServer(tls, {"keys": [keys.jwk("rsa", "rot-a")]})
    gateway = Gateway("rotation", stub, ["--jwt-jwks", f"unioo={server.url()}", "--upstream-ca-file", f"{tls}/ca.pem"] + VERIFY)
    try:
        _, ready = readiness(gateway)
        expect((ready.get("tokens") or {}).get("unioo", {}).get("keys") == 1, f"rotation: /readyz after start: {ready}")
        accepted(gateway, stub, "rotation: kid A", signed(keys.private["rsa"], "RS256", "rot-a"))
        fetches = server.fetches
        expect(fetches >= 1, "rotation: the JWKS was never fetched")
        server.document = {"keys": [keys.jwk("rsa", "rot-a"), keys.jwk("p256", "rot-b")]}
        accepted(gateway, stub, "rotation: kid B, added after start", signed(keys.private["p256"], "ES256", "rot-b"))
        expect(server.fetches == fetches + 1, f"rotation: kid B made {server.fetches - fetches} fetches, want 1")
        refused(gateway, stub, "rotation: kid C, unknown, right after", signed(keys.private["ed25519"], "EdDSA", "rot-c"), "unknown key")
        time.sleep(0.5)
        expect(server.fetches == fetches + 1, f"rotation: kid C within the cooldown made {server.fetches - fetches - 1} more fetches")
        accepted(gateway, stub, "rotation: kid A still", signed(keys.private["rsa"], "RS256", "rot-a"))
        _, ready = readiness(gateway)
        expect((ready.get("tokens") or {}).get("unioo", {}).get("keys") == 2, f"rotation: /readyz after rotation: {ready}")
    finally:
        stop(gateway, server)
    print("JWKS rotation: done", flush=True)


def jwks_down_at_start(stub, keys, tls):
    server = JwksServer(tls, {"keys": [keys.jwk("rsa", "late-a")]}, start=False)
    gateway = Gateway("jwks-late", stub, ["--jwt-jwks", f"unioo={server.url()}", "--upstream-ca-file", f"{tls}/ca.pem"] + VERIFY, ready=False)
    try:
        status, headers, body = gateway.request("GET", "/readyz")
        text = json.dumps(body) if isinstance(body, dict) else str(body)
        expect(status == 503 and "unioo" in text and "key" in text.lower(), f"JWKS down at start: /readyz {status} {text[:300]}")
        before = stub.count()
        response = gateway.request("POST", "/invitations", BODY, token=signed(keys.private["rsa"], "RS256", "late-a"))
        expect(is_problem(response, 503, "UNAVAILABLE") and "retry-after" in response[1],
               f"JWKS down at start: a guarded request got {summary(response)} {response[1].get('retry-after')}")
        expect(stub.count() == before, "JWKS down at start: the request reached the upstream")
        server.start()
        started = time.time()
        try:
            gateway.wait("/readyz", seconds=10)
            print(f"JWKS down at start: ready {time.time() - started:.1f} s after the JWKS server came up", flush=True)
        except RuntimeError:
            expect(False, f"JWKS down at start: not ready within 10 s of the JWKS server coming up: {readiness(gateway)}")
        accepted(gateway, stub, "JWKS down at start: once loaded", signed(keys.private["rsa"], "RS256", "late-a"))
    finally:
        stop(gateway, server)


def jwks_untrusted(stub, keys, tls):
    """The JWKS server's certificate is not signed by a trusted CA (no --upstream-ca-file): the
    keys are never loaded, so the gateway stays not ready and verifies nothing."""
    server = JwksServer(tls, {"keys": [keys.jwk("rsa", "untrusted-a")]})
    gateway = Gateway("jwks-untrusted", stub, ["--jwt-jwks", f"unioo={server.url()}"] + VERIFY, ready=False)
    try:
        time.sleep(1.5)
        status, _ = readiness(gateway)
        before = stub.count()
        response = gateway.request("POST", "/invitations", BODY, token=signed(keys.private["rsa"], "RS256", "untrusted-a"))
        expect(status == 503 and server.fetches == 0, f"JWKS behind an untrusted certificate: /readyz {status}, {server.fetches} fetches")
        expect(response[0] == 503 and stub.count() == before, f"JWKS behind an untrusted certificate: a guarded request got {summary(response)}")
    finally:
        stop(gateway, server)


def jwks_down_later(stub, keys, tls):
    """Served with max-age=1, which the gateway raises to 300 s: no refetch in the seconds that
    follow. Then the server goes away."""
    server = JwksServer(tls, {"keys": [keys.jwk("rsa", "down-a")]}, max_age=1)
    gateway = Gateway("jwks-down", stub, ["--jwt-jwks", f"unioo={server.url()}", "--upstream-ca-file", f"{tls}/ca.pem"] + VERIFY)
    try:
        accepted(gateway, stub, "JWKS down later: before", signed(keys.private["rsa"], "RS256", "down-a"))
        fetches = server.fetches
        time.sleep(2.5)
        expect(server.fetches == fetches, f"JWKS max-age=1 is bounded below by 300 s: {server.fetches - fetches} refetches in 2.5 s")
        server.stop()
        accepted(gateway, stub, "JWKS down later: a known kid", signed(keys.private["rsa"], "RS256", "down-a"))
        refused(gateway, stub, "JWKS down later: an unknown kid", signed(keys.private["p256"], "ES256", "down-b"), "unknown key")
        deadline, status, ready, failed = time.time() + 5, None, {}, None
        while time.time() < deadline:
            status, ready = readiness(gateway)
            failed = gateway.metric("restgate_jwks_refresh_failures_total", upstream="unioo")
            entry = (ready.get("tokens") or {}).get("unioo") or {}
            errors = [value for key, value in entry.items() if "error" in key.lower() and value]
            if status == 200 and errors and (failed or 0) >= 1:
                break
            time.sleep(0.2)
        entry = (ready.get("tokens") or {}).get("unioo") or {}
        expect(status == 200, f"JWKS down later: /readyz {status} {ready}")
        expect(any("error" in key.lower() and value for key, value in entry.items()), f"JWKS down later: /readyz shows no failure: {ready}")
        expect((failed or 0) >= 1, f"JWKS down later: restgate_jwks_refresh_failures_total{{upstream=\"unioo\"}} = {failed}")
        accepted(gateway, stub, "JWKS down later: a known kid after the failed refresh", signed(keys.private["rsa"], "RS256", "down-a"))
    finally:
        stop(gateway, server)
    print("JWKS down later: done", flush=True)


# --- rate limits ------------------------------------------------------------------------------

def item(value):
    """An RFC 8941 item with parameters, as the ratelimit-headers draft writes them:
    ("name", {"r": 4, "t": 12}), or None."""
    if not value:
        return None
    match = re.fullmatch(r'"([^"]*)"((?:;[a-z]+=-?\d+)*)', value.strip())
    if not match:
        return None
    return match.group(1), {key: int(number) for key, number in re.findall(r";([a-z]+)=(-?\d+)", match.group(2))}


def budget(gateway, stub, label, path, token, passing, policy, quota, window, method="POST", body=BODY, success=201, retry=None):
    """`passing` requests pass with r counting down, the next is a 429 that never reaches the upstream."""
    remaining = []
    for index in range(passing):
        response = gateway.request(method, path, body if method == "POST" else None, token=token)
        status, headers, _ = response
        expect(status == success, f"{label}: request {index + 1} of {passing}: {summary(response)}")
        if quota is not None:
            expect(item(headers.get("ratelimit-policy")) == (policy, {"q": quota, "w": window}),
                   f"{label}: RateLimit-Policy {headers.get('ratelimit-policy')!r}")
        limit = item(headers.get("ratelimit"))
        expect(limit is not None and limit[0] == policy and set(limit[1]) == {"r", "t"} and limit[1]["t"] >= 0,
               f"{label}: RateLimit {headers.get('ratelimit')!r}")
        remaining.append(limit[1].get("r") if limit else None)
    expect(remaining == list(range(passing - 1, -1, -1)), f"{label}: r counted {remaining}")
    before = stub.count()
    response = gateway.request(method, path, body if method == "POST" else None, token=token)
    status, headers, _ = response
    expect(is_problem(response, 429, "RATE_LIMITED"), f"{label}: request {passing + 1}: {summary(response)}")
    after = headers.get("retry-after", "")
    expect(after.isdigit() and (retry is None or int(after) in retry), f"{label}: Retry-After {after!r}, want one of {retry}")
    limit = item(headers.get("ratelimit"))
    expect(limit is not None and limit[0] == policy and limit[1].get("r") == 0 and limit[1].get("t", 0) >= 1,
           f"{label}: the 429's RateLimit {headers.get('ratelimit')!r}")
    if quota is not None:
        expect(item(headers.get("ratelimit-policy")) == (policy, {"q": quota, "w": window}),
               f"{label}: the 429's RateLimit-Policy {headers.get('ratelimit-policy')!r}")
    expect(stub.count() == before, f"{label}: the limited request reached the upstream")
    return int(after) if after.isdigit() else None


def default_policy(stub):
    """--rate-limit 5/1m, no verification: clients are told apart by their token's digest, or
    without one by their address."""
    gateway = Gateway("rate-limit", stub, ["--rate-limit", "5/1m"])
    try:
        first, second = opaque("client-one"), opaque("client-two")
        budget(gateway, stub, "5/1m", "/invitations", first, 5, "default", 5, 60, retry=range(11, 13))
        response = gateway.request("GET", f"/invitations/{INVITATION}", token=first)
        expect(is_problem(response, 429, "RATE_LIMITED"), f"5/1m: another route of the same policy, same client: {summary(response)}")
        response = gateway.request("POST", "/invitations", BODY, token=second)
        limit = item(response[1].get("ratelimit"))
        expect(response[0] == 201 and limit is not None and limit[1].get("r") == 4,
               f"5/1m: another token has its own budget: {summary(response)} {response[1].get('ratelimit')!r}")
        budget(gateway, stub, "5/1m without a token (by address)", "/auth/token", None, 5, "default", 5, 60,
               body={"clientId": "c", "secret": "s"}, success=200, retry=range(11, 13))
        statuses = [gateway.request("GET", "/healthz")[0] for _ in range(7)]
        expect(statuses == [200] * 7, f"5/1m: /healthz is not limited: {statuses}")
    finally:
        stop(gateway)
    print("rate limit 5/1m: done", flush=True)


POLICIES = """rateLimits:
  tight: { limit: 2, window: 2s }
  shared: { limit: 3, window: 1m }
  customer: { limit: 2, window: 1m, key: erp.customer }
  bursty: { limit: 60, window: 1m, burst: 3 }
  hourly: { limit: 1000, window: 1h }
  numeric: { limit: 7, window: 30 }

"""


def policy_routes():
    def edit(text):
        for route, policy in [("sendInvitation", "tight"), ("createInvitation", "shared"), ("getInvitation", "shared"),
                              ("listInvitations", "customer"), ("listRiskGroups", "bursty"), ("listBranchOffices", "hourly"),
                              ("listOrganizations", "numeric")]:
            text = route_block(text, route, "    upstream: unioo\n", f"    upstream: unioo\n    rateLimit: {policy}\n")
        return text.replace("routes:\n", POLICIES + "routes:\n", 1)
    return route_file("policies", edit)


def named_policies(stub, keys):
    """Named policies of a route file, with verified tokens: per sub, per claim, shared, burst."""
    jwks = f"{WORK}/policies-jwks.json"
    with open(jwks, "w") as handle:
        json.dump(token_set(keys), handle)
    gateway = Gateway("policies", stub, ["--routes", policy_routes(), "--jwt-jwks", f"unioo=file:{jwks}"] + VERIFY)
    key = keys.private["ed25519"]
    token = lambda sub, **extra: signed(key, "EdDSA", "ed-1", sub=sub, **extra)
    try:
        # tight, 2/2s: Retry-After 1, honoured.
        send = f"/invitations/{INVITATION}/send"
        after = budget(gateway, stub, "tight 2/2s", send, token("alice"), 2, "tight", 2, 2, success=200, retry=[1])
        time.sleep(after or 1)
        response = gateway.request("POST", send, token=token("alice"))
        expect(response[0] == 200, f"tight 2/2s: after sleeping Retry-After the request passes: {summary(response)}")
        # shared, 3/1m over two routes, per verified sub whatever the token.
        for index, (method, path) in enumerate([("POST", "/invitations"), ("GET", f"/invitations/{INVITATION}"), ("POST", "/invitations")]):
            response = gateway.request(method, path, BODY if method == "POST" else None, token=token("carol"))
            limit = item(response[1].get("ratelimit"))
            expect(response[0] in (200, 201) and limit and limit[0] == "shared" and limit[1].get("r") == 2 - index,
                   f"shared 3/1m: {method} {path} #{index + 1}: {summary(response)} {response[1].get('ratelimit')!r}")
        for method, path in [("GET", f"/invitations/{INVITATION}"), ("POST", "/invitations")]:
            response = gateway.request(method, path, BODY if method == "POST" else None, token=token("carol"))
            expect(is_problem(response, 429, "RATE_LIMITED"), f"shared 3/1m: carol's 4th, {method} {path}, with a new token: {summary(response)}")
        response = gateway.request("POST", "/invitations", BODY, token=token("dave"))
        expect(response[0] == 201, f"shared 3/1m: another sub has its own budget: {summary(response)}")
        # customer, 2/1m keyed by the erp.customer claim.
        for sub in ["erin", "frank"]:
            response = gateway.request("GET", "/invitations", token=token(sub, erp={"customer": "C-1"}))
            expect(response[0] == 200, f"customer 2/1m: {sub} of C-1: {summary(response)}")
        response = gateway.request("GET", "/invitations", token=token("gina", erp={"customer": "C-1"}))
        expect(is_problem(response, 429, "RATE_LIMITED"), f"customer 2/1m: a third sub of C-1: {summary(response)}")
        response = gateway.request("GET", "/invitations", token=token("erin", erp={"customer": "C-2"}))
        expect(response[0] == 200, f"customer 2/1m: erin for C-2: {summary(response)}")
        # bursty, 60/1m with a burst of 3: three at once, then one a second.
        budget(gateway, stub, "bursty 60/1m burst 3", "/risk-groups", token("hank"), 3, "bursty", None, None, method="GET", success=200, retry=[1])
        # Window spellings.
        for path, policy, quota, window in [("/branch-offices", "hourly", 1000, 3600), ("/organizations", "numeric", 7, 30)]:
            response = gateway.request("GET", path, token=token("ivan"))
            expect(response[0] == 200 and item(response[1].get("ratelimit-policy")) == (policy, {"q": quota, "w": window}),
                   f"{policy}: {summary(response)} RateLimit-Policy {response[1].get('ratelimit-policy')!r}")
    finally:
        stop(gateway)
    print("named rate-limit policies: done", flush=True)


def refusal_throttle(stub, keys):
    """--jwt-refusal-limit 5/5s: past five refused tokens from one address, its tokens not seen
    before are refused unchecked (429, Retry-After) until the budget drains; a token that passed
    before still passes. With the limit off, every forged token is checked (401)."""
    jwks = f"{WORK}/throttle-jwks.json"
    with open(jwks, "w") as handle:
        json.dump(token_set(keys), handle)
    arguments = ["--jwt-jwks", f"unioo=file:{jwks}"] + VERIFY
    gateway = Gateway("throttle", stub, arguments + ["--jwt-refusal-limit", "5/5s"])
    unbounded = Gateway("unthrottled", stub, arguments + ["--jwt-refusal-limit", "off"])
    key = keys.private["ed25519"]
    bad = lambda: signed(keys.private["rsa-stranger"], "RS256", "rsa-1")
    try:
        good = signed(key, "EdDSA", "ed-1")
        response = gateway.request("GET", f"/invitations/{INVITATION}", token=good)
        expect(response[0] == 200, f"throttle: a good token first: {summary(response)}")
        for index in range(5):
            response = gateway.request("GET", f"/invitations/{INVITATION}", token=bad())
            expect(is_problem(response, 401, "UNAUTHENTICATED"), f"throttle: forged token {index + 1} is checked: {summary(response)}")
        before = stub.count()
        response = gateway.request("GET", f"/invitations/{INVITATION}", token=bad())
        retry = response[1].get("retry-after", "")
        expect(is_problem(response, 429, "RATE_LIMITED") and retry.isdigit() and 1 <= int(retry) <= 5
               and "--jwt-refusal-limit" in response[2].get("detail", ""), f"throttle: the sixth forged token: {summary(response)} {retry!r}")
        response = gateway.request("GET", f"/invitations/{INVITATION}", token=good)
        expect(response[0] == 200, f"throttle: the token that passed before still passes: {summary(response)}")
        response = gateway.request("GET", f"/invitations/{INVITATION}", token=signed(key, "EdDSA", "ed-1"))
        expect(is_problem(response, 429, "RATE_LIMITED"), f"throttle: a new good token waits too, unchecked: {summary(response)}")
        expect(stub.count() == before + 1, f"throttle: only the known token reached the upstream ({stub.count() - before})")
        expect(gateway.metric("restgate_token_verifications_total", result="throttled") == 2,
               f"throttle: result=throttled counts 2: {gateway.metric('restgate_token_verifications_total', result='throttled')}")
        time.sleep(int(retry) + 0.2)
        response = gateway.request("GET", f"/invitations/{INVITATION}", token=bad())
        expect(is_problem(response, 401, "UNAUTHENTICATED"), f"throttle: after Retry-After a token is checked again: {summary(response)}")
        statuses = [unbounded.request("GET", f"/invitations/{INVITATION}", token=bad())[0] for _ in range(40)]
        expect(statuses == [401] * 40, f"throttle off: every forged token is checked: {sorted(set(statuses))}")
    finally:
        stop(gateway, unbounded)
    print("refused-token throttle: done", flush=True)


def unpinned_issuers(stub, keys):
    """No --jwt-issuer: the keys' tokens of any issuer are accepted, and a subject is unique only
    within its issuer, so the client is the iss and the sub together. The same sub from two
    issuers shares neither stored answers nor a rate-limit budget; one client's new token
    keeps both."""
    jwks = f"{WORK}/unpinned-jwks.json"
    with open(jwks, "w") as handle:
        json.dump(token_set(keys), handle)
    audiences = [option for audience in AUDIENCES for option in ("--jwt-audience", f"unioo={audience}")]
    gateway = Gateway("unpinned", stub, ["--jwt-jwks", f"unioo=file:{jwks}", "--rate-limit", "3/1m"] + audiences)
    key = keys.private["ed25519"]
    ours = lambda: signed(key, "EdDSA", "ed-1", sub="zoe")
    theirs = lambda: signed(key, "EdDSA", "ed-1", sub="zoe", iss="https://other-issuer.example/")
    try:
        idempotency = [("Idempotency-Key", str(uuid.uuid4()))]
        first = gateway.request("POST", "/invitations", BODY, token=ours(), headers=idempotency)
        expect(first[0] == 201 and "idempotent-replayed" not in first[1], f"unpinned: the first request: {summary(first)}")
        again = gateway.request("POST", "/invitations", BODY, token=ours(), headers=idempotency)
        expect(again[0] == 201 and again[1].get("idempotent-replayed") == "true",
               f"unpinned: the same client's new token replays its answer: {summary(again)}")
        other = gateway.request("POST", "/invitations", BODY, token=theirs(), headers=idempotency)
        expect(other[0] == 201 and "idempotent-replayed" not in other[1],
               f"unpinned: the same sub of another issuer is another client, not a replay: {summary(other)}")
        # The budget is 3: the client has spent 2, the other issuer's zoe 1.
        response = gateway.request("GET", f"/invitations/{INVITATION}", token=ours())
        expect(response[0] == 200, f"unpinned 3/1m: the client's third request: {summary(response)}")
        response = gateway.request("GET", f"/invitations/{INVITATION}", token=ours())
        expect(is_problem(response, 429, "RATE_LIMITED"), f"unpinned 3/1m: the client's fourth request: {summary(response)}")
        response = gateway.request("GET", f"/invitations/{INVITATION}", token=theirs())
        expect(response[0] == 200, f"unpinned 3/1m: the other issuer's zoe has her own budget: {summary(response)}")
    finally:
        stop(gateway)
    print("unpinned issuers: done", flush=True)


def shared_store(stub):
    """Two replicas on one redis-server behind nginx; then the store killed and back."""
    redis = Redis()
    url = f"redis://127.0.0.1:{redis.port}/0"
    arguments = ["--redis-url", url, "--rate-limit", "10/1m"]
    first = Gateway("replica-a", stub, arguments, upstream_path="/graphql-a")
    second = Gateway("replica-b", stub, arguments, upstream_path="/graphql-b")
    closed = Gateway("fail-closed", stub, arguments + ["--rate-limit-fail-closed"])
    nginx = Nginx([first.port, second.port])
    try:
        token, before = opaque("shared-client"), stub.count()
        statuses = [call(nginx.port, "POST", "/invitations", BODY, token=token)[0] for _ in range(20)]
        with stub.lock:
            paths = {operation["path"] for operation in stub.operations[before:]}
        expect(statuses.count(201) == 10 and statuses.count(429) == 10, f"nginx, two replicas, 10/1m: {statuses}")
        expect(stub.count() - before == 10 and paths == {"/graphql-a", "/graphql-b"},
               f"nginx: {stub.count() - before} creates upstream, from {sorted(paths)}")
        print(f"shared store: {statuses.count(201)} of 20 passed across two replicas", flush=True)

        redis.stop()
        open_token, before = opaque("while-down"), stub.count()
        statuses = [first.request("POST", "/invitations", BODY, token=open_token)[0] for _ in range(3)]
        expect(statuses == [201] * 3 and stub.count() == before + 3, f"store down: fail open: {statuses}")
        failed = first.metric("restgate_rate_limit_store_failures_total")
        expect((failed or 0) >= 1, f"store down: restgate_rate_limit_store_failures_total = {failed}")
        before = stub.count()
        response = closed.request("POST", "/invitations", BODY, token=open_token)
        expect(is_problem(response, 503, "STORE_UNAVAILABLE") and stub.count() == before,
               f"store down, --rate-limit-fail-closed: {summary(response)}")

        redis.start()
        again, statuses, deadline = opaque("after-restart"), [], time.time() + 10
        while time.time() < deadline and 429 not in statuses and len(statuses) < 40:
            statuses.append(first.request("POST", "/invitations", BODY, token=again)[0])
            time.sleep(0.1)
        expect(429 in statuses and statuses.count(201) >= 10, f"store back: limits apply again: {statuses}")
        deadline, response = time.time() + 10, None
        while time.time() < deadline:
            response = closed.request("POST", "/invitations", BODY, token=opaque("closed-after"))
            if response[0] == 201:
                break
            time.sleep(0.2)
        expect(response[0] == 201, f"store back, fail-closed gateway: {summary(response)}")
    finally:
        stop(nginx, first, second, closed, redis)
    print("rate-limit store down and back: done", flush=True)


# --- circuit breaker --------------------------------------------------------------------------

def breaker(stub):
    gateway = Gateway("breaker", stub, ["--breaker-failures", "3", "--breaker-open-seconds", "2", "--readiness-interval", "60"])
    state = lambda: gateway.metric("restgate_circuit_breaker_state", upstream="unioo")
    token = opaque("breaker")
    try:
        stub.mode, before = "quota", stub.count()
        statuses = [gateway.request("POST", f"/invitations/{INVITATION}/send", token=token)[0] for _ in range(6)]
        expect(statuses == [429] * 6 and stub.count() == before + 6, f"breaker: six GraphQL errors: {statuses}, {stub.count() - before} upstream")
        expect(state() == 0, f"breaker: GraphQL errors keep it closed: state {state()}")
        stub.mode = "ok"

        results = []
        for mode in ["500", "500", "close"]:
            stub.mode = mode
            results.append(gateway.request("POST", "/invitations", BODY, token=token))
        expect([status for status, _, _ in results] == [502, 502, 502], f"breaker: three failures: {[summary(r) for r in results]}")
        before = stub.count()
        for index in range(3):
            started = time.time()
            response = gateway.request("POST", "/invitations", BODY, token=token)
            elapsed = time.time() - started
            expect(is_problem(response, 503, "UPSTREAM_UNAVAILABLE") and response[1].get("retry-after", "") in ("1", "2") and elapsed < 0.5,
                   f"breaker open, request {index + 1}: {summary(response)} Retry-After {response[1].get('retry-after')!r} in {elapsed:.2f} s")
        expect(stub.count() == before, f"breaker open: {stub.count() - before} requests reached the upstream")
        expect(state() == 1, f"breaker open: state {state()}")

        stub.mode, stub.delay = "ok", 1.0
        time.sleep(2.2)
        probe = []
        worker = threading.Thread(target=lambda: probe.append(gateway.request("POST", "/invitations", BODY, token=token)))
        worker.start()
        time.sleep(0.4)
        expect(state() == 2, f"breaker: while the probe is in flight: state {state()}")
        worker.join()
        stub.delay = 0
        expect(probe and probe[0][0] == 201, f"breaker: the probe: {summary(probe[0]) if probe else 'none'}")
        expect(state() == 0, f"breaker: closed after the probe: state {state()}")
        statuses = [gateway.request("POST", "/invitations", BODY, token=token)[0] for _ in range(3)]
        expect(statuses == [201] * 3, f"breaker closed: {statuses}")
    finally:
        stub.mode, stub.delay = "ok", 0
        stop(gateway)
    print("circuit breaker: done", flush=True)


# --- the run ------------------------------------------------------------------------------------

def leaks():
    """No token sent in this run, nor its signature, appears in any gateway's log."""
    for log in LOGS:
        with open(log, errors="replace") as handle:
            text = handle.read()
        for token in ISSUED:
            signature = token.rsplit(".", 1)[-1]
            expect(token not in text and (len(signature) < 16 or signature not in text),
                   f"{os.path.basename(log)}: a token appears in the log ({token[:24]}…)")


def scenario(function, *arguments):
    started = time.time()
    try:
        function(*arguments)
    except Exception as error:  # a broken scenario is one failure; the others still run
        traceback.print_exc()
        expect(False, f"{function.__name__} raised {error!r}")
    print(f"  ({function.__name__}: {time.time() - started:.1f} s)", flush=True)


stub = serve(Stub())
try:
    keys = Keys()
    tls = certificates()
    scenario(tokens, stub, keys)
    scenario(short_secret, stub, keys)
    scenario(pem_keys, stub, keys)
    scenario(claims_as_variables, stub, keys)
    scenario(jwks_rotation, stub, keys, tls)
    scenario(jwks_down_at_start, stub, keys, tls)
    scenario(jwks_untrusted, stub, keys, tls)
    scenario(jwks_down_later, stub, keys, tls)
    scenario(default_policy, stub)
    scenario(named_policies, stub, keys)
    scenario(unpinned_issuers, stub, keys)
    scenario(refusal_throttle, stub, keys)
    scenario(shared_store, stub)
    scenario(breaker, stub)
    leaks()
finally:
    for thing in reversed(RUNNING):
        try:
            thing.stop()
        except Exception as error:
            print(f"stopping {thing!r}: {error!r}", flush=True)
    stub.shutdown()
if failures:
    print(f"edge security: {len(failures)} failed (logs in {WORK})", flush=True)
    sys.exit(1)
shutil.rmtree(WORK, ignore_errors=True)
print("edge security: all passed", flush=True)
