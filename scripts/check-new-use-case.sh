#!/usr/bin/env bash
# Follows docs/use-cases.md as a new author would, in a copy of the source tree: adds the template use case
# (RoundAmount, its three files taken from the page) and its HOCON block, and nothing else; builds; runs
# `pipeline try` on it and the tests that cover every use case (registry, roles, rebuild, quality).
# Exit code 0 when all of it passes. Reuses the NuGet cache; builds only Pipeline.Tests and what it references.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/pipeline-new-use-case.XXXXXX")"
trap 'rm -rf "$work"' EXIT
page="$root/docs/use-cases.md"

tar -C "$root" --exclude=./.git --exclude='./*/bin' --exclude='./*/obj' --exclude=./helm --exclude=node_modules -cf - . | tar -C "$work" -xf -

# The code block that follows the line naming the file on the page.
block_after() {
  awk -v name="\`$1\`" 'index($0, name) == 1 {found = 1; next} found && /^```/ {if (inside) exit; inside = 1; next} inside {print}' "$page"
}
mkdir -p "$work/Pipeline.UseCases/RoundAmount"
for file in RoundAmountUseCase.cs RoundAmountState.cs RoundAmountSettings.cs; do
  block_after "$file" > "$work/Pipeline.UseCases/RoundAmount/$file"
  [ -s "$work/Pipeline.UseCases/RoundAmount/$file" ] || { echo "check-new-use-case: no code block for $file in docs/use-cases.md" >&2; exit 1; }
done

# The HOCON block of the page (its round-amount { ... } part) under pipeline.use-cases, and the key in the enabled list.
awk '/^```hocon/ {inside = 1; next} inside && /^```/ {exit} inside && /^  round-amount \{/ {take = 1} take {print} take && /^  \}/ {take = 0}' "$page" \
  | sed 's/^/  /' > "$work/round-amount.conf"
[ -s "$work/round-amount.conf" ] || { echo "check-new-use-case: no round-amount block in docs/use-cases.md" >&2; exit 1; }
conf="$work/config/pipeline.conf"
sed -i -e "/^  use-cases {$/r $work/round-amount.conf" \
       -e '/^  use-cases {$/,/^  }$/ s/^\(    enabled = \[.*\)\]$/\1, "round-amount"]/' "$conf"
grep -q '"round-amount"\]' "$conf" || { echo "check-new-use-case: could not add round-amount to the enabled list" >&2; exit 1; }

echo "check-new-use-case: building the copy with the template use case"
dotnet build "$work/Pipeline.Tests/Pipeline.Tests.csproj" -v q -nologo

echo "check-new-use-case: pipeline try --use-case round-amount"
dotnet "$work/Pipeline.Tests/bin/Debug/net10.0/pipeline.dll" try --use-case round-amount

echo "check-new-use-case: the tests that cover every use case"
dotnet test "$work/Pipeline.Tests/Pipeline.Tests.csproj" --no-build --logger "console;verbosity=normal" \
  --filter "FullyQualifiedName~UseCaseRegistryTests|FullyQualifiedName~NodeRolesTests|FullyQualifiedName~UseCaseRebuildTests|FullyQualifiedName~UseCaseQualityTests"
