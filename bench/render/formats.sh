#!/usr/bin/env bash
# The vertical formats of bench/render in one command: the `vertical` workload (1080x1920@30, every clip stacked
# from Twitch's portrait boxes, then one clip's layout changed) and the `blur` workload (every clip over a blurred
# fill), each printed against its own single-pass ffmpeg baseline measured in the same run.
#   bench/render/formats.sh            # 12 clips of 8–12 s
#   bench/render/formats.sh --short    # the same clips at 2–3 s (what docs/render.md reports)
# Extra arguments go to every run (--parallelism N, --dir DIR).
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build bench/render -c Release --nologo -v q -clp:ErrorsOnly
for workload in vertical blur; do
  echo "=== workload $workload"
  bench/render/bin/Release/net10.0/Tccg.Bench.Render --workload "$workload" "$@"
done
