#!/usr/bin/env bash
# Load benchmark of the consolidated record (Gatling): starts the packaged server in the demo
# profile with every demo registry answering after a fixed latency, runs
# bench/gatling/.../ConsolidatedSearchSimulation (stored-record search as the baseline, then
# cached and uncached consolidated searches, 16 concurrent clients each, then the uncached search
# by one client alone), keeps the HTML report in bench/reports/, and prints median latency and
# throughput per phase with the ratios. SERVER_JAVA_OPTS replaces the server's JVM options (-Xmx1g).
#   mvn -DskipTests package && bench/gatling.sh [latency-ms] [-Dclients=16 -Dseconds=30 -Dphases=uncached,alone ...]
set -euo pipefail
cd "$(dirname "$0")/.."
latency=${1:-50}; shift || true
jar=$(ls target/iz-fhir-server-*.jar | head -n 1)
port=${PORT:-8099}
log=target/gatling-server.log
java ${SERVER_JAVA_OPTS:--Xmx1g} -jar "$jar" --spring.profiles.active=demo --server.port="$port" --management.server.port="$((port + 1))" \
  --izfhir.demo.registries.NJ.latency="${latency}ms" --izfhir.demo.registries.NY.latency="${latency}ms" \
  --izfhir.demo.registries.PA.latency="${latency}ms" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
until curl -fs "http://localhost:$((port + 1))/actuator/health/readiness" >/dev/null 2>&1; do
  kill -0 "$server" 2>/dev/null || { echo "server died; see $log"; exit 1; }
  sleep 0.5
done
mvn -q -f bench/gatling/pom.xml gatling:test -DbaseUrl="http://localhost:$port/fhir" "$@" || true
run=$(ls -td bench/gatling/target/gatling/*/ | head -n 1)
mkdir -p bench/reports
report="bench/reports/consolidated-search-$(basename "$run" | sed 's/.*-//')"
rm -rf "$report"; cp -r "$run" "$report"; rm -f "$report/simulation.log"  # the raw log: large, and the HTML holds it all
seconds=30
for arg in "$@"; do case "$arg" in -Dseconds=*) seconds=${arg#-Dseconds=} ;; esac; done
python3 - "$report/index.html" "$seconds" <<'PY'
import re, sys
html, seconds = open(sys.argv[1]).read(), int(sys.argv[2])
rows = {}
for m in re.finditer(r'class="ellipsed-name">([^<]+)</span>(.*?)</tr>', html, re.S):
    cells = {int(k): v for k, v in re.findall(r'col-(\d+)">([^<]*)<', m.group(2))}
    rows[m.group(1)] = (int(cells[8]), int(cells[2]) / seconds, int(cells[4]))  # median ms, requests/s in its phase, failed
base = rows.get("stored-record search")
print(f"{'request':30} {'median ms':>9} {'req/s':>7} {'failed':>6}  against the stored-record search")
for name in ["stored-record search", "cached consolidated search", "uncached consolidated search",
             "uncached search, one client"]:
    if name in rows:
        median, rate, ko = rows[name]
        ratios = f"x{median / base[0]:.1f} latency, x{rate / base[1]:.2f} throughput" if base else ""
        print(f"{name:30} {median:9} {rate:7.0f} {ko:6}  {ratios}")
PY
echo "report: $report/index.html"
