#!/usr/bin/env bash
# Seeds demo data through the public API (the gateway), idempotently: running it again finds what it made
# and adds nothing. Fictional artists only. Called by `./ticketing up` with GATEWAY_URL set.
set -euo pipefail

GW="${GATEWAY_URL:-http://127.0.0.1:8080}"

if ! command -v jq >/dev/null 2>&1; then
  echo "seed: installing jq" >&2
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y -qq jq >/dev/null; else sudo apt-get install -y -qq jq >/dev/null; fi
fi

# Catalog writes need an operator: `./ticketing up` turns the gateway's development token issuer on.
TOKEN=$(curl -sS -X POST -H 'Content-Type: application/json' --data '{"userName":"seed","role":"operator"}' "$GW/auth/token" | jq -r '.accessToken // empty')
[[ -n "$TOKEN" ]] || { echo "seed: no operator token from $GW/auth/token (is Auth__DevelopmentIssuer__Enabled=true?)" >&2; exit 1; }

iso() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }

api() { # method path [json] -> prints body, fails on 5xx / unexpected 4xx
  local method=$1 path=$2 body=${3:-} out status
  out=$(mktemp)
  if [[ -n "$body" ]]; then
    status=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data "$body" "$GW$path")
  else
    status=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $TOKEN" "$GW$path")
  fi
  if [[ $status -ge 400 && $status -ne 409 ]]; then
    echo "seed: $method $path answered $status: $(cat "$out")" >&2
    rm -f "$out"
    return 1
  fi
  cat "$out"
  rm -f "$out"
}

# rows N SEATS -> [{"label":"1","seats":SEATS}, ...]
rows() { jq -nc --argjson n "$1" --argjson s "$2" '[range(1; $n + 1) | {label: tostring, seats: $s}]'; }

# section CODE TIER ROWS SEATS
section() { jq -nc --arg c "$1" --arg t "$2" --argjson r "$(rows "$3" "$4")" '{code: $c, tier: $t, rows: $r}'; }

ensure_concert() { # artist title json
  local artist=$1 title=$2 json=$3 existing id
  existing=$(api GET "/api/catalog/concerts?artist=$(jq -rn --arg a "$artist" '$a|@uri')&pageSize=100" |
    jq -r --arg t "$title" '.items[] | select(.title == $t) | .id' | head -n1)
  if [[ -z "$existing" ]]; then
    existing=$(api GET "/api/catalog/concerts?artist=$(jq -rn --arg a "$artist" '$a|@uri')&status=Draft&pageSize=100" |
      jq -r --arg t "$title" '.items[] | select(.title == $t) | .id' | head -n1)
  fi
  if [[ -n "$existing" ]]; then
    id=$existing
  else
    id=$(api POST /api/catalog/concerts "$json" | jq -r .id)
    echo "seed: concert  $artist — $title ($id)" >&2
  fi
  api POST "/api/catalog/concerts/$id/publish" >/dev/null
}

ensure_product() { # json
  local json=$1 sku
  sku=$(jq -r .sku <<<"$json")
  if api POST /api/catalog/products "$json" | jq -e '.id' >/dev/null 2>&1; then
    echo "seed: product  $sku" >&2
  fi
}

