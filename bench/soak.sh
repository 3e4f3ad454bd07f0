#!/usr/bin/env bash
# An hour of load (Gatling SoakSimulation): the packaged server in the demo profile, -Xmx512m, its
# three registries answering after 50 ms, and misbehaving as registries do:
#   NY times out on 10% of its calls (no answer), PA rejects 5% of its queries,
#   NJ is down (HTTP 500) for 30 s in every 5 minutes.
# 50 clients mix stored-record (60%), cached (30%) and uncached (10%) searches. Records are kept
# 20 minutes (purged every 5), so that the stored rows show the retention at work.
# Every minute it samples, from the management port: heap used, live threads, database
# connections (active, idle), stored records. The GC log gives the heap after each collection.
# Keeps in bench/reports/soak-<run>/: gatling-global.txt (Gatling's totals), samples.csv,
# minutes.csv (latency per minute and request, from Gatling's per-second series), gc-after.csv (heap
# after each GC) and summary.txt.
#   mvn -DskipTests package && bench/soak.sh [minutes]
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-60}
jar=$(ls target/iz-fhir-server-*.jar | head -n 1)
port=${PORT:-8097}
management=$((port + 1))
work=target/soak
rm -rf "$work"; mkdir -p "$work"
java -Xmx512m "-Xlog:gc:file=$work/gc.log:uptime" -jar "$jar" --spring.profiles.active=demo \
  --server.port="$port" --management.server.port="$management" --izfhir.auth.system-token-ttl=3h \
  --izfhir.record.retention=20m --izfhir.record.purge-interval=5m \
  --izfhir.demo.registries.NJ.latency=50ms --izfhir.demo.registries.NY.latency=50ms --izfhir.demo.registries.PA.latency=50ms \
  --izfhir.demo.registries.NY.fault=NO_ANSWER --izfhir.demo.registries.NY.fault-rate=0.1 \
  --izfhir.demo.registries.PA.fault=REJECT --izfhir.demo.registries.PA.fault-rate=0.05 >"$work/server.log" 2>&1 &
server=$!
helpers=()
trap 'kill "$server" "${helpers[@]}" 2>/dev/null || true' EXIT
until curl -fs "http://localhost:$management/actuator/health/readiness" >/dev/null 2>&1; do
  kill -0 "$server" 2>/dev/null || { echo "server died; see $work/server.log"; exit 1; }
  sleep 0.5
done
knobs() { curl -fs -X PUT "http://localhost:$port/demo-registries/NJ/knobs?latency=50ms&fault=$1" >/dev/null || true; }
( while true; do sleep 270; knobs HTTP_ERROR; sleep 30; knobs NONE; done ) &
helpers+=($!)
metric() { # the sum of a Prometheus metric's samples (that exact name) whose labels contain $2
  awk -v name="$1" -v label="$2" '($1 == name || index($1, name "{") == 1) && index($0, label) { s += $NF } END { printf "%d", s }'
}
echo "minute,heap_used_mb,threads_live,db_active,db_idle,stored_records" >"$work/samples.csv"
( m=0; while true; do
    p=$(curl -fs "http://localhost:$management/actuator/prometheus" || true)
    echo "$m,$(($(echo "$p" | metric jvm_memory_used_bytes 'area="heap"') / 1048576)),$(echo "$p" | metric jvm_threads_live_threads ''),$(echo "$p" | metric hikaricp_connections_active ''),$(echo "$p" | metric hikaricp_connections_idle ''),$(echo "$p" | metric izfhir_record_stored '')" >>"$work/samples.csv"
    m=$((m + 1)); sleep 60
  done ) &
helpers+=($!)
mvn -q -f bench/gatling/pom.xml gatling:test -Dsimulation=org.izfhir.bench.SoakSimulation -Dminutes="$minutes" \
  -DbaseUrl="http://localhost:$port/fhir" | tee "$work/gatling.out" || true
run=$(ls -td bench/gatling/target/gatling/soaksimulation-*/ | head -n 1)
report="bench/reports/soak-$(basename "$run" | sed 's/.*-//')"
rm -rf "$report"; cp -r "$run" "$report"
cp "$work/samples.csv" "$report/"
sed -n '/---- Global Information/,/^====/p' "$work/gatling.out" >"$report/gatling-global.txt"
python3 - "$report" "$work/gc.log" <<'PY'
import collections, csv, glob, re, sys
report, gclog = sys.argv[1], sys.argv[2]
# Gatling's per-request pages hold per-second series: each percentile of the second's responses, and their count.
def series(html, name, nth=0):
    found = [m for m in re.finditer(r"name: '" + re.escape(name) + r"',\s*data: \[(.*?\])\]", html, re.S)]
    if len(found) <= nth:
        return {}
    return {int(t): (None if v == "null" else int(float(v)))
            for t, v in re.findall(r"\[(\d+), ([\d.]+|null)\]", found[nth].group(1))}
