#!/usr/bin/env bash
# GPU check of the DJL engines (docs/local.md, "GPU (CUDA)"): for each shape, writes a random
# checkpoint of a real model's shape, runs it on the Java engine (CPU, the reference) and on DJL's
# PyTorch engine on the GPU, prints the last-position logits' max relative error, whether greedy
# decoding agrees, and prefill and decode tokens/s of both. Exits 1 when an error passes 1e-3.
#
# Usage: bench/gpu-check/run.sh [SHAPES] [DEVICE] [PROMPT] [DECODE]
#   SHAPES comma-separated, default gpt2-small,llama-1b: gpt2-small (GPT-2 small's shape on
#          DjlGptRuntime, ~0.5 GB), llama-1b (Llama 3.2 1B's on DjlDecoderRuntime, ~5 GB F32 on
#          disk, in RAM and on the GPU), qwen-0.5b (Qwen2.5 0.5B's, with q/k/v biases),
#          smollm-135m (SmolLM 135M's, 30 thin layers: the most operations per byte) or tiny
#          (a smoke test); `tiny,gpt2-small cpu 16 8` runs anywhere in about a minute
#   DEVICE gpu:0 (default) or cpu
#   PROMPT prompt tokens (default 128); DECODE greedy decode steps (default 32)
#
# Runs offline. It needs a JDK 17+ (21+ gives the Java engine its Vector API kernel), Maven, a Maven
# repository holding the project's dependencies (MAVEN_REPO, default ~/.m2/repository), and PyTorch's
# CUDA natives for DJL 0.36, i.e. libtorch 2.7.1 of flavor cu128, in one of two ways:
#   a) PYTORCH_LIBRARY_PATH=/path/to/libtorch/lib: a libtorch 2.7.1+cu128 (cxx11 ABI) folder;
#   b) ai.djl.pytorch:pytorch-native-cu128:2.7.1 (classifier linux-x86_64) in MAVEN_REPO: the
#      sdk-model-local profile djl-cuda puts it on the class path. Maven Central does not serve it,
#      so install it into the repository you carry (mvn install:install-file) beforehand.
# The machine needs an NVIDIA driver for CUDA 12.8. Nothing is downloaded while it runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
SHAPES="${1:-gpt2-small,llama-1b}"
DEVICE="${2:-gpu:0}"
PROMPT="${3:-128}"
DECODE="${4:-32}"
REPO="${MAVEN_REPO:-$HOME/.m2/repository}"
WORK="$PWD/sdk-model-local/target/gpu-check"
mkdir -p "$WORK/djl-cache"
PROFILE=()
if [[ "$DEVICE" != cpu ]]; then
  if [[ -n "${PYTORCH_LIBRARY_PATH:-}" ]]; then
    export PYTORCH_VERSION="${PYTORCH_VERSION:-2.7.1}" PYTORCH_FLAVOR="${PYTORCH_FLAVOR:-cu128}"
  else
    PROFILE=(-Pdjl-cuda)
  fi
fi
# The jars, not target/classes: the Java engine's Vector API kernel lives in the multi-release jar.
mvn -B -q -o -Dmaven.repo.local="$REPO" "${PROFILE[@]}" -pl sdk-model-local -am package -DskipTests
mvn -B -q -o -Dmaven.repo.local="$REPO" "${PROFILE[@]}" -pl sdk-model-local \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/classpath.txt"
CLASSPATH_FILE="$WORK/classpath.txt"
if [[ "$DEVICE" != cpu ]]; then
  # Only one libtorch may be on the class path: drop the CPU one.
  tr ':' '\n' <"$CLASSPATH_FILE" | grep -v '/pytorch-native-cpu/' | paste -sd: - >"$WORK/classpath-gpu.txt"
  CLASSPATH_FILE="$WORK/classpath-gpu.txt"
fi
JARS="$(ls sdk-model-local/target/colloquy-model-local-*-tests.jar):$(ls sdk-model-local/target/colloquy-model-local-*.jar | grep -v -- -tests.jar)"
JAVA_FLAGS=()
if java -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
  JAVA_FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)
fi
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null || true
DJL_CACHE_DIR="$WORK/djl-cache" java ${JAVA_OPTS:--Xmx48g} "${JAVA_FLAGS[@]}" -Dai.djl.offline=true \
  -cp "$JARS:$(cat "$CLASSPATH_FILE")" dev.colloquy.model.local.internal.runtime.DecoderGpuCheck \
  "$SHAPES" "$DEVICE" "$WORK" "$PROMPT" "$DECODE"
