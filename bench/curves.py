"""bench/run's curves: Restgate against the nginx baseline along one variable at a time.

Every point is measured as bench/run's table is (a fresh baseline and a fresh Restgate, a
warm-up each, interleaved rounds, medians of the figures and of the per-round ratios), with
bench/run's own functions: bench/run loads this file and hands itself in as `bench`.

  body         POST /invitations, a valid CreateOrganizationInvitationInput of 0.3, 3, 30
               and 300 KB (organizationName and externalId made longer), 64 connections
  list         GET /risk-groups?limit=N, an upstream page of N = 10 and 100 risk groups,
               64 connections
  connections  POST /invitations at 8, 64 and 1,024 connections
  idle         POST /invitations at 64 connections, without and beside 10,000 idle
               keep-alive connections (held by a helper process, this file run as
               `curves.py hold`): peak RSS and p99, and how many idle ones are still open
  threads      POST /invitations at 64 connections, Restgate with 1 and 2 event-loop
               threads; nginx keeps its one worker

Each curve is a markdown table and a plot, bench/plots/<curve>.svg. The plot is drawn by
this file run as `curves.py plot` under the Python of .venv-bench, which holds matplotlib
and is made when missing: bench/run itself never imports matplotlib, so a smoke run needs
none.
"""
import json
import os
import resource
import select
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, ".venv-bench")
PLOTS = os.path.join(ROOT, "bench", "plots")
# Pinned so that a plot made next year looks like this year's.
MATPLOTLIB = "matplotlib==3.11.2"

CURVES = ("body", "list", "connections", "idle", "threads")
BODY_SIZES = (300, 3_000, 30_000, 300_000)  # bytes: 0.3, 3, 30, 300 KB (of 1,000 bytes)
LIST_SIZES = (10, 100)
CONNECTION_LEVELS = (8, 64, 1024)
THREAD_COUNTS = (1, 2)
LOAD_CONNECTIONS = 64  # every curve's load but the connections curve's own
IDLE_CONNECTIONS = 10_000
# --curves --smoke: one or two points a curve, enough to run every path once. The largest
# body is kept because it is the one past every buffer's default size.
SMOKE_POINTS = {"body": (300, 300_000), "list": (10,), "connections": (8,), "threads": (1,)}
SMOKE_IDLE_CONNECTIONS = 1_000

# Upstream listeners the curves need beyond bench/run's ROUTES (a list page of 10).
EXTRA_UPSTREAM_KEYS = [f"list-{size}" for size in LIST_SIZES if size != 100]


def parse_names(text):
    """--curves's value: "all" or a comma-separated choice; None when a name is unknown."""
    if text == "all":
        return list(CURVES)
    names = [name.strip() for name in text.split(",") if name.strip()]
    return names if names and all(name in CURVES for name in names) else None


def upstream_routes(bench, names):
    """The routes whose canned answers the upstream must serve for these curves."""
    routes = [bench.ROUTES["create"]] if set(names) - {"list"} else []
    if "list" in names:
        routes += [list_point_route(bench, size) for size in LIST_SIZES]
    return routes


def list_point_route(bench, size):
    return bench.ROUTES["list"] if size == 100 else bench.list_route(f"list-{size}", size)


# --- request bodies -------------------------------------------------------------------------

PADDING = ("Nordisk Handels- og Investeringsselskab af 1987 for Skibsfart Landbrug og Energi "
           "med Afdelinger i Aarhus Odense Aalborg og Esbjerg ")


