"""The CPU one cold token verification costs the gateway, per algorithm.

A gateway verifies tokens of upstream `unioo` against a JWKS file holding an RSA-2048, a P-256
and an Ed25519 key (made here by `openssl genpkey`); its upstream URL is a closed port, and
every request is `POST /invitations` with a body the input check refuses (400), so a request
is the server, the token stage and the input check, with no upstream call. One keep-alive
connection sends N requests that each carry a new token (signed by PyJWT beforehand: every
verification is cold), then N requests that all carry one token (every verification after the
first is a cache lookup). The difference in the gateway's CPU time (utime + stime from
/proc), divided by N, is what a cold verification costs over a cached one. Rounds alternate
the order; the medians are printed. With --callgrind the gateway runs under valgrind and the
figures are instructions per request instead, which a noisy machine does not move.

With --forged, the requests carry forged tokens instead (ES256, signed by a key of no set):
each costs a signature check with `--jwt-refusal-limit off`, and is refused unchecked (429)
once the default limit (30 refusals a minute per address) is spent; both are printed.

  bench/tokens --binary B                      µs of CPU, cold and cached, per algorithm
  bench/tokens --binary B --callgrind --requests 300
  bench/tokens --binary B --forged [--callgrind]  forged tokens, checked and throttled"""
import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import tempfile
import time

import jwt
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm
from cryptography.hazmat.primitives.serialization import load_pem_private_key

