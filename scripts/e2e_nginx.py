"""End-to-end through real nginx (docker/nginx/restgate.conf) in front of two Restgate
replicas sharing one `restgate sandbox`: the onboarding flow, the Elements listing over
several pages, gzip, and a rolling restart of one replica under load that must lose nothing.
Run by scripts/e2e-nginx, which starts and stops every process."""
import gzip
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = os.environ["E2E_BASE"]
failures = []


def call(method, path, body=None, token=None, gzip_ok=True, headers=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    if gzip_ok:
        request.add_header("Accept-Encoding", "gzip")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, headers, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, raw = error.code, error.headers, error.read()
    if headers.get("Content-Encoding") == "gzip":
        raw = gzip.decompress(raw)
    return status, headers, (json.loads(raw) if raw else None)


def expect(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message, flush=True)


class Load(threading.Thread):
    """Reads in a loop until told to stop; every answer must be a 200."""

    def __init__(self, token):
        super().__init__(daemon=True)
        self.token, self.stop, self.count, self.bad = token, threading.Event(), 0, []

    def run(self):
        while not self.stop.is_set():
            try:
                status, _, _ = call("GET", "/risk-groups?limit=2", token=self.token)
                if status != 200:
                    self.bad.append(status)
            except Exception as error:  # a reset or refused connection is a lost request
                self.bad.append(repr(error))
            self.count += 1


def rolling_restart(pid_file, start_command):
    """SIGTERM one replica (it drains and exits 0), start it again, wait until it is ready."""
    with open(pid_file) as handle:
        pid = int(handle.read())
    os.kill(pid, signal.SIGTERM)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            os.kill(pid, 0)
            time.sleep(0.05)
        except ProcessLookupError:
            break
    else:
        failures.append("the replica did not drain within 30 s")
    subprocess.run(["bash", "-c", start_command], check=True)


def replica_call(base, method, path, body, token, key):
    request = urllib.request.Request(base + path, data=None if body is None else json.dumps(body).encode(), method=method, headers={
        "Content-Type": "application/json", "Authorization": "Bearer " + token, "Idempotency-Key": key})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read() or b"null")


def idempotency_across_replicas(token, risk_group):
    """A create sent to one replica and retried with the same key at the other: one invitation."""
    first, second = os.environ["E2E_REPLICAS"].split()
    _, _, listed = call("GET", "/invitations?limit=1", token=token)
    before = listed["totalCount"]
    key = f"e2e-{time.time_ns()}"
    body = {"organizationName": "E2E retried", "riskGroupId": risk_group}
    status, _, created = replica_call(first, "POST", "/invitations", body, token, key)
    status2, headers, again = replica_call(second, "POST", "/invitations", body, token, key)
    expect(status == 201 and status2 == 201 and headers.get("Idempotent-Replayed") == "true", f"retry on the other replica: {status} {status2}")
    expect(created.get("id") == again.get("id"), "the retry got the same invitation")
    _, _, listed = call("GET", "/invitations?limit=1", token=token)
    expect(listed["totalCount"] == before + 1, f"the upstream made {listed['totalCount'] - before} invitations for one key")
    print(f"idempotency: one invitation for a create retried across replicas ({created.get('id')})", flush=True)


