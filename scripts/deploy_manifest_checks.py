"""What the validators cannot see in deploy/kubernetes: the manifests against the binary they
run (scripts/deploy_test.py calls run_all; its docstring lists the checks)."""
import base64
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request

from checks import expect, free_port


def find(objects, kind, name=None):
    found = [item for item in objects if item["kind"] == kind and (name is None or item["metadata"]["name"] == name)]
    return found[0] if name is not None and found else (None if name is not None else found)


def pod_spec(workload):
    return workload["spec"]["template"]["spec"]


def matches(selector, labels):
    return bool(selector) and all(labels.get(key) == value for key, value in selector.items())


def http(url, method="GET", body=None, headers=None, timeout=5):
    request = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode())
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    except OSError as error:
        return None, {}, str(error).encode()


def until_up(url, seconds=15):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if http(url, timeout=1)[0] is not None:
            return True
        time.sleep(0.1)
    return False


def documented_variables(binary):
    """Patterns of every RESTGATE_ variable `restgate --help` names (<NAME> for an upstream)."""
    text = subprocess.run([binary, "--help"], capture_output=True, text=True).stdout
    names = set(re.findall(r"RESTGATE_[A-Z0-9_<>]+[A-Z0-9>]", text))
    return [re.compile("^" + re.escape(name).replace("<NAME>", "[A-Z0-9]+") + "$") for name in names]


def container_environment(objects, container):
    """The container's variables by name: its env (literal values, or None for valueFrom) and
    every key of the ConfigMaps its envFrom names."""
    variables = {entry["name"]: entry.get("value") for entry in container.get("env", [])}
    for source in container.get("envFrom", []):
        reference = source.get("configMapRef") or source.get("secretRef")
        kind = "ConfigMap" if "configMapRef" in source else "Secret"
        found = find(objects, kind, reference["name"])
        expect(found is not None, f"envFrom names {kind} {reference['name']}, which the rendering does not hold")
        for key, value in (found or {}).get("data", {}).items():
            variables.setdefault(key, value if kind == "ConfigMap" else base64.b64decode(value).decode())
    return variables


def check_environment(name, objects, binary):
    deployment = find(objects, "Deployment", "restgate")
    container = pod_spec(deployment)["containers"][0]
    patterns = documented_variables(binary)
    variables = container_environment(objects, container)
    undocumented = [variable for variable in variables if not any(pattern.match(variable) for pattern in patterns)]
    expect(len(patterns) > 40 and not undocumented, f"{name}: variables `restgate --help` does not document: {undocumented}")
    spec = pod_spec(deployment)
    pause = container.get("lifecycle", {}).get("preStop", {}).get("sleep", {}).get("seconds", 0)
    drain = int(variables.get("RESTGATE_DRAIN_TIMEOUT") or 25)
    grace = spec.get("terminationGracePeriodSeconds", 30)
    expect(grace > pause + drain, f"{name}: terminationGracePeriodSeconds {grace} is not above preStop {pause} s + drain {drain} s")
    expect(deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0, f"{name}: the rollout may take capacity away")
    print(f"{name}: {len(variables)} variables, all documented by restgate --help; grace {grace} s > {pause} s pause + {drain} s drain")
    return variables


