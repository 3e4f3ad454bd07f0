#!/usr/bin/env bash
# Cold start-up and stop of the demo (a fresh JVM and a fresh embedded database each time): the
# time from process start to a ready server (readiness probe 200), the process RSS at that moment,
# the time from SIGTERM to exit and the ERROR lines the run logged (a run's log is kept in
# target/startup-errors-<name>-<round>.log when it has any); for several ways of running,
# interleaved round by round so that the machine's noise falls on all alike; then the medians and
# their ratios to the first:
#   baseline  another build's jar (the second argument), run as "packaged" is: before and after
#   packaged  java -Xmx512m -jar, as the README runs it
#   lean      the same with the serial collector, a 64 MB code cache and two malloc arenas: for a
#             small container, where memory matters more than the shortest GC pause
#   cds       the jar extracted (Spring Boot's jarmode tools) with a static class-data archive of
#             the classes a start loads. The JDK 17 build here crashes dumping the lambda proxies of
#             the class list (dynamic archives too), so they are left out of it.
#   mvn -DskipTests package && bench/startup.sh [rounds] [baseline.jar]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
baseline=${2:-}
jar=$(ls target/iz-fhir-server-*.jar | head -n 1)
port=${PORT:-18080}
log=target/startup-run.log
demo=(--spring.profiles.active=demo --server.port="$port" --management.server.port="$((port + 1))")

cds=target/startup-cds
if [ ! -f "$cds/app.jsa" ] || [ "$jar" -nt "$cds/app.jsa" ]; then
  echo "building the class-data archive in $cds"
  rm -rf "$cds" && mkdir -p "$cds"
  java -Djarmode=tools -jar "$jar" extract --destination "$cds/app" >/dev/null
  java -Xmx512m -XX:DumpLoadedClassList="$cds/classes.lst" -Dspring.context.exit=onRefresh \
    -jar "$cds/app/$(basename "$jar")" "${demo[@]}" >"$cds/training.log" 2>&1
  grep -v '^@lambda' "$cds/classes.lst" >"$cds/classes-without-lambdas.lst"
  java -Xshare:dump -XX:SharedClassListFile="$cds/classes-without-lambdas.lst" -XX:SharedArchiveFile="$cds/app.jsa" \
    -cp "$cds/app/$(basename "$jar")" >"$cds/dump.log" 2>&1
fi

declare -A times rss stops errors
names=()
run() { # name, env, java options...
  local name=$1 env=$2; shift 2
  local start pid ms kb stopped
  [[ " ${names[*]} " == *" $name "* ]] || names+=("$name")
  start=$(date +%s%N)
  env $env java "$@" "${demo[@]}" >"$log" 2>&1 &
  pid=$!
  until curl -fs "http://localhost:$((port + 1))/actuator/health/readiness" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "server died; see $log"; exit 1; }
    sleep 0.1
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  stopped=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  stopped=$(( ($(date +%s%N) - stopped) / 1000000 ))
  times[$name]="${times[$name]:-} $ms"; rss[$name]="${rss[$name]:-} $kb"; stops[$name]="${stops[$name]:-} $stopped"
  errors[$name]=$(( ${errors[$name]:-0} + $(grep -c ' ERROR ' "$log" || true) ))
  if grep -q ' ERROR ' "$log"; then cp "$log" "target/startup-errors-$name-$round.log"; fi
  printf '%-9s ready in %5.1f s, RSS %4d MB, stopped in %4.1f s\n' "$name" "$(echo "$ms/1000" | bc -l)" $((kb / 1024)) \
    "$(echo "$stopped/1000" | bc -l)"
}
for round in $(seq "$rounds"); do
  echo "round $round"
  [ -z "$baseline" ] || run baseline "X=1" -Xmx512m -jar "$baseline"
  run packaged "X=1" -Xmx512m -jar "$jar"
  run lean "MALLOC_ARENA_MAX=2" -Xmx512m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -jar "$jar"
  run cds "X=1" -Xmx512m -XX:SharedArchiveFile="$cds/app.jsa" -jar "$cds/app/$(basename "$jar")"
done
median() { printf '%s\n' $1 | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
base_t=$(median "${times[${names[0]}]}"); base_r=$(median "${rss[${names[0]}]}")
for name in "${names[@]}"; do
  t=$(median "${times[$name]}"); r=$(median "${rss[$name]}"); s=$(median "${stops[$name]}")
  printf 'median %-9s ready in %5.1f s (x%.2f), RSS %4d MB (x%.2f), stopped in %4.1f s, %d ERROR lines, %d rounds\n' \
    "$name" "$(echo "$t/1000" | bc -l)" "$(echo "$t/$base_t" | bc -l)" $((${r%.*} / 1024)) "$(echo "$r/$base_r" | bc -l)" \
    "$(echo "$s/1000" | bc -l)" "${errors[$name]}" "$rounds"
done
