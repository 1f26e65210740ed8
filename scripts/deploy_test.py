"""Checks every deployment file with real validators, then what validators cannot see.

deploy/kubernetes (base and the production overlay) is rendered by kustomize_render.py and,
where a current `kubectl kustomize` runs, by it too (the same objects required); each rendering
is validated by kubernetes-validate against the schemas of Kubernetes 1.33 and 1.37, and
scanned by checkov with no failed check (a skip names its reason beside it). The Dockerfile
passes hadolint with no finding and checkov; the compose file passes `docker compose config`
(Debian's docker-compose where no compose plugin is installed); the alert rules pass promtool
check and their unit tests; the compose file's Prometheus configuration passes promtool.

Then, against the restgate binary: the probes' paths answer on the ports the manifests name,
with the Deployment's own environment; the overlay's settings start the binary; the grace
period exceeds the preStop pause plus the drain timeout; every variable the manifests give the
container is one `restgate --help` documents; selectors and named ports agree; the route
ConfigMap passes `restgate check`; the Redis ACL and URL of the overlay's Secret work against a
real redis-server (a keyed request is replayed); the alert rules name only metrics a running
gateway serves; the image is built by the Swift release this machine builds with, from a
context (.dockerignore) that holds every target's sources.

    deploy_test.py RESTGATE_BINARY
"""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

sys.path.insert(0, os.path.dirname(__file__))
import deploy_manifest_checks  # noqa: E402
import kustomize_render  # noqa: E402
from checks import expect, failures, free_port  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.abspath(sys.argv[1])
TOOLS = os.path.dirname(sys.executable)
KUBERNETES_VERSIONS = ["1.33.0", "1.37.0"]
RENDERINGS = {"base": "deploy/kubernetes/base", "production": "deploy/kubernetes/overlays/production"}
WORK = tempfile.mkdtemp(prefix="restgate-deploy-")


def run(command, **options):
    return subprocess.run(command, capture_output=True, text=True, **options)


def tool(name):
    return os.path.join(TOOLS, name)


def normalized(item):
    """An object as compared between two renderers: Secret data decoded."""
    item = json.loads(json.dumps(item))
    if item["kind"] == "Secret":
        item["data"] = {key: base64.b64decode("".join(value.split())).decode() for key, value in item.get("data", {}).items()}
    return item


def render_all():
    renderings = {}
    kubectl = shutil.which("kubectl")
    for name, directory in RENDERINGS.items():
        objects = kustomize_render.render(os.path.join(ROOT, directory))
        renderings[name] = objects
        path = os.path.join(WORK, f"{name}.yaml")
        with open(path, "w") as handle:
            yaml.safe_dump_all(objects, handle, sort_keys=False)
        if kubectl and run([kubectl, "kustomize", "--help"]).returncode == 0:
            result = run([kubectl, "kustomize", os.path.join(ROOT, directory)])
            if result.returncode != 0 and "components" in result.stderr:
                print(f"kubectl kustomize cannot render {directory} (no components): the small renderer's output stands")
                continue
            expect(result.returncode == 0, f"kubectl kustomize {directory}: {result.stderr.strip()}")
            if result.returncode == 0:
                theirs = {kustomize_render.identity(item): normalized(item) for item in yaml.safe_load_all(result.stdout) if item}
                ours = {kustomize_render.identity(item): normalized(item) for item in objects}
                expect(set(ours) == set(theirs), f"{directory}: the renderers disagree on the objects: {sorted(set(ours) ^ set(theirs))}")
                for key in ours.keys() & theirs.keys():
                    expect(ours[key] == theirs[key], f"{directory}: the renderers disagree on {key}")
                print(f"render {directory}: {len(objects)} objects, the same as kubectl kustomize")
        else:
            print(f"render {directory}: {len(objects)} objects (no kubectl here)")
    return renderings


def validate_schemas(renderings):
    for name, objects in renderings.items():
        # The ServiceMonitor is a custom resource: kubernetes-validate has no schema for it,
        # and check_references() checks it against the Service it selects.
        standard = [item for item in objects if not item["apiVersion"].startswith("monitoring.coreos.com/")]
        path = os.path.join(WORK, f"{name}-standard.yaml")
        with open(path, "w") as handle:
            yaml.safe_dump_all(standard, handle, sort_keys=False)
        for version in KUBERNETES_VERSIONS:
            result = run([tool("kubernetes-validate"), "--strict", "--quiet", "-k", version, path])
            expect(result.returncode == 0, f"kubernetes-validate {version} {name}: {result.stdout}{result.stderr}")
        print(f"kubernetes-validate --strict {name}: {len(standard)} objects against {', '.join(KUBERNETES_VERSIONS)}")