def check_references(name, objects, complete):
    """Selectors, named ports and mounted sources agree across the objects."""
    pods = {}
    for workload in find(objects, "Deployment") + find(objects, "StatefulSet"):
        labels = workload["spec"]["template"]["metadata"]["labels"]
        expect(matches(workload["spec"]["selector"]["matchLabels"], labels), f"{name}: {workload['metadata']['name']} selects other pods")
        ports = {port["name"]: port["containerPort"] for container in pod_spec(workload)["containers"] for port in container.get("ports", [])}
        pods[workload["metadata"]["name"]] = (labels, ports, workload)
        for container in pod_spec(workload)["containers"]:
            for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                action = container.get(probe, {}).get("httpGet") or container.get(probe, {}).get("tcpSocket")
                if action:
                    expect(action["port"] in ports or action["port"] in ports.values(), f"{name}: {probe} port {action['port']} is not a container port")
        if complete:
            for volume in pod_spec(workload).get("volumes", []):
                source = volume.get("configMap") or volume.get("secret")
                if not source:
                    continue
                kind, source_name = ("ConfigMap", source["name"]) if "configMap" in volume else ("Secret", source["secretName"])
                found = find(objects, kind, source_name)
                expect(found is not None, f"{name}: volume {volume['name']} mounts {kind} {source_name}, which is not rendered")
                for item in source.get("items", []):
                    expect(found and item["key"] in found.get("data", {}), f"{name}: {kind} {source_name} has no key {item['key']}")

    def selected(selector, what):
        chosen = [pod for pod, (labels, _, _) in pods.items() if matches(selector, labels)]
        expect(len(chosen) == 1, f"{name}: {what} selects {chosen}")
        return pods[chosen[0]] if len(chosen) == 1 else ({}, {}, None)

    for service in find(objects, "Service"):
        _, ports, _ = selected(service["spec"]["selector"], f"Service {service['metadata']['name']}")
        for port in service["spec"]["ports"]:
            expect(port["targetPort"] in ports, f"{name}: Service {service['metadata']['name']} targets port {port['targetPort']}, not a container port")
    for policy in find(objects, "NetworkPolicy"):
        _, ports, _ = selected(policy["spec"]["podSelector"]["matchLabels"], f"NetworkPolicy {policy['metadata']['name']}")
        for rule in policy["spec"].get("ingress", []):
            for port in rule.get("ports", []):
                expect(port["port"] in ports or port["port"] in ports.values(), f"{name}: NetworkPolicy allows port {port['port']}, not a container port")
    for budget in find(objects, "PodDisruptionBudget"):
        selected(budget["spec"]["selector"]["matchLabels"], f"PodDisruptionBudget {budget['metadata']['name']}")
    for autoscaler in find(objects, "HorizontalPodAutoscaler"):
        target = autoscaler["spec"]["scaleTargetRef"]
        expect(find(objects, target["kind"], target["name"]) is not None, f"{name}: the HPA scales {target}, which is not rendered")
        expect(autoscaler["spec"]["minReplicas"] >= 2, f"{name}: the HPA may scale down to one replica")
    for monitor in find(objects, "ServiceMonitor"):
        services = [service for service in find(objects, "Service") if matches(monitor["spec"]["selector"]["matchLabels"], service["metadata"].get("labels", {}))]
        expect(len(services) == 1, f"{name}: the ServiceMonitor selects {len(services)} Services")
        for endpoint in monitor["spec"]["endpoints"]:
            expect(services and endpoint["port"] in [port["name"] for port in services[0]["spec"]["ports"]], f"{name}: the ServiceMonitor scrapes port {endpoint['port']}, which its Service lacks")
    print(f"{name}: selectors, named ports and mounted sources agree")
    return pods


