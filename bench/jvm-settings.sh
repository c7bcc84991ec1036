# The JVM settings of bench/compare and bench/profile-pinned, sourced by both (needs java_bin set):
#   java_major     the feature version of $java_bin (17, 25, ...)
#   flags          the JVM flags of ops/chukei (Chronicle Queue, Agrona, Netty), kept in step with it
#   server_jvm     the collector, heap and memory settings of the node's launcher (G1, 1 GiB fixed, huge pages and
#                  pre-touch where the kernel offers them), for the other Java servers of a comparison too (the
#                  minimal relays, HAProxy's shim)
#   simulator_jvm  server_jvm and the node's tenuring threshold, for card management
#   gc_log FILE    the option that logs a JVM's collections to FILE with wall-clock times, as the node's launcher
#                  logs the node's, so a stall in a run can be told whose it was
#
# A JVM that sees one CPU (--pin) is not a "server class machine" and picks the Serial collector with a heap from a
# quarter of memory: the minimal relay then ran without G1's write barriers while Chukei ran with them, and card
# management paused 142-722 ms per young collection and 1.5 s in a full one, long enough for a node to count its
# heartbeats missed (bench/README.md, "Serial collector on one CPU"). Card management also gets the node's tenuring
# threshold: its long-lived state was copied in every young pause with G1's default (its p99 at 32,000/s fell from
# 6.7 s to 0.2 s with it). The load generator keeps the JVM's choice.
# shellcheck shell=bash
java_major=$("$java_bin" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
java_major=${java_major%%.*}
flags=(
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED
  --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
  --add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED
  -Dchronicle.analytics.disable=true
  -Dchronicle.announcer.disable=true
)
if [ "${java_major:-0}" -ge 23 ]; then
  flags+=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
fi
# shellcheck disable=SC2034  # used by the scripts that source this file
server_jvm=(-XX:+UseG1GC -Xms1g -Xmx1g)
# The launcher's memory settings too (ops/chukei, thp_flag; CHUKEI_THP and CHUKEI_PRETOUCH apply to every JVM here):
# huge pages for the heap where the kernel offers them, and the heap touched at start. Until 7 Dec 2026 the other
# servers ran without them and took their heap's first touch during the load: the minimal relay at 12,000/s faulted
# 6,100 pages a second, 45-60 s into the run, where the pre-touched node faulted 6 (bench/README.md, "The host's
# speed beside the runs, and the baselines' page faults"), at ~11 us a fault on this VM.
if [ "${CHUKEI_THP:-on}" != off ] && [ -r /sys/kernel/mm/transparent_hugepage/enabled ] &&
  grep -qE '\[(always|madvise)\]' /sys/kernel/mm/transparent_hugepage/enabled; then
  server_jvm+=(-XX:+UseTransparentHugePages)
  [ "${CHUKEI_PRETOUCH:-on}" = off ] || server_jvm+=(-XX:+AlwaysPreTouch)
fi
# shellcheck disable=SC2034
simulator_jvm=("${server_jvm[@]}" -XX:MaxTenuringThreshold=2)

gc_log() {
  printf '%s' "-Xlog:gc:file=$1:time,uptime,level,tags"
}