def checkov(target, framework, what):
    result = run([tool("checkov"), "-f", target, "--framework", framework, "--skip-download", "--output", "json", "--quiet", "--compact"])
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        expect(False, f"checkov {what}: no JSON report: {result.stdout[-500:]}{result.stderr[-500:]}")
        return
    reports = report if isinstance(report, list) else [report]
    summary = {"passed": 0, "failed": 0, "skipped": 0}
    for entry in reports:
        for key in summary:
            summary[key] += entry.get("summary", {}).get(key, 0)
        for check in entry.get("results", {}).get("failed_checks", []):
            expect(False, f"checkov {what}: {check['check_id']} {check['check_name']} ({check.get('resource')})")
        for check in entry.get("results", {}).get("skipped_checks", []):
            reason = (check.get("check_result") or {}).get("suppress_comment", "")
            expect(len(reason) > 10, f"checkov {what}: {check['check_id']} is skipped without a reason")
    expect(summary["passed"] > 20, f"checkov {what}: only {summary['passed']} checks ran")
    print(f"checkov {what}: {summary['passed']} passed, {summary['failed']} failed, {summary['skipped']} skipped with a reason")


def check_container_files():
    dockerfile = os.path.join(ROOT, "docker/Dockerfile")
    result = run([tool("hadolint"), "--failure-threshold", "style", dockerfile])
    expect(result.returncode == 0 and not result.stdout.strip(), f"hadolint docker/Dockerfile: {result.stdout}{result.stderr}")
    print("hadolint docker/Dockerfile: no finding")
    checkov(dockerfile, "dockerfile", "docker/Dockerfile")
    compose = os.path.join(ROOT, "docker/compose.yaml")
    docker = shutil.which("docker")
    if docker and run([docker, "compose", "version"]).returncode == 0:
        command = [docker, "compose", "-f", compose, "config", "--quiet"]
    else:
        command = ["docker-compose", "-f", compose, "config", "--quiet"]
    result = run(command)
    expect(result.returncode == 0, f"{' '.join(command[:2])} config: {result.stdout}{result.stderr}")
    print(f"{' '.join(command[:2])} config docker/compose.yaml: valid")
    with open(dockerfile) as handle:
        text = handle.read()
    stages = re.findall(r"^FROM\s+(\S+)", text, re.MULTILINE)
    expect(all(re.search(r":\d[\w.-]*$|@sha256:", image) for image in stages), f"Dockerfile: a base image without an exact tag: {stages}")
    version = run(["swift", "--version"])
    swift = re.search(r"Swift version (\d+\.\d+(?:\.\d+)?)", version.stdout + version.stderr)
    expect(swift and stages[0] == f"swift:{swift.group(1)}-bookworm", f"Dockerfile builds with {stages[0]}, this machine with Swift {swift and swift.group(1)}")
    expect(re.search(r"^USER\s+\d+:\d+\s*$", text, re.MULTILINE), "Dockerfile: USER is not a numeric uid:gid")
    expect('HEALTHCHECK' in text and '"probe"' in text and "curl" not in text, "Dockerfile: the health check is not `restgate probe`")
    expect("--static-swift-stdlib" in text, "Dockerfile: not built with the static Swift stdlib")
    check_docker_context(text)


def check_docker_context(dockerfile):
    """The build context .dockerignore leaves holds every path Package.swift's targets use."""
    with open(os.path.join(ROOT, ".dockerignore")) as handle:
        kept = [line[1:].rstrip("/") for line in handle.read().splitlines() if line.startswith("!")]
    copied = re.findall(r"^COPY\s+(?!--from)(\S+)", dockerfile, re.MULTILINE)
    expect(sorted(copied) == sorted(kept), f".dockerignore keeps {kept}, the Dockerfile copies {copied}")
    package = json.loads(run(["swift", "package", "dump-package"], cwd=ROOT).stdout)
    for target in package["targets"]:
        default = "Tests" if target["type"] == "test" else "Sources"
        path = target.get("path") or f"{default}/{target['name']}"
        expect(path.split("/")[0] in kept, f".dockerignore leaves out {path} (target {target['name']})")


def check_prometheus_files():
    alerts = os.path.join(ROOT, "deploy/prometheus/alerts.yaml")
    result = run(["promtool", "check", "rules", alerts])
    expect(result.returncode == 0, f"promtool check rules: {result.stdout}{result.stderr}")
    result = run(["promtool", "test", "rules", os.path.join(ROOT, "deploy/prometheus/alerts_test.yaml")])
    expect(result.returncode == 0 and "SUCCESS" in result.stdout, f"promtool test rules: {result.stdout}{result.stderr}")
    # The compose file mounts the rules beside the configuration: check them as mounted.
    mounted = os.path.join(WORK, "prometheus")
    os.makedirs(mounted)
    shutil.copy(os.path.join(ROOT, "docker/prometheus/prometheus.yml"), mounted)
    shutil.copy(alerts, mounted)
    result = run(["promtool", "check", "config", os.path.join(mounted, "prometheus.yml")])
    expect(result.returncode == 0, f"promtool check config docker/prometheus/prometheus.yml: {result.stdout}{result.stderr}")
    print("promtool: alert rules checked and their unit tests pass; the compose file's Prometheus configuration is valid")


def main():
    renderings = render_all()
    validate_schemas(renderings)
    for name in renderings:
        checkov(os.path.join(WORK, f"{name}.yaml"), "kubernetes", f"deploy/kubernetes ({name})")
    check_container_files()
    check_prometheus_files()
    deploy_manifest_checks.run_all(renderings, BINARY, WORK)
    shutil.rmtree(WORK, ignore_errors=True)
    if failures:
        print(f"deploy: {len(failures)} failed")
        sys.exit(1)
    print("deploy: every check passed")


if __name__ == "__main__":
    main()
