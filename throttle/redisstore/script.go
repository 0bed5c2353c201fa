package redisstore

import "github.com/redis/go-redis/v9"

// gcraScript charges or refunds KEYS[1] atomically on the server clock.
//
// ARGV: mode ("a" allow, "r" refund), emission interval T in microseconds
// (0 for a quota), burst, n, quota window in milliseconds.
// Reply: {allowed, remaining, retry_after_us, reset_after_us}.
//
// GCRA state is the theoretical arrival time (TAT, microseconds since the
// epoch): the key is full when TAT <= now and admits n when
// max(TAT, now) + n*T - now <= burst*T. A request larger than the burst is
// admitted when the key is full and leaves TAT beyond the tolerance (the key
// owes the excess). One microsecond of slack absorbs rounding TAT up.
var gcraScript = redis.NewScript(`
local key = KEYS[1]
local mode = ARGV[1]
local T = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local n = tonumber(ARGV[4])
local window_ms = tonumber(ARGV[5])
local tm = redis.call('TIME')
local now = tonumber(tm[1]) * 1000000 + tonumber(tm[2])

if T == 0 then
  -- Fixed-window quota: a counter that expires when the window closes.
  local used = tonumber(redis.call('GET', key) or '0')
  local ttl = redis.call('PTTL', key)
  if mode == 'r' then
    if used > 0 and ttl > 0 then
      redis.call('SET', key, math.max(used - n, 0), 'PX', ttl)
    end
    return {1, 0, 0, 0}
  end
  local allowed = 0
  if n == 0 or used + n <= burst or (used == 0 and n > burst) then
    allowed = 1
  end
  if allowed == 1 and n > 0 then
    if ttl > 0 then
      redis.call('SET', key, used + n, 'PX', ttl)
    else
      redis.call('SET', key, used + n, 'PX', window_ms)
      ttl = window_ms
    end
    used = used + n
  end
  local reset = 0
  if ttl > 0 then reset = ttl * 1000 end
  local retry = 0
  if allowed == 0 then retry = reset end
  return {allowed, math.max(burst - used, 0), retry, reset}
end

local tat = tonumber(redis.call('GET', key) or '0')
if tat < now then tat = now end
local tau = burst * T

if mode == 'r' then
  local new = tat - n * T
  if new <= now then
    redis.call('DEL', key)
  else
    new = math.ceil(new)
    redis.call('SET', key, string.format('%.0f', new), 'PX', math.ceil((new - now) / 1000))
  end
  return {1, 0, 0, 0}
end

local new = tat + n * T
local allowed = 0
if n == 0 or new - now <= tau + 1 or (n > burst and tat <= now) then
  allowed = 1
end
local retry = 0
if allowed == 1 then
  if n > 0 then
    new = math.ceil(new)
    redis.call('SET', key, string.format('%.0f', new), 'PX', math.ceil((new - now) / 1000))
    tat = new
  end
elseif n > burst then
  retry = tat - now
else
  retry = new - tau - now
end
local remaining = math.floor((tau - (tat - now) + 1) / T)
if remaining < 0 then remaining = 0 end
return {allowed, remaining, math.ceil(math.max(retry, 1)) * (1 - allowed), math.ceil(tat - now)}
`)