# --- Concerts ------------------------------------------------------------------------------------
# NOVA at Han River Arena, Seoul: 15,000 seats in three tiers, on sale now.
seed_concerts() {
  arena_sections=$(
    {
      for s in F1 F2 F3 F4; do section "$s" VIP 25 30; done
      for s in 101 102 103 104 105 106 107 108; do section "$s" R 25 30; done
      for s in 201 202 203 204 205 206 207 208; do section "$s" S 25 30; done
    } | jq -sc .)
  ensure_concert "NOVA" "First Light World Tour — Seoul" "$(jq -nc \
    --arg starts "$(iso '+30 days 10:00')" --arg opens "$(iso '-1 hour')" --argjson sections "$arena_sections" '{
      artist: "NOVA", title: "First Light World Tour — Seoul", venue: "Han River Arena", city: "Seoul",
      timeZone: "Asia/Seoul", startsAt: $starts, saleOpensAt: $opens, ticketLimitPerFan: 4,
      priceTiers: [
        {code: "VIP", name: "VIP floor", price: 198000, currency: "KRW"},
        {code: "R", name: "R seat", price: 154000, currency: "KRW"},
        {code: "S", name: "S seat", price: 121000, currency: "KRW"}],
      sections: $sections}')"

  # Starlight Club in Los Angeles: sale opens in two days (a countdown for fans).
  ensure_concert "Starlight Club" "Midnight Parade — Los Angeles" "$(jq -nc \
    --arg starts "$(iso '+45 days 03:30')" --arg opens "$(iso '+2 days 01:00')" \
    --argjson a "$(section P1 P 10 20)" --argjson b "$(section L1 GA 30 40)" '{
      artist: "Starlight Club", title: "Midnight Parade — Los Angeles", venue: "Pacific Coliseum", city: "Los Angeles",
      timeZone: "America/Los_Angeles", startsAt: $starts, saleOpensAt: $opens, ticketLimitPerFan: 6,
      priceTiers: [
        {code: "P", name: "Platinum", price: 249.50, currency: "USD"},
        {code: "GA", name: "General admission", price: 89.00, currency: "USD"}],
      sections: [$a, $b]}')"

  # ECHO:9 fan meeting in Tokyo: small hall, on sale now.
  ensure_concert "ECHO:9" "Fan Meeting — Tokyo" "$(jq -nc \
    --arg starts "$(iso '+20 days 09:00')" --arg opens "$(iso '-2 hours')" \
    --argjson a "$(section A SS 8 25)" --argjson b "$(section B S 12 25)" --argjson c "$(section C A 12 25)" '{
      artist: "ECHO:9", title: "Fan Meeting — Tokyo", venue: "Shibuya Sound Hall", city: "Tokyo",
      timeZone: "Asia/Tokyo", startsAt: $starts, saleOpensAt: $opens, ticketLimitPerFan: 2,
      priceTiers: [
        {code: "SS", name: "SS seat", price: 15800, currency: "JPY"},
        {code: "S", name: "S seat", price: 12800, currency: "JPY"},
        {code: "A", name: "A seat", price: 9800, currency: "JPY"}],
      sections: [$a, $b, $c]}')"

  # NOVA's year-end special in Busan: a drop with a waiting room. Fans may join from now; at the sale's opening (in 15
  # minutes of the first seeding) everyone who joined gets a drawn place, later fans queue behind, 120 let in a minute.
  ensure_concert "NOVA" "Year-End Special — Busan" "$(jq -nc \
    --arg starts "$(iso '+25 days 10:00')" --arg opens "$(iso '+15 minutes')" --arg room "$(iso '-1 minute')" \
    --argjson a "$(section F VIP 10 20)" --argjson b "$(section A R 20 30)" '{
      artist: "NOVA", title: "Year-End Special — Busan", venue: "Busan Asiad Arena", city: "Busan",
      timeZone: "Asia/Seoul", startsAt: $starts, saleOpensAt: $opens, ticketLimitPerFan: 2,
      priceTiers: [
        {code: "VIP", name: "VIP floor", price: 209000, currency: "KRW"},
        {code: "R", name: "R seat", price: 165000, currency: "KRW"}],
      sections: [$a, $b],
      waitingRoom: {opensAt: $room, admissionsPerMinute: 120, maxActive: 500, passMinutes: 10}}')"
}

# The concerts and the products are independent: seeding them side by side has the system ready sooner.
seed_concerts &
concerts=$!

# --- Merch ---------------------------------------------------------------------------------------
product() { # sku name artist price currency stock limit [releaseAt]
  jq -nc --arg sku "$1" --arg name "$2" --arg artist "$3" --argjson price "$4" --arg currency "$5" \
    --argjson stock "$6" --argjson limit "$7" --arg release "${8:-}" --arg description "${9:-}" '{
      sku: $sku, name: $name, artist: $artist, price: $price, currency: $currency, stock: $stock,
      limitPerFan: $limit, description: (if $description == "" then null else $description end),
      releaseAt: (if $release == "" then null else $release end)}'
}
ensure_product "$(product NOVA-LIGHTSTICK-V2 "Official Lightstick ver. 2" NOVA 45000 KRW 1000 2 "" "Bluetooth sync with the concert's light show.")"
ensure_product "$(product NOVA-ALBUM-FIRSTLIGHT "First Light — 2nd Mini Album (random version)" NOVA 19800 KRW 5000 5 "" "One of three versions, with a random photocard.")"
ensure_product "$(product NOVA-PHOTOCARD-SET-A "Photocard Set A (8 cards)" NOVA 12000 KRW 3000 3)"
ensure_product "$(product NOVA-HOODIE-TOUR "First Light Tour Hoodie" NOVA 69000 KRW 800 2)"
ensure_product "$(product STARLIGHT-LIGHTSTICK "Starlight Club Lightstick" "Starlight Club" 52.00 USD 1200 2 "$(iso '+2 days 01:00')" "Drops with the Los Angeles ticket sale.")"
ensure_product "$(product ECHO9-SLOGAN-TOWEL "ECHO:9 Slogan Towel" "ECHO:9" 2500 JPY 600 3)"