rows, start = [], None
for page in sorted(glob.glob(f"{report}/req_*.html")):
    html = open(page).read()
    name = re.search(r"<title>Gatling Stats - ([^<]+)", html).group(1).strip()
    counts, p50, p95, p99, top = (series(html, "All"), series(html, "50%"), series(html, "95%"),
                                  series(html, "99%"), series(html, "max"))
    for t in counts:
        start = t if start is None else min(start, t)
    rows.append((name, counts, p50, p95, p99, top))
# Gatling samples each series every few seconds: a count is that moment's responses per second
minutes = collections.defaultdict(lambda: [0, 0, 0, 0, 0, 0])  # samples, sum of rates, sum of rate x p50, p95, p99, max
for name, counts, p50, p95, p99, top in rows:
    for t, n in counts.items():
        m = minutes[((t - start) // 60000, name)]
        m[0] += 1
        if not n:
            continue
        m[1] += n
        m[2] += n * (p50.get(t) or 0)
        m[3], m[4], m[5] = max(m[3], p95.get(t) or 0), max(m[4], p99.get(t) or 0), max(m[5], top.get(t) or 0)
with open(f"{report}/minutes.csv", "w", newline="") as out:
    w = csv.writer(out)
    # median: the rate-weighted mean of the minute's sampled medians; p95, p99, max: the minute's highest sampled values
    w.writerow(["minute", "request", "responses_per_s", "median_ms", "p95_ms", "p99_ms", "max_ms"])
    for (minute, name), (samples, rates, weighted, q95, q99, top) in sorted(minutes.items()):
        if rates:
            w.writerow([minute, name, round(rates / samples), round(weighted / rates), q95, q99, top])
index = open(f"{report}/index.html").read()
stats = {}
for m in re.finditer(r'class="ellipsed-name">([^<]+)</span>(.*?)</tr>', index, re.S):
    cells = {int(k): v for k, v in re.findall(r'col-(\d+)">([^<]*)<', m.group(2))}
    stats[m.group(1)] = cells
# the GC log (-Xlog:gc:uptime): "[123.456s][info][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 120M->40M(256M) 3.1ms"
after = []
for line in open(gclog):
    m = re.search(r"\[([\d.]+)s\].*GC\(\d+\) (Pause \w+).*?(\d+)M->(\d+)M\((\d+)M\)", line)
    if m:
        after.append((float(m.group(1)), m.group(2), int(m.group(4)), int(m.group(5))))
with open(f"{report}/gc-after.csv", "w", newline="") as out:
    w = csv.writer(out)
    w.writerow(["uptime_s", "pause", "heap_after_mb", "heap_committed_mb"])
    w.writerows(after)
samples = list(csv.DictReader(open(f"{report}/samples.csv")))
with open(f"{report}/summary.txt", "w") as out:
    for name, cells in stats.items():
        if name == "All Requests":
            out.write(f"requests: {cells[2]}, failed: {cells[4]}\n")
        else:
            out.write(f"{name}: {cells[2]} requests, {cells[4]} failed, median {cells[8]} ms, p95 {cells[10] if 10 in cells else '?'} ms,"
                      f" p99 {cells[11] if 11 in cells else '?'} ms, max {cells[12] if 12 in cells else '?'} ms\n")
    if after:  # the lowest heap after a collection in each 10 minutes of uptime: flat when nothing accumulates
        windows = collections.defaultdict(list)
        for uptime, pause, heap, committed in after:
            windows[int(uptime // 600)].append(heap)
        out.write(f"heap after GC: {len(after)} collections ({sum(1 for a in after if a[1] == 'Pause Full')} full);"
                  " lowest per 10 minutes: " + ", ".join(f"{min(v)} MB" for _, v in sorted(windows.items())) + "\n")
    for column in ["heap_used_mb", "threads_live", "db_active", "db_idle", "stored_records"]:
        values = [int(s[column]) for s in samples if s[column]]
        if values:
            out.write(f"{column}: min {min(values)}, max {max(values)}, first {values[0]}, last {values[-1]}\n")
print(open(f"{report}/summary.txt").read())
PY
# what is the run's own is kept; Gatling's pages, scripts and styles, the same in every report, are not
rm -rf "$report/simulation.log" "$report"/*.html "$report/js" "$report/style"
echo "report: $report/index.html"
