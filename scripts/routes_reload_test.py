"""Operating the route table, over real processes: SIGHUP and --watch-routes reloads, a file that
does not validate changing nothing, a reload under load, and `restgate check`. Run by
scripts/routes-reload.

Every gateway but the in-flight one runs on the built-in sandbox (no --upstream), with its own
copies of config/routes.yaml and config/schemas/unioo.graphql in a temporary directory, edited
here. A problem's line must be where it is: the unknown field's line, the line where the YAML
breaks, and for a field a fragment lacks the fragment's line or at least the route's own.

- check: `restgate check` prints its diagnostics on stderr (nothing on stdout); exit 0 with
  `built-in routes: ok` or `FILE: ok`; exit 1 with `FILE:LINE: route ID: …` for each of two broken
  routes (LINE the line of the field the schema lacks) and `2 problems`; exit 1 for a file that is
  not YAML, at the line where it breaks; --schema is read (a field the built-in schema lacks passes with a schema that has it,
  a schema that drops a field the routes select fails); a missing file is an error, not a crash.
- SIGHUP: a file that adds /risk-groups-again and removes GET /organizations/{id} swaps in (the
  new route answers 200, the removed one 404 ROUTE_NOT_FOUND, /openapi.json follows); a file
  whose document selects a field the schema lacks, and one that is not YAML, change nothing (the
  old table serves, an error line `route reload refused` names the route file line and the
  field, restgate_route_reloads_total{result} counts each); the --schema file is read again on
  each reload; SIGTERM after all that drains and exits 0.
- --watch-routes: an edit in place and a replacement by rename are live within ~3 s, no signal
  sent; a broken edit and a schema-file edit are refused; nothing reloads while nothing changes.
- Under load: keep-alive clients on GET /risk-groups?limit=1 and on a route X that only every
  other file has, while the route file alternates between the two with 8 SIGHUPs: every
  risk-groups request answers 200 with one item, X answers only 200 or 404 ROUTE_NOT_FOUND, no
  connection error, and every reload counted as a success.
- In flight: with a stub upstream that answers risk groups slowly, a request to X started
  before a reload that removes X still answers 200, the reload does not wait for it, and the
  next request to X is 404 ROUTE_NOT_FOUND."""
import hashlib
import http.client
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections import Counter

from checks import expect, failures, free_port, serve

BINARY = sys.argv[1]
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
WORK = tempfile.mkdtemp(prefix="restgate-reload-")
CREDENTIALS = {"clientId": "sandbox-bank", "secret": "sandbox-secret"}
RUNNING = []  # gateways started, stopped at the end whatever happened


def read(path):
    with open(path) as handle:
        return handle.read()


BUILT_IN_ROUTES = read(os.path.join(ROOT, "config", "routes.yaml"))
BUILT_IN_SCHEMA = read(os.path.join(ROOT, "config", "schemas", "unioo.graphql"))


# --- route and schema files -------------------------------------------------------------------

ROUTE_START = re.compile(r"^  - id: (\S+)\n", re.M)


def route_span(text, route):
    """Where route `route`'s block starts and ends (up to the next route, or the end of the file)."""
    starts = list(ROUTE_START.finditer(text))
    for index, match in enumerate(starts):
        if match.group(1) == route:
            return match.start(), starts[index + 1].start() if index + 1 < len(starts) else len(text)
    raise KeyError(route)


def edit_route(text, route, old, new):
    start, end = route_span(text, route)
    block = text[start:end]
    if old not in block:
        raise ValueError(f"{old!r} is not in route {route}")
    return text[:start] + block.replace(old, new, 1) + text[end:]


def without_route(text, route):
    start, end = route_span(text, route)
    return text[:start] + text[end:]


def with_copy(text, route, new_id, new_path, selection=None):
    """`route` copied after itself under another id and path; `selection` replaces its nodes'."""
    start, end = route_span(text, route)
    block = text[start:end].rstrip("\n") + "\n\n"
    copy = (block.replace(f"id: {route}\n", f"id: {new_id}\n", 1).replace("path: /risk-groups\n", f"path: {new_path}\n", 1)
            .replace(f"query {route}(", f"query {new_id}(", 1))
    if selection:
        copy = copy.replace("nodes { ...RiskGroupFields }", f"nodes {{ {selection} }}", 1)
    return text[:end].rstrip("\n") + "\n\n" + copy + text[end:].lstrip("\n")


def line_of(text, needle):
    return text[:text.index(needle)].count("\n") + 1


AGAIN = "/risk-groups-again"
COLORED = "/risk-groups-colored"
SELECTION = "nodes { ...RiskGroupFields }"
# V0 is the built-in file; V1 adds /risk-groups-again and drops GET /organizations/{id}.
V0 = BUILT_IN_ROUTES
V1 = without_route(with_copy(V0, "listRiskGroups", "listRiskGroupsAgain", AGAIN), "getOrganization")
V1_UNKNOWN_FIELD = edit_route(V1, "listRiskGroups", SELECTION, "nodes { ...RiskGroupFields color }")
V1_COLORED = with_copy(V1, "listRiskGroups", "listColoredRiskGroups", COLORED, selection="id name color")
NOT_YAML = V1 + "  - id: [listBroken\n    path: { /broken\n"
YAML_ERROR_LINES = [line_of(NOT_YAML, "[listBroken"), line_of(NOT_YAML, "{ /broken")]  # where the flow starts, or where it fails
TWO_BROKEN = edit_route(edit_route(V0, "listRiskGroups", SELECTION, "nodes { ...RiskGroupFields color }"),
                        "getOrganization", "nodes { ...OrganizationFields }", "nodes { ...OrganizationFields shade }")


