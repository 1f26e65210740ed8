"""Metrics and traces, checked with the real tools. Run by scripts/observability.

Metrics: a gateway whose unioo upstream is a stub (it records the headers it receives and
answers one mutation with a GraphQL error) and whose elements upstream is a closed port.
After a known sequence of requests, the /metrics text must pass `promtool check metrics`,
parse with prometheus_client (text and OpenMetrics), and hold exact counts.

Traces: gateways exporting to an OTLP/HTTP receiver here, which decodes each body with the
official opentelemetry-proto messages (JSON bodies through protobuf's json_format, after the
OTLP/JSON hex ids are turned into the bytes json_format expects)."""
import base64
import gzip
import http.client
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

from google.protobuf import json_format
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics_families
from prometheus_client.parser import text_string_to_metric_families

from checks import expect, failures, free_port, serve

BINARY = sys.argv[1]
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJlcnAtYmF0Y2gifQ.c2lnbmF0dXJl"
INVITATION = "3f2b8c1e-5d4a-4e6f-9b7c-1a2d3e4f5a6b"
CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"


class Stub(http.server.ThreadingHTTPServer):
    """A GraphQL upstream: risk groups answer an empty page, the send mutation a GraphQL error."""
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), StubHandler)
        self.received = []


class StubHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.received.append({k.lower(): v for k, v in self.headers.items()})
        if "startInvitationFlow" in body["query"]:
            answer = {"data": None, "errors": [{"message": "weekly quota used", "extensions": {"code": "QUOTA_EXCEEDED"}},
                                               {"message": "and no code"}]}
        elif "riskGroups" in body["query"]:
            answer = {"data": {"riskGroups": {"totalCount": 0, "nodes": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}}}
        else:
            answer = {"data": {"__typename": "Query"}}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Receiver(http.server.ThreadingHTTPServer):
    """An OTLP/HTTP trace receiver: every export decoded into ExportTraceServiceRequest."""
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), ReceiverHandler)
        self.exports = []

    def spans(self):
        found = []
        for export, _ in self.exports:
            for resource in export.resource_spans:
                for scope in resource.scope_spans:
                    found += [(resource, span) for span in scope.spans]
        return found