def start(binary, environment, log_path):
    log = open(log_path, "w")
    process = subprocess.Popen([binary], env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **environment}, stdout=log, stderr=subprocess.STDOUT)
    return process


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def run_with_manifests(objects, binary, work):
    """The base Deployment's environment, with its files written out and its ports moved to
    free ones: every probe path answers 200 on the port the probe names, the image's health
    check command passes, and the route ConfigMap passes `restgate check`."""
    deployment = find(objects, "Deployment", "restgate")
    container = pod_spec(deployment)["containers"][0]
    variables = {key: value for key, value in container_environment(objects, container).items() if value is not None}
    routes = find(objects, "ConfigMap", "restgate-routes")["data"]["routes.yaml"]
    route_file = os.path.join(work, "routes.yaml")
    with open(route_file, "w") as handle:
        handle.write(routes)
    check = subprocess.run([binary, "check", "--routes", route_file], capture_output=True, text=True)
    expect(check.returncode == 0, f"restgate check on the route ConfigMap: {check.stderr}")
    # kustomize reads files under the base only, so the ConfigMap's file is a copy of the
    # built-in one; a change to one without the other would deploy routes nobody tested.
    with open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "config/routes.yaml")) as handle:
        expect(routes == handle.read(), "deploy/kubernetes/base/routes.yaml differs from config/routes.yaml: copy it again")
    expect(variables.get("RESTGATE_ROUTES", "").endswith("/routes.yaml"), "the Deployment does not point RESTGATE_ROUTES at the ConfigMap's file")
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    expect(str(ports.get("http")) == variables.get("RESTGATE_PORT"), "RESTGATE_PORT is not the container's http port")
    expect(str(ports.get("admin")) == variables.get("RESTGATE_ADMIN_PORT"), "RESTGATE_ADMIN_PORT is not the container's admin port")
    moved = {number: free_port() for number in ports.values()}
    variables.update(
        RESTGATE_PORT=str(moved[ports["http"]]), RESTGATE_ADMIN_PORT=str(moved[ports["admin"]]), RESTGATE_HOST="127.0.0.1",
        RESTGATE_ROUTES=route_file, RESTGATE_TRUSTED_PROXIES="127.0.0.1")
    variables.pop("RESTGATE_REDIS_URL_FILE", None)
    process = start(binary, variables, os.path.join(work, "base.log"))
    try:
        admin = f"http://127.0.0.1:{moved[ports['admin']]}"
        expect(until_up(admin + "/healthz"), f"the base Deployment's environment did not start the gateway: {open(os.path.join(work, 'base.log')).read()[-800:]}")
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            action = container[probe]["httpGet"]
            port = moved[ports[action["port"]] if action["port"] in ports else action["port"]]
            status, _, body = http(f"http://127.0.0.1:{port}{action['path']}")
            # /readyz is 503 ("not checked yet") until the first upstream probe has answered,
            # a moment after start; Kubernetes asks again every periodSeconds, and so does this.
            deadline = time.time() + 10
            while probe == "readinessProbe" and status != 200 and time.time() < deadline:
                time.sleep(0.2)
                status, _, body = http(f"http://127.0.0.1:{port}{action['path']}")
            expect(status == 200, f"{probe} {action['path']} on port {action['port']} answered {status}: {body[:600]!r}")
        with open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docker/Dockerfile")) as handle:
            dockerfile = handle.read()
        command = json.loads(re.search(r"CMD\s+(\[.*\])", dockerfile[dockerfile.index("HEALTHCHECK"):]).group(1))
        health = subprocess.run([binary] + command[1:], capture_output=True, text=True, env={**variables})
        expect(health.returncode == 0, f"the image's health check ({' '.join(command)}) failed: {health.stderr}")
        print(f"base Deployment environment: probes {', '.join(container[p]['httpGet']['path'] for p in ('startupProbe', 'livenessProbe', 'readinessProbe'))} answer 200; the image's health check passes")
    finally:
        stop(process)


def run_overlay_settings(objects, binary, work):
    """The production overlay's settings start the binary: every value is one it accepts (its
    upstreams and JWKS are unreachable here, so /readyz answers 503, and /healthz 200)."""
    deployment = find(objects, "Deployment", "restgate")
    variables = {key: value for key, value in container_environment(objects, pod_spec(deployment)["containers"][0]).items() if value is not None}
    http_port, admin_port = free_port(), free_port()
    variables.update(
        RESTGATE_PORT=str(http_port), RESTGATE_ADMIN_PORT=str(admin_port), RESTGATE_HOST="127.0.0.1",
        RESTGATE_ROUTES=os.path.join(work, "routes.yaml"), RESTGATE_UPSTREAM_CONNECT_TIMEOUT="1")
    variables.pop("RESTGATE_REDIS_URL_FILE", None)
    log = os.path.join(work, "production.log")
    process = start(binary, variables, log)
    try:
        up = until_up(f"http://127.0.0.1:{admin_port}/healthz")
        expect(up and process.poll() is None, f"the production overlay's settings did not start the gateway: {open(log).read()[-800:]}")
        ready = http(f"http://127.0.0.1:{admin_port}/readyz")[0]
        expect(ready == 503, f"/readyz with unreachable upstreams answered {ready}")
        print(f"production overlay settings: accepted ({len(variables)} variables), /healthz 200, /readyz {ready} without its upstreams")
    finally:
        stop(process)


