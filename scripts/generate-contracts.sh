#!/usr/bin/env bash
# Regenerates the C# classes in Pipeline.Core/Schemas/Generated from the .avsc contracts (Apache.Avro's code
# generator), then builds again so the new classes compile. Commit the changed files.
set -euo pipefail
cd "$(dirname "$0")/.."
PIPELINE_REGENERATE_CONTRACTS=1 dotnet test Pipeline.Tests/Pipeline.Tests.csproj \
  --filter "FullyQualifiedName~GeneratedContractsTests.Checked_in_classes_equal" || true
dotnet build AkkaPipeline.sln