BODY = json.dumps({"organizationName": ""})  # refused by the input check: no upstream call


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def send(port, tokens, expected=(400,)):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for token in tokens:
        connection.request("POST", "/invitations", BODY, {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        if response.status not in expected:
            raise SystemExit(f"bench tokens: expected {expected}, got {response.status}")
    connection.close()


def instructions(work, pid, dumps):
    """Instructions since the last zeroing: dumps the counts and reads the new file's total."""
    subprocess.run(["callgrind_control", "-d", str(pid)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    summary = subprocess.run(["callgrind_annotate", "--threshold=100", f"{work}/callgrind.out.{dumps}"], capture_output=True,
                             text=True).stdout
    subprocess.run(["callgrind_control", "-z", str(pid)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return next(int(line.split()[0].replace(",", "")) for line in summary.splitlines() if "PROGRAM TOTALS" in line)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--callgrind", action="store_true", help="instructions per request under valgrind, one round")
    parser.add_argument("--forged", action="store_true", help="forged tokens: checked (limit off) and throttled (default limit)")
    options = parser.parse_args()
    work = tempfile.mkdtemp(prefix="restgate-tokens-")
    keys, jwks = {}, []
    for kid, algorithm, command, to_jwk in (
        ("rsa", "RS256", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"], RSAAlgorithm.to_jwk),
        ("p256", "ES256", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"], ECAlgorithm.to_jwk),
        ("ed25519", "EdDSA", ["-algorithm", "ED25519"], OKPAlgorithm.to_jwk),
    ):
        path = os.path.join(work, kid + ".pem")
        subprocess.run(["openssl", "genpkey", *command, "-out", path], check=True, capture_output=True)
        with open(path, "rb") as file:
            private = load_pem_private_key(file.read(), None)
        keys[kid] = (algorithm, private)
        jwk = json.loads(to_jwk(private.public_key()))
        jwk["kid"] = kid
        jwks.append(jwk)
    with open(os.path.join(work, "jwks.json"), "w") as file:
        json.dump({"keys": jwks}, file)
    binary, prefix, env = options.binary, [], dict(os.environ)
    if options.callgrind:
        # valgrind 3.19 cannot read DWARF 5: count on a copy without debug information.
        binary = os.path.join(work, "restgate")
        subprocess.run(["strip", "--strip-debug", "-o", binary, options.binary], check=True)
        prefix = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={work}/callgrind.out"]
        env["RESTGATE_ROUTE_COMPILER"] = "in-process"
        options.rounds = 1

    def start(extra=()):
        for name in os.listdir(work):
            if name.startswith("callgrind.out"):
                os.remove(os.path.join(work, name))
        port = free_port()
        log = open(os.path.join(work, "gateway.log"), "a")
        gateway = subprocess.Popen(
            prefix + [binary, "--port", str(port), "--threads", "1", "--upstream", f"unioo=http://127.0.0.1:{free_port()}/graphql",
             "--jwt-key", "unioo=" + os.path.join(work, "jwks.json"), "--log-level", "error", *extra], stdout=log, stderr=log, env=env)
        for _ in range(1200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        if options.callgrind:
            time.sleep(2)
        return gateway, port

    if options.forged:
        forged_costs(options, keys, start, work)
        subprocess.run(["rm", "-rf", work])
        return
    gateway, port = start()
    try:
        now = int(time.time())
        unit = "k instr" if options.callgrind else "µs"
        print(f"{'algorithm':<10} {'cold ' + unit:>13} {'cached ' + unit:>14} {'cold − cached':>14}")
        dumps = 0
        if options.callgrind:
            time.sleep(2)
            send(port, [jwt.encode({"sub": "warm", "exp": int(time.time()) + 3600}, keys["rsa"][1], algorithm="RS256",
                                   headers={"kid": "rsa"})] * 100)
            subprocess.run(["callgrind_control", "-z", str(gateway.pid)], check=True, stdout=subprocess.DEVNULL)
        for kid, (algorithm, private) in keys.items():
            def token(n):
                return jwt.encode({"sub": f"erp-{n}", "exp": now + 3600, "iat": now, "aud": "unioo-bank-api"}, private,
                                  algorithm=algorithm, headers={"kid": kid})
            cold_costs, warm_costs = [], []
            for round_number in range(options.rounds):
                fresh = [token(f"{round_number}-{n}") for n in range(options.requests)]
                same = [token(f"{round_number}-same")] * options.requests
                order = [("cold", fresh), ("warm", same)] if round_number % 2 == 0 else [("warm", same), ("cold", fresh)]
                for name, tokens in order:
                    if options.callgrind:
                        send(port, tokens)
                        dumps += 1
                        cost = instructions(work, gateway.pid, dumps) / options.requests / 1000
                        (cold_costs if name == "cold" else warm_costs).append(cost)
                        continue
                    before = cpu_seconds(gateway.pid)
                    send(port, tokens)
                    cost = (cpu_seconds(gateway.pid) - before) / options.requests * 1e6
                    (cold_costs if name == "cold" else warm_costs).append(cost)
            cold, warm = statistics.median(cold_costs), statistics.median(warm_costs)
            print(f"{algorithm:<10} {cold:>13.1f} {warm:>14.1f} {cold - warm:>14.1f}", flush=True)
    finally:
        gateway.terminate()
        gateway.wait(timeout=30)
        subprocess.run(["rm", "-rf", work])


def forged_costs(options, keys, start, work):
    """Forged ES256 tokens (right kid, a stranger's key): checked, then refused unchecked."""
    from cryptography.hazmat.primitives.asymmetric import ec
    stranger, now = ec.generate_private_key(ec.SECP256R1()), int(time.time())

    def forged(label, count):
        return [jwt.encode({"sub": f"forged-{label}-{n}", "exp": now + 3600}, stranger, algorithm="ES256", headers={"kid": "p256"})
                for n in range(count)]

    unit = "k instr" if options.callgrind else "µs"
    results = {}
    for label, extra, expected in (("checked", ["--jwt-refusal-limit", "off"], (401,)), ("throttled", [], (401, 429))):
        gateway, port = start(extra)
        try:
            # Spends the default budget (30 refusals) first, so that what follows is throttled.
            send(port, forged(label + "-warm", 100), expected)
            dumps, costs = 0, []
            if options.callgrind:
                subprocess.run(["callgrind_control", "-z", str(gateway.pid)], check=True, stdout=subprocess.DEVNULL)
            for round_number in range(options.rounds):
                tokens = forged(f"{label}-{round_number}", options.requests)
                if options.callgrind:
                    send(port, tokens, expected)
                    dumps += 1
                    costs.append(instructions(work, gateway.pid, dumps) / options.requests / 1000)
                    continue
                before = cpu_seconds(gateway.pid)
                send(port, tokens, expected)
                costs.append((cpu_seconds(gateway.pid) - before) / options.requests * 1e6)
            results[label] = statistics.median(costs)
        finally:
            gateway.terminate()
            gateway.wait(timeout=30)
    print(f"{'forged ES256':<13} {'checked ' + unit:>15} {'throttled ' + unit:>17} {'checked ÷ throttled':>20}")
    print(f"{'':<13} {results['checked']:>15.1f} {results['throttled']:>17.1f} {results['checked'] / results['throttled']:>20.2f}")


if __name__ == "__main__":
    main()