def run_redis_secret(objects, binary, work):
    """The overlay's Secret: Redis started with its ACL file, Restgate with its URL (the host
    moved to loopback); a keyed create is stored and replayed, so the ACL allows every
    command the store sends, and the default user is shut out."""
    secret = find(objects, "Secret", "restgate-redis")
    data = {key: base64.b64decode(value).decode() for key, value in secret["data"].items()}
    acl = os.path.join(work, "users.acl")
    with open(acl, "w") as handle:
        handle.write(data["users.acl"])
    redis_port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--aclfile", acl],
        stdout=open(os.path.join(work, "redis.log"), "w"), stderr=subprocess.STDOUT)
    url_file = os.path.join(work, "redis-url")
    with open(url_file, "w") as handle:
        handle.write(re.sub(r"@[^/]+/", f"@127.0.0.1:{redis_port}/", data["url"]))
    port = free_port()
    gateway = start(binary, {"RESTGATE_HOST": "127.0.0.1", "RESTGATE_PORT": str(port), "RESTGATE_REDIS_URL_FILE": url_file}, os.path.join(work, "redis-gateway.log"))
    try:
        for _ in range(100):
            if subprocess.run(["redis-cli", "-p", str(redis_port), "ping"], capture_output=True, text=True).stdout.strip() in ("PONG", "NOAUTH Authentication required."):
                break
            time.sleep(0.1)
        default = subprocess.run(["redis-cli", "-p", str(redis_port), "ping"], capture_output=True, text=True).stdout
        expect("PONG" not in default, f"Redis with the overlay's ACL answers the default user: {default}")
        base = f"http://127.0.0.1:{port}"
        expect(until_up(base + "/healthz"), "the gateway with the overlay's Redis URL did not start")
        status, _, answer = http(base + "/auth/token", "POST", {"clientId": "sandbox-bank", "secret": "sandbox-secret"})
        token = json.loads(answer)["jwt"] if status == 200 else ""
        _, _, groups = http(base + "/risk-groups", headers={"Authorization": "Bearer " + token})
        group = json.loads(groups)["items"][0]["id"] if groups.startswith(b"{") else ""
        headers = {"Authorization": "Bearer " + token, "Idempotency-Key": "deploy-check-1"}
        body = {"organizationName": "Deploy check", "riskGroupId": group}
        first = http(base + "/invitations", "POST", body, headers)
        second = http(base + "/invitations", "POST", body, headers)
        expect(first[0] == 201 and second[0] == 201 and second[1].get("Idempotent-Replayed") == "true",
               f"a keyed create through Redis with the overlay's ACL: {first[0]} {second[0]} {second[2][:300]}")
        print(f"the overlay's Redis Secret: ACL user and URL work (a keyed create stored and replayed); the default user is refused")
    finally:
        stop(gateway)
        redis.terminate()
        redis.wait()


def check_alert_metrics(binary, work):
    """Every metric an alert rule names is one a running gateway serves (with the features
    on whose metrics the rules use: Redis, a rate limit, a JWKS)."""
    with open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "deploy/prometheus/alerts.yaml")) as handle:
        rules = handle.read()
    expressions = " ".join(re.findall(r"expr: \|?\s*([^\n]+(?:\n {10,}[^\n]+)*)", rules))
    named = set(re.findall(r"\b((?:restgate|http_server|process)_[a-z_]+)\b", expressions))
    port, redis_port = free_port(), free_port()
    jwks = os.path.join(work, "jwks.json")
    with open(jwks, "w") as handle:
        handle.write('{"keys": []}')
    gateway = start(binary, {
        "RESTGATE_HOST": "127.0.0.1", "RESTGATE_PORT": str(port), "RESTGATE_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "RESTGATE_RATE_LIMIT": "600/1m", "RESTGATE_JWT_JWKS_UNIOO": "file:" + jwks,
        "RESTGATE_SCHEMA_SOURCE_ELEMENTS": "introspect"}, os.path.join(work, "metrics-gateway.log"))
    try:
        base = f"http://127.0.0.1:{port}"
        expect(until_up(base + "/healthz"), "the gateway for the metric names did not start")
        # One keyed request, so that the store's error counter has a series.
        http(base + "/invitations", "POST", {}, {"Authorization": "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln", "Idempotency-Key": "k"})
        http(base + "/elements/auth/token", "POST", {"usernameOrEmail": "advisor@sandbox.example", "password": "sandbox-password"})
        served = set()
        for line in http(base + "/metrics")[2].decode().splitlines():
            match = re.match(r"# TYPE (\S+) (\w+)", line)
            if match:
                name, kind = match.groups()
                served.add(name)
                if kind == "histogram":
                    served.update({name + "_bucket", name + "_count", name + "_sum"})
        served.add("up")
        missing = sorted(named - served)
        expect(len(named) >= 8 and not missing, f"alert rules name metrics a gateway does not serve: {missing}")
        print(f"alert rules: the {len(named)} metrics they name are all served")
    finally:
        stop(gateway)


def run_all(renderings, binary, work):
    for name, objects in renderings.items():
        check_environment(name, objects, binary)
        check_references(name, objects, complete=name != "base")
    run_with_manifests(renderings["base"], binary, work)
    run_overlay_settings(renderings["production"], binary, work)
    run_redis_secret(renderings["production"], binary, work)
    check_alert_metrics(binary, work)
