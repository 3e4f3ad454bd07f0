#!/usr/bin/env bash
# Cold start-up of the demo (a fresh JVM and a fresh embedded database each time): the time from
# process start to a ready server (readiness probe UP) and the process RSS at that moment, for two
# ways of running the same jar, interleaved round by round so that the machine's noise falls on
# both alike; then the medians and their ratios to the first:
#   packaged  java -Xmx512m -jar, as the README runs it
#   lean      the same with the serial collector, a 64 MB code cache and two malloc arenas: for a
#             small container, where memory matters more than the shortest GC pause
# (Class-data sharing would cut start-up most, but the JDK 17 build here aborts while dumping an
# archive, dynamic or static.)
#   mvn -DskipTests package && bench/startup.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
jar=$(ls target/iz-fhir-server-*.jar | head -n 1)
port=${PORT:-18080}
declare -A times rss
run() { # name, env, java options...
  local name=$1 env=$2; shift 2
  local start pid ms kb
  start=$(date +%s%N)
  env $env java "$@" --spring.profiles.active=demo --server.port="$port" --management.server.port="$((port + 1))" \
    >/tmp/izfhir-startup.log 2>&1 &
  pid=$!
  until curl -fs "http://localhost:$((port + 1))/actuator/health/readiness" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "server died; see /tmp/izfhir-startup.log"; exit 1; }
    sleep 0.1
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  times[$name]="${times[$name]:-} $ms"; rss[$name]="${rss[$name]:-} $kb"
  printf '%-9s ready in %5.1f s, RSS %4d MB\n' "$name" "$(echo "$ms/1000" | bc -l)" $((kb / 1024))
}
for round in $(seq "$rounds"); do
  echo "round $round"
  run packaged "X=1" -Xmx512m -jar "$jar"
  run lean "MALLOC_ARENA_MAX=2" -Xmx512m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -jar "$jar"
done
median() { printf '%s\n' $1 | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
base_t=$(median "${times[packaged]}"); base_r=$(median "${rss[packaged]}")
for name in packaged lean; do
  t=$(median "${times[$name]}"); r=$(median "${rss[$name]}")
  printf 'median %-9s ready in %5.1f s (x%.2f), RSS %4d MB (x%.2f), %d rounds\n' "$name" "$(echo "$t/1000" | bc -l)" \
    "$(echo "$t/$base_t" | bc -l)" $((${r%.*} / 1024)) "$(echo "$r/$base_r" | bc -l)" "$rounds"
done