# --- Merch drops: an album in three versions with random photocards, a bundle, a lucky draw, pictures ---------
IMAGES="$(dirname "$0")/images"

product_id() { api GET "/api/catalog/products?artist=$(jq -rn --arg a "$1" '$a|@uri')&pageSize=100" | jq -r --arg s "$2" '.items[] | select(.sku == $s) | .id' | head -n1; }

# picture PRODUCT_ID FILE [VARIANT]: uploads a generated picture once (a product that has pictures keeps them).
picture() {
  local id=$1 file=$2 variant=${3:-} status
  if [[ $(api GET "/api/catalog/products/$id" | jq --arg v "$variant" '[.images[] | select((.variant // "") == $v)] | length') -gt 0 ]]; then return 0; fi
  status=$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
    -F "file=@$IMAGES/$file;type=image/png" ${variant:+-F "variant=$variant"} "$GW/api/catalog/products/$id/images")
  [[ $status == 201 ]] || { echo "seed: picture $file for $id answered $status" >&2; return 1; }
}

ensure_product "$(jq -nc '{
  sku: "NOVA-ALBUM-AFTERGLOW", name: "Afterglow — 3rd Mini Album", artist: "NOVA", price: 21800, currency: "KRW",
  description: "Three versions; every album comes with one random photocard of a member.", limitPerFan: 6, limitScope: "product",
  variants: [
    {code: "A", sku: "NOVA-ALBUM-AFTERGLOW-A", name: "Version A (Dawn)", stock: 3000},
    {code: "B", sku: "NOVA-ALBUM-AFTERGLOW-B", name: "Version B (Dusk)", stock: 3000},
    {code: "C", sku: "NOVA-ALBUM-AFTERGLOW-C", name: "Digipack", stock: 1500}],
  inclusion: {name: "Photocard", items: [
    {code: "HANA", name: "Hana", count: 1000}, {code: "JIWOO", name: "Jiwoo", count: 1000}, {code: "MINA", name: "Mina", count: 1000},
    {code: "SORA", name: "Sora", count: 1000}, {code: "YUNA", name: "Yuna", count: 1000}, {code: "RIN", name: "Rin", count: 1000},
    {code: "ARA", name: "Ara", count: 1000}, {code: "SEOA", name: "Seoa", count: 1000}, {code: "DAHYE", name: "Dahye", count: 1000}]}}')"
album=$(product_id NOVA NOVA-ALBUM-AFTERGLOW)
lightstick=$(product_id NOVA NOVA-LIGHTSTICK-V2)
ensure_product "$(jq -nc --arg album "$album" --arg stick "$lightstick" '{
  sku: "NOVA-BUNDLE-AFTERGLOW", name: "Afterglow + Lightstick bundle", artist: "NOVA", price: 59000, currency: "KRW", stock: 300,
  limitPerFan: 1, description: "Version A of the album and the official lightstick, together for less.",
  components: [{productId: $album, variant: "A", quantity: 1}, {productId: $stick, quantity: 1}]}')"
ensure_product "$(jq -nc '{
  sku: "NOVA-POLAROID-SIGNED", name: "Signed polaroid", artist: "NOVA", price: 99000, currency: "KRW", stock: 20, limitPerFan: 1,
  soldByLuckyDraw: true, description: "Twenty signed polaroids, by verifiable lucky draw."}')"
polaroid=$(product_id NOVA NOVA-POLAROID-SIGNED)
bundle=$(product_id NOVA NOVA-BUNDLE-AFTERGLOW)
picture "$album" album-a.png A
picture "$album" album-b.png B
picture "$album" album-c.png C
picture "$lightstick" lightstick.png
picture "$bundle" album-a.png
picture "$polaroid" polaroid.png
wait "$concerts"
stage=$(api GET "/api/catalog/concerts?artist=NOVA&pageSize=1" | jq -r '.items[0].id // empty')
if [[ -n "$stage" && $(api GET "/api/catalog/concerts/$stage/images" | jq length) -eq 0 ]]; then
  curl -sS -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" -F "file=@$IMAGES/stage.png;type=image/png" "$GW/api/catalog/concerts/$stage/images"
fi
if [[ $(api GET "/api/queue/lucky-draws?productId=$polaroid" | jq length) -eq 0 ]]; then
  api POST /api/queue/lucky-draws "$(jq -nc --arg p "$polaroid" --arg closes "$(iso '+2 days')" \
    '{productId: $p, title: "Signed polaroid", closesAt: $closes, winners: 20, claimMinutes: 60}')" >/dev/null
  echo "seed: lucky draw for the signed polaroid" >&2
fi

echo "seed: demo data in place" >&2