def schema_edit(old, new):
    start = BUILT_IN_SCHEMA.index("type RiskGroup {")
    end = BUILT_IN_SCHEMA.index("}", start)
    if old not in BUILT_IN_SCHEMA[start:end]:
        raise ValueError(f"{old!r} is not in type RiskGroup")
    return BUILT_IN_SCHEMA[:start] + BUILT_IN_SCHEMA[start:end].replace(old, new, 1) + BUILT_IN_SCHEMA[end:]


SCHEMA_WITH_COLOR = schema_edit("  isSummaryRequired: Boolean\n", "  isSummaryRequired: Boolean\n  color: String\n")
SCHEMA_WITHOUT_DESCRIPTION = schema_edit("  description: String\n", "")


def write(path, text):
    """In place, in one write, as an editor that does not rename does."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(descriptor, text.encode())
    finally:
        os.close(descriptor)
    return path


def replace(path, text):
    """A new file renamed over the old one, as a ConfigMap update or a careful deploy does."""
    write(path + ".new", text)
    os.replace(path + ".new", path)
    return path


# --- the gateway --------------------------------------------------------------------------------

def call(port, method, path, body=None, token=None):
    """One request on its own connection: status, lower-cased headers, and the JSON body (or
    the raw bytes when it is not JSON)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        data = None if body is None else json.dumps(body).encode()
        if data is not None:
            headers["Content-Type"] = "application/json"
        connection.request(method, path, body=data, headers=headers)
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


def is_problem(response, status, code):
    got, headers, body = response
    return (got == status and headers.get("content-type", "").startswith("application/problem+json")
            and isinstance(body, dict) and body.get("code") == code)


def summary(response):
    status, _, body = response
    return f"{status} {body if isinstance(body, dict) else (body or b'')[:200]!r}"


def until(probe, seconds):
    """Calls `probe` every 0.1 s until it returns something true or `seconds` pass; returns its
    last value and the seconds taken."""
    started = time.time()
    while True:
        value = probe()
        if value or time.time() - started > seconds:
            return value, time.time() - started
        time.sleep(0.1)


def log_tail(path, characters=1500):
    """The end of a gateway's log without its access lines."""
    lines = [line for line in read(path).splitlines() if '"msg":"request"' not in line]
    return "\n".join(lines)[-characters:]


