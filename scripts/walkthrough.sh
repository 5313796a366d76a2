# README's walk-throughs as bash functions: `source scripts/walkthrough.sh` with `npm start` running
# (MEMBERLOOP_URL points them at another gateway; test/walkthroughs.test.ts runs every walk-through).
#
# Each step prints the reply and checks the claims written after it — `path=value` (the value as
# text, or as JSON for numbers, booleans, null, objects), `path>=n`, `path<=n` — and fails on the
# first one that does not hold. Paths read the reply's `data` (`order.orderId`, `days.0.kind`,
# `stats.tier.warn`, `length`), or the reply itself when it has none (an error's `code`, the
# emulator's own routes). A call answered with an error fails unless a claim names its `code`.
# `field <path>` reads the last reply, to carry an id into the next step. Replies are read by one
# node process for the whole session (scripts/walkthrough-replies.cjs), not one per step.
MEMBERLOOP_URL=${MEMBERLOOP_URL:-http://127.0.0.1:8787}
WALKTHROUGH_REPLIES=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/walkthrough-replies.cjs

# call <function> <openid> <event> [claims…]: the function as that WeChat user (x-wx-openid plays the platform's OPENID).
call() {
  _request POST "/fn/$1" "$3" -H "x-wx-openid: $2" || return
  _check "${@:4}"
}

# emu <route> [body] [claims…]: POST /_emu/<route> (reset, pay/refunds, subscribe, trigger/…); the body defaults to {}.
emu() {
  local route=$1 body='{}'
  shift
  if [[ ${1-} == '{'* ]]; then body=$1 && shift; fi
  _request POST "/_emu/$route" "$body" || return
  _check "$@"
}

# emu_get <route> [claims…]: GET /_emu/<route> (outbox, pay, clock).
emu_get() {
  _request GET "/_emu/$1" || return
  _check "${@:2}"
}

# pay <orderId> [now|twice|held]: the member pays in wx.requestPayment, played by the emulator's WeChat Pay;
# its notification reaches the order's function now, twice at once, or not until /_emu/pay/deliver.
pay() { emu pay "{\"outTradeNo\":\"$1\",\"outcome\":\"success\",\"delivery\":\"${2:-now}\"}" errMsg=requestPayment:ok; }

# reset: every collection emptied and the seed loaded again; after it the clock may go back.
reset() { emu reset ok=true; }

# tick [claims…]: one firing of the timer function's trigger, now. Jumping the clock fires nothing.
tick() { emu trigger/timer/tick "$@"; }

# clock <Beijing time>: jump there (fires nothing). clock +<n><s|m|h|d>: let the time pass, every
# timer firing due on the way running in order (a firing every 10 minutes: jump and `tick` for days).
clock() {
  local body
  case $1 in
  +*s) body="{\"advanceMs\":$((${1:1:${#1}-2} * 1000))}" ;;
  +*m) body="{\"advanceMs\":$((${1:1:${#1}-2} * 60000))}" ;;
  +*h) body="{\"advanceMs\":$((${1:1:${#1}-2} * 3600000))}" ;;
  +*d) body="{\"advanceMs\":$((${1:1:${#1}-2} * 86400000))}" ;;
  *) body="{\"now\":\"$1+08:00\"}" ;;
  esac
  _request POST /_emu/clock "$body" && _ask beijing now
}

# field <path>: a value of the last reply (paths as in claims); fails if it has none.
field() { _ask field "$1"; }

_request() {
  local method=$1 path=$2 out status
  local args=(-sS -X "$method" -w '\n%{http_code}' "$MEMBERLOOP_URL$path")
  if [[ $# -ge 3 ]]; then args+=(-H 'content-type: application/json' -d "$3" "${@:4}"); fi
  out=$(curl "${args[@]}") || return
  LAST_REPLY=${out%$'\n'*}
  status=${out##*$'\n'}
  if [[ $status != 2* ]]; then
    echo "$method $path: HTTP $status $LAST_REPLY" >&2
    return 1
  fi
}

_check() {
  printf '%s\n' "$LAST_REPLY"
  _ask check "$@" >/dev/null
}

# _ask <question> <args…>: about the last reply, to the session's reader; prints its answer or fails with it.
_ask() {
  if [[ -z ${WALKTHROUGH_READER_PID-} ]] || ! kill -0 "$WALKTHROUGH_READER_PID" 2>/dev/null; then
    coproc WALKTHROUGH_READER { node "$WALKTHROUGH_REPLIES"; }
  fi
  local IFS=$'\t' answer
  printf '%s\n' "$1$IFS${LAST_REPLY//$'\n'/ }$IFS${*:2}" >&"${WALKTHROUGH_READER[1]}"
  IFS= read -r answer <&"${WALKTHROUGH_READER[0]}" || return
  if [[ $answer == ok$'\t'* ]]; then
    printf '%s\n' "${answer#ok$'\t'}"
  else
    echo "✗ $answer" >&2
    return 1
  fi
}