def send_after_upstream_timeout(token, risk_group):
    """The sandbox answers one send only after the replicas' upstream deadline: the send took
    effect, the client got a 504 through nginx, and its retry with the same key on either replica is told
    the outcome is unknown instead of sending again. It spends one unit of the weekly quota,
    which the sends that follow see."""
    first, second = os.environ["E2E_REPLICAS"].split()
    status, _, created = call("POST", "/invitations", {"organizationName": "E2E timed out", "riskGroupId": risk_group, "vatNumber": "DK99999999",
                                                    "contactPerson": {"firstName": "Eva", "lastName": "Berg", "email": "eva.late@example.com", "callingCode": "NO"}},
                        token=token)
    expect(status == 201, f"create for the timed-out send: {status}")
    arm = urllib.request.Request(os.environ["E2E_SANDBOX"] + "/sandbox/faults", method="POST", data=json.dumps(
        {"operation": "sendInvitation", "delayMilliseconds": 4000, "count": 1}).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(arm, timeout=5) as response:
        expect(response.status == 200, f"arming the sandbox fault: {response.status}")
    key = f"e2e-send-{time.time_ns()}"
    status, _, problem = call("POST", f"/invitations/{created['id']}/send", token=token, headers={"Idempotency-Key": key})
    expect(status == 504, f"the send past the upstream deadline, through nginx: {status} {problem}")
    for replica in (first, second):
        status, _, problem = replica_call(replica, "POST", f"/invitations/{created['id']}/send", None, token, key)
        expect(status == 409 and problem.get("code") == "IDEMPOTENCY_OUTCOME_UNKNOWN", f"its retry on {replica}: {status} {problem}")
    time.sleep(1.5)  # the sandbox's late answer has gone out by now
    status, _, invitation = call("GET", f"/invitations/{created['id']}", token=token)
    expect(status == 200 and invitation.get("isInvitationFlowStarted") is True, f"the send took effect once: {status} {invitation}")
    print("idempotency: a send past the upstream deadline, retried on the other replica, was not sent again", flush=True)


def prometheus_query(expression):
    url = os.environ["E2E_PROMETHEUS"] + "/api/v1/query?" + urllib.parse.urlencode({"query": expression})
    with urllib.request.urlopen(url, timeout=5) as response:
        result = json.load(response)["data"]["result"]
    return float(result[0]["value"][1]) if result else None


def prometheus_counts_requests(token):
    """Prometheus scrapes both replicas; the request counter it holds moves by exactly the
    requests sent through nginx."""
    deadline, up = time.time() + 20, []
    while time.time() < deadline:
        with urllib.request.urlopen(os.environ["E2E_PROMETHEUS"] + "/api/v1/targets", timeout=5) as response:
            targets = json.load(response)["data"]["activeTargets"]
        up = [target for target in targets if target["health"] == "up"]
        if len(up) == 2:
            break
        time.sleep(0.5)
    expect(len(up) == 2, f"Prometheus sees {len(up)} of 2 replicas up")
    try:
        with urllib.request.urlopen(BASE + "/metrics", timeout=5) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    expect(status == 404, f"nginx exposes /metrics: {status}")
    query = 'sum(http_server_request_duration_seconds_count{http_route="/risk-groups"})'
    time.sleep(2.5)  # a scrape after the last load request
    before = prometheus_query(query) or 0
    sent = 25
    for _ in range(sent):
        call("GET", "/risk-groups?limit=1", token=token)
    deadline, after = time.time() + 15, before
    while time.time() < deadline and after - before < sent:
        time.sleep(0.5)
        after = prometheus_query(query) or 0
    time.sleep(2.5)  # and nothing more arrives
    after = prometheus_query(query) or 0
    expect(after - before == sent, f"PromQL counts {after - before} of the {sent} requests sent")
    print(f"prometheus: both replicas up, {int(after - before)} of {sent} requests counted", flush=True)


def main():
    status, _, answer = call("POST", "/auth/token", {"clientId": "sandbox-bank", "secret": "sandbox-secret"})
    expect(status == 200 and "jwt" in answer, f"token: {status}")
    token = answer["jwt"]

    loads = [Load(token) for _ in range(3)]
    for load in loads:
        load.start()
    window = {}

    status, headers, groups = call("GET", "/risk-groups", token=token)
    expect(status == 200 and groups["totalCount"] == 3, f"risk groups: {status}")
    expect(headers.get("Content-Encoding") == "gzip", "risk groups were not gzipped through nginx")
    risk_group = groups["items"][0]["id"]

    ids = []
    for index in range(4):
        status, headers, created = call(
            "POST", "/invitations",
            {"organizationName": f"E2E {index}", "riskGroupId": risk_group, "vatNumber": f"DK{index:08d}",
             "contactPerson": {"firstName": "Eva", "lastName": "Berg", "email": f"eva{index}@example.com", "callingCode": "NO"}},
            token=token)
        expect(status == 201 and headers.get("Location") == f"{BASE}/invitations/{created.get('id')}",
               f"create {index}: {status} {headers.get('Location')}")
        ids.append(created["id"])
        if index == 1:
            # Halfway through the flow, one replica restarts while the load keeps going.
            window["before"] = sum(load.count for load in loads)
            rolling_restart(os.environ["E2E_REPLICA_PID"], os.environ["E2E_REPLICA_START"])
            window["after"] = sum(load.count for load in loads)

    status, _, patched = call("PATCH", f"/invitations/{ids[0]}", {"externalId": "ERP-1"}, token=token)
    expect(status == 200 and patched["externalId"] == "ERP-1" and patched["chairmanCallingCode"] == "0047", f"patch: {status}")

    if os.environ.get("E2E_REPLICAS"):
        send_after_upstream_timeout(token, risk_group)
    sent = [call("POST", f"/invitations/{identifier}/send", token=token) for identifier in ids]
    statuses = [status for status, _, _ in sent]
    expect(statuses == [200, 200, 200, 429], f"sends: {statuses} (weekly quota 4, one spent by the timed-out send)")
    expect(sent[-1][2].get("quotaPeriod") == "week", "the 429 does not name the week")

    status, _, listed = call("GET", "/invitations?limit=2", token=token)
    expect(status == 200 and listed["totalCount"] == (5 if os.environ.get("E2E_REPLICAS") else 4) and len(listed["items"]) == 2 and listed["nextCursor"], f"list: {status}")

    status, _, sign_in = call("POST", "/elements/auth/token", {"usernameOrEmail": "advisor@sandbox.example", "password": "sandbox-password"})
    expect(status == 200, f"elements sign-in: {status}")
    elements = sign_in["tokenSet"]["accessToken"]
    path, pages, invitations = f"/elements/firms/{sign_in['firms']['items'][0]['id']}/client-invitations", 0, 0
    while path and pages < 10:
        status, headers, page = call("GET", path, token=elements)
        expect(status == 200, f"elements page {pages}: {status}")
        invitations += len(page["items"])
        pages += 1
        link = headers.get("Link")
        # Absolute, on the host and port the client used (through nginx, a trusted proxy).
        expect(not link or link.startswith("<" + BASE + "/"), f"Link is not on the client's host: {link}")
        path = link[1 + len(BASE):link.index(">")] if link else None
    expect(pages == 3 and invitations == 25, f"elements paging: {pages} pages, {invitations} invitations")

    # A client's own RFC 7239 header: nginx drops it, and Restgate believes only nginx's
    # X-Forwarded-* (--forwarded-headers x-forwarded), so Location stays on the client's host.
    spoof = {"Forwarded": "for=198.51.100.66;proto=https;host=evil.example"}
    status, headers, created = call(
        "POST", "/invitations", {"organizationName": "E2E spoof", "riskGroupId": risk_group}, token=token, headers=spoof)
    expect(status == 201 and headers.get("Location") == f"{BASE}/invitations/{created.get('id')}",
           f"a client's Forwarded header chose the Location: {status} {headers.get('Location')}")

    for load in loads:
        load.stop.set()
        load.join()
    total = sum(load.count for load in loads)
    bad = [failure for load in loads for failure in load.bad]
    expect(not bad, f"{len(bad)} of {total} requests under load failed: {bad[:5]}")
    during = window.get("after", 0) - window.get("before", 0)
    expect(during > 0, "no request ran while the replica restarted")
    if os.environ.get("E2E_REPLICAS"):
        idempotency_across_replicas(token, risk_group)
    if os.environ.get("E2E_PROMETHEUS"):
        prometheus_counts_requests(token)
    print(f"load: {total} requests during the run, {during} of them while replica a drained and restarted, {len(bad)} failed", flush=True)
    print(f"e2e-nginx: {0 if failures else 1} passed, {len(failures)} failed", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