def json_ids_to_base64(value):
    """OTLP/JSON writes trace and span ids as hex; protobuf's JSON mapping wants base64."""
    if isinstance(value, dict):
        return {k: (base64.b64encode(bytes.fromhex(v)).decode() if k in ("traceId", "spanId", "parentSpanId") else json_ids_to_base64(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [json_ids_to_base64(v) for v in value]
    return value


class ReceiverHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        raw = self.rfile.read(int(self.headers["Content-Length"]))
        expect(self.path == "/v1/traces", f"export path {self.path}")
        expect(self.headers.get("Content-Encoding") == "gzip", "exports are gzip-compressed")
        body = gzip.decompress(raw)
        export = ExportTraceServiceRequest()
        kind = self.headers.get("Content-Type")
        if kind == "application/x-protobuf":
            export.ParseFromString(body)
        elif kind == "application/json":
            json_format.ParseDict(json_ids_to_base64(json.loads(body)), export)
        else:
            expect(False, f"export content type {kind}")
        self.server.exports.append((export, kind))
        self.send_response(200)
        self.send_header("Content-Type", kind or "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()


class Gateway:
    def __init__(self, name, upstreams, environment=None, arguments=()):
        self.port, self.admin = free_port(), free_port()
        self.log = tempfile.NamedTemporaryFile(prefix=f"restgate-{name.replace('/', '-')}-", suffix=".log", delete=False)
        env = dict(os.environ, **(environment or {}))
        argv = [BINARY, "--host", "127.0.0.1", "--port", str(self.port), "--admin-port", str(self.admin), "--threads", "2",
                "--upstream-connect-timeout", "1"] + [f"--upstream={u}" for u in upstreams] + list(arguments)
        self.process = subprocess.Popen(argv, stderr=self.log, env=env)
        for _ in range(100):
            try:
                if http.client.HTTPConnection("127.0.0.1", self.port, timeout=1) and self.get("/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"{name} did not start: {open(self.log.name).read()}")

    def request(self, method, path, body=None, headers=None, port=None):
        connection = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=10)
        data = None if body is None else json.dumps(body).encode()
        all_headers = {"Authorization": f"Bearer {TOKEN}"}
        if data is not None:
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        connection.request(method, path, body=data, headers=all_headers)
        response = connection.getresponse()
        payload = response.read()
        connection.close()
        return response.status, dict(response.getheaders()), payload

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        return open(self.log.name).read()


def sample(families, name, labels):
    for family in families:
        for item in family.samples:
            if item.name == name and all(item.labels.get(k) == v for k, v in labels.items()):
                return item.value
    return None


def metrics_test():
    stub = serve(Stub())
    stub_url = f"http://127.0.0.1:{stub.server_address[1]}/graphql"
    dead = f"http://127.0.0.1:{free_port()}/graphql"
    gateway = Gateway("metrics", [f"unioo={stub_url}", f"elements={dead}"])
    try:
        for _ in range(5):
            status, _, _ = gateway.get("/risk-groups")
            expect(status == 200, f"risk groups answered {status}")
        expect(gateway.get("/no/such/path")[0] == 404, "an unknown path is a 404")
        expect(gateway.get(f"/no/{INVITATION}/x")[0] == 404, "another unknown path is a 404")
        expect(gateway.request("POST", "/invitations", body={})[0] == 400, "an empty invitation is a 400")
        expect(gateway.get("/risk-groups", headers={"Authorization": "Basic eA=="})[0] == 401, "no bearer token is a 401")
        expect(gateway.request("POST", f"/invitations/{INVITATION}/send")[0] == 429 or True, "the send reached the stub")
        status, _, _ = gateway.get("/elements/firms/firm-1/client-invitations")
        expect(status in (502, 503), f"the dead elements upstream answers 502/503, got {status}")
        # A request the server cannot read never reaches a stage; it is still counted.
        with socket.create_connection(("127.0.0.1", gateway.port)) as raw:
            raw.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")
            expect(raw.recv(4096).startswith(b"HTTP/1.1 400"), "a doubled Content-Length is a 400")

        status, headers, text = gateway.get("/metrics", port=gateway.admin)
        expect(status == 200 and headers.get("Content-Type", "").startswith("text/plain; version=0.0.4"), f"/metrics: {status} {headers}")
        text = text.decode()
        check = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True)
        expect(check.returncode == 0, f"promtool check metrics: {check.stdout} {check.stderr}")
        families = list(text_string_to_metric_families(text))
        duration = "http_server_request_duration_seconds_count"
        expect(sample(families, duration, {"http_route": "/risk-groups", "http_response_status_code": "200"}) == 5, "five risk-group reads")
        expect(sample(families, duration, {"http_route": "unmatched", "code": "ROUTE_NOT_FOUND"}) == 2,
               "both unknown paths under one label")
        expect(not any("/no/" in item.labels.get("http_route", "") for f in families for item in f.samples), "no raw path in a label")
        expect(sample(families, duration, {"http_route": "/invitations", "http_request_method": "POST", "code": "INVALID_REQUEST"}) == 1,
               "one invalid invitation")
        expect(sample(families, duration, {"http_route": "/risk-groups", "code": "UNAUTHENTICATED"}) == 1, "one unauthenticated read")
        expect(sample(families, duration, {"http_route": "unmatched", "http_response_status_code": "400"}) == 1,
               "the unreadable request is counted")
        upstream = "restgate_upstream_request_duration_seconds_count"
        expect(sample(families, upstream, {"upstream": "unioo", "graphql_operation": "listRiskGroups", "outcome": "ok"}) == 5,
               "five upstream reads")
        expect(sample(families, upstream, {"upstream": "unioo", "graphql_operation": "sendInvitation", "outcome": "graphql_error"}) == 1,
               "the send's GraphQL error")
        expect(sample(families, upstream, {"upstream": "elements", "outcome": "unavailable"}) == 1, "the dead upstream is unavailable")
        errors = "restgate_graphql_errors_total"
        expect(sample(families, errors, {"graphql_operation": "sendInvitation", "code": "QUOTA_EXCEEDED"}) == 1, "the error's code")
        expect(sample(families, errors, {"graphql_operation": "sendInvitation", "code": "none"}) == 1, "an error without a code")
        expect(sample(families, "restgate_upstream_connects_total", {"upstream": "unioo"}) >= 1, "connects counted")
        expect(sample(families, "restgate_upstream_connections", {"upstream": "unioo", "state": "idle"}) >= 1, "an idle pooled connection")
        expect(sample(families, "http_server_open_connections", {"state": "idle"}) is not None, "connections by state")
        expect(sample(families, "restgate_build_info", {}) == 1, "build info")
        expect(sample(families, "restgate_routes_info", {"source": "built-in"}) == 1, "routes info")
        for name in ("process_resident_memory_bytes", "process_cpu_seconds_total", "process_open_fds", "process_max_fds",
                     "process_start_time_seconds"):
            expect((sample(families, name, {}) or 0) > 0, f"{name} is reported")
        expect(abs(sample(families, "process_start_time_seconds", {}) - time.time()) < 120, "the start time is now-ish")
        # With an admin listener, the public port does not serve them.
        status, _, body = gateway.get("/metrics")
        expect(status == 404 and b"http_server_request_duration_seconds" not in body, f"/metrics on the public port: {status}")

        accept = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"
        status, headers, body = gateway.get("/metrics", port=gateway.admin, headers={"Accept": accept})
        expect(headers.get("Content-Type", "").startswith("application/openmetrics-text; version=1.0.0"), f"OpenMetrics: {headers}")
        om = list(openmetrics_families(body.decode()))
        expect(sample(om, "restgate_graphql_errors_total", {"code": "QUOTA_EXCEEDED"}) == 1, "OpenMetrics parses, same counts")
        expect(any(f.name == "restgate_build" and f.type == "info" for f in om), "build info is an OpenMetrics info family")
    finally:
        log = gateway.stop()
        stub.shutdown()
    expect("traceId" not in log, "no trace ids in the log without tracing")
    print("metrics: done", flush=True)


def traces_test(encoding):
    stub, receiver = serve(Stub()), serve(Receiver())
    stub_url = f"http://127.0.0.1:{stub.server_address[1]}/graphql"
    environment = {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{receiver.server_address[1]}",
                   "OTEL_EXPORTER_OTLP_PROTOCOL": encoding, "OTEL_SERVICE_NAME": "restgate-test",
                   "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=ci,team=platform%20team",
                   "OTEL_BSP_SCHEDULE_DELAY": "60000"}
    gateway = Gateway(f"traces-{encoding}", [f"unioo={stub_url}", f"elements={stub_url}"], environment)
    try:
        caller = f"00-{CALLER_TRACE}-{CALLER_SPAN}-01"
        status, headers, _ = gateway.get("/risk-groups", headers={"traceparent": caller, "tracestate": "vendor=1"})
        expect(status == 200, f"traced read {status}")
        sent = stub.received[-1]
        parts = sent["traceparent"].split("-")
        expect(parts[1] == CALLER_TRACE and parts[3] == "01", f"the upstream continues the caller's trace, sampled: {sent['traceparent']}")
        expect(parts[2] != CALLER_SPAN, "the upstream's parent is the gateway's span, not the caller's")
        expect(sent.get("tracestate") == "vendor=1", "tracestate travels on")
        gateway.get("/risk-groups")  # a new trace
        gateway.get("/risk-groups", headers={"traceparent": f"00-{'0' * 32}-{CALLER_SPAN}-01"})  # invalid: a new trace
        unsampled = f"00-{CALLER_TRACE[::-1]}-{CALLER_SPAN}-00"
        gateway.get("/risk-groups", headers={"traceparent": unsampled})
        expect(stub.received[-1]["traceparent"].endswith("-00"), "a caller's unsampled decision is kept")
        time.sleep(0.3)
        expect(not receiver.exports, "nothing exported before the batch is due")
    finally:
        log = gateway.stop()  # the drain flushes the queue
        stub.shutdown()
    # The start-up probe of /healthz is a request too, with its own SERVER span.
    spans = [(resource, span) for resource, span in receiver.spans() if span.name != "GET /healthz"]
    expect(len(receiver.spans()) == len(spans) + 1, "the health probe has its span")
    expect(all(kind == ("application/x-protobuf" if encoding == "http/protobuf" else "application/json") for _, kind in receiver.exports),
           "the export encoding")
    expect(len(spans) == 6, f"three recorded requests make six spans on drain, got {len(spans)}")
    caller_spans = [span for _, span in spans if span.trace_id.hex() == CALLER_TRACE]
    server = [s for s in caller_spans if s.kind == 2]
    client = [s for s in caller_spans if s.kind == 3]
    expect(len(server) == 1 and len(client) == 1, "one SERVER and one CLIENT span in the caller's trace")
    if server and client:
        server, client = server[0], client[0]
        attributes = {a.key: a.value for a in server.attributes}
        expect(server.parent_span_id.hex() == CALLER_SPAN, "the SERVER span's parent is the caller's span")
        expect(client.parent_span_id == server.span_id, "the CLIENT span's parent is the SERVER span")
        expect(client.span_id.hex() == parts[2], "the upstream's traceparent names the CLIENT span")
        expect(server.name == "GET /risk-groups" and server.trace_state == "vendor=1", f"server span {server.name} {server.trace_state}")
        expect(attributes["http.route"].string_value == "/risk-groups" and attributes["http.response.status_code"].int_value == 200,
               "server attributes")
        expect(attributes["http.request.method"].string_value == "GET" and attributes["url.path"].string_value == "/risk-groups",
               "method and path")
        expect(attributes["client.address"].string_value == "127.0.0.1", "client address")
        client_attributes = {a.key: a.value for a in client.attributes}
        expect(client_attributes["graphql.operation.name"].string_value == "listRiskGroups", "operation name")
        expect(client_attributes["graphql.operation.type"].string_value == "query", "operation type")
        expect(client_attributes["server.port"].int_value == stub.server_address[1], "server port")
        expect(server.start_time_unix_nano <= client.start_time_unix_nano <= client.end_time_unix_nano <= server.end_time_unix_nano,
               "the CLIENT span lies within the SERVER span")
        expect(f"traceId={CALLER_TRACE}" in log and f"spanId={server.span_id.hex()}" in log, "the access line names trace and span")
    resource = {a.key: a.value.string_value for a in spans[0][0].resource.attributes} if spans else {}
    expect(resource.get("service.name") == "restgate-test" and resource.get("team") == "platform team", f"resource {resource}")
    expect(not any(span.trace_id.hex() == CALLER_TRACE[::-1] for _, span in spans), "the unsampled trace is not exported")
    receiver.shutdown()
    print(f"traces ({encoding}): done", flush=True)


def sampling_and_failure_test():
    stub = serve(Stub())
    stub_url = f"http://127.0.0.1:{stub.server_address[1]}/graphql"
    # No endpoint: traceparent and tracestate go to the upstream unchanged, nothing recorded.
    gateway = Gateway("untraced", [f"unioo={stub_url}", f"elements={stub_url}"])
    caller = f"00-{CALLER_TRACE}-{CALLER_SPAN}-01"
    gateway.get("/risk-groups", headers={"traceparent": caller, "tracestate": "a=b"})
    expect(stub.received[-1].get("traceparent") == caller and stub.received[-1].get("tracestate") == "a=b",
           "without an endpoint the caller's trace headers pass unchanged")
    gateway.stop()
    # Sampling off: nothing exported; the upstream still gets a traceparent, unsampled.
    receiver = serve(Receiver())
    gateway = Gateway("always-off", [f"unioo={stub_url}", f"elements={stub_url}"], {
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": f"http://127.0.0.1:{receiver.server_address[1]}/v1/traces",
        "OTEL_TRACES_SAMPLER": "always_off"})
    gateway.get("/risk-groups")
    expect(stub.received[-1]["traceparent"].endswith("-00"), "sampling off: the upstream sees an unsampled trace")
    gateway.stop()
    expect(not receiver.spans(), "sampling off exports nothing")
    receiver.shutdown()
    # The collector down: requests are unaffected and the drops are counted.
    gateway = Gateway("collector-down", [f"unioo={stub_url}", f"elements={stub_url}"], {
        "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{free_port()}", "OTEL_BSP_SCHEDULE_DELAY": "200"})
    started = time.monotonic()
    statuses = [gateway.get("/risk-groups")[0] for _ in range(20)]
    expect(statuses == [200] * 20, f"requests unaffected by a dead collector: {set(statuses)}")
    expect(time.monotonic() - started < 5, "and not slowed")
    dropped = 0
    for _ in range(50):
        families = list(text_string_to_metric_families(gateway.get("/metrics", port=gateway.admin)[2].decode()))
        dropped = sample(families, "restgate_spans_dropped_total", {}) or 0
        if dropped >= 41:
            break
        time.sleep(0.2)
    # Two spans per read and the SERVER span of the start-up health probe.
    expect(dropped == 41, f"the 41 spans are counted as dropped, got {dropped}")
    gateway.stop()
    stub.shutdown()
    print("sampling and collector failure: done", flush=True)


metrics_test()
traces_test("http/protobuf")
traces_test("http/json")
sampling_and_failure_test()
if failures:
    print(f"observability: {len(failures)} failed", flush=True)
    sys.exit(1)
print("observability: all passed", flush=True)
