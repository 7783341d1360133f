#!/usr/bin/env bash
# The local-runtime benchmark (docs/benchmarks.md, "Local runtime"). Builds the local model module,
# then runs ours and Jlama on one random GPT-2-small checkpoint on Temurin 25. Usage: bench/local-runtime/run.sh [THREADS]
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA_HOME="${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn -q -pl sdk-model-local -am install -DskipTests
cd bench/local-runtime
JAVA_HOME="$JAVA_HOME" mvn -q package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
mkdir -p target/djl-cache
DJL_CACHE_DIR="$PWD/target/djl-cache" "$JAVA_HOME/bin/java" -Xmx6g --add-modules jdk.incubator.vector \
  --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true \
  -cp "target/classes:$(cat target/classpath.txt)" dev.colloquy.bench.local.LocalRuntimeBenchmark \
  target/gpt2-small-random "${1:-$(nproc)}"
