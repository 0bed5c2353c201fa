package redisstore

import "github.com/redis/go-redis/v9"

// gcraScript reserves, refunds or cancels on KEYS[1] atomically on the
// server clock.
//
// ARGV: mode ("v" reserve, "r" refund, "c" cancel a reservation), emission
// interval T in microseconds (0 for a quota), burst, n, quota window in
// milliseconds, earliest and latest (microseconds from now: the reservation
// window; both 0 is AllowN), and, to cancel, the mark the reservation
// returned.
// Reply: {allowed, remaining, retry_after_us, reset_after_us, delay_us, mark}.
//
// GCRA state is the theoretical arrival time (TAT, microseconds since the
// epoch): the key is full when TAT <= now. n events are due at the earliest
// instant a >= now+earliest with max(TAT, a) + n*T - a <= burst*T, that is
// TAT + n*T - burst*T; a request larger than the burst is due when the key
// is full (TAT) and leaves it owing the excess. They are reserved when that
// instant is within now+latest, and TAT moves to max(TAT, due) + n*T, which
// is the reservation's mark: the next reservation follows from it, however
// late its caller comes back. Cancelling gives back n*T less whatever was
// reserved behind the mark. One microsecond of slack absorbs rounding TAT
// up.
var gcraScript = redis.NewScript(`
local key = KEYS[1]
local mode = ARGV[1]
local T = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local n = tonumber(ARGV[4])
local window_ms = tonumber(ARGV[5])
local earliest = tonumber(ARGV[6])
local latest = tonumber(ARGV[7])
local mark = tonumber(ARGV[8])
local tm = redis.call('TIME')
local now = tonumber(tm[1]) * 1000000 + tonumber(tm[2])

if T == 0 then
  -- Fixed-window quota: a counter that expires when the window closes.
  -- Reservations are charged in the window open now.
  local used = tonumber(redis.call('GET', key) or '0')
  local ttl = redis.call('PTTL', key)
  if mode ~= 'v' then
    if used > 0 and ttl > 0 then
      redis.call('SET', key, math.max(used - n, 0), 'PX', ttl)
    end
    return {1, 0, 0, 0, 0, 0}
  end
  local allowed = 0
  if n == 0 or used + n <= burst or (used == 0 and n > burst) then
    allowed = 1
  end
  local delay = 0
  if allowed == 1 and n > 0 then
    if ttl > 0 then
      redis.call('SET', key, used + n, 'PX', ttl)
    else
      redis.call('SET', key, used + n, 'PX', window_ms)
      ttl = window_ms
    end
    used = used + n
    delay = earliest
  end
  local reset = 0
  if ttl > 0 then reset = ttl * 1000 end
  local retry = 0
  if allowed == 0 then retry = reset end
  return {allowed, math.max(burst - used, 0), retry, reset, delay, 0}
end

local stored = tonumber(redis.call('GET', key) or '0')
local tat = stored
if tat < now then tat = now end
local tau = burst * T

if mode ~= 'v' then
  local give = n * T
  if mode == 'c' then
    local behind = math.max(stored - mark, 0)
    give = math.max(give - behind, 0)
  end
  if stored <= now or give <= 0 then
    return {1, 0, 0, 0, 0, 0}
  end
  local new = stored - give
  if new <= now then
    redis.call('DEL', key)
  else
    new = math.ceil(new)
    redis.call('SET', key, string.format('%.0f', new), 'PX', math.ceil((new - now) / 1000))
  end
  return {1, 0, 0, 0, 0, 0}
end

local due = tat + n * T - tau
if n > burst then due = tat end
if due < now + earliest then due = now + earliest end
local allowed = 0
if n == 0 or due <= now + latest + 1 then
  allowed = 1
end
local retry, delay, newmark = 0, 0, 0
if allowed == 1 then
  if n > 0 then
    local new = math.ceil(math.max(tat, due) + n * T)
    redis.call('SET', key, string.format('%.0f', new), 'PX', math.ceil((new - now) / 1000))
    tat = new
    delay = math.max(math.floor(due - now), 0)
    newmark = new
  end
else
  retry = math.ceil(math.max(due - now - latest, 1))
end
local remaining = math.floor((tau - (tat - now) + 1) / T)
if remaining < 0 then remaining = 0 end
return {allowed, remaining, retry, math.ceil(tat - now), delay, newmark}
`)