class Gateway:
    def __init__(self, name, routes, arguments=()):
        self.name, self.port, self.routes = name, free_port(), routes
        self.log = f"{WORK}/{name}.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [BINARY, "--host", "127.0.0.1", "--port", str(self.port), "--threads", "2", "--routes", routes, "--log-format", "json"]
                + list(arguments), stdout=subprocess.DEVNULL, stderr=log)
        RUNNING.append(self)
        deadline = time.time() + 20
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"gateway {name} exited {self.process.returncode}: {log_tail(self.log)}")
            try:
                if self.request("GET", "/readyz")[0] == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError(f"gateway {name}: /readyz not 200 within 20 s: {log_tail(self.log)}")
            time.sleep(0.1)
        response = self.request("POST", "/auth/token", CREDENTIALS)
        if response[0] != 200 or not isinstance(response[2], dict) or "jwt" not in response[2]:
            raise RuntimeError(f"gateway {name}: POST /auth/token: {summary(response)}")
        self.token = response[2]["jwt"]

    def request(self, method, path, body=None, authorized=False):
        return call(self.port, method, path, body, self.token if authorized else None)

    def get(self, path):
        return self.request("GET", path, authorized=True)

    def hang_up(self):
        self.process.send_signal(signal.SIGHUP)

    def reloads(self):
        """restgate_route_reloads_total by result: {"success": n, "failure": n}, None where absent."""
        counts = {"success": None, "failure": None}
        _, _, text = self.request("GET", "/metrics")
        text = text.decode() if isinstance(text, bytes) else str(text)
        for line in text.splitlines():
            match = re.match(r'^restgate_route_reloads_total\{(.*)\}\s+(\S+)', line)
            if match:
                labels = dict(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', match.group(1)))
                if labels.get("result") in counts:
                    value = float(match.group(2))
                    counts[labels["result"]] = (counts[labels["result"]] or 0) + (int(value) if value.is_integer() else value)
        return counts

    def reloaded(self, before, seconds=5):
        """Waits until one more reload than `before` is counted; returns the counts and the seconds taken."""
        want = (before["success"] or 0) + (before["failure"] or 0) + 1

        def counted():
            if not self.alive():
                raise RuntimeError(f"gateway {self.name} exited {self.process.returncode}: {log_tail(self.log)}")
            counts = self.reloads()
            return counts if (counts["success"] or 0) + (counts["failure"] or 0) >= want else None
        counts, elapsed = until(counted, seconds)
        return counts or self.reloads(), elapsed

    def paths(self):
        response = self.request("GET", "/openapi.json")
        body = response[2]
        return set(body.get("paths", {})) if response[0] == 200 and isinstance(body, dict) else set()

    def log_entries(self):
        entries = []
        for line in read(self.log).splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                entry = {"level": "?", "msg": line}
            if isinstance(entry, dict):
                entries.append(entry)
        return entries

    def refusals(self):
        """The text (message and metadata) of each error-level `route reload refused` line."""
        texts = [" ".join(str(value) for value in entry.values()) for entry in self.log_entries() if entry.get("level") == "error"]
        return [text for text in texts if "route reload refused" in text]

    def alive(self):
        return self.process.poll() is None

    def stop(self, seconds=15):
        """SIGTERM, then the exit status (None if it had to be killed)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                return None
        if self in RUNNING:
            RUNNING.remove(self)
        return self.process.returncode


def expect_counts(gateway, label, counts, success, failure):
    expect(counts == {"success": success, "failure": failure},
           f"{gateway.name}: {label}: restgate_route_reloads_total success {counts['success']}, failure {counts['failure']}; "
           f"want {success} and {failure}")


def expect_refusal(gateway, label, count, lines=None, words=()):
    """`count` refusal lines so far; the last names `route file line N` (N one of `lines` when
    given) and each of `words`."""
    refusals = gateway.refusals()
    expect(len(refusals) == count, f"{gateway.name}: {label}: {len(refusals)} error lines with 'route reload refused', want {count}")
    if not refusals:
        return
    last = refusals[-1]
    found = re.search(r"route file line (\d+)", last)
    expect(found is not None and (lines is None or int(found.group(1)) in lines),
           f"{gateway.name}: {label}: want 'route file line {'/'.join(map(str, lines)) if lines else 'N'}' in the refusal: {last[:400]!r}")
    for word in words:
        expect(word in last, f"{gateway.name}: {label}: the refusal does not name {word!r}: {last[:400]!r}")


def expect_stops_cleanly(gateway):
    status = gateway.stop()
    expect(status == 0, f"{gateway.name}: SIGTERM after reloads: exit status {status}, want 0")
    expect(any(entry.get("msg") == "draining" for entry in gateway.log_entries()), f"{gateway.name}: no 'draining' line after SIGTERM")


# --- restgate check ---------------------------------------------------------------------------

def check(*arguments):
    result = subprocess.run([BINARY, "check", *arguments], capture_output=True, text=True, timeout=60)
    return result.returncode, result.stdout, result.stderr.splitlines()


def check_command():
    def verdict(label, arguments, status):
        got, stdout, lines = check(*arguments)
        expect(got == status, f"check {label}: exit status {got}, want {status}; stderr {lines[-5:]}")
        expect(stdout.strip() == "", f"check {label}: diagnostics belong on stderr; stdout {stdout[:300]!r}")
        return lines

    lines = verdict("(built-in routes)", [], 0)
    expect("built-in routes: ok" in lines, f"check (built-in routes): no line 'built-in routes: ok' in {lines}")

    good = write(f"{WORK}/check-good.yaml", V0)
    lines = verdict("a good file", ["--routes", good], 0)
    expect(any(line.endswith(": ok") for line in lines), f"check a good file: no line ending ': ok' in {lines}")
    expect(f"{good}: ok" in lines, f"check a good file: no line '{good}: ok' in {lines}")

    broken = write(f"{WORK}/check-two-broken.yaml", TWO_BROKEN)
    lines = verdict("two broken routes", ["--routes", broken], 1)
    for route, field in [("listRiskGroups", " color }"), ("getOrganization", " shade }")]:
        line = line_of(TWO_BROKEN, field)
        found = [entry for entry in lines if entry.startswith(f"{broken}:") and f": route {route}: " in entry]
        expect(len(found) == 1, f"check two broken routes: want one line '{broken}:{line}: route {route}: …', got {found} in {lines}")
        expect(any(entry.startswith(f"{broken}:{line}: route {route}: ") for entry in found),
               f"check two broken routes: route {route}'s problem is on line {line} (its unknown field): got {found}")
    expect("2 problems" in " ".join(lines), f"check two broken routes: no '2 problems' in {lines}")

    not_yaml = write(f"{WORK}/check-not-yaml.yaml", NOT_YAML)
    lines = verdict("a file that is not YAML", ["--routes", not_yaml], 1)
    expect(any(line.startswith(f"{not_yaml}:") for line in lines), f"check a file that is not YAML: no line naming the file in {lines}")
    expect(any(line.startswith(f"{not_yaml}:{number}:") for line in lines for number in YAML_ERROR_LINES),
           f"check a file that is not YAML: want '{not_yaml}:{'/'.join(map(str, YAML_ERROR_LINES))}: …' (where the YAML breaks): {lines}")

    colored = write(f"{WORK}/check-colored.yaml", V1_COLORED)
    color_schema = write(f"{WORK}/check-color.graphql", SCHEMA_WITH_COLOR)
    lines = verdict("a route selecting color, built-in schema", ["--routes", colored], 1)
    expect(any(f": route listColoredRiskGroups: " in line for line in lines), f"check color, built-in schema: {lines}")
    verdict("a route selecting color, --schema with color", ["--routes", colored, "--schema", f"unioo={color_schema}"], 0)
    no_description = write(f"{WORK}/check-no-description.graphql", SCHEMA_WITHOUT_DESCRIPTION)
    verdict("the built-in routes, --schema without RiskGroup.description", ["--schema", f"unioo={no_description}"], 1)
    # A field missing from a fragment: each route using it is a problem, whose line is the
    # fragment's line or at least one of that route's own lines, never another route's.
    lines = verdict("a good file, --schema without RiskGroup.description", ["--routes", good, "--schema", f"unioo={no_description}"], 1)
    fragment = line_of(V0, "fragment RiskGroupFields")
    reported = [(int(match.group(1)), match.group(2)) for match in
                (re.match(rf"^{re.escape(good)}:(\d+): route (\S+): ", line) for line in lines) if match]
    expect(len(reported) >= 2, f"check without RiskGroup.description: want a problem per route using RiskGroupFields: {lines}")
    elsewhere = []
    for number, route in reported:
        start, end = route_span(V0, route)
        first, last = V0[:start].count("\n") + 1, V0[:end].rstrip("\n").count("\n") + 1
        if number != fragment and not first <= number <= last:
            elsewhere.append(f"{route} (lines {first}-{last}) at {number}: {V0.splitlines()[number - 1].strip()[:60]!r}")
    expect(not elsewhere, f"check without RiskGroup.description: {len(elsewhere)} of {len(reported)} routes reported on a line outside "
                          f"themselves (the field is in the fragment at line {fragment}): {'; '.join(elsewhere)}")

    got, _, lines = check("--routes", f"{WORK}/no-such-file.yaml")
    expect(got > 0, f"check a missing file: exit status {got}, want an error status; stderr {lines[-3:]}")
    print("restgate check: done", flush=True)


# --- SIGHUP -------------------------------------------------------------------------------------

def hang_up():
    routes = write(f"{WORK}/hangup-routes.yaml", V0)
    schema = write(f"{WORK}/hangup-unioo.graphql", BUILT_IN_SCHEMA)
    gateway = Gateway("hangup", routes, ["--schema", f"unioo={schema}"])
    organization = f"/organizations/{uuid.uuid4()}"
    try:
        counts = gateway.reloads()
        expect_counts(gateway, "at start", counts, 0, 0)
        response = gateway.get(AGAIN)
        expect(is_problem(response, 404, "ROUTE_NOT_FOUND"), f"before the reload: GET {AGAIN}: {summary(response)}")
        before = gateway.get(organization)
        expect(before[0] in (200, 404) and not is_problem(before, 404, "ROUTE_NOT_FOUND"),
               f"before the reload: GET /organizations/{{id}} is a route: {summary(before)}")
        paths = gateway.paths()
        expect(AGAIN not in paths and "/organizations/{id}" in paths, f"before the reload: /openapi.json paths {sorted(paths)}")

        # A good file swaps in.
        write(routes, V1)
        gateway.hang_up()
        counts, elapsed = gateway.reloaded(counts)
        expect(gateway.alive(), "SIGHUP ended the gateway")
        expect_counts(gateway, "after a good file", counts, 1, 0)
        # One restgate_routes_info series, for the table now in use.
        text = gateway.request("GET", "/metrics")[2]
        text = text.decode() if isinstance(text, bytes) else str(text)
        infos = [line for line in text.splitlines() if line.startswith("restgate_routes_info{")]
        expect(len(infos) == 1 and hashlib.sha256(read(routes).encode()).hexdigest() in infos[0],
               f"restgate_routes_info names the reloaded table once: {infos}")
        response, waited = until(lambda: (lambda r: r if r[0] == 200 else None)(gateway.get(AGAIN)), 5)
        response = response or gateway.get(AGAIN)
        print(f"good file: reload counted in {elapsed:.1f} s, {AGAIN} 200 after {elapsed + waited:.1f} s", flush=True)
        expect(response[0] == 200 and isinstance(response[2], dict) and isinstance(response[2].get("items"), list) and response[2]["items"],
               f"after the reload: GET {AGAIN}: {summary(response)}")
        response = gateway.get(organization)
        expect(is_problem(response, 404, "ROUTE_NOT_FOUND"), f"after the reload: GET /organizations/{{id}} (was {before[0]}): {summary(response)}")
        for path in ["/risk-groups?limit=1", "/organizations"]:
            response = gateway.get(path)
            expect(response[0] == 200, f"after the reload: GET {path}, in both files: {summary(response)}")
        paths = gateway.paths()
        expect(AGAIN in paths and "/organizations/{id}" not in paths, f"after the reload: /openapi.json paths {sorted(paths)}")

        def unchanged(label):
            response = gateway.get(AGAIN)
            expect(response[0] == 200, f"{label}: the old table keeps serving: GET {AGAIN}: {summary(response)}")
            response = gateway.get("/risk-groups?limit=1")
            expect(response[0] == 200, f"{label}: the old table keeps serving: GET /risk-groups: {summary(response)}")
            response = gateway.get(organization)
            expect(is_problem(response, 404, "ROUTE_NOT_FOUND"), f"{label}: GET /organizations/{{id}} came back: {summary(response)}")
            paths = gateway.paths()
            expect(AGAIN in paths and "/organizations/{id}" not in paths, f"{label}: /openapi.json paths {sorted(paths)}")

        # A document selecting a field the schema lacks changes nothing.
        write(routes, V1_UNKNOWN_FIELD)
        gateway.hang_up()
        counts, _ = gateway.reloaded(counts)
        expect_counts(gateway, "after a file selecting RiskGroup.color", counts, 1, 1)
        unchanged("a field the schema lacks")
        expect_refusal(gateway, "a field the schema lacks", 1, lines=[line_of(V1_UNKNOWN_FIELD, " color }")],
                       words=["listRiskGroups", "color", routes])

        # Neither does a file that is not YAML.
        write(routes, NOT_YAML)
        gateway.hang_up()
        counts, _ = gateway.reloaded(counts)
        expect_counts(gateway, "after a file that is not YAML", counts, 1, 2)
        unchanged("not YAML")
        expect_refusal(gateway, "not YAML", 2, lines=YAML_ERROR_LINES, words=[routes])

        # The --schema file is read again: a route selecting color is refused on the built-in
        # schema, taken once the schema file has the field, and kept when the schema loses it again.
        write(routes, V1_COLORED)
        gateway.hang_up()
        counts, _ = gateway.reloaded(counts)
        expect_counts(gateway, "a route selecting color, schema without it", counts, 1, 3)
        response = gateway.get(COLORED)
        expect(is_problem(response, 404, "ROUTE_NOT_FOUND"), f"schema without color: GET {COLORED}: {summary(response)}")
        write(schema, SCHEMA_WITH_COLOR)
        gateway.hang_up()
        counts, _ = gateway.reloaded(counts)
        expect_counts(gateway, "a route selecting color, schema file with it", counts, 2, 3)
        response = gateway.get(COLORED)
        expect(not is_problem(response, 404, "ROUTE_NOT_FOUND") and response[0] != 404,
               f"schema file with color: GET {COLORED} is a route now (the sandbox itself lacks the field): {summary(response)}")
        print(f"schema file with color: GET {COLORED} answers {summary(response)[:160]}", flush=True)
        write(schema, BUILT_IN_SCHEMA)
        gateway.hang_up()
        counts, _ = gateway.reloaded(counts)
        expect_counts(gateway, "the schema file without color again", counts, 2, 4)
        response = gateway.get(COLORED)
        expect(not is_problem(response, 404, "ROUTE_NOT_FOUND"), f"schema file without color, refused: GET {COLORED} kept: {summary(response)}")
        expect_refusal(gateway, "the schema file without color again", 4, words=["listColoredRiskGroups", "color"])
        write(routes, V1)
        gateway.hang_up()
        counts, _ = gateway.reloaded(counts)
        expect_counts(gateway, "back to the good file", counts, 3, 4)
        response = gateway.get(COLORED)
        expect(is_problem(response, 404, "ROUTE_NOT_FOUND"), f"back to the good file: GET {COLORED}: {summary(response)}")
        unchanged("back to the good file")
    finally:
        expect_stops_cleanly(gateway)
    print("SIGHUP reloads: done", flush=True)


# --- --watch-routes -----------------------------------------------------------------------------

def watch():
    routes = write(f"{WORK}/watch-routes.yaml", V0)
    schema = write(f"{WORK}/watch-unioo.graphql", BUILT_IN_SCHEMA)
    gateway = Gateway("watch", routes, ["--watch-routes", "--schema", f"unioo={schema}"])
    organization = f"/organizations/{uuid.uuid4()}"
    limit = 3.5  # one poll a second, then the validation in the helper

    def live(label, probe, what="live"):
        value, elapsed = until(probe, 8)
        expect(value and elapsed <= limit, f"{label}: {what} after {elapsed:.1f} s (want ≤ {limit} s): {value!r}")
        print(f"{label}: {what} after {elapsed:.1f} s", flush=True)

    def counted(label, want):
        live(label, lambda: gateway.reloads() == want or None, what="counted")
        expect_counts(gateway, label, gateway.reloads(), want["success"], want["failure"])

    try:
        expect_counts(gateway, "at start", gateway.reloads(), 0, 0)
        time.sleep(1.5)  # the watcher's first look, with nothing changed
        expect_counts(gateway, "nothing changed", gateway.reloads(), 0, 0)

        write(routes, V1)
        live("an edit in place adds a route", lambda: gateway.get(AGAIN)[0] == 200)
        response = gateway.get(organization)
        expect(is_problem(response, 404, "ROUTE_NOT_FOUND"), f"an edit in place: GET /organizations/{{id}}: {summary(response)}")
        counted("an edit in place", {"success": 1, "failure": 0})

        replace(routes, V0)
        live("a replacement by rename removes it", lambda: is_problem(gateway.get(AGAIN), 404, "ROUTE_NOT_FOUND"))
        response = gateway.get(organization)
        expect(not is_problem(response, 404, "ROUTE_NOT_FOUND"), f"a replacement: GET /organizations/{{id}} is back: {summary(response)}")
        counted("a replacement by rename", {"success": 2, "failure": 0})

        write(routes, NOT_YAML)
        counted("an edit that is not YAML", {"success": 2, "failure": 1})
        response = gateway.get("/risk-groups?limit=1")
        expect(response[0] == 200, f"an edit that is not YAML: the old table serves: {summary(response)}")
        expect_refusal(gateway, "an edit that is not YAML", 1, lines=YAML_ERROR_LINES, words=[routes])

        write(routes, V0)
        counted("the file good again", {"success": 3, "failure": 1})
        write(schema, SCHEMA_WITHOUT_DESCRIPTION)
        counted("a schema file edit dropping RiskGroup.description", {"success": 3, "failure": 2})
        expect_refusal(gateway, "a schema file edit", 2, words=["description"])
        response = gateway.get("/risk-groups?limit=1")
        expect(response[0] == 200, f"a schema file edit, refused: the old table serves: {summary(response)}")
        write(schema, BUILT_IN_SCHEMA)
        counted("the schema file good again", {"success": 4, "failure": 2})

        time.sleep(2.5)
        expect_counts(gateway, "nothing changed since", gateway.reloads(), 4, 2)
    finally:
        expect_stops_cleanly(gateway)
    print("--watch-routes: done", flush=True)


# --- a reload under load -----------------------------------------------------------------------

class Client(threading.Thread):
    """GETs `path` on one keep-alive connection until told to stop, tallying what came back;
    `judge` names an acceptable answer, or returns None for a wrong one."""

    def __init__(self, port, token, path, judge, stopping):
        super().__init__(daemon=True)
        self.port, self.token, self.path, self.judge, self.stopping = port, token, path, judge, stopping
        self.tally, self.wrong, self.errors, self.connections = Counter(), [], [], 0

    def run(self):
        connection = None
        while not self.stopping.is_set():
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                self.connections += 1
            try:
                connection.request("GET", self.path, headers={"Authorization": f"Bearer {self.token}"})
                response = connection.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as error:  # a lost request
                self.errors.append(repr(error))
                connection.close()
                connection = None
                continue
            try:
                body = json.loads(payload) if payload else None
            except ValueError:
                body = payload[:200]
            answer = (response.status, {name.lower(): value for name, value in response.getheaders()}, body)
            verdict = self.judge(answer)
            if verdict is None:
                self.wrong.append(summary(answer))
            else:
                self.tally[verdict] += 1
            if response.will_close:
                connection.close()
                connection = None
        if connection is not None:
            connection.close()


def one_item(answer):
    status, _, body = answer
    return "200" if status == 200 and isinstance(body, dict) and isinstance(body.get("items"), list) and len(body["items"]) == 1 else None


def route_or_not(answer):
    if answer[0] == 200 and isinstance(answer[2], dict) and isinstance(answer[2].get("items"), list):
        return "200"
    return "404 ROUTE_NOT_FOUND" if is_problem(answer, 404, "ROUTE_NOT_FOUND") else None


def under_load():
    with_x, without_x = with_copy(V0, "listRiskGroups", "listRiskGroupsAgain", AGAIN), V0
    routes = write(f"{WORK}/load-routes.yaml", without_x)
    gateway = Gateway("load", routes)
    stopping = threading.Event()
    clients = ([Client(gateway.port, gateway.token, "/risk-groups?limit=1", one_item, stopping) for _ in range(4)]
               + [Client(gateway.port, gateway.token, f"{AGAIN}?limit=1", route_or_not, stopping) for _ in range(2)])
    reloads = 8
    try:
        for client in clients:
            client.start()
        time.sleep(0.5)
        counts = gateway.reloads()
        for index in range(reloads):
            write(routes, with_x if index % 2 == 0 else without_x)
            gateway.hang_up()
            counts, _ = gateway.reloaded(counts)
            time.sleep(0.3)
        time.sleep(0.3)
    finally:
        stopping.set()
        for client in clients:
            client.join(timeout=15)
    try:
        expect(all(not client.is_alive() for client in clients), "under load: a client thread did not finish")
        expect_counts(gateway, f"{reloads} reloads under load", gateway.reloads(), reloads, 0)
        risk = sum((client.tally for client in clients[:4]), Counter())
        x = sum((client.tally for client in clients[4:]), Counter())
        wrong = [answer for client in clients for answer in client.wrong]
        errors = [error for client in clients for error in client.errors]
        connections = sum(client.connections for client in clients)
        print(f"under load: {risk['200']} risk-groups 200s, {AGAIN}: {dict(x)}, {len(wrong)} wrong, {len(errors)} connection errors, "
              f"{connections} connections for {len(clients)} clients", flush=True)
        expect(risk["200"] >= 100, f"under load: only {risk['200']} risk-groups requests answered")
        expect(not wrong, f"under load: {len(wrong)} wrong answers, e.g. {wrong[:3]}")
        expect(not errors, f"under load: {len(errors)} connection errors (lost requests), e.g. {errors[:3]}")
        expect(x["200"] > 0 and x["404 ROUTE_NOT_FOUND"] > 0, f"under load: {AGAIN} should have seen both tables: {dict(x)}")
    finally:
        expect_stops_cleanly(gateway)
    print("reloads under load: done", flush=True)


# --- a request in flight during a reload ---------------------------------------------------------

class SlowUpstream(http.server.ThreadingHTTPServer):
    """A GraphQL upstream whose risk groups take `delay` seconds; anything else answers at once."""
    daemon_threads = True

    def __init__(self, delay):
        super().__init__(("127.0.0.1", 0), SlowUpstreamHandler)
        self.delay = delay

    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/graphql"


class SlowUpstreamHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        query = json.loads(self.rfile.read(int(self.headers["Content-Length"]))).get("query", "")
        if "riskGroups" in query:
            time.sleep(self.server.delay)
            answer = {"data": {"riskGroups": {"totalCount": 1, "nodes": [{"id": str(uuid.uuid4()), "name": "Slow"}],
                                              "pageInfo": {"hasNextPage": False, "endCursor": None}}}}
        elif "authenticate" in query:
            answer = {"data": {"authenticate": {"authenticationPayload": {"jwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJlcnAtYmF0Y2gifQ.c2lnbmF0dXJl"}}}}
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
            pass


def in_flight():
    delay = 2.0
    upstream = serve(SlowUpstream(delay))
    with_x = with_copy(V0, "listRiskGroups", "listRiskGroupsAgain", AGAIN)
    routes = write(f"{WORK}/in-flight-routes.yaml", with_x)
    gateway = Gateway("in-flight", routes, ["--upstream", f"unioo={upstream.url()}", "--upstream", f"elements={upstream.url()}"])
    try:
        answers = []
        started = time.time()
        worker = threading.Thread(target=lambda: answers.append(gateway.get(AGAIN)), daemon=True)
        worker.start()
        time.sleep(0.5)
        write(routes, V0)
        counts = gateway.reloads()
        gateway.hang_up()
        counts, elapsed = gateway.reloaded(counts)
        expect_counts(gateway, "a reload while a request is in flight", counts, 1, 0)
        expect(0.5 + elapsed < delay, f"the reload waited {0.5 + elapsed:.1f} s, for the request in flight ({delay} s)")
        response = gateway.get(AGAIN)
        expect(is_problem(response, 404, "ROUTE_NOT_FOUND"), f"after the reload, GET {AGAIN}: {summary(response)}")
        worker.join(timeout=15)
        taken = time.time() - started
        expect(answers and answers[0][0] == 200 and isinstance(answers[0][2], dict) and answers[0][2].get("items"),
               f"the request in flight when {AGAIN} was removed: {summary(answers[0]) if answers else 'no answer'} after {taken:.1f} s")
        print(f"in flight: reload counted after {0.5 + elapsed:.1f} s, the request answered {answers[0][0] if answers else None} "
              f"after {taken:.1f} s", flush=True)
    finally:
        expect_stops_cleanly(gateway)
        upstream.shutdown()
    print("a request in flight during a reload: done", flush=True)


# --- the run ------------------------------------------------------------------------------------

def start_sandbox(log):
    """`restgate sandbox` on a free port, once it answers: the process and the port."""
    port = free_port()
    sandbox = subprocess.Popen([BINARY, "sandbox", "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=open(os.path.join(WORK, log), "w"))

    def answers():
        try:
            return call(port, "POST", "/unioo/graphql", {"query": "{ __typename }"})[0] == 200
        except OSError:
            return False
    until(answers, 10)
    return sandbox, port


def unioo_token(port):
    """A token from the sandbox's own unioo upstream (its authenticate mutation)."""
    answer = call(port, "POST", "/unioo/graphql", {"query": 'mutation { authenticate(input: {clientId: "sandbox-bank", '
                                                            'secret: "sandbox-secret"}) { authenticationPayload { jwt } } }'})
    return answer[2]["data"]["authenticate"]["authenticationPayload"]["jwt"]


def schema_pull():
    """`restgate schema pull` against a running `restgate sandbox`: the SDL it prints validates
    the built-in routes (`restgate check --schema`), and the same SDL without a field the routes
    select is refused, naming the route; a dead upstream is exit 1 with a message."""
    sandbox, port = start_sandbox("sandbox.log")
    try:
        # Introspection needs the upstream's own token, as the real ones do.
        tokens = {
            "unioo": unioo_token(port),
            "elements": call(port, "POST", "/elements/graphql", {"query": 'mutation { signIn(input: {usernameOrEmail: '
                                                                          '"advisor@sandbox.example", password: "sandbox-password"}) '
                                                                          '{ tokenSet { accessToken } } }'}
                             )[2]["data"]["signIn"]["tokenSet"]["accessToken"],
        }
        refused = subprocess.run([BINARY, "schema", "pull", "--upstream", f"unioo=http://127.0.0.1:{port}/unioo/graphql"],
                                 capture_output=True, text=True, timeout=60)
        expect(refused.returncode == 1 and "introspection refused" in refused.stderr and refused.stdout == "",
               f"schema pull without the upstream's token: exit {refused.returncode}, {refused.stderr.strip()[:200]}")
        files = {}
        for name in ("unioo", "elements"):
            pulled = subprocess.run([BINARY, "schema", "pull", "--upstream", f"{name}=http://127.0.0.1:{port}/{name}/graphql",
                                     "--header", f"Authorization: Bearer {tokens[name]}"], capture_output=True, text=True, timeout=60)
            expect(pulled.returncode == 0 and "type Query" in pulled.stdout,
                   f"schema pull {name}: exit {pulled.returncode}, {pulled.stderr.strip()[:300]}")
            files[name] = os.path.join(WORK, f"pulled-{name}.graphql")
            write(files[name], pulled.stdout)
        code, _, lines = check("--schema", f"unioo={files['unioo']}", "--schema", f"elements={files['elements']}")
        err = "\n".join(lines)
        expect(code == 0 and "built-in routes: ok" in lines, f"check against the pulled schemas: exit {code}, {err[:300]}")
        drifted = os.path.join(WORK, "drifted-unioo.graphql")
        text = read(files["unioo"])
        # OrganizationInvitation loses vatNumber, which the InvitationFields fragment selects.
        start = text.find("type OrganizationInvitation ")
        field = text.find("  vatNumber: String\n", start)
        expect(start >= 0 and field > start, "the pulled unioo SDL has OrganizationInvitation.vatNumber")
        write(drifted, text[:field] + text[field:].replace("  vatNumber: String\n", "", 1))
        code, _, lines = check("--schema", f"unioo={drifted}")
        err = "\n".join(lines)
        expect(code == 1 and "vatNumber" in err, f"check against a schema that lost a field: exit {code}, {err[:300]}")
        dead = subprocess.run([BINARY, "schema", "pull", "--upstream", f"unioo=http://127.0.0.1:{free_port()}/graphql", "--timeout", "2"],
                              capture_output=True, text=True, timeout=60)
        expect(dead.returncode == 1 and "restgate schema pull:" in dead.stderr and dead.stdout == "",
               f"schema pull from nothing: exit {dead.returncode}, {dead.stderr.strip()[:200]}")
    finally:
        sandbox.kill()
        sandbox.wait()


INTROSPECTION = """query { __schema { queryType { name } mutationType { name } subscriptionType { name }
  types { kind name description
    fields(includeDeprecated: true) { name description args { ...Value } type { ...Ref } isDeprecated deprecationReason }
    inputFields { ...Value } interfaces { ...Ref } enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
    possibleTypes { ...Ref } } } }
fragment Value on __InputValue { name description type { ...Ref } defaultValue }
fragment Ref on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } }"""


class SchemaStub(http.server.ThreadingHTTPServer):
    """An upstream that answers introspection with `self.answer` (swapped by the test) and the
    readiness probe; nothing else."""
    daemon_threads = True

    def __init__(self, answer):
        super().__init__(("127.0.0.1", 0), SchemaStubHandler)
        self.answer = answer


class SchemaStubHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["query"]
        if "__schema" in query:
            answer = self.server.answer
        elif "authenticate" in query:  # the Gateway helper's POST /auth/token
            answer = {"data": {"authenticate": {"authenticationPayload": {"jwt": "e30.e30.c2ln"}}}}
        else:
            answer = {"data": {"__typename": "Query"}}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def live_schema():
    """--schema-source unioo=introspect against an upstream whose schema changes under the
    gateway: the live schema as the sandbox reports it fits; without OrganizationInvitation's
    vatNumber the routes that select it are drift (critical log line naming route and field,
    restgate_schema_drift_routes, /readyz 503 with --drift-not-ready); back, and it clears; a
    refused introspection is reported and changes nothing."""
    sandbox, port = start_sandbox("sandbox-live.log")
    stub, gateway = None, None
    try:
        token = unioo_token(port)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        connection.request("POST", "/unioo/graphql", json.dumps({"query": INTROSPECTION}),
                           {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        live = json.loads(connection.getresponse().read())
        connection.close()
        drifted = json.loads(json.dumps(live))
        for kind in drifted["data"]["__schema"]["types"]:
            if kind["name"] == "OrganizationInvitation":
                kind["fields"] = [field for field in kind["fields"] if field["name"] != "vatNumber"]
        stub = serve(SchemaStub(live))
        routes = os.path.join(WORK, "live-routes.yaml")
        write(routes, read(os.path.join(ROOT, "config", "routes.yaml")))
        gateway = Gateway("live", routes, ["--upstream", f"unioo=http://127.0.0.1:{stub.server_address[1]}/graphql",
                                            "--schema-source", "unioo=introspect", "--schema-check-interval", "1", "--drift-not-ready",
                                            "--readiness-interval", "0.5"])

        def ready():
            status, _, body = gateway.get("/readyz")
            return (status, body) if status == 200 else None
        got, _ = until(ready, 10)
        expect(got is not None and got[1]["schemas"]["unioo"]["checked"] and got[1]["schemas"]["unioo"]["drift"] == [],
               f"live schema that fits: /readyz {got}")
        stub.answer = drifted

        def unready():
            status, _, body = gateway.get("/readyz")
            return body if status == 503 else None
        body, seconds = until(unready, 6)
        codes = [error.get("code") for error in (body or {}).get("errors", [])]
        expect(body is not None and "SCHEMA_DRIFT" in codes, f"drift makes /readyz 503 with --drift-not-ready: {body}")
        metrics = gateway.get("/metrics")[2]
        metrics = metrics.decode() if isinstance(metrics, bytes) else str(metrics)
        drift_count = re.search(r'restgate_schema_drift_routes\{upstream="unioo"\} (\d+)', metrics)
        expect(drift_count is not None and int(drift_count.group(1)) >= 2, f"restgate_schema_drift_routes counts the routes: {drift_count}")
        log = read(gateway.log)
        expect(re.search(r'"message":"schema drift[^\n]*"route":"getInvitation"', log) is not None or
               ("schema drift" in log and "getInvitation" in log and "vatNumber" in log),
               "a critical line names the drifted route, the field and the upstream")
        expect('"level":"critical"' in log or "critical" in log, "drift is logged at critical level")
        stub.answer = live
        body, _ = until(ready, 6)
        expect(body is not None, "drift clears once the live schema fits again")
        stub.answer = {"data": None, "errors": [{"message": "introspection is disabled"}]}
        time.sleep(2.5)
        status, _, body = gateway.get("/readyz")
        expect(status == 200 and body["schemas"]["unioo"].get("lastError") == "refused",
               f"a refused introspection is reported and changes nothing: {status} {body}")
    finally:
        if gateway is not None:
            gateway.process.kill()
            gateway.process.wait()
        if stub is not None:
            stub.shutdown()
        sandbox.kill()
        sandbox.wait()


def scenario(function):
    started = time.time()
    try:
        function()
    except Exception as error:  # a broken scenario is one failure; the others still run
        traceback.print_exc()
        expect(False, f"{function.__name__} raised {error!r}")
    print(f"  ({function.__name__}: {time.time() - started:.1f} s)", flush=True)


try:
    scenario(check_command)
    scenario(hang_up)
    scenario(watch)
    scenario(under_load)
    scenario(in_flight)
    scenario(schema_pull)
    scenario(live_schema)
finally:
    for gateway in list(RUNNING):
        if gateway.process.poll() is None:
            gateway.process.kill()
            gateway.process.wait()
if failures:
    print(f"routes reload: {len(failures)} failed (logs in {WORK})", flush=True)
    sys.exit(1)
shutil.rmtree(WORK, ignore_errors=True)
print("routes reload: all passed", flush=True)
