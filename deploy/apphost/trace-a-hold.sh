#!/usr/bin/env bash
# Places one hold through the gateway and finds its trace in the Aspire dashboard of `./ticketing up`, through the
# dashboard's telemetry API (GET /api/telemetry/traces/{traceId}): the gateway's request, the Tickets instance that
# held the seats, and the outbox relay publishing the SeatsHeld message to RabbitMQ, all in one trace.
#
#   deploy/apphost/trace-a-hold.sh [--screenshot FILE.png]
#
# The hold carries a W3C traceparent whose trace id the script chose (sampled flag set), so the trace is recorded
# whatever the services' sampling ratio is, and the script knows which trace to look for. Exit code 0 when the trace
# has a span of the gateway, one of a Tickets instance and the relay's publish span; 1 otherwise.
# Reads the same TICKETING_GATEWAY_PORT / TICKETING_DASHBOARD_PORT variables as ./ticketing (defaults 8080 / 18888).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
GW="http://127.0.0.1:${TICKETING_GATEWAY_PORT:-8080}"
DASHBOARD="http://127.0.0.1:${TICKETING_DASHBOARD_PORT:-18888}"
SCREENSHOT=""
[[ "${1:-}" == "--screenshot" ]] && SCREENSHOT="${2:?--screenshot needs a file}"

command -v jq >/dev/null 2>&1 || { echo "trace-a-hold: jq is needed (apt-get install jq)" >&2; exit 2; }

# A fan, and a concert on sale now with an available seat (the seed's ECHO:9 fan meeting or NOVA in Seoul).
TOKEN=$(curl -sS -X POST -H 'Content-Type: application/json' --data "{\"userName\":\"trace-fan-$RANDOM\",\"role\":\"fan\"}" "$GW/auth/token" | jq -r '.accessToken // empty')
[[ -n "$TOKEN" ]] || { echo "trace-a-hold: no fan token from $GW/auth/token (is the system up? ./ticketing up -d)" >&2; exit 1; }
CONCERT=$(curl -sS "$GW/api/catalog/concerts" | jq -r '[.items[] | select(.onSale)][0].id // empty')
[[ -n "$CONCERT" ]] || { echo "trace-a-hold: no concert on sale (did the seed run?)" >&2; exit 1; }
SEAT=$(curl -sS "$GW/api/tickets/concerts/$CONCERT/seats" | jq -r '[.seats[] | select(.status == "available")][-1].seatId // empty')
[[ -n "$SEAT" ]] || { echo "trace-a-hold: concert $CONCERT has no available seat" >&2; exit 1; }

TRACE_ID=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
PARENT_ID=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
STATUS=$(curl -sS -o /tmp/trace-a-hold.$$ -w '%{http_code}' -X POST "$GW/api/tickets/concerts/$CONCERT/holds" \
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -H "traceparent: 00-$TRACE_ID-$PARENT_ID-01" --data "{\"seatIds\":[\"$SEAT\"]}")
echo "hold of seat $SEAT of concert $CONCERT: $STATUS $(cat /tmp/trace-a-hold.$$)"
rm -f /tmp/trace-a-hold.$$
[[ "$STATUS" == 201 ]] || exit 1

# screenshot URL FILE: the dashboard's page of the trace in Debian's Chromium, through the Playwright package that the
# browser tests' build ships (tests/Ticketing.Browser.Tests; the dashboard is a Blazor app, so a plain headless
# screenshot would catch it before it has drawn).
screenshot() {
  local playwright="$ROOT/tests/Ticketing.Browser.Tests/bin/Release/net10.0/.playwright"
  [[ -x "$playwright/node/linux-x64/node" ]] || { echo "trace-a-hold: build tests/Ticketing.Browser.Tests for the screenshot" >&2; return 1; }
  PLAYWRIGHT_PACKAGE="$playwright/package" "$playwright/node/linux-x64/node" -e '
    const { chromium } = require(process.env.PLAYWRIGHT_PACKAGE);
    const [url, file] = process.argv.slice(1);
    (async () => {
      const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true });
      const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
      await page.goto(url);
      await page.waitForSelector("text=outbox relay", { timeout: 30000 });
      await page.screenshot({ path: file });
      await browser.close();
    })().catch(error => { console.error(error.message); process.exit(1); });' "$1" "$2"
  echo "screenshot: $2"
}

# The relay publishes shortly after the hold commits and every process exports its spans every few seconds.
spans() { # -> one line per span: "<resource> <span name>"
  curl -sS -m 5 "$DASHBOARD/api/telemetry/traces/$TRACE_ID" 2>/dev/null \
    | jq -r '.data.resourceSpans[]? | (.resource.attributes // [] | map(select(.key == "service.name"))[0].value.stringValue) as $service
             | .scopeSpans[].spans[] | "\($service) \(.name)"' 2>/dev/null || true
}
found=""
for _ in $(seq 1 60); do
  found="$(spans)"
  if grep -q '^gateway ' <<<"$found" && grep -q '^tickets' <<<"$found" && grep -q 'outbox relay SeatsHeld' <<<"$found" \
     && grep -Eq '^tickets[^ ]* .*(send|publish)' <<<"$found"; then
    echo "trace $TRACE_ID in the dashboard ($DASHBOARD/traces/detail/$TRACE_ID):"
    sort <<<"$found" | uniq -c | sed 's/^/  /'
    if [[ -n "$SCREENSHOT" ]]; then screenshot "$DASHBOARD/traces/detail/$TRACE_ID" "$SCREENSHOT"; fi
    exit 0
  fi
  sleep 1
done
echo "trace-a-hold: trace $TRACE_ID is not complete in the dashboard after 60 s; spans found:" >&2
sort <<<"$found" | uniq -c >&2
exit 1