def create_body(size):
    """A CreateOrganizationInvitationInput of exactly `size` bytes: bench/run's body with the
    built-in example's contact person (280 bytes; its bank account would not fit in 300),
    organizationName and externalId made longer (three parts to one) to reach the size. Only
    letters, digits, spaces and dashes: nothing JSON or Lua would escape."""
    document = {
        "organizationName": "Acme ApS", "vatNumber": "DK12345678", "externalId": "ERP-1001",
        "riskGroupId": "6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a01",
        "contactPerson": {"firstName": "Mette", "lastName": "Hansen", "email": "mette@acme.example",
                          "callingCode": "DK", "phoneNumber": "20304050"},
    }
    missing = size - len(json.dumps(document, separators=(",", ":")))
    if missing < 2:
        raise SystemExit(f"bench: a body of {size} bytes is smaller than the example it pads")
    text = PADDING * (missing // len(PADDING) + 1)
    name_part = missing * 3 // 4
    document["organizationName"] += " " + text[:name_part - 1]
    document["externalId"] += "-" + text[name_part:missing - 1].replace(" ", "-")
    body = json.dumps(document, separators=(",", ":"))
    assert len(body) == size, (len(body), size)
    return body


def body_route(bench, size):
    create = bench.ROUTES["create"]
    return bench.Route(f"body-{size}", "POST", create.path, create_body(size), json.loads(create.answer), 201,
                       create.location, create.check, upstream=create.upstream)


def kilobytes(size):
    return f"{size / 1000:g}"


# --- one point: bench/run's measure_pair and summarise ----------------------------------------

def measure_point(bench, options, processes, work, binary, ports, token, route, connections, label,
                  restgate_args=()):
    runs = bench.measure_pair(options, processes, work, binary, ports, route, connections, token, options.rounds,
                              label, baseline_routes=[route], restgate_args=restgate_args,
                              log_name=f"restgate-curve-{label.replace(' ', '-').replace('/', '')}.log")
    return bench.summarise(runs)


def point_errors(summary):
    return sum(summary[name]["non2xx"] + summary[name]["socket_errors"] for name in ("baseline", "restgate"))


def body_curve(bench, options, processes, work, binary, ports, token, smoke):
    points = []
    for size in SMOKE_POINTS["body"] if smoke else BODY_SIZES:
        route = body_route(bench, size)
        summary = measure_point(bench, options, processes, work, binary, ports, token, route, LOAD_CONNECTIONS,
                                f"body {kilobytes(size)} KB")
        for name in ("baseline", "restgate"):
            summary[name]["cpu_per_kb"] = summary[name]["cpu_us"] / (size / 1000)
        summary["ratio"]["cpu_per_kb"] = summary["ratio"]["cpu_us"]
        points.append((size, kilobytes(size), summary))
    return {
        "name": "body", "points": points, "log": True,
        "title": f"Request body size: POST /invitations, {LOAD_CONNECTIONS} connections",
        "variable": "body KB", "extra": [("CPU µs/KB", "cpu_per_kb", "{:.2f}")],
        "note": "The body is a valid CreateOrganizationInvitationInput, organizationName and externalId made "
                "longer; the upstream's answer is the same canned invitation at every size. nginx keeps the "
                "body in memory (client_body_buffer_size 1m), as Restgate does. CPU µs/KB is per KB of "
                "request body (1 KB = 1,000 bytes).",
    }


def list_curve(bench, options, processes, work, binary, ports, token, smoke):
    points = []
    for size in SMOKE_POINTS["list"] if smoke else LIST_SIZES:
        route = list_point_route(bench, size)
        summary = measure_point(bench, options, processes, work, binary, ports, token, route, LOAD_CONNECTIONS,
                                f"list {size} items")
        points.append((size, str(size), summary))
    return {
        "name": "list", "points": points, "log": True,
        "title": f"List page size: GET /risk-groups?limit=N, {LOAD_CONNECTIONS} connections",
        "variable": "items", "extra": [],
        "note": "The upstream answers a page of N risk groups (about 300 bytes each, 31 KB at 100), "
                "hasNextPage true; Restgate answers its own page (items, nextCursor, totalCount, a Link "
                "header), nginx passes the upstream's JSON through. Both gzip the answer.",
    }


def connections_curve(bench, options, processes, work, binary, ports, token, smoke):
    points = []
    route = bench.ROUTES["create"]
    for level in SMOKE_POINTS["connections"] if smoke else CONNECTION_LEVELS:
        summary = measure_point(bench, options, processes, work, binary, ports, token, route, level,
                                f"connections {level}")
        points.append((level, f"{level:,}", summary))
    return {
        "name": "connections", "points": points, "log": True,
        "title": "Connections: POST /invitations", "variable": "connections", "extra": [],
        "note": "One wrk thread drives every level.",
    }


def threads_curve(bench, options, processes, work, binary, ports, token, smoke):
    points = []
    route = bench.ROUTES["create"]
    for threads in SMOKE_POINTS["threads"] if smoke else THREAD_COUNTS:
        summary = measure_point(bench, options, processes, work, binary, ports, token, route, LOAD_CONNECTIONS,
                                f"threads {threads}", restgate_args=["--threads", str(threads)])
        points.append((threads, str(threads), summary))
    return {
        "name": "threads", "points": points, "log": False,
        "title": f"Restgate's event-loop threads: POST /invitations, {LOAD_CONNECTIONS} connections",
        "variable": "Restgate threads", "extra": [],
        "note": "Only Restgate's --threads changes: nginx keeps its one worker at every point, so the "
                f"baseline rows measure the same thing twice. wrk shares this {os.cpu_count()}-core machine "
                "with the server under test: a second event-loop thread competes with it for the cores.",
    }


# --- idle connections -------------------------------------------------------------------------

def start_holder(processes, work, port, count):
    """This file as `hold`: `count` connections to `port`, one GET /healthz each, then held."""
    log = open(f"{work}/holder-{port}.err", "ab")
    holder = subprocess.Popen([sys.executable, os.path.abspath(__file__), "hold", str(port), str(count)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True)
    log.close()
    processes.running.append(holder)
    return holder


def holder_says(holder, timeout):
    """The holder's next line, or a failure when it has none within `timeout` seconds."""
    ready, _, _ = select.select([holder.stdout], [], [], timeout)
    line = holder.stdout.readline() if ready else ""
    if not line:
        raise SystemExit(f"bench: the idle-connection holder (pid {holder.pid}) said nothing within {timeout:.0f} s "
                         f"(exit {holder.poll()})")
    if line.startswith("error"):
        raise SystemExit(f"bench: the idle-connection holder: {line.strip()}")
    return line.split()


def idle_curve(bench, options, processes, work, binary, ports, token, smoke):
    route = bench.ROUTES["create"]
    count = SMOKE_IDLE_CONNECTIONS if smoke else options.idle_connections
    # The idle connections must outlive the opening, four warm-ups and every round, with room
    # to spare; both servers would close them after a minute or two by default.
    hold = int(max(600, 4 * (60 + 4 * (options.warmup + options.rounds * options.duration))))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < count + 1024:
        raise SystemExit(f"bench: {count:,} idle connections need more open files than the limit of {soft} "
                         f"(Restgate and nginx inherit it)")
    script = bench.wrk_script(work, route, token)
    conditions = (0, count)
    targets, holders = {}, {}
    try:
        # Four targets at once, so that the rounds interleave all of them: the same timeout
        # everywhere, so that the idle connections are the only difference.
        for condition in conditions:
            suffix = "-idle" if condition else ""
            targets[(condition, "baseline")] = bench.start_baseline(
                processes, work, ports["baseline" + suffix], ports, [route], name="baseline" + suffix, keepalive=hold)
            targets[(condition, "restgate")] = bench.start_restgate(
                processes, work, binary, ports["restgate" + suffix], ports[route.upstream],
                f"restgate-curve-idle-{condition}.log", ["--idle-timeout", str(hold)])
        for target in targets.values():
            bench.verify(target, route, token)
        started = time.monotonic()
        for name in ("baseline", "restgate"):
            holders[name] = start_holder(processes, work, targets[(count, name)].port, count)
        for name in ("baseline", "restgate"):
            held = int(holder_says(holders[name], 300)[1])
            print(f"  idle: {held:,} connections held open on {name}", flush=True)
        opened = time.monotonic() - started
        idle_rss = {name: bench.status_kib(targets[(count, name)].measured_pids[-1], "VmRSS") / 1024
                    for name in ("baseline", "restgate")}
        if options.warmup > 0:
            for target in targets.values():
                bench.run_wrk(target, route, script, LOAD_CONNECTIONS, options.warmup)
        runs = {condition: {"baseline": [], "restgate": []} for condition in conditions}
        for round_index in range(options.rounds):
            for condition in conditions:
                for name in ("baseline", "restgate"):
                    figures = bench.run_wrk(targets[(condition, name)], route, script, LOAD_CONNECTIONS, options.duration)
                    runs[condition][name].append(figures)
                    print(f"  idle {condition:,} round {round_index + 1}: {name:8} {figures['rps']:9.0f} req/s  "
                          f"p99 {figures['p99_ms']:6.2f} ms  {figures['cpu_us']:6.1f} µs CPU/req  "
                          f"non-2xx {figures['non2xx']}  socket errors {figures['socket_errors']}", flush=True)
        still_open = {}
        for name in ("baseline", "restgate"):
            holders[name].stdin.write("count\n")
            holders[name].stdin.flush()
            still_open[name] = int(holder_says(holders[name], 60)[1])
        held_for = time.monotonic() - started
        points = []
        for condition in conditions:
            for name in ("baseline", "restgate"):
                runs[condition][f"{name}_rss"] = bench.peak_rss_mib(targets[(condition, name)])
            summary = bench.summarise(runs[condition])
            for name in ("baseline", "restgate"):
                summary[name]["still_open"] = f"{still_open[name]:,}" if condition else "–"
                summary[name]["idle_rss"] = f"{idle_rss[name]:.1f}" if condition else "–"
            summary["ratio"]["still_open"] = summary["ratio"]["idle_rss"] = ""
            points.append((condition, f"{condition:,}", summary))
    finally:
        for holder in holders.values():
            processes.stop(holder)
        for target in targets.values():
            processes.stop(target.process)
    without, beside = points[0][2], points[1][2]
    growth = {name: (beside[name]["rss"] - without[name]["rss"]) for name in ("baseline", "restgate")}
    note = (f"The {count:,} idle connections (one GET /healthz each, then nothing) were opened in {opened:.1f} s "
            f"and held for {held_for:.0f} s (Restgate --idle-timeout {hold}, nginx keepalive_timeout {hold}s); "
            f"still open at the end: {still_open['restgate']:,} on Restgate, {still_open['baseline']:,} on nginx. "
            f"They add {growth['restgate']:.1f} MiB to Restgate's peak RSS "
            f"({growth['restgate'] * 1024 / count:.2f} KiB each) and {growth['baseline']:.1f} MiB to nginx's "
            f"({growth['baseline'] * 1024 / count:.2f} KiB each). p99 beside them ÷ without: Restgate "
            f"{beside['restgate']['p99_ms'] / without['restgate']['p99_ms']:.2f}, nginx "
            f"{beside['baseline']['p99_ms'] / without['baseline']['p99_ms']:.2f}. \"RSS idle\" is VmRSS with the "
            f"idle connections open, before any load.")
    curve = {
        "name": "idle", "points": points, "log": False,
        "title": f"Idle keep-alive connections beside POST /invitations at {LOAD_CONNECTIONS} connections",
        "variable": "idle connections", "extra": [("RSS idle MiB", "idle_rss", "{}"), ("idle still open", "still_open", "{}")],
        "note": note, "closed": sum(count - still_open[name] for name in still_open),
    }
    return curve


# --- tables and plots ----------------------------------------------------------------------------

def curve_table(curve):
    extra = curve["extra"]
    header = (f"| {curve['variable']} | target | req/s | p50 ms | p99 ms | CPU µs/req | "
              + "".join(f"{title} | " for title, _, _ in extra) + "peak RSS MiB | non-2xx | socket errors |")
    lines = [header, "|---:|---|---:|---:|---:|---:|" + "---:|" * len(extra) + "---:|---:|---:|"]
    baseline_name = "baseline (1 worker)" if curve["name"] == "threads" else "baseline"
    for _, label, summary in curve["points"]:
        for name in ("baseline", "restgate"):
            row = summary[name]
            cells = "".join(f"{form.format(row[key])} | " for _, key, form in extra)
            lines.append(f"| {label} | {baseline_name if name == 'baseline' else name} | {row['rps']:,.0f} "
                         f"| {row['p50_ms']:.2f} | {row['p99_ms']:.2f} | {row['cpu_us']:.1f} | {cells}{row['rss']:.1f} "
                         f"| {row['non2xx']} | {row['socket_errors']} |")
        ratio = summary["ratio"]
        cells = "".join((f"{ratio[key]:.2f} | " if isinstance(ratio[key], float) else f"{ratio[key]} | ")
                        for _, key, _ in extra)
        lines.append(f"| {label} | **ratio** | **{ratio['rps']:.2f}** | {ratio['p50_ms']:.2f} | **{ratio['p99_ms']:.2f}** "
                     f"| {ratio['cpu_us']:.2f} | {cells}{ratio['rss']:.2f} | | |")
    return "\n".join(lines)


def curve_markdown(curve, plotted):
    text = [f"**{curve['title']}**", "", curve_table(curve), "", curve["note"]]
    if plotted:
        text += ["", f"![{curve['title']}](plots/{curve['name']}.svg)"]
    return "\n".join(text)


def plot_spec(curve):
    """What `curves.py plot` draws: plain numbers, so that it needs nothing of bench/run."""
    panels = [("requests/s", "rps", False), ("CPU µs per request", "cpu_us", False)]
    if curve["name"] == "body":
        panels.append(("CPU µs per KB of body", "cpu_per_kb", True))  # falls by three decades
    if curve["name"] == "idle":
        panels += [("p99 latency, ms", "p99_ms", False), ("peak RSS, MiB", "rss", False)]
    return {
        "name": curve["name"], "title": curve["title"], "xlabel": curve["variable"], "log": curve["log"],
        "x": [x for x, _, _ in curve["points"]], "labels": [label for _, label, _ in curve["points"]],
        "panels": [{"ylabel": ylabel, "log": log,
                    "series": {name: [summary[name][key] for _, _, summary in curve["points"]]
                               for name in ("baseline", "restgate")}}
                   for ylabel, key, log in panels],
        "baseline_label": "nginx, 1 worker" if curve["name"] == "threads" else "nginx",
    }


def venv_python():
    """.venv-bench's Python with matplotlib, the venv made (PyPI) when it is missing or lacks it."""
    python = os.path.join(VENV, "bin", "python")
    if os.access(python, os.X_OK) and subprocess.run([python, "-c", "import matplotlib"],
                                                     capture_output=True).returncode == 0:
        return python
    print(f"==> making {VENV} with {MATPLOTLIB} for the plots", flush=True)
    subprocess.run([sys.executable, "-m", "venv", VENV], check=True, timeout=300)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", MATPLOTLIB],
                   check=True, timeout=1200)
    return python


def plot(curves_done, work):
    """One SVG per curve in bench/plots, drawn by the venv's Python."""
    path = f"{work}/plots.json"
    with open(path, "w") as handle:
        json.dump([plot_spec(curve) for curve in curves_done], handle)
    os.makedirs(PLOTS, exist_ok=True)
    subprocess.run([venv_python(), os.path.abspath(__file__), "plot", path, PLOTS], check=True, timeout=300)


def run(bench, options, processes, work, binary, ports, token, names, smoke):
    """Every curve named; returns them, each with its table as markdown text, plotted unless smoke."""
    makers = {"body": body_curve, "list": list_curve, "connections": connections_curve, "idle": idle_curve,
              "threads": threads_curve}
    done = []
    for name in names:
        print(f"==> curve: {name}", flush=True)
        curve = makers[name](bench, options, processes, work, binary, ports, token, smoke)
        curve["errors"] = sum(point_errors(summary) for _, _, summary in curve["points"])
        done.append(curve)
    if done and not smoke:
        plot(done, work)
    for curve in done:
        curve["markdown"] = curve_markdown(curve, plotted=not smoke)
    return done


# --- run as a program: the idle-connection holder, the plotter ----------------------------------

def hold(port, count):
    """Open `count` connections, one GET /healthz on each, answer read; hold them; on "count"
    say how many are still open; on end of input close them all."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = count + 256
    try:
        if soft < wanted:
            resource.setrlimit(resource.RLIMIT_NOFILE, (max(wanted, min(hard, 65536)), max(hard, wanted)))
    except (ValueError, OSError) as error:
        print(f"error: cannot raise the open-file limit from {soft}/{hard} to {wanted}: {error}", flush=True)
        return 1
    request = f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: bench-idle\r\n\r\n".encode()
    held = []
    for index in range(count):
        try:
            connection = socket.create_connection(("127.0.0.1", port), timeout=10)
            connection.sendall(request)
            answer = b""
            while b"\r\n\r\n" not in answer:
                chunk = connection.recv(4096)
                if not chunk:
                    raise OSError("closed before answering")
                answer += chunk
            head, _, body = answer.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            if lines[0].split()[1] != "200":
                raise OSError(f"answered {lines[0]!r}")
            fields = {line.split(":", 1)[0].strip().lower(): line.split(":", 1)[1].strip() for line in lines[1:]}
            if fields.get("connection", "").lower() == "close":
                raise OSError("answered Connection: close")
            length = int(fields.get("content-length", "0"))
            while len(body) < length:
                chunk = connection.recv(4096)
                if not chunk:
                    raise OSError("closed in the answer")
                body += chunk
            connection.setblocking(False)
            held.append(connection)
        except OSError as error:
            print(f"error: connection {index + 1} of {count} to port {port}: {error}", flush=True)
            return 1
    print(f"held {len(held)}", flush=True)
    poller = select.poll()
    for connection in held:
        poller.register(connection, select.POLLIN | select.POLLRDHUP)
    for line in sys.stdin:
        if line.strip() != "count":
            continue
        # An idle connection has nothing to read: one that is readable was closed by the
        # server (or was sent something, a 408 say, which is as good as closed).
        closed = 0
        by_fd = {connection.fileno(): connection for connection in held}
        for fd, _ in poller.poll(0):
            try:
                by_fd[fd].recv(1, socket.MSG_PEEK)
            except BlockingIOError:
                continue  # a spurious wake-up: nothing there after all
            except OSError:
                pass  # reset by the server: closed too
            closed += 1
        print(f"open {len(held) - closed}", flush=True)
    for connection in held:
        connection.close()
    return 0


def draw(spec_path, directory):
    """One SVG per curve spec: requests/s and CPU (or the idle curve's own figures) against the
    curve's variable, Restgate and nginx in each panel."""
    import matplotlib
    matplotlib.use("svg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, NullLocator
    plt.rcParams["svg.hashsalt"] = "restgate-bench"  # the same figures draw the same file
    plt.rcParams["svg.fonttype"] = "none"  # text as text: a quarter of the size, and searchable
    with open(spec_path) as handle:
        specs = json.load(handle)
    for spec in specs:
        panels = spec["panels"]
        figure, axes = plt.subplots(1, len(panels), figsize=(3.9 * len(panels), 3.5), layout="constrained")
        for axis, panel in zip(axes, panels):
            for name, label, style in (("restgate", "Restgate", dict(color="#c0392b", marker="o")),
                                       ("baseline", spec["baseline_label"], dict(color="#2c6fbb", marker="s"))):
                axis.plot(spec["x"], panel["series"][name], label=label, linewidth=1.8, markersize=5, **style)
            if spec["log"]:
                axis.set_xscale("log")
                axis.xaxis.set_minor_locator(NullLocator())
            axis.xaxis.set_major_locator(FixedLocator(spec["x"]))
            axis.set_xticklabels(spec["labels"])
            if not spec["log"]:
                margin = (max(spec["x"]) - min(spec["x"])) * 0.1 or 0.5
                axis.set_xlim(min(spec["x"]) - margin, max(spec["x"]) + margin)
            top = max(max(series) for series in panel["series"].values())
            if panel["log"]:
                axis.set_yscale("log")
            else:
                axis.set_ylim(bottom=0, top=top * 1.15 or 1)
            axis.set_xlabel(spec["xlabel"])
            axis.set_ylabel(panel["ylabel"])
            axis.grid(True, color="#dddddd", linewidth=0.6)
        axes[0].legend(loc="best", fontsize="small")
        figure.suptitle(spec["title"], fontsize="medium")
        path = os.path.join(directory, f"{spec['name']}.svg")
        figure.savefig(path, metadata={"Date": None})
        plt.close(figure)
        print(f"bench: plotted {path}", flush=True)
    return 0


def main(argv):
    if len(argv) == 3 and argv[0] == "hold":
        return hold(int(argv[1]), int(argv[2]))
    if len(argv) == 3 and argv[0] == "plot":
        return draw(argv[1], argv[2])
    print("usage: curves.py hold PORT COUNT | curves.py plot SPEC.json DIRECTORY (bench/run --curves runs both)",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
